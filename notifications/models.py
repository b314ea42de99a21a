"""Messages to people and staff, and the consent to send them (issue 18)."""

from notifications.staff_models import NotificationPreference, StaffNotification  # noqa: F401
