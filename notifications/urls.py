"""The notifications pages (`/notifications/`) and Notify's delivery receipts (`/notify/`)."""

from django.urls import path

from notifications import staff_urls, views

app_name = "notifications"

urlpatterns = [
    path("people/<int:pk>/", views.reminders, name="reminders"),
    path("people/<int:pk>/consent/", views.consent_record, name="consent_record"),
    path("people/<int:pk>/consent/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("outbox/", views.outbox, name="outbox"),
]

# Delivery receipts from GOV.UK Notify: no sign-in, a bearer token instead (hub.middleware
# PUBLIC_PREFIXES lists the prefix).
callback_patterns = [
    path("callback/", views.notify_callback, name="callback"),
]

# Staff notifications (notifications.staff_urls).
urlpatterns += staff_urls.urlpatterns
