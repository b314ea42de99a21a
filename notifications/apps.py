from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    # Issue 18: reminders to people (SMS/email through GOV.UK Notify) and emails to staff.
    # Above referrals and cautions (it reads appointments and conditions), below reporting.
    name = "notifications"

    def ready(self):
        from notifications import staff_receivers

        # Staff notifications follow the apps below through their signals.
        staff_receivers.connect()
