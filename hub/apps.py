from django.apps import AppConfig


class HubConfig(AppConfig):
    name = "hub"
    verbose_name = "Offender Hub"

    def ready(self) -> None:
        from hub import roles

        roles.connect_signals()
