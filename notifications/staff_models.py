"""Notifications to staff (issue 18): what needs an officer's, a sergeant's or a caseworker's
attention, shown in the app and, by each user's choice, emailed at once or in a daily digest.

The text names no person (a case reference, a provider, a date): it is shown in a list and
summarised in emails, which may be read outside the service. Each row links to the thing it
is about, where the normal access checks apply.
"""

from django.conf import settings
from django.db import models


class StaffNotification(models.Model):
    class Kind(models.TextChoices):
        # Officer (the case's officer).
        REFERRAL_RETURNED = "referral_returned", "Referral returned"
        COMPLIED_REPORTED = "complied_reported", "Compliance reported, to confirm"
        NOT_ENGAGING = "not_engaging", "Reported as not engaging"
        APPOINTMENT_MISSED = "appointment_missed", "Appointment missed"
        CONDITION_DUE_SOON = "condition_due_soon", "Condition due within 7 days"
        CONDITION_OVERDUE = "condition_overdue", "Condition overdue"
        CHARGE_BY_SOON = "charge_by_soon", "Charge-by date near"
        # Sergeant (authorising officers).
        AWAITING_AUTHORISATION = "awaiting_authorisation", "Waiting for authorisation"
        BREACH_REPORTED = "breach_reported", "Breach waiting for a decision"
        # Caseworker (the provider's caseworkers, or the one assigned).
        NEW_REFERRAL = "new_referral", "New referral"
        CLOSED_BY_POLICE = "closed_by_police", "Referral closed by police"
        CONDITIONS_VARIED = "conditions_varied", "Conditions varied by police"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_notifications"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    # Names no person: "Referral for case CC-2026-12 returned by Outside Links."
    text = models.CharField(max_length=300)
    # The path of the thing it is about (a case page, a referral page).
    link = models.CharField(max_length=200)
    read_at = models.DateTimeField(null=True, blank=True)
    # When an email (immediate or the daily digest) told the user of it: a digest lists only
    # notifications no email has told of yet.
    emailed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # What the notification is about, for whom: a scan run twice or an event heard twice
    # never notifies twice.
    dedupe_key = models.CharField(max_length=200, unique=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The list page: a user's notifications, newest first.
            models.Index(fields=["user", "-created_at", "-id"], name="staffnotif_user_newest_idx"),
            # The header's unread count on every page, and the digest: a user's unread ones.
            models.Index(fields=["user", "read_at"], name="staffnotif_user_unread_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=[
                        "referral_returned",
                        "complied_reported",
                        "not_engaging",
                        "appointment_missed",
                        "condition_due_soon",
                        "condition_overdue",
                        "charge_by_soon",
                        "awaiting_authorisation",
                        "breach_reported",
                        "new_referral",
                        "closed_by_police",
                        "conditions_varied",
                    ]
                ),
                name="staffnotif_kind_known",
            ),
            models.CheckConstraint(
                condition=models.Q(link__startswith="/"), name="staffnotif_link_is_a_path"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for user {self.user_id}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", "Email me at once"
    DAILY_DIGEST = "daily_digest", "One email a day listing what is new"
    IN_APP = "in_app", "No emails: only in Offender Hub"


# Users who never chose: one email a day. Nothing waits unseen for someone who rarely signs
# in, and a busy officer is not sent an email for every provider event
# (docs/adr/0006-staff-notifications.md).
DEFAULT_DELIVERY = Delivery.DAILY_DIGEST


class NotificationPreference(models.Model):
    """How a user is told of new notifications. No row means DEFAULT_DELIVERY."""

    Delivery = Delivery

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    delivery = models.CharField(max_length=20, choices=Delivery.choices, default=DEFAULT_DELIVERY)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(delivery__in=["immediate", "daily_digest", "in_app"]),
                name="notifpref_delivery_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.delivery}"
