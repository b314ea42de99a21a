"""Reminders to people (issue 18): which are due now, their text, and whether a queued one is
still wanted when its turn to be sent comes.

The text never mentions police, an offence or a caution: a family member may read the phone.
It is built when the reminder is queued, so the outbox shows exactly what is sent.

Dedupe keys carry what the reminder is about *and when*: `appointment:<id>:<rule>:<starts_at>`
and `condition:<id>:<due_date>`. A rescheduled appointment or condition therefore gets a new
reminder, and the old one, if still waiting, is cancelled by `reason_not_to_send`.
"""

from __future__ import annotations

import datetime as dt

from cautions.models import CaseStatus, Condition
from notifications import due
from notifications.consent import current_consents
from notifications.models import Message
from referrals.models import Appointment, AppointmentMode, AppointmentStatus

DAY_BEFORE = "appointment_day_before"
TWO_HOURS_BEFORE = "appointment_two_hours_before"
CONDITION_DUE = "condition_due"
# Far enough ahead for any day-before reminder (08:00 the day before is at most 40 hours ahead).
APPOINTMENT_WINDOW = dt.timedelta(days=2)


def _day_words(day: dt.date, today: dt.date) -> str:
    date = f"{day.day} {day:%B}"
    if day == today:
        return f"today, {date}"
    if day == today + dt.timedelta(days=1):
        return f"tomorrow, {date}"
    return f"on {day:%A}, {date}"


def _one_line(text: str) -> str:
    return ", ".join(line.strip(" ,") for line in text.splitlines() if line.strip(" ,"))


def appointment_text(appointment: Appointment, *, now: dt.datetime) -> str:
    """'Reminder: your appointment with Outside Links is tomorrow, 4 December, at 10:00, at
    12 High Street, Peterborough. If you cannot make it, please contact Outside Links.'"""
    provider = appointment.referral.provider.name
    starts = appointment.starts_at.astimezone(due.UK)
    when = f"{_day_words(starts.date(), now.astimezone(due.UK).date())}, at {starts:%H:%M}"
    place = _one_line(appointment.place)
    if appointment.mode == AppointmentMode.IN_PERSON:
        where = f"at {place}"
    elif appointment.mode == AppointmentMode.PHONE:
        where = "by phone"
    else:
        where = f"by video call: {place}" if place else "by video call"
    return (
        f"Reminder: your appointment with {provider} is {when}, {where}. "
        f"If you cannot make it, please contact {provider}."
    )


def condition_text(condition: Condition) -> str:
    day = condition.due_date
    text = f"Reminder: something you agreed to do is due by {day:%A} {day.day} {day:%B}."
    if condition.provider_id:
        text += f" If you need help, please contact {condition.provider.name}."
    return text


def _appointment_key(appointment: Appointment, rule: str) -> str:
    return f"appointment:{appointment.pk}:{rule}:{appointment.starts_at.isoformat()}"


def queue_due_reminders(*, now: dt.datetime) -> int:
    """Queue every reminder due at `now` for people with current consent; returns how many
    were new. Idempotent and safe in two schedulers at once: a reminder already queued (its
    dedupe key) is not queued again (INSERT ... ON CONFLICT DO NOTHING on the unique key).
    Nothing is queued in quiet hours: the first run after 08:00 queues what waited."""
    if due.is_quiet(now):
        return 0
    wanted = _appointment_reminders(now) + _condition_reminders(now)
    keys = [message.dedupe_key for message in wanted]
    existing = set()
    for start in range(0, len(keys), 5000):
        existing.update(
            Message.objects.filter(dedupe_key__in=keys[start : start + 5000]).values_list(
                "dedupe_key", flat=True
            )
        )
    new = [message for message in wanted if message.dedupe_key not in existing]
    Message.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    return len(new)


def _message(consent, *, kind: str, key: str, body: str, now: dt.datetime) -> Message:
    """The same row queue_message would write (notifications.outbox), built for a bulk insert."""
    return Message(
        channel=consent.channel,
        recipient=consent.recipient,
        subject="Reminder" if consent.channel == "email" else "",
        body=body,
        kind=kind,
        dedupe_key=key,
        person_id=consent.person_id,
        next_attempt_at=now,
    )


