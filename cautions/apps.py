from django.apps import AppConfig


class CautionsConfig(AppConfig):
    name = "cautions"
