"""Referrals follow the caution's conditions (referrals_sync_for_case).

Cautions does not know referrals: its services send `cautions.signals.case_changed` inside
their transaction whenever a caution is administered, a condition is varied or ended, a breach
is decided, or the case closes. `ReferralsConfig.ready` connects `on_case_changed` to it, so
the referrals change in the same transaction as the case.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from cautions.models import Case, Condition
from referrals.events import _event, _move_to
from referrals.models import OPEN_STATUSES, Referral

Status = Referral.Status


def on_case_changed(sender, *, case, actor, **kwargs) -> None:
    """Receiver of cautions.signals.case_changed (dispatch_uid "referrals.sync_on_case_changed")."""
    referrals_sync_for_case(case=case, actor=actor)


def referrals_sync_for_case(*, case, actor) -> None:
    """Create or update the case's referrals from its conditions that need a provider.

    Runs (through `on_case_changed`) inside the cautions service's transaction whenever a
    caution is administered, a condition is varied or ended, or the case closes. It reads
    `case.status` as passed in (the caller has already changed it). Idempotent: a second call
    changes nothing and writes no event.

    - Case closed (any closed status): every open referral is closed by police
      (`withdrawn`), with the case's status and closure reason as the recorded reason.
    - Case active or in breach, for each provider named on a condition that needs one:
      * no referral yet and a pending condition: a new referral, due on the latest due date of
        that provider's pending conditions, with the conditions' pathways;
      * open referral: the due date follows the pending conditions (event when it changes);
      * referral closed by police and a pending condition again: reopened as new;
      * returned or completed referrals are left alone (the provider said no, or has
        finished; the officer refers again by hand if needed).
    - An open referral made from conditions whose provider has no pending condition left
      (conditions ended or moved to another provider) is closed by police, unless one of
      them was complied with: then the provider still writes its end-of-support summary.
    Manual referrals are only closed by the case closing.
    """
    with transaction.atomic():
        existing = {
            r.provider_id: r
            for r in Referral.objects.select_for_update().filter(case_id=case.pk).order_by("pk")
        }
        if case.status in Case.CLOSED:
            _close_with_case(case, existing.values(), actor)
            return
        if case.status not in (Case.Status.ACTIVE, Case.Status.BREACH):
            return  # Conditions are only proposals until the caution is given.
        by_provider = _conditions_by_provider(case)
        for provider_id, conditions in by_provider.items():
            _sync_provider(case, actor, provider_id, conditions, existing.get(provider_id))
        for provider_id, referral in existing.items():
            if provider_id not in by_provider and _open_from_conditions(referral):
                _withdraw(
                    referral,
                    actor=actor,
                    reason="The conditions were varied: this provider is no longer needed.",
                )


def _close_with_case(case, referrals: Iterable[Referral], actor) -> None:
    reason = f"The case was closed: {case.get_status_display()}."
    if case.closure_reason:
        reason = f"{reason} {case.closure_reason}"
    for referral in referrals:
        if referral.status in OPEN_STATUSES:
            _withdraw(referral, actor=actor, reason=reason)


def _conditions_by_provider(case) -> dict[int, list[Condition]]:
    conditions = Condition.objects.filter(
        case_id=case.pk, provider__isnull=False, condition_type__needs_provider=True
    ).select_related("condition_type")
    by_provider = defaultdict(list)
    for condition in conditions:
        by_provider[condition.provider_id].append(condition)
    return by_provider


def _open_from_conditions(referral: Referral) -> bool:
    return referral.status in OPEN_STATUSES and referral.source == Referral.Source.CONDITIONS


def _sync_provider(
    case, actor, provider_id: int, conditions: list[Condition], referral: Referral | None
) -> None:
    """One provider's referral follows that provider's conditions on the case."""
    pending = [c for c in conditions if c.status == Condition.Status.PENDING]
    if referral is None:
        if pending:
            _create(case, actor, provider_id, pending)
        return
    if pending:
        _follow_pending(referral, pending, actor)
    elif _open_from_conditions(referral) and not any(
        c.status == Condition.Status.COMPLIED for c in conditions
    ):
        _withdraw(
            referral,
            actor=actor,
            reason="The conditions for this provider were ended by the police.",
        )


def _pathway_ids(pending: list[Condition]) -> set[int]:
    return {c.condition_type.pathway_id for c in pending if c.condition_type.pathway_id}


def _create(case, actor, provider_id: int, pending: list[Condition]) -> None:
    referral = Referral.objects.create(
        case_id=case.pk,
        provider_id=provider_id,
        status=Status.NEW,
        source=Referral.Source.CONDITIONS,
        due_date=max(c.due_date for c in pending),
        referred_by=actor,
    )
    referral.pathways.add(*_pathway_ids(pending))
    _event(
        referral,
        actor=actor,
        kind="created",
        to_status=Status.NEW,
        reason="The caution was given with conditions for this provider.",
        data={"condition_ids": [c.pk for c in pending]},
    )


def _follow_pending(referral: Referral, pending: list[Condition], actor) -> None:
    """The provider has pending conditions: a police-closed referral reopens; an open one's
    due date follows the latest of them and it gains their pathways."""
    due = max(c.due_date for c in pending)
    if referral.status == Status.WITHDRAWN:
        _reopen(referral, due, actor)
    elif referral.status in OPEN_STATUSES and referral.due_date != due:
        _change_due_date(referral, due, actor)
    if referral.status in OPEN_STATUSES:
        referral.pathways.add(*_pathway_ids(pending))


def _reopen(referral: Referral, due, actor) -> None:
    referral.status = Status.NEW
    referral.withdrawal_reason = ""
    referral.assigned_to = None
    referral.accepted_at = None
    referral.due_date = due
    referral.save(
        update_fields=[
            "status",
            "withdrawal_reason",
            "assigned_to",
            "accepted_at",
            "due_date",
            "updated_at",
        ]
    )
    _event(
        referral,
        actor=actor,
        kind="reopened",
        from_status=Status.WITHDRAWN,
        to_status=Status.NEW,
        reason="The conditions were varied: this provider is needed again.",
    )


def _change_due_date(referral: Referral, due, actor) -> None:
    old = referral.due_date
    referral.due_date = due
    referral.save(update_fields=["due_date", "updated_at"])
    _event(
        referral,
        actor=actor,
        kind="due_date_changed",
        reason="The conditions were varied.",
        data={
            "from": old.isoformat() if old else None,
            "to": due.isoformat(),
        },
    )


def _withdraw(referral: Referral, *, actor, reason: str) -> None:
    _move_to(
        referral,
        Status.WITHDRAWN,
        actor=actor,
        kind="withdrawn",
        reason=reason,
        withdrawal_reason=reason,
        closed_at=timezone.now(),
    )
