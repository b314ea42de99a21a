"""A caution's conditions: the limits on a set of them, and their transitions while the
caution runs (complied, varied, ended). The last condition in force complied completes the
caution in the same transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cautions import rules as caution_rules
from cautions.models import Case, Condition, ProsecutionStatus, VictimViews
from cautions.services.base import (
    CONDITION_CHANGE_STATES,
    InvalidTransition,
    RuleViolation,
    S,
    _case_changed,
    _close,
    _lock_condition,
    _refuse,
    _save,
    _today,
)
from cautions.signals import CONDITIONS_VARIED
from hub.models import ConditionType, Organisation

# The condition type whose amount is measured against the value of the loss (DOMAIN.md keys).
COMPENSATION = "compensation"


@dataclass
class ConditionSpec:
    condition_type: ConditionType
    description: str
    due_date: dt.date
    provider: Organisation | None = None
    amount: Decimal | None = None
    hours: Decimal | None = None
    # Why a compensation amount is more than the value of the loss (needed only then).
    amount_reason: str = ""


def _rule_input(spec: ConditionSpec) -> caution_rules.ConditionInput:
    ctype, provider = spec.condition_type, spec.provider
    return caution_rules.ConditionInput(
        type_label=ctype.label,
        object=ctype.object,
        description=spec.description,
        due_date=spec.due_date,
        provider=None if provider is None else str(provider),
        provider_usable=provider is None
        or (provider.kind == Organisation.Kind.SUPPORT_PROVIDER and provider.active),
        amount=spec.amount,
        hours=spec.hours,
        retired=ctype.retired,
        needs_provider=ctype.needs_provider,
        needs_victim_consent=ctype.needs_victim_consent,
        has_amount=ctype.has_amount,
        has_hours=ctype.has_hours,
        counts_towards_hours_cap=ctype.counts_towards_hours_cap,
        capped_by_mode_of_trial=ctype.capped_by_mode_of_trial,
        is_compensation=ctype.key == COMPENSATION,
        amount_reason=spec.amount_reason,
    )


def _in_force_input(condition: Condition) -> caution_rules.ConditionInput:
    """A condition already on the case, as far as the limits over the set look at it."""
    ctype = condition.condition_type
    return caution_rules.ConditionInput(
        type_label=ctype.label,
        object=ctype.object,
        hours=condition.hours,
        counts_towards_hours_cap=ctype.counts_towards_hours_cap,
    )


def validate_conditions(
    *,
    case: Case,
    specs: list[ConditionSpec],
    caution_date: dt.date,
    deadline: dt.date,
    victim_views: VictimViews | None,
    existing: list[Condition] = (),
) -> None:
    """The limits on a set of conditions (raises RuleViolation with the first one broken;
    the rules are cautions.rules.condition_set_refusal).

    `existing`: conditions already on the case that remain in force (for variations)."""
    offence = case.offence
    _refuse(
        caution_rules.condition_set_refusal(
            caution_rules.ConditionSetInput(
                conditions=tuple(_rule_input(spec) for spec in specs),
                existing=tuple(_in_force_input(c) for c in existing),
                caution_date=caution_date,
                deadline=deadline,
                mode_of_trial=offence.mode_of_trial,
                mode_of_trial_label=offence.get_mode_of_trial_display(),
                victim_consents_to_restorative_justice=bool(
                    victim_views and victim_views.restorative_justice_consent
                ),
                loss_value=offence.loss_value,
            )
        )
    )


def _complete_if_all_complied(case: Case, actor) -> bool:
    """active -> complied when every condition still in force is complied (same transaction)."""
    if case.status != S.ACTIVE:
        return False
    statuses = list(case.conditions.values_list("status", "complied_on"))
    in_force = [(s, d) for s, d in statuses if s != Condition.Status.ENDED]
    if not in_force or any(s != Condition.Status.COMPLIED for s, _ in in_force):
        return False
    outcome = max(d for _, d in in_force)
    fields = _close(case, S.COMPLIED, max(outcome, case.caution_date))
    case.prosecution_status = ProsecutionStatus.NOT_PURSUED
    _save(
        case,
        actor,
        "caution_completed",
        [*fields, "prosecution_status"],
        from_status=S.ACTIVE,
        reason="Every condition was complied with: no further action.",
    )
    _case_changed(case, actor)
    return True


@transaction.atomic
def condition_mark_complied(
    *, condition: Condition, actor, complied_on: dt.date, evidence: str, expected_version=None
) -> Condition:
    """pending -> complied. When it was the last condition in force the case completes
    (status complied, outcome date set) in the same transaction. Called by the referrals app
    when a provider reports compliance and the case accepts provider reports as compliance."""
    case, condition = _lock_condition(
        condition, expected_version, CONDITION_CHANGE_STATES, "mark a condition complied"
    )
    if condition.status != Condition.Status.PENDING:
        raise InvalidTransition(
            f"You cannot mark this condition complied: it is {condition.get_status_display().lower()}."
        )
    if complied_on > _today():
        raise RuleViolation("The date complied cannot be in the future", field="complied_on")
    if complied_on < case.caution_date:
        raise RuleViolation(
            "The date complied is before the caution was given", field="complied_on"
        )
    condition.status = Condition.Status.COMPLIED
    condition.complied_on = complied_on
    condition.evidence = evidence.strip()
    condition.marked_by = actor
    condition.marked_at = timezone.now()
    condition.version += 1
    condition._history_user = actor
    condition.save(
        update_fields=["status", "complied_on", "evidence", "marked_by", "marked_at", "version"]
    )
    _save(
        case,
        actor,
        "condition_complied",
        [],
        reason=evidence.strip(),
        data={
            "condition": condition.pk,
            "condition_type": condition.condition_type.label,
            "complied_on": complied_on.isoformat(),
        },
    )
    _complete_if_all_complied(case, actor)
    return condition


@transaction.atomic
def condition_end(*, condition: Condition, actor, reason: str, expected_version=None) -> Condition:
    """pending -> ended (no longer required). At least one condition must stay in force; if
    all the others are complied the caution completes."""
    case, condition = _lock_condition(condition, expected_version, (S.ACTIVE,), "end a condition")
    if condition.status != Condition.Status.PENDING:
        raise InvalidTransition(
            f"Only a pending condition can be ended: this one is {condition.get_status_display().lower()}."
        )
    if not reason.strip():
        raise RuleViolation("Enter the reason for ending the condition", field="reason")
    if not case.conditions.exclude(pk=condition.pk).exclude(status=Condition.Status.ENDED).exists():
        raise RuleViolation(
            "This is the only condition in force: vary it, or withdraw the case, instead."
        )
    condition.status = Condition.Status.ENDED
    condition.version += 1
    condition._history_user = actor
    condition.save(update_fields=["status", "version"])
    _save(
        case,
        actor,
        "condition_ended",
        [],
        reason=reason.strip(),
        data={"condition": condition.pk, "condition_type": condition.condition_type.label},
    )
    _case_changed(case, actor, CONDITIONS_VARIED)
    _complete_if_all_complied(case, actor)
    return condition
