"""Subject access (UK GDPR art. 15, DPA 2018 s.45): everything the hub holds about one person,
as one document (issue 17, last paragraph).

The person is taken with every record merged with them (records.merge): a duplicate is the
same person. Included: the person records and each earlier version of them, offences, cases with their conditions, needs,
breaches and history, referrals with attendance, progress reports and session notes, national
records of proven offences, consent to reminders and every message sent to them (issue 18),
and the access-log entries about them. Withheld, and said so in
the document: the victim's views (another person's data, DPA 2018 Sch. 2 para. 16) and what
staff wrote about why a session was corrected stays with the notes it explains.

Reads in a fixed number of queries (prefetches), whatever the person's history.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Prefetch

from cautions.models import Case
from hub.models import AccessLog, Offence, Person, ReoffenceRecord
from notifications.models import ContactConsent, Message
from referrals.models import Appointment, Referral, SupportSession

WITHHELD = [
    "The victim's views and requested action: they are the victim's personal data "
    "(Data Protection Act 2018, Schedule 2, paragraph 16).",
]
PERSON_FIELDS = (
    "id", "first_name", "last_name", "date_of_birth", "sex", "ethnicity", "pnc_id", "district",
    "address", "phone", "email", "created_at", "anonymised_at", "merged_into",
)  # fmt: skip


def _value(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "pk"):
        return str(value)
    return value


def _row(obj, fields) -> dict:
    return {name: _value(getattr(obj, name)) for name in fields}


def _user(user) -> str:
    return user.get_full_name() or user.get_username() if user else ""


def subject_access_report(person: Person) -> dict:
    """Everything held about `person` and the records merged with them, as plain data (the
    JSON file as it is, and what the printable page shows)."""
    ids = Person.objects.merge_family_ids(person.pk)
    people = Person.objects.filter(pk__in=ids).select_related("district").order_by("pk")
    return {
        "subject": {"person_id": person.pk, "name": person.full_name},
        "people": [_row(p, PERSON_FIELDS) for p in people],
        "record_history": _record_history(ids),
        "offences": _offences(ids),
        "cases": _cases(ids),
        "national_records": [
            _row(r, ("person_ref", "offence_date", "proven_date", "offence_category", "disposal"))
            for r in ReoffenceRecord.objects.filter(person_id__in=ids).order_by(
                "offence_date", "pk"
            )
        ],
        "reminder_consent": [
            {
                "channel": c.get_channel_display(),
                "to": c.recipient,
                "two_hours_before": c.two_hours_before,
                "recorded_at": _value(c.recorded_at),
                "recorded_by": _user(c.recorded_by),
                "withdrawn_at": _value(c.withdrawn_at),
                "withdrawn_by": _user(c.withdrawn_by),
            }
            for c in ContactConsent.objects.filter(person_id__in=ids)
            .select_related("recorded_by", "withdrawn_by")
            .order_by("recorded_at", "pk")
        ],
        # Every message sent (or kept unsent) to the person: what, to which number, when.
        "messages": [
            {
                **_row(m, ("created_at", "channel", "recipient", "subject", "body", "sent_at")),
                "status": m.get_status_display(),
            }
            for m in Message.objects.filter(person_id__in=ids, user__isnull=True).order_by(
                "created_at", "pk"
            )
        ],
        "access_log": [
            {
                "at": _value(entry.at),
                "user": entry.username,
                "action": entry.get_action_display(),
                "what": f"{entry.object_type} {entry.object_id}".strip(),
                "description": entry.description,
                "recipient": entry.recipient,
            }
            for entry in AccessLog.objects.filter(person_id__in=ids).order_by("at", "pk")
        ],
        "withheld": WITHHELD,
    }


HISTORY_TYPES = {"+": "Added", "~": "Changed", "-": "Deleted"}


def _record_history(ids) -> list[dict]:
    """Each version of the person records (who changed their details, when and why)."""
    versions = Person.history.filter(id__in=ids).select_related("history_user")
    return [
        {
            "person": v.id,
            "at": _value(v.history_date),
            "what": HISTORY_TYPES.get(v.history_type, v.history_type),
            "by": _user(v.history_user),
            "reason": v.history_change_reason or "",
            "name": f"{v.first_name} {v.last_name}",
            "date_of_birth": _value(v.date_of_birth),
            "pnc_id": v.pnc_id,
            "address": v.address,
        }
        for v in versions.order_by("history_date", "history_id")
    ]


def _offences(ids) -> list[dict]:
    offences = Offence.objects.filter(person_id__in=ids).select_related("category", "district")
    return [
        _row(
            o,
            (
                "id",
                "offence_date",
                "category",
                "description",
                "district",
                "gravity_score",
                "mode_of_trial",
            ),
        )
        for o in offences.order_by("offence_date", "pk")
    ]


def _cases(ids) -> list[dict]:
    sessions = SupportSession.objects.order_by("occurred_at", "pk")
    referrals = Referral.objects.select_related("provider").prefetch_related(
        Prefetch("sessions", queryset=sessions),
        "progress_reports",
        "events",
        Prefetch("appointments", queryset=Appointment.objects.order_by("starts_at", "pk")),
    )
    cases = (
        Case.objects.filter(person_id__in=ids)
        .select_related("offence__category")
        .prefetch_related(
            "conditions__condition_type",
            "needs__pathway",
            "breaches",
            "events__actor",
            Prefetch("referrals", queryset=referrals),
        )
        .order_by("created_at", "pk")
    )
    return [_case(case) for case in cases]


def _case(case: Case) -> dict:
    return {
        **_row(
            case,
            (
                "reference",
                "status",
                "caution_date",
                "compliance_deadline",
                "outcome_date",
                "court_outcome",
            ),
        ),
        "offence": str(case.offence.category),
        "conditions": [
            _row(
                c,
                (
                    "condition_type",
                    "description",
                    "due_date",
                    "amount",
                    "hours",
                    "status",
                    "complied_on",
                ),
            )
            for c in case.conditions.all()
        ],
        "needs": [_row(n, ("pathway", "severity", "notes")) for n in case.needs.all()],
        "breaches": [
            _row(
                b,
                (
                    "recorded_at",
                    "failure_details",
                    "excuse_given",
                    "decision",
                    "decided_at",
                    "decision_reason",
                ),
            )
            for b in case.breaches.all()
        ],
        "history": [
            {
                "at": _value(e.at),
                "by": _user(e.actor),
                "what": e.kind,
                "from": e.from_status,
                "to": e.to_status,
                "reason": e.reason,
            }
            for e in case.events.all()
        ],
        "referrals": [_referral(r) for r in case.referrals.all()],
    }


def _referral(referral: Referral) -> dict:
    return {
        **_row(
            referral, ("provider", "status", "due_date", "accepted_at", "closed_at", "closing_note")
        ),
        "sessions": [
            _row(s, ("occurred_at", "kind", "attendance", "notes", "next_steps"))
            for s in referral.sessions.all()
        ],
        "progress_reports": [
            _row(r, ("reported_at", "kind", "details")) for r in referral.progress_reports.all()
        ],
        # Appointments (issue 18): what was booked with the person, and what happened.
        "appointments": [
            _row(
                a,
                (
                    "starts_at",
                    "duration_minutes",
                    "mode",
                    "place",
                    "status",
                    "absence_reason",
                    "absence_reason_accepted",
                    "cancel_reason",
                ),
            )
            for a in referral.appointments.all()
        ],
    }
