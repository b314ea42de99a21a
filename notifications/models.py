"""Messages to people and staff, and people's consent to receive them (issue 18).

Every message is kept (what, to whom, when, its status): a message to a person is part of their
record for subject access (records.subject_access), and anonymising them wipes its recipient
and text (notifications.anonymise).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Channel(models.TextChoices):
    SMS = "sms", "Text message"
    EMAIL = "email", "Email"


class Message(models.Model):
    """One message, queued once (`dedupe_key` is unique) and sent by the sender
    (notifications.sender) when `next_attempt_at` has come."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        DELIVERED = "delivered", "Delivered"
        TEMPORARY_FAILURE = "temporary_failure", "Not delivered (phone off or inbox full)"
        PERMANENT_FAILURE = "permanent_failure", "Not delivered (number or address not working)"
        # No Notify key (demo, development): kept here for administrators to read.
        OUTBOX = "outbox", "In the outbox (not sent)"
        # Not sent because it stopped being true: the appointment moved or was cancelled, or
        # the person withdrew consent before it went.
        CANCELLED = "cancelled", "Not sent (no longer needed)"

    channel = models.CharField(max_length=10, choices=Channel.choices)
    recipient = models.CharField(max_length=320, help_text="Phone number or email address")
    subject = models.CharField(max_length=200, blank=True, help_text="Emails only")
    body = models.TextField(help_text="The exact text sent")
    kind = models.CharField(max_length=50, help_text="What the message is for (a rule's name)")
    dedupe_key = models.CharField(max_length=200)
    # PROTECT: a person is anonymised, never deleted while their messages are kept.
    person = models.ForeignKey(
        "hub.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="messages"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The member of staff a staff notification is for",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    notify_id = models.CharField(max_length=64, blank=True, help_text="GOV.UK Notify's id")
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("view_outbox", "Can read the outbox of messages not sent")]
        constraints = [
            # queue_message is idempotent on it: a rule run twice finds its message.
            models.UniqueConstraint(fields=["dedupe_key"], name="message_dedupe_key_unique"),
            models.CheckConstraint(
                condition=Q(channel__in=["sms", "email"]), name="message_channel_known"
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "pending",
                        "sending",
                        "sent",
                        "delivered",
                        "temporary_failure",
                        "permanent_failure",
                        "outbox",
                        "cancelled",
                    ]
                ),
                name="message_status_known",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["sent", "delivered"]) | Q(sent_at__isnull=False),
                name="message_sent_has_sent_at",
            ),
        ]
        indexes = [
            # The sender's claim: pending messages whose next attempt has come.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="message_pending_due_idx",
            ),
            # Delivery receipts find their message by Notify's id.
            models.Index(
                fields=["notify_id"], condition=~Q(notify_id=""), name="message_notify_id_idx"
            ),
            # The sender's rate limit: messages sent in the last minute, by every worker.
            models.Index(
                fields=["sent_at"], condition=Q(sent_at__isnull=False), name="message_sent_at_idx"
            ),
            # A person's messages (their reminders page, subject access).
            models.Index(fields=["person", "created_at"], name="message_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.kind} ({self.get_status_display()})"


class ContactConsent(models.Model):
    """A person's agreement to reminders, by text message or email. History is kept: a new
    consent or a withdrawal closes the current row (`withdrawn_at`); at most one is current."""

    person = models.ForeignKey(
        "hub.Person", on_delete=models.PROTECT, related_name="contact_consents"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    phone = models.CharField(max_length=20, blank=True, help_text="UK mobile number")
    email = models.EmailField(max_length=254, blank=True)
    two_hours_before = models.BooleanField(
        default=False, help_text="Also a reminder two hours before each appointment"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # Null with withdrawn_at set: withdrawn by anonymisation, or replaced by a newer consent.
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(withdrawn_at__isnull=True),
                name="consent_one_current_per_person",
            ),
            models.CheckConstraint(
                condition=Q(channel__in=["sms", "email"]), name="consent_channel_known"
            ),
            # A current consent has the number or address of its channel, and only that
            # (an anonymised person's withdrawn rows have neither).
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=False)
                | Q(channel="sms", email="") & ~Q(phone="")
                | Q(channel="email", phone="") & ~Q(email=""),
                name="consent_current_has_contact",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} consent for person {self.person_id}"

    @property
    def is_current(self) -> bool:
        return self.withdrawn_at is None

    @property
    def recipient(self) -> str:
        return self.phone if self.channel == Channel.SMS else self.email


class ScheduledJobRun(models.Model):
    """A daily scheduled job's run for one UK day (notifications.schedule): the unique row is
    the claim, so of several schedulers running at once exactly one runs the job that day."""

    job = models.CharField(max_length=100)
    day = models.DateField()
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True)

    class Meta:
        ordering = ["-day", "job"]
        constraints = [
            models.UniqueConstraint(fields=["job", "day"], name="scheduled_job_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.job} on {self.day}"


# Notifications to staff (notifications.staff_models).
from notifications.staff_models import NotificationPreference, StaffNotification  # noqa: E402, F401
