"""How a caution ends badly or early: a breach recorded and decided (vary, no further
action, or prosecution resumed), the court's outcome of a resumed prosecution, and withdrawal."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from cautions import rules as caution_rules
from cautions.models import (
    Breach,
    Case,
    Condition,
    CourtOutcome,
    CrimeOutcome,
    ProsecutionStatus,
    WithdrawalKind,
)
from cautions.services.base import (
    InvalidTransition,
    RuleViolation,
    S,
    _case_changed,
    _close,
    _end_pending_conditions,
    _lock_case,
    _lock_condition,
    _refuse,
    _require_perm,
    _save,
    _today,
)
from cautions.services.variation import apply_condition_variation
from cautions.signals import breach_recorded

# ---------------------------------------------------------------------------- breach


@transaction.atomic
def breach_record(
    *,
    case: Case,
    actor,
    condition: Condition,
    failure_details: str,
    excuse_given: str = "",
    expected_version=None,
) -> Breach:
    """active -> breach: a failure to comply opens a reasonable-excuse assessment and waits
    for an authorising officer's decision. The condition is marked not complied."""
    case = _lock_case(case, expected_version, (S.ACTIVE,), "record a breach")
    condition = (
        Condition.objects.select_for_update(of=("self",))
        .select_related("condition_type")
        .get(pk=condition.pk)
    )
    if condition.case_id != case.pk:
        raise RuleViolation("That condition belongs to another case.", field="condition")
    if condition.status not in (Condition.Status.PENDING, Condition.Status.NOT_COMPLIED):
        raise InvalidTransition(
            f"This condition is {condition.get_status_display().lower()}: it cannot be breached."
        )
    if not failure_details.strip():
        raise RuleViolation("Describe how the person failed to comply", field="failure_details")
    if condition.status == Condition.Status.PENDING:
        condition.status = Condition.Status.NOT_COMPLIED
        condition.marked_by = actor
        condition.marked_at = timezone.now()
        condition.evidence = failure_details.strip()
        condition.version += 1
        condition._history_user = actor
        condition.save(update_fields=["status", "marked_by", "marked_at", "evidence", "version"])
    breach = Breach(
        case=case,
        condition=condition,
        recorded_by=actor,
        failure_details=failure_details.strip(),
        excuse_given=excuse_given.strip(),
    )
    breach._history_user = actor
    breach.save()
    case.status = S.BREACH
    _save(
        case,
        actor,
        "breach_recorded",
        ["status"],
        from_status=S.ACTIVE,
        reason=failure_details.strip(),
        data={"breach": breach.pk, "condition": condition.pk, "excuse_given": excuse_given.strip()},
    )
    breach_recorded.send(sender=Case, case=case, breach=breach, actor=actor)
    return breach


@transaction.atomic
def condition_mark_not_complied(
    *, condition: Condition, actor, details: str, excuse_given: str = "", expected_version=None
) -> Breach:
    """pending -> not complied, which is a breach: the case goes to breach for a decision."""
    case, condition = _lock_condition(
        condition, expected_version, (S.ACTIVE,), "mark a condition not complied"
    )
    if condition.status != Condition.Status.PENDING:
        raise InvalidTransition(
            f"You cannot mark this condition not complied: it is {condition.get_status_display().lower()}."
        )
    return breach_record(
        case=case,
        actor=actor,
        condition=condition,
        failure_details=details,
        excuse_given=excuse_given,
    )


@dataclass(frozen=True)
class _Decision:
    """What the authorising officer entered with a breach decision."""

    decision: str
    reasonable_excuse: bool
    reason: str
    charge_date: dt.date | None
    new_due_date: dt.date | None
    new_description: str
    consent_given: bool
    today: dt.date


def _check_decision(breach: Breach, d: _Decision) -> None:
    if breach.decision:
        raise InvalidTransition("This breach has already been decided.")
    if d.decision not in Breach.Decision.values:
        raise RuleViolation("Choose a decision", field="decision")
    if not d.reason.strip():
        raise RuleViolation("Enter the reason for the decision", field="reason")
    if d.reasonable_excuse is None:
        raise RuleViolation(
            "Say whether the person had a reasonable excuse", field="reasonable_excuse"
        )


