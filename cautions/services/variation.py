"""Correcting a caution after it is given: vary a condition (description, amount, hours, due
date, provider), add a condition, extend the compliance period.

Each variation is within the legal limits (cautions.rules, the same as when the caution was
given, over the conditions then in force), has the person's agreement (yes and the date) and a
reason, and is kept as a `Variation` row (who, when, what changed, why) beside the condition's
own history. Each makes the next version of the caution document, which the person signs in
turn (cautions.variation_selectors: the latest version against the latest signed). Variations of the
conditions send `case_changed`, so referrals follow a changed provider or a new condition.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cautions import rules as caution_rules
from cautions.models import (
    Case,
    Condition,
    DocumentSignature,
    RuleSettings,
    Variation,
    VictimViews,
)
from cautions.services.base import (
    InvalidTransition,
    RuleViolation,
    S,
    _case_changed,
    _lock_case,
    _lock_condition,
    _save,
    _today,
)
from cautions.services.conditions import ConditionSpec, validate_conditions
from cautions.signals import CONDITIONS_VARIED
from cautions.variation_selectors import document_version, signed_document_version
from hub.models import Organisation

# Passed for the amount or hours of condition_vary: leave it as it is.
KEEP = object()

# What a variation can change, in the order shown: (snapshot key, label).
VARIABLE = (
    ("description", "What the person must do"),
    ("amount", "Amount"),
    ("amount_reason", "Reason for an amount above the loss"),
    ("hours", "Hours"),
    ("due_date", "Due date"),
    ("provider", "Support provider"),
)


def _money(value: Decimal | None) -> str:
    return "" if value is None else f"£{value:,.2f}"


def condition_snapshot(condition: Condition) -> dict:
    """What the person agreed to, as stored in the event and variation rows."""
    return {
        "description": condition.description,
        "due_date": condition.due_date.isoformat(),
        "provider": condition.provider.name if condition.provider else "",
        "amount": _money(condition.amount),
        "amount_reason": condition.amount_reason,
        "hours": "" if condition.hours is None else f"{condition.hours:g}",
        "version": condition.content_version,
    }


def _shown(key: str, value: str) -> str:
    if key == "due_date" and value:
        return f"{dt.date.fromisoformat(value):%-d %B %Y}"
    return value or "(none)"


def _changes(before: dict, after: dict) -> dict:
    return {
        label: {"before": _shown(key, before[key]), "after": _shown(key, after[key])}
        for key, label in VARIABLE
        if before[key] != after[key]
    }


def _check_agreement(case: Case, *, reason: str, consent_given: bool, agreed_on) -> None:
    """A variation needs a reason and the person's agreement on a date since the caution."""
    if not reason.strip():
        raise RuleViolation("Enter the reason for the variation", field="reason")
    if not consent_given:
        raise RuleViolation(
            "The person must consent to the variation: record their agreement",
            field="consent_given",
        )
    if agreed_on is None:
        raise RuleViolation("Enter the date the person agreed", field="agreed_on")
    if agreed_on > _today():
        raise RuleViolation("The date the person agreed cannot be in the future", field="agreed_on")
    if agreed_on < case.caution_date:
        raise RuleViolation(
            "The date the person agreed is before the caution was given", field="agreed_on"
        )


def _record(
    case: Case, actor, kind: str, *, condition=None, changes: dict, reason: str, agreed_on
) -> Variation:
    """The next version of the caution document, and the row that says why (the case is
    locked: no other variation can take the same version)."""
    return Variation.objects.create(
        case=case,
        condition=condition,
        kind=kind,
        document_version=document_version(case) + 1,
        condition_version=None if condition is None else condition.content_version,
        changes=changes,
        reason=reason.strip(),
        person_agreed=True,
        agreed_on=agreed_on,
        recorded_by=actor,
    )


def _in_force_except(case: Case, condition: Condition | None) -> list[Condition]:
    others = case.conditions.exclude(status=Condition.Status.ENDED)
    if condition is not None:
        others = others.exclude(pk=condition.pk)
    return list(others.select_related("condition_type"))


def _validate(case: Case, spec: ConditionSpec, *, besides: Condition | None) -> None:
    validate_conditions(
        case=case,
        specs=[spec],
        caution_date=case.caution_date,
        deadline=case.compliance_deadline,
        victim_views=VictimViews.objects.filter(case=case).first(),
        existing=_in_force_except(case, besides),
    )


