"""What every case transition shares: the errors, the locks, the event row, closing a case,
and the signal to the apps above.

Locks are always taken case first, then condition, so two transitions cannot deadlock.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cautions import rules as caution_rules
from cautions.models import Case, CaseEvent, Condition
from cautions.signals import case_changed
from hub import errors
from hub.models import AUTHORISING_RANKS

S = Case.Status

STATUS_PHRASES = {
    S.ASSESSMENT: "still being assessed",
    S.NOT_ELIGIBLE: "closed as not eligible",
    S.AWAITING_AUTHORISATION: "waiting for an authorising officer",
    S.DECLINED: "closed because authorisation was declined",
    S.AUTHORISED: "authorised and waiting for the caution to be given",
    S.ACTIVE: "a caution in progress",
    S.BREACH: "waiting for a breach decision",
    S.COMPLIED: "closed: the conditions were complied with",
    S.FAILED_NO_FURTHER_ACTION: "closed: failed, with no further action",
    S.PROSECUTION_RESUMED: "closed: the prosecution has resumed",
    S.FAILED: "closed: failed to comply",
    S.WITHDRAWN: "withdrawn",
}

STALE_MESSAGE = (
    "This case changed since you opened it (someone else has updated it). "
    "Your answers are still below: check the case page, then submit again."
)

# Conditions change (complied, breached, varied, overdue) only while the caution runs.
CONDITION_CHANGE_STATES = (S.ACTIVE, S.BREACH)


# ---------------------------------------------------------------------------- errors


class CautionError(errors.DomainError):
    """A domain rule refused the action. `field` names the form field it concerns, if any."""


class InvalidTransition(CautionError, errors.InvalidTransition):
    pass


class StaleVersion(CautionError, errors.StaleVersion):
    def __init__(self, current_version: int):
        super().__init__(STALE_MESSAGE, current_version=current_version)


class NotAllowed(CautionError, errors.NotAllowed):
    pass


class RuleViolation(CautionError, errors.RuleViolation):
    pass


def _refuse(*refusals: caution_rules.Refusal | None) -> None:
    """Raise the first refusal of the rules (checked in the order given) as a RuleViolation."""
    refusal = caution_rules.first_refusal(*refusals)
    if refusal is not None:
        raise RuleViolation(refusal.reason, field=refusal.field)


def status_phrase(status: str) -> str:
    return STATUS_PHRASES.get(status, status)


# ---------------------------------------------------------------------------- locks


def _lock_case(case: Case, expected_version: int | None, allowed, action: str) -> Case:
    locked = (
        Case.objects.select_for_update(of=("self",))
        .select_related("person", "offence")
        .get(pk=case.pk)
    )
    if expected_version is not None and int(expected_version) != locked.version:
        raise StaleVersion(locked.version)
    if locked.status not in allowed:
        raise InvalidTransition(
            f"You cannot {action}: this case is {STATUS_PHRASES.get(locked.status, locked.status)}."
        )
    return locked


def _lock_condition(
    condition: Condition, expected_version: int | None, allowed_case, action: str
) -> tuple[Case, Condition]:
    case = _lock_case(condition.case, None, allowed_case, action)
    locked = (
        Condition.objects.select_for_update(of=("self",))
        .select_related("condition_type", "provider")
        .get(pk=condition.pk)
    )
    if expected_version is not None and int(expected_version) != locked.version:
        raise StaleVersion(locked.version)
    return case, locked


def _require_perm(actor, perm: str, what: str) -> None:
    if not actor.has_perm(perm):
        raise NotAllowed(f"Only an authorising officer can {what}.")


def _require_authorising_rank(actor, what: str) -> None:
    """DPP guidance: the authorised person is a sergeant or above, by the rank recorded on the
    staff profile (group membership alone is not enough)."""
    profile = getattr(actor, "profile", None)
    if profile is None or profile.rank not in AUTHORISING_RANKS:
        raise NotAllowed(f"Only a sergeant or above can {what}.")


# ---------------------------------------------------------------------------- writes


def _event(case: Case, actor, kind: str, *, from_status="", to_status="", reason="", data=None):
    return CaseEvent.objects.create(
        case=case,
        actor=actor,
        kind=kind,
        from_status=from_status,
        to_status=to_status or case.status,
        reason=reason,
        data=data or {},
    )


def _save(
    case: Case, actor, kind: str, fields: list[str], *, from_status=None, reason="", data=None
):
    """Bump the version, save the changed fields and write the event row."""
    case.version += 1
    case._history_user = actor
    case.save(update_fields=[*fields, "version", "updated_at"])
    return _event(
        case,
        actor,
        kind,
        from_status=from_status if from_status is not None else case.status,
        to_status=case.status,
        reason=reason,
        data=data,
    )


def _close(case: Case, status: str, outcome_date: dt.date) -> list[str]:
    case.status = status
    case.outcome_date = outcome_date
    case.retention_review_date = caution_rules.retention_review_date(outcome_date)
    return ["status", "outcome_date", "retention_review_date"]


def _case_changed(case: Case, actor, change: str = "") -> None:
    """Tell the apps above that the case's conditions in force, or its being open, changed
    (cautions.signals.case_changed). Called inside the transition's transaction, after its
    writes; the receivers' writes join that transaction. `change` names what changed when a
    receiver needs to know (CONDITIONS_VARIED)."""
    case_changed.send(sender=Case, case=case, actor=actor, change=change)


def _today() -> dt.date:
    return timezone.localdate()


def _end_pending_conditions(case: Case, actor) -> list[int]:
    ids = list(
        case.conditions.select_for_update(of=("self",))
        .filter(status=Condition.Status.PENDING)
        .values_list("pk", flat=True)
    )
    for condition in Condition.objects.filter(pk__in=ids):
        condition.status = Condition.Status.ENDED
        condition.version += 1
        condition._history_user = actor
        condition.save(update_fields=["status", "version"])
    return ids
