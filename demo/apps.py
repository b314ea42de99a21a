from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo and synthetic data (`manage.py seed_demo`): at the top of the layers, it builds
    on every other app and none of them imports it."""

    name = "demo"