def apply_condition_variation(
    case: Case,
    condition: Condition,
    actor,
    *,
    description: str,
    due_date: dt.date,
    provider: Organisation | None,
    amount: Decimal | None,
    hours: Decimal | None,
    reason: str,
    agreed_on: dt.date,
    amount_reason: str = "",
) -> dict:
    """Vary a locked condition within the limits: its new content version, a Variation row,
    the next document version. Returns the event's data. Also used by a breach decision."""
    ctype = condition.condition_type
    spec = ConditionSpec(
        condition_type=ctype,
        description=description,
        due_date=due_date,
        provider=provider if ctype.needs_provider else None,
        amount=amount if ctype.has_amount else None,
        hours=hours if ctype.has_hours else None,
        amount_reason=amount_reason.strip() if ctype.has_amount else "",
    )
    _validate(case, spec, besides=condition)
    before = condition_snapshot(condition)
    condition.description = spec.description.strip()
    condition.due_date = spec.due_date
    condition.provider = spec.provider
    condition.amount = spec.amount
    condition.amount_reason = spec.amount_reason
    condition.hours = spec.hours
    after = condition_snapshot(condition)
    changes = _changes(before, after)
    if not changes:
        raise RuleViolation("Nothing was changed: change the condition, or go back")
    condition.status = Condition.Status.PENDING
    condition.marked_by = None
    condition.marked_at = None
    condition.complied_on = None
    if due_date >= _today():
        condition.overdue_since = None
    condition.version += 1
    condition.content_version += 1
    condition._history_user = actor
    condition.save(
        update_fields=[
            "description",
            "due_date",
            "provider",
            "amount",
            "amount_reason",
            "hours",
            "status",
            "marked_by",
            "marked_at",
            "complied_on",
            "overdue_since",
            "version",
            "content_version",
        ]
    )
    variation = _record(
        case,
        actor,
        Variation.Kind.CONDITION_VARIED,
        condition=condition,
        changes=changes,
        reason=reason,
        agreed_on=agreed_on,
    )
    return {
        "condition": condition.pk,
        "condition_type": ctype.label,
        "before": before,
        "after": condition_snapshot(condition),
        "changes": changes,
        "variation": variation.pk,
        "document_version": variation.document_version,
    }


@transaction.atomic
def condition_vary(
    *,
    condition: Condition,
    actor,
    reason: str,
    consent_given: bool,
    due_date: dt.date,
    description: str,
    provider: Organisation | None = None,
    amount=KEEP,
    hours=KEEP,
    amount_reason=KEEP,
    agreed_on: dt.date | None = None,
    expected_version=None,
) -> Condition:
    """Vary a pending condition of a caution in progress (the amount and hours are left as
    they are unless given). The person's agreement (yes, and the date) and a reason are
    required; the previous version stays in the history, the Variation row and the event."""
    case, condition = _lock_condition(condition, expected_version, (S.ACTIVE,), "vary a condition")
    if condition.status != Condition.Status.PENDING:
        raise InvalidTransition(
            "Only a pending condition can be varied: this one is "
            f"{condition.get_status_display().lower()}."
        )
    _check_agreement(case, reason=reason, consent_given=consent_given, agreed_on=agreed_on)
    data = apply_condition_variation(
        case,
        condition,
        actor,
        description=description,
        due_date=due_date,
        provider=provider,
        amount=condition.amount if amount is KEEP else amount,
        hours=condition.hours if hours is KEEP else hours,
        amount_reason=condition.amount_reason if amount_reason is KEEP else amount_reason,
        reason=reason,
        agreed_on=agreed_on,
    )
    _save(case, actor, "condition_varied", [], reason=reason.strip(), data=data)
    _case_changed(case, actor, CONDITIONS_VARIED)
    return condition


