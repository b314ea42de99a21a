"""API tokens and the responses kept for idempotent retries.

A token belongs to a user: the user's roles and organisation decide everything the token may
do, exactly as in the browser. Only a SHA-256 digest of the token is stored (a token is 32
random bytes, so a fast digest is enough: there is nothing to guess), with a short prefix kept
in clear so that a person can tell their tokens apart.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, help_text="The first characters, to recognise it")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="api_token_expires_after_creation",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_by__isnull=False),
                name="api_token_revoked_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class IdempotentRequest(models.Model):
    """The first response to a request carrying an Idempotency-Key, replayed to its retries.

    Keyed by token, key, method and path: the same key sent with another body is refused (422)
    rather than replayed, so a client's bug cannot read as success."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=300)
    body_digest = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["token", "key", "method", "path"], name="api_idempotency_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.key})"


class WebhookSubscription(models.Model):
    """An organisation's endpoint for events about its own referrals and cases."""

    class Event(models.TextChoices):
        REFERRAL_CREATED = "referral.created", "Referral created"
        REFERRAL_ACCEPTED = "referral.accepted", "Referral accepted"
        REFERRAL_RETURNED = "referral.returned", "Referral returned"
        REFERRAL_CLOSED = "referral.closed", "Referral closed"
        CONDITIONS_VARIED = "conditions.varied", "Conditions varied"
        CASE_CLOSED = "case.closed", "Case closed"
        APPOINTMENT_BOOKED = "appointment.booked", "Appointment booked"
        APPOINTMENT_MISSED = "appointment.missed", "Appointment missed"

    organisation = models.ForeignKey(
        "hub.Organisation", on_delete=models.PROTECT, related_name="webhooks"
    )
    url = models.URLField(max_length=500)
    secret = models.CharField(max_length=200, help_text="Shared secret for the signature")
    events = models.JSONField(default=list)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["organisation__name", "url"]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.url}"


class WebhookDelivery(models.Model):
    """One event for one subscription: what was (or will be) sent, and each attempt's result.
    The body names the event and the resource's API address only, never a person."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.PROTECT, related_name="deliveries"
    )
    event_id = models.UUIDField()
    event_type = models.CharField(max_length=40)
    occurred_at = models.DateTimeField()
    resource = models.CharField(max_length=300)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "event_id"], name="webhook_delivery_once_per_event"
            ),
            models.CheckConstraint(
                condition=~Q(status="delivered") | Q(delivered_at__isnull=False),
                name="webhook_delivered_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id} → {self.subscription_id}"

    STATUS_COLOURS = {"pending": "yellow", "delivered": "green", "failed": "red"}

    @property
    def status_colour(self) -> str:
        return self.STATUS_COLOURS[self.status]

    @property
    def can_redeliver(self) -> bool:
        """Sent or given up (a pending one is still being tried: api.webhooks.redeliver)."""
        return self.status != self.Status.PENDING
