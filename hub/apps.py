from django.apps import AppConfig


class HubConfig(AppConfig):
    name = "hub"
    verbose_name = "Offender Hub"

    def ready(self) -> None:
        from hub import formfields, roles

        roles.connect_signals()
        formfields.harden_model_choice_fields()