@transaction.atomic
def condition_add(
    *,
    case: Case,
    actor,
    spec: ConditionSpec,
    reason: str,
    consent_given: bool,
    agreed_on: dt.date | None,
    expected_version=None,
) -> Condition:
    """Add a condition to a caution in progress, within the limits over the conditions in
    force (punitive hours, penalty cap, due within the compliance period), with the person's
    agreement and a reason. Referrals follow (a new provider gets a referral)."""
    case = _lock_case(case, expected_version, (S.ACTIVE,), "add a condition")
    _check_agreement(case, reason=reason, consent_given=consent_given, agreed_on=agreed_on)
    _validate(case, spec, besides=None)
    ctype = spec.condition_type
    condition = Condition(
        case=case,
        condition_type=ctype,
        description=spec.description.strip(),
        due_date=spec.due_date,
        provider=spec.provider,
        amount=spec.amount if ctype.has_amount else None,
        amount_reason=spec.amount_reason.strip() if ctype.has_amount else "",
        hours=spec.hours if ctype.has_hours else None,
    )
    condition._history_user = actor
    condition.save()
    after = condition_snapshot(condition)
    changes = {
        "Condition added": {
            "before": "(none)",
            "after": f"{ctype.label}: {condition.description}",
        },
        **_changes({key: "" for key, _ in VARIABLE}, after),
    }
    changes.pop("What the person must do", None)
    variation = _record(
        case,
        actor,
        Variation.Kind.CONDITION_ADDED,
        condition=condition,
        changes=changes,
        reason=reason,
        agreed_on=agreed_on,
    )
    _save(
        case,
        actor,
        "condition_added",
        [],
        reason=reason.strip(),
        data={
            "condition": condition.pk,
            "condition_type": ctype.label,
            "after": after,
            "changes": changes,
            "variation": variation.pk,
            "document_version": variation.document_version,
        },
    )
    _case_changed(case, actor, CONDITIONS_VARIED)
    return condition


@transaction.atomic
def case_extend_period(
    *,
    case: Case,
    actor,
    weeks: int,
    reason: str,
    consent_given: bool,
    agreed_on: dt.date | None,
    expected_version=None,
) -> Case:
    """Extend the compliance period of a caution in progress: the compliance deadline moves
    later, never past the maximum (20 weeks, or the local setting) counted from the caution
    date. Over 16 weeks the reason is recorded as the reason for a longer period."""
    case = _lock_case(case, expected_version, (S.ACTIVE,), "extend the compliance period")
    _check_agreement(case, reason=reason, consent_given=consent_given, agreed_on=agreed_on)
    current = case.compliance_period_weeks or 0
    if weeks <= current:
        raise RuleViolation(
            f"The new period must be longer than the current {current} weeks "
            "(to bring a condition forward, vary its due date)",
            field="weeks",
        )
    rules = RuleSettings.load()
    limit = min(rules.max_compliance_weeks, caution_rules.MAX_COMPLIANCE_WEEKS)
    if weeks > limit:
        latest = caution_rules.compliance_deadline(case.caution_date, limit)
        raise RuleViolation(
            f"The compliance period can be at most {limit} weeks from the caution date "
            f"(ending {latest:%-d %B %Y})",
            field="weeks",
        )
    old_deadline = case.compliance_deadline
    case.compliance_period_weeks = weeks
    case.compliance_deadline = caution_rules.compliance_deadline(case.caution_date, weeks)
    if weeks > caution_rules.STANDARD_MAX_WEEKS:
        case.compliance_extension_reason = reason.strip()
    changes = {
        "Compliance period": {"before": f"{current} weeks", "after": f"{weeks} weeks"},
        "Compliance period ends": {
            "before": f"{old_deadline:%-d %B %Y}" if old_deadline else "(none)",
            "after": f"{case.compliance_deadline:%-d %B %Y}",
        },
    }
    variation = _record(
        case,
        actor,
        Variation.Kind.PERIOD_EXTENDED,
        changes=changes,
        reason=reason,
        agreed_on=agreed_on,
    )
    _save(
        case,
        actor,
        "period_extended",
        [
            "compliance_period_weeks",
            "compliance_deadline",
            "compliance_extension_reason",
        ],
        reason=reason.strip(),
        data={
            "changes": changes,
            "variation": variation.pk,
            "document_version": variation.document_version,
        },
    )
    return case


@transaction.atomic
def caution_document_version_signed(
    *, case: Case, actor, signed_at: dt.datetime | None = None, expected_version=None
) -> DocumentSignature:
    """The person signed the latest version of the caution document (after variations)."""
    case = _lock_case(case, expected_version, Case.CAUTIONED, "record the signed document")
    latest = document_version(case)
    if signed_document_version(case) >= latest:
        raise InvalidTransition("The latest version of the caution document is already signed.")
    signed_at = signed_at or timezone.now()
    if signed_at > timezone.now():
        raise RuleViolation("The time of signing cannot be in the future", field="signed_at")
    signature = DocumentSignature.objects.create(
        case=case, document_version=latest, signed_at=signed_at, recorded_by=actor
    )
    _save(
        case,
        actor,
        "document_version_signed",
        [],
        data={"document_version": latest, "signed_at": signed_at.isoformat()},
    )
    return signature
