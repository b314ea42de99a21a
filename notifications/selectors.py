"""Reads for the notifications pages (issue 18)."""

from __future__ import annotations

from dataclasses import dataclass

from notifications.models import ContactConsent, Message

PAGE_MESSAGES = 50


@dataclass(frozen=True)
class ReminderSummary:
    """What the case and referral pages say about a person's reminders (two queries)."""

    consent: ContactConsent | None
    failures: list[Message]

    @property
    def has_consent(self) -> bool:
        return self.consent is not None


def reminder_summary(person_id: int) -> ReminderSummary:
    consent = ContactConsent.objects.filter(person_id=person_id, withdrawn_at__isnull=True).first()
    failures = list(
        Message.objects.filter(person_id=person_id, status=Message.Status.PERMANENT_FAILURE)
        .order_by("-updated_at", "-pk")
        .only("pk", "channel", "recipient", "kind", "error", "updated_at")[:3]
    )
    return ReminderSummary(consent=consent, failures=failures)


def consent_history(person_id: int) -> list[ContactConsent]:
    return list(
        ContactConsent.objects.filter(person_id=person_id)
        .select_related("recorded_by", "withdrawn_by")
        .order_by("-recorded_at", "-pk")
    )


def messages_for_person(person_id: int) -> list[Message]:
    return list(
        Message.objects.filter(person_id=person_id, user__isnull=True).order_by(
            "-created_at", "-pk"
        )[:PAGE_MESSAGES]
    )


def outbox_messages():
    """Messages kept in the outbox (no Notify key), newest first."""
    return Message.objects.filter(status=Message.Status.OUTBOX).order_by("-updated_at", "-pk")
