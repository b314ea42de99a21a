from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "Partner API"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from api import receivers, schema  # noqa: F401  (schema: the bearer scheme)
        from cautions.signals import case_changed
        from referrals.signals import referral_event

        referral_event.connect(receivers.on_referral_event, dispatch_uid="api.webhooks.referral")
        case_changed.connect(receivers.on_case_changed, dispatch_uid="api.webhooks.case")