def _appointment_reminders(now: dt.datetime) -> list[Message]:
    appointments = list(
        Appointment.objects.filter(
            status=AppointmentStatus.BOOKED,
            starts_at__gt=now,
            starts_at__lte=now + APPOINTMENT_WINDOW,
        ).select_related("referral__provider", "referral__case")
    )
    consents = current_consents({a.referral.case.person_id for a in appointments})
    wanted = []
    for appointment in appointments:
        consent = consents.get(appointment.referral.case.person_id)
        if consent is None:
            continue
        body = appointment_text(appointment, now=now)
        for rule in _due_appointment_rules(appointment, consent, now):
            key = _appointment_key(appointment, rule)
            wanted.append(_message(consent, kind=rule, key=key, body=body, now=now))
    return wanted


def _due_appointment_rules(appointment, consent, now) -> list[str]:
    # updated_at is when the current time was set: at booking, or at the last reschedule.
    times = {"starts_at": appointment.starts_at, "booked_at": appointment.updated_at}
    rules = []
    day_before = due.day_before_due(**times)
    if day_before is not None and day_before <= now:
        rules.append(DAY_BEFORE)
    two_hours = due.two_hours_before_due(**times) if consent.two_hours_before else None
    if two_hours is not None and two_hours <= now:
        rules.append(TWO_HOURS_BEFORE)
    return rules


def _condition_reminders(now: dt.datetime) -> list[Message]:
    today = now.astimezone(due.UK).date()
    window_end = today + dt.timedelta(days=due.CONDITION_DAYS_BEFORE)
    conditions = list(
        Condition.objects.filter(
            status=Condition.Status.PENDING,
            case__status=CaseStatus.ACTIVE,
            due_date__gt=today,
            due_date__lte=window_end,
        ).select_related("provider", "case")
    )
    consents = current_consents({c.case.person_id for c in conditions})
    wanted = []
    for condition in conditions:
        consent = consents.get(condition.case.person_id)
        if consent is None or due.condition_due(due_date=condition.due_date) > now:
            continue
        key = f"condition:{condition.pk}:{condition.due_date.isoformat()}"
        body = condition_text(condition)
        wanted.append(_message(consent, kind=CONDITION_DUE, key=key, body=body, now=now))
    return wanted


def reasons_not_to_send(messages: list[Message], *, now: dt.datetime) -> dict[int, str]:
    """Why each queued message to a person should no longer go (absent when it should):
    consent withdrawn or changed, the appointment moved, cancelled or started, the condition
    done. Three queries for any number of messages (the sender checks a batch at once)."""
    to_people = [m for m in messages if m.user_id is None and m.person_id is not None]
    consents = current_consents({m.person_id for m in to_people})
    appointments = Appointment.objects.in_bulk(
        {_target(m) for m in to_people if m.kind in (DAY_BEFORE, TWO_HOURS_BEFORE)}
    )
    conditions = Condition.objects.in_bulk(
        {_target(m) for m in to_people if m.kind == CONDITION_DUE}
    )
    reasons = {}
    for message in to_people:
        consent = consents.get(message.person_id)
        if consent is None or consent.recipient != message.recipient:
            reason = "The person withdrew consent or changed their number or address."
        elif message.kind in (DAY_BEFORE, TWO_HOURS_BEFORE):
            reason = _appointment_reason(message, appointments.get(_target(message)), now)
        elif message.kind == CONDITION_DUE:
            reason = _condition_reason(message, conditions.get(_target(message)), now)
        else:
            reason = ""
        if reason:
            reasons[message.pk] = reason
    return reasons


def _target(message: Message) -> int:
    """The appointment or condition id in the message's dedupe key (see the module doc)."""
    return int(message.dedupe_key.split(":", 2)[1])


def _appointment_reason(message: Message, appointment, now: dt.datetime) -> str:
    starts_at = message.dedupe_key.split(":", 3)[3]
    if appointment is None or appointment.status != AppointmentStatus.BOOKED:
        return "The appointment was cancelled or has taken place."
    if appointment.starts_at.isoformat() != starts_at:
        return "The appointment was moved: a new reminder gives the new time."
    if not due.appointment_reminder_is_current(now=now, starts_at=appointment.starts_at):
        return "The appointment has started."
    return ""


def _condition_reason(message: Message, condition, now: dt.datetime) -> str:
    due_date = message.dedupe_key.split(":", 2)[2]
    if condition is None or condition.status != Condition.Status.PENDING:
        return "The condition is no longer pending."
    if condition.due_date.isoformat() != due_date:
        return "The due date changed: a new reminder gives the new date."
    if not due.condition_reminder_is_current(now=now, due_date=condition.due_date):
        return "The due date has come."
    return ""
