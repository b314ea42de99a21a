from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"

    def ready(self):
        # The case page's Support section and the worklist's flags (cautions.panels).
        from referrals.panels import register_panels

        register_panels()