def _decide_vary(case: Case, breach: Breach, actor, d: _Decision, data: dict) -> list[str]:
    """breach -> active: the breached condition is varied (new due date, with consent)."""
    condition = breach.condition
    if condition is None:
        raise RuleViolation("This breach has no condition to vary.")
    if d.new_due_date is None:
        raise RuleViolation("Enter the new due date", field="new_due_date")
    if not d.consent_given:
        raise RuleViolation(
            "The person must consent to the varied condition", field="consent_given"
        )
    condition = (
        Condition.objects.select_for_update(of=("self",))
        .select_related("condition_type")
        .get(pk=condition.pk)
    )
    data |= apply_condition_variation(
        case,
        condition,
        actor,
        due_date=d.new_due_date,
        description=d.new_description.strip() or condition.description,
        provider=condition.provider,
        amount=condition.amount,
        hours=condition.hours,
        amount_reason=condition.amount_reason,
        reason=d.reason,
        agreed_on=d.today,
    )
    case.status = S.ACTIVE
    return ["status"]


def _decide_no_further_action(
    case: Case, breach: Breach, actor, d: _Decision, data: dict
) -> list[str]:
    """breach -> failed_nfa: pending conditions end; the prosecution is not pursued."""
    data["ended_conditions"] = _end_pending_conditions(case, actor)
    case.prosecution_status = ProsecutionStatus.NOT_PURSUED
    case.closure_reason = d.reason.strip()
    return [
        *_close(case, S.FAILED_NO_FURTHER_ACTION, d.today),
        "prosecution_status",
        "closure_reason",
    ]


def _decide_resume(case: Case, breach: Breach, actor, d: _Decision, data: dict) -> list[str]:
    """breach -> prosecution_resumed: only without a reasonable excuse (s.24), charged in time."""
    if d.reasonable_excuse:
        raise RuleViolation(
            "The prosecution can only resume when there was no reasonable excuse (CJA 2003 s.24).",
            field="reasonable_excuse",
        )
    _refuse(
        caution_rules.charge_date_refusal(
            d.charge_date,
            today=d.today,
            caution_date=case.caution_date,
            mode_of_trial=case.offence.mode_of_trial,
            offence_date=case.offence.offence_date,
        )
    )
    data["ended_conditions"] = _end_pending_conditions(case, actor)
    case.prosecution_status = ProsecutionStatus.RESUMED
    case.charge_date = d.charge_date
    case.closure_reason = d.reason.strip()
    # Home Office Counting Rules: a resumed prosecution moves the crime to the charge outcome.
    case.crime_outcome = CrimeOutcome.CHARGED
    data["charge_date"] = d.charge_date.isoformat()
    data["crime_outcome"] = {"from": CrimeOutcome.CAUTION.value, "to": CrimeOutcome.CHARGED.value}
    # The caution ceases to have effect when proceedings start: the outcome date.
    return [
        *_close(case, S.PROSECUTION_RESUMED, d.charge_date),
        "prosecution_status",
        "charge_date",
        "closure_reason",
        "crime_outcome",
    ]


_DECIDE = {
    Breach.Decision.VARY_CONDITIONS: _decide_vary,
    Breach.Decision.NO_FURTHER_ACTION: _decide_no_further_action,
    Breach.Decision.RESUME_PROSECUTION: _decide_resume,
}


