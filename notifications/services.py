"""Recording and withdrawing a person's consent to reminders, and scrubbing what this app holds
about a person when they are anonymised (issue 18).

Each write locks the person row, so two members of staff recording at once end with one
current consent; the consent rows are their own history (recorded_by/at, withdrawn_by/at).
"""

from __future__ import annotations

import re

from django.db import transaction
from django.utils import timezone

from hub import errors
from hub.models import Person
from notifications.models import Channel, ContactConsent, Message

# UK mobile numbers: 07 and nine digits, written with +44 or 0044 or spaces if you like.
_MOBILE = re.compile(r"^(?:\+44|0044|0)(7\d{9})$")


class ConsentError(errors.DomainError):
    pass


class NoConsent(ConsentError, errors.InvalidTransition):
    pass


def normalise_uk_mobile(value: str) -> str:
    """'+44 7700 900123' -> '07700900123'; raises RuleViolation for anything else."""
    digits = re.sub(r"[\s\-()]", "", value or "")
    match = _MOBILE.match(digits)
    if not match:
        raise errors.RuleViolation(
            "Enter a UK mobile number, like 07700 900 982 or +44 7700 900 982", field="phone"
        )
    return "0" + match.group(1)


def _lock(person: Person) -> Person:
    return Person.objects.select_for_update().get(pk=person.pk)


def _current(person: Person) -> ContactConsent | None:
    return ContactConsent.objects.filter(person=person, withdrawn_at__isnull=True).first()


@transaction.atomic
def consent_record(
    *, person: Person, user, channel: str, phone: str = "", email: str = "", two_hours_before=False
) -> ContactConsent:
    """Record the person's consent to reminders by `channel`, replacing the current one (which
    is closed, not changed, so the history shows both). Locks the person row."""
    if channel == Channel.SMS:
        phone, email = normalise_uk_mobile(phone), ""
    elif channel == Channel.EMAIL:
        phone, email = "", (email or "").strip()
        if not email:
            raise errors.RuleViolation("Enter an email address", field="email")
    else:
        raise errors.RuleViolation("Choose text message or email", field="channel")
    person = _lock(person)
    if person.anonymised_at is not None:
        raise ConsentError("This person's record has been anonymised.")
    now = timezone.now()
    current = _current(person)
    if current is not None:
        current.withdrawn_at = now
        current.save(update_fields=["withdrawn_at"])
    return ContactConsent.objects.create(
        person=person,
        channel=channel,
        phone=phone,
        email=email,
        two_hours_before=bool(two_hours_before),
        recorded_by=user,
    )


@transaction.atomic
def consent_withdraw(*, person: Person, user) -> ContactConsent:
    """The person opts out: no reminder from now on, waiting ones included (the sender checks
    consent before each message). Locks the person row; refused when there is no consent."""
    person = _lock(person)
    current = _current(person)
    if current is None:
        raise NoConsent("There is no consent to withdraw: no reminders are being sent.")
    current.withdrawn_at = timezone.now()
    current.withdrawn_by = user
    current.save(update_fields=["withdrawn_at", "withdrawn_by"])
    Message.objects.filter(person=person, status=Message.Status.PENDING).update(
        status=Message.Status.CANCELLED,
        error="The person withdrew consent.",
        updated_at=timezone.now(),
    )
    return current


def on_person_anonymising(*, person: Person, user, **_kwargs) -> None:
    """hub.signals.person_anonymising: wipe the person's numbers and addresses from consent and
    from every message kept for them, and the messages' text (which names their appointments).
    The rows stay (status, dates, kind), so counts still add up."""
    now = timezone.now()
    ContactConsent.objects.filter(person=person, withdrawn_at__isnull=True).update(withdrawn_at=now)
    ContactConsent.objects.filter(person=person).update(phone="", email="")
    Message.objects.filter(person=person, status=Message.Status.PENDING).update(
        status=Message.Status.CANCELLED, updated_at=now
    )
    Message.objects.filter(person=person).update(
        recipient="", body="", subject="", error="", updated_at=now
    )
