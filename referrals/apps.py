from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"

    def ready(self) -> None:
        # Referrals follow the caution's conditions: cautions announces each change in its
        # transaction (cautions.signals.case_changed) and never imports this app.
        from cautions.signals import case_changed
        from referrals.panels import register_panels
        from referrals.sync import on_case_changed

        case_changed.connect(on_case_changed, dispatch_uid="referrals.sync_on_case_changed")
        # The case page's Support section and the worklist's flags (cautions.panels).
        register_panels()