@transaction.atomic
def breach_decide(
    *,
    breach: Breach,
    actor,
    decision: str,
    reasonable_excuse: bool,
    excuse_assessment: str,
    reason: str,
    charge_date: dt.date | None = None,
    new_due_date: dt.date | None = None,
    new_description: str = "",
    consent_given: bool = False,
    expected_version=None,
) -> Breach:
    """breach -> active (vary the breached condition), -> failed_nfa (no further action), or
    -> prosecution_resumed (charge date recorded; the caution ceases to have effect). Only an
    authorising officer decides; prosecution only without a reasonable excuse (s.24). Sends
    case_changed: referrals follow the conditions, or close with the case."""
    _require_perm(actor, "cautions.decide_breach", "decide a breach")
    case = _lock_case(breach.case, expected_version, (S.BREACH,), "decide a breach")
    breach = (
        Breach.objects.select_for_update(of=("self",))
        .select_related("condition__condition_type")
        .get(pk=breach.pk)
    )
    entered = _Decision(
        decision=decision,
        reasonable_excuse=reasonable_excuse,
        reason=reason,
        charge_date=charge_date,
        new_due_date=new_due_date,
        new_description=new_description,
        consent_given=consent_given,
        today=_today(),
    )
    _check_decision(breach, entered)
    data = {"breach": breach.pk, "decision": decision, "reasonable_excuse": reasonable_excuse}
    from_status = case.status
    fields = _DECIDE[decision](case, breach, actor, entered, data)
    breach.reasonable_excuse = reasonable_excuse
    breach.excuse_assessment = excuse_assessment.strip()
    breach.decision = decision
    breach.decided_by = actor
    breach.decided_at = timezone.now()
    breach.decision_reason = reason.strip()
    breach._history_user = actor
    breach.save(
        update_fields=[
            "reasonable_excuse",
            "excuse_assessment",
            "decision",
            "decided_by",
            "decided_at",
            "decision_reason",
        ]
    )
    _save(
        case,
        actor,
        "breach_decided",
        fields,
        from_status=from_status,
        reason=reason.strip(),
        data=data,
    )
    _case_changed(case, actor)
    return breach


# ---------------------------------------------------------------------------- prosecution


@transaction.atomic
def prosecution_record_court_outcome(
    *,
    case: Case,
    actor,
    kind: str,
    details: str = "",
    court_outcome_date: dt.date,
    expected_version=None,
) -> Case:
    """Record the court's outcome of a resumed prosecution (status unchanged): convicted with
    the sentence, acquitted, discontinued, or other with the outcome in words."""
    case = _lock_case(case, expected_version, (S.PROSECUTION_RESUMED,), "record a court outcome")
    if kind not in CourtOutcome.values:
        raise RuleViolation("Choose the court outcome", field="kind")
    details = details.strip()
    if kind == CourtOutcome.CONVICTED and not details:
        raise RuleViolation("Enter the sentence", field="details")
    if kind == CourtOutcome.OTHER and not details:
        raise RuleViolation("Enter the court outcome", field="details")
    if court_outcome_date > _today() or court_outcome_date < case.charge_date:
        raise RuleViolation(
            "The court date must be between the charge date and today", field="court_outcome_date"
        )
    case.court_outcome_kind = kind
    case.court_outcome = details
    case.court_outcome_date = court_outcome_date
    label = CourtOutcome(kind).label
    _save(
        case,
        actor,
        "court_outcome_recorded",
        ["court_outcome_kind", "court_outcome", "court_outcome_date"],
        reason=f"{label}: {details}" if details else label,
        data={"kind": kind, "court_outcome_date": court_outcome_date.isoformat()},
    )
    return case


# ---------------------------------------------------------------------------- withdrawal


@transaction.atomic
def case_withdraw(*, case: Case, actor, kind: str, reason: str, expected_version=None) -> Case:
    """Any open state -> withdrawn (error, death or other), with a reason. Pending conditions
    end; a deferred prosecution is not pursued."""
    open_states = [s for s in S.values if s not in Case.CLOSED]
    case = _lock_case(case, expected_version, open_states, "withdraw this case")
    if kind not in WithdrawalKind.values:
        raise RuleViolation("Choose why the case is withdrawn", field="kind")
    if not reason.strip():
        raise RuleViolation("Enter the reason for withdrawing the case", field="reason")
    from_status = case.status
    ended = _end_pending_conditions(case, actor)
    case.withdrawal_kind = kind
    case.closure_reason = reason.strip()
    fields = [*_close(case, S.WITHDRAWN, _today()), "withdrawal_kind", "closure_reason"]
    if case.prosecution_status == ProsecutionStatus.DEFERRED:
        case.prosecution_status = ProsecutionStatus.NOT_PURSUED
        fields.append("prosecution_status")
    _save(
        case,
        actor,
        "withdrawn",
        fields,
        from_status=from_status,
        reason=reason.strip(),
        data={"kind": kind, "ended_conditions": ended},
    )
    _case_changed(case, actor)
    return case
