"""The notifications pages (`/notifications/`) and Notify's delivery receipts (`/notify/`)."""

from notifications import staff_urls

app_name = "notifications"

urlpatterns: list = []

# Delivery receipts from GOV.UK Notify: no sign-in, a bearer token instead (hub.middleware
# PUBLIC_PREFIXES lists the prefix).
callback_patterns: list = []

# Staff notifications (notifications.staff_urls).
urlpatterns += staff_urls.urlpatterns
