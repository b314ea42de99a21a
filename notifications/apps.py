from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    # Issue 18: reminders to people (SMS/email through GOV.UK Notify) and emails to staff.
    # Above referrals and cautions (it reads appointments and conditions), below reporting.
    name = "notifications"

    def ready(self) -> None:
        from hub.signals import person_anonymising
        from notifications import staff_receivers, staff_schedule
        from notifications.panels import register_panels
        from notifications.schedule import register_builtin_jobs
        from notifications.services import on_person_anonymising

        person_anonymising.connect(
            on_person_anonymising, dispatch_uid="notifications.on_person_anonymising"
        )
        register_panels()
        # The scheduler's own jobs (run_schedule); other apps register theirs the same way.
        register_builtin_jobs()
        staff_schedule.register()
        # Staff notifications follow the apps below through their signals.
        staff_receivers.connect()
