from django.apps import AppConfig


class HubConfig(AppConfig):
    name = "hub"
    verbose_name = "Offender Hub"

    def ready(self) -> None:
        from hub import auth_backend, form_errors, formfields, roles

        roles.connect_signals()
        auth_backend.connect_signals()
        formfields.harden_model_choice_fields()
        form_errors.name_fields_in_errors()
