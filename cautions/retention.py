"""Retention review (Management of Police Information; DPA 2018 Part 3).

Each closed case carries `Case.retention_review_date` (set by the cautions workflow when the
case closes: outcome date + settings.RETENTION_YEARS). When the date arrives an administrator
(permission `cautions.review_retention`) records one of two decisions, each kept as a
`RetentionDecision` row with its reason:

- **retain**: the case is kept and reviewed again on a new date;
- **dispose**: the person is **anonymised**. Disposal acts on the person, so it is allowed only
  when every one of their cases is closed and due for review (and no offence of theirs is
  without a case); it then records a dispose decision for each of those cases.

Anonymising (hub.services.person_anonymise) removes what identifies the person (names, address,
phone, email, PNC ID, exact date of birth, also from the person's history rows, and the PNC ID
copied into imported reoffence records) and keeps what the reports need: sex, ethnicity,
district, the age at caution snapshot on each case, and the links (foreign keys) from cases and
reoffence records. The reoffending figures are therefore the same before and after disposal
(tests/cautions/test_retention.py).
"""

import datetime as dt

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from cautions.models import Case, CaseEvent, RetentionDecision
from hub.errors import DomainError
from hub.models import AccessLog, Person
from hub.services import person_anonymise


class RetentionError(DomainError):
    """A decision that cannot be recorded now; the message says why, for the reviewer."""


def cases_due(*, on: dt.date | None = None) -> QuerySet:
    """Closed cases of not-yet-anonymised people whose review date is on or before `on`."""
    on = on or timezone.localdate()
    return (
        Case.objects.filter(
            status__in=Case.CLOSED,
            retention_review_date__lte=on,
            person__anonymised_at__isnull=True,
        )
        .select_related("person", "offence__category")
        .order_by("retention_review_date", "id")
    )


def disposal_blockers(person: Person, *, on: dt.date | None = None) -> list[str]:
    """Why `person` cannot be anonymised on `on` (empty when they can), in words."""
    on = on or timezone.localdate()
    blockers = []
    for case in Case.objects.filter(person=person).order_by("id"):
        if case.status not in Case.CLOSED:
            blockers.append(f"Case {case.reference} is still open ({case.get_status_display()})")
        elif case.retention_review_date is None or case.retention_review_date > on:
            when = (
                f"not until {case.retention_review_date:%d/%m/%Y}"
                if case.retention_review_date
                else "not scheduled"
            )
            blockers.append(f"Case {case.reference} is not due for review ({when})")
    if person.offences.filter(case__isnull=True).exists():
        blockers.append("An offence of this person has no case: it is not under retention review")
    return blockers


def _locked_case(case_id: int):
    case = Case.objects.select_for_update().select_related("person").get(pk=case_id)
    if case.person.anonymised_at is not None:
        raise RetentionError("This person has already been anonymised")
    if case.status not in Case.CLOSED:
        raise RetentionError(f"Case {case.reference} is open ({case.get_status_display()})")
    return case


def _record(*, case, user, decision: str, reason: str, next_review_date, kind: str):
    row = RetentionDecision.objects.create(
        case=case,
        decision=decision,
        reason=reason,
        review_date=case.retention_review_date,
        next_review_date=next_review_date,
        decided_by=user,
    )
    case.retention_review_date = next_review_date
    case._history_user = user
    case.save(update_fields=["retention_review_date", "updated_at"])
    CaseEvent.objects.create(
        case=case,
        actor=user,
        kind=kind,
        from_status=case.status,
        to_status=case.status,
        reason=reason,
        data={"review_date": row.review_date.isoformat() if row.review_date else None},
    )
    return row


@transaction.atomic
def retention_retain(
    *, user, case_id: int, reason: str, next_review_date: dt.date, on: dt.date | None = None
) -> RetentionDecision:
    """Retain a closed, due case until `next_review_date` (after `on`). Locks the case row."""
    on = on or timezone.localdate()
    reason = reason.strip()
    if not reason:
        raise RetentionError("Enter the reason for keeping the record")
    if next_review_date <= on:
        raise RetentionError("The next review date must be in the future")
    case = _locked_case(case_id)
    if case.retention_review_date is None or case.retention_review_date > on:
        raise RetentionError(f"Case {case.reference} is not due for review")
    return _record(
        case=case,
        user=user,
        decision=RetentionDecision.Decision.RETAIN,
        reason=reason,
        next_review_date=next_review_date,
        kind="retention_retained",
    )


@transaction.atomic
def retention_dispose(
    *, user, case_id: int, reason: str, on: dt.date | None = None
) -> list[RetentionDecision]:
    """Dispose of a due case by anonymising its person (see the module docstring).

    Locks the person and all their cases, refuses with every blocker listed, then records a
    dispose decision per case, anonymises the person and writes an erasure entry in the access
    log, all in one transaction.
    """
    on = on or timezone.localdate()
    reason = reason.strip()
    if not reason:
        raise RetentionError("Enter the reason for disposal")
    case = _locked_case(case_id)
    person = Person.objects.select_for_update().get(pk=case.person_id)
    cases = list(Case.objects.select_for_update().filter(person=person).order_by("id"))
    blockers = disposal_blockers(person, on=on)
    if blockers:
        raise RetentionError("This person cannot be anonymised yet: " + "; ".join(blockers))
    decisions = [
        _record(
            case=each,
            user=user,
            decision=RetentionDecision.Decision.DISPOSE,
            reason=reason,
            next_review_date=None,
            kind="retention_disposed",
        )
        for each in cases
    ]
    person_anonymise(person=person, user=user)
    AccessLog.objects.create(
        user=user,
        action=AccessLog.Action.ERASURE,
        object_type="hub.person",
        object_id=str(person.pk),
        person=person,
        description="Anonymised at retention review: "
        + ", ".join(each.reference for each in cases),
        justification=reason,
    )
    return decisions
