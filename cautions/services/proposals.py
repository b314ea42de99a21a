"""The conditions an officer proposes and an authorising officer decides on.

assessment -> (conditions proposed) -> awaiting_authorisation -> authorised, or back to
assessment with the changes asked for (sent back). A proposal's set is a snapshot; the caution
is given only with the set of the authorised proposal (`same_set`), so a different set needs a
fresh authorisation: proposing again while authorised returns the case to assessment.

The authoriser must hold the authorise permission *and* a recorded rank of sergeant or above
(DPP's guidance), read from their staff profile at the time of the decision and kept on the
proposal.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cautions.models import Case, ConditionProposal, RuleSettings, VictimViews
from cautions.rules import compliance_deadline
from cautions.selectors import latest_assessment
from cautions.services.base import (
    NotAllowed,
    RuleViolation,
    S,
    _lock_case,
    _save,
    _today,
)
from cautions.services.conditions import ConditionSpec, validate_conditions
from hub.models import ConditionType, Organisation
from hub.models.organisations import Rank, rank_at_least, recorded_rank

P = ConditionProposal.Status
OPEN = (P.PROPOSED, P.AUTHORISED)
PROPOSE_STATES = (S.ASSESSMENT, S.AUTHORISED)


# ---------------------------------------------------------------------------- the snapshot


def _money(value, places: str) -> str | None:
    return None if value is None else str(Decimal(value).quantize(Decimal(places)))


def spec_snapshot(spec: ConditionSpec) -> dict:
    """A condition of a proposed set as stored (and compared): amounts and hours only for the
    types that have them, as the caution's conditions are created."""
    ctype = spec.condition_type
    return {
        "condition_type": ctype.key,
        "type_label": ctype.label,
        "object": ctype.get_object_display(),
        "description": spec.description.strip(),
        "due_date": spec.due_date.isoformat(),
        "provider_id": spec.provider.pk if spec.provider else None,
        "provider": spec.provider.name if spec.provider else "",
        "amount": _money(spec.amount, "0.01") if ctype.has_amount else None,
        "hours": _money(spec.hours, "0.1") if ctype.has_hours else None,
        # Why compensation exceeds the recorded loss (issue 16 point 7), authorised with it.
        "amount_reason": (spec.amount_reason or "").strip() if ctype.has_amount else "",
    }


def _key(item: dict) -> tuple:
    return tuple(
        str(item.get(f))
        for f in ("condition_type", "description", "due_date", "provider_id", "amount", "hours")
    )


def same_set(specs: list[ConditionSpec], snapshot: list[dict]) -> bool:
    """The same conditions (in any order): type, description, due date, provider, amount and
    hours all equal."""
    return sorted(_key(spec_snapshot(s)) for s in specs) == sorted(_key(i) for i in snapshot)


def specs_from_snapshot(snapshot: list[dict]) -> list[ConditionSpec]:
    """The conditions of a stored set, to pre-fill the form that gives the caution (two
    queries: the types and the providers)."""
    types = ConditionType.objects.in_bulk([i["condition_type"] for i in snapshot], field_name="key")
    providers = Organisation.objects.in_bulk(
        [i["provider_id"] for i in snapshot if i["provider_id"]]
    )
    return [
        ConditionSpec(
            condition_type=types[i["condition_type"]],
            description=i["description"],
            due_date=dt.date.fromisoformat(i["due_date"]),
            provider=providers.get(i["provider_id"]),
            amount=None if i["amount"] is None else Decimal(i["amount"]),
            hours=None if i["hours"] is None else Decimal(i["hours"]),
            amount_reason=i.get("amount_reason", ""),
        )
        for i in snapshot
    ]


# ---------------------------------------------------------------------------- the authoriser


def require_authorising_officer(actor, what: str) -> str:
    """The actor may authorise: the permission (their role) and a recorded rank of sergeant or
    above (their staff profile). Returns the rank, to be kept with the decision."""
    if not actor.has_perm("cautions.authorise_case"):
        raise NotAllowed(f"Only an authorising officer can {what}.")
    rank = recorded_rank(actor)
    if not rank_at_least(rank, Rank.SERGEANT):
        shown = Rank(rank).label if rank in Rank.values else "no rank"
        raise NotAllowed(
            f"Only a sergeant or above can {what}: your staff record shows {shown}. "
            "Ask an administrator to correct your rank if it is wrong."
        )
    return rank


def decide_proposal(case: Case, actor, rank: str, status: str, note: str = "") -> None:
    """Record the decision on the case's open proposal (the case is locked by the caller)."""
    proposal = case.current_proposal
    if proposal is None or proposal.status != P.PROPOSED:
        raise RuleViolation(
            "No conditions are proposed on this case: the officer must propose them first."
        )
    proposal.status = status
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.decided_by_rank = rank
    proposal.decision_note = note
    proposal.save(
        update_fields=["status", "decided_by", "decided_at", "decided_by_rank", "decision_note"]
    )


def current_proposal(case: Case) -> ConditionProposal | None:
    """The case's latest proposal (whatever its status), or None."""
    return case.proposals.order_by("-number").first()


def _lock_proposal(case: Case) -> ConditionProposal | None:
    """The case's latest proposal, locked (after the case), kept as `case.current_proposal`."""
    proposal = (
        ConditionProposal.objects.select_for_update().filter(case=case).order_by("-number").first()
    )
    case.current_proposal = proposal
    return proposal


# ---------------------------------------------------------------------------- transitions


def _victim_action_refusal(
    victim_views: VictimViews, included: bool, omitted_reason: str
) -> RuleViolation | None:
    if victim_views.requested_action.strip() and not included and not omitted_reason.strip():
        return RuleViolation(
            "The victim asked for an action: include it in the conditions, or record why it "
            "is not appropriate (s.23ZA)",
            field="victim_action_omitted_reason",
        )
    return None


@transaction.atomic
def conditions_propose(
    *,
    case: Case,
    actor,
    conditions: list[ConditionSpec],
    victim_action_included: bool = False,
    victim_action_omitted_reason: str = "",
    expected_version=None,
) -> ConditionProposal:
    """Propose the set of conditions for authorisation (assessment, or authorised: then the
    authorised set is replaced and the case goes back to assessment, to be sent for a fresh
    authorisation). Checks the legal limits against the planned caution date and the longest
    compliance period (giving the caution checks them again) and that the victim's requested
    action is carried into the set or left out with a reason. The open proposal, if any, is
    superseded. Locks the case, then the proposal."""
    case = _lock_case(case, expected_version, PROPOSE_STATES, "propose conditions")
    previous = _lock_proposal(case)
    victim_views = VictimViews.objects.filter(case=case).first()
    if victim_views is None:
        raise RuleViolation("Record the victim's views (or efforts) before proposing conditions.")
    refusal = _victim_action_refusal(
        victim_views, victim_action_included, victim_action_omitted_reason
    )
    if refusal:
        raise refusal
    rules = RuleSettings.load()
    assessment = latest_assessment(case)
    planned = assessment.planned_caution_date if assessment else _today()
    # The caution date is not known yet: due dates are checked between the offence (the
    # earliest it could be given) and the longest period from the planned date; giving the
    # caution checks them again against its date and period.
    validate_conditions(
        case=case,
        specs=conditions,
        caution_date=case.offence.offence_date,
        deadline=compliance_deadline(max(planned, _today()), rules.max_compliance_weeks),
        victim_views=victim_views,
    )
    if previous is not None and previous.status in OPEN:
        previous.status = P.SUPERSEDED
        previous.save(update_fields=["status"])
    number = (case.proposals.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    proposal = ConditionProposal.objects.create(
        case=case,
        number=number,
        conditions=[spec_snapshot(s) for s in conditions],
        victim_action_included=bool(victim_views.requested_action) and victim_action_included,
        victim_action_omitted_reason=""
        if victim_action_included
        else victim_action_omitted_reason.strip(),
        proposed_by=actor,
        proposed_at=timezone.now(),
    )
    from_status = case.status
    case.current_proposal = proposal
    fields = []
    if from_status == S.AUTHORISED:
        # The authorisation was of the replaced set: the new one needs its own.
        case.status = S.ASSESSMENT
        case.authorised_by = None
        case.authorised_at = None
        case.authorisation_reason = ""
        fields += ["status", "authorised_by", "authorised_at", "authorisation_reason"]
    _save(
        case,
        actor,
        "conditions_proposed",
        fields,
        from_status=from_status,
        reason=proposal.victim_action_omitted_reason,
        data={"number": number, "conditions": proposal.conditions},
    )
    return proposal


@transaction.atomic
def case_send_back(*, case: Case, actor, changes_requested: str, expected_version=None) -> Case:
    """awaiting_authorisation -> assessment: the authorising officer sends the proposed
    conditions back to the officer with the changes asked for (shown on the case)."""
    rank = require_authorising_officer(actor, "send the conditions back")
    case = _lock_case(case, expected_version, (S.AWAITING_AUTHORISATION,), "send this case back")
    _lock_proposal(case)
    if not changes_requested.strip():
        raise RuleViolation("Enter the changes you ask for", field="reason")
    if actor.pk == case.officer_id:
        raise NotAllowed(
            "You are in charge of this case, so another authorising officer must decide it."
        )
    decide_proposal(case, actor, rank, P.SENT_BACK, changes_requested.strip())
    case.status = S.ASSESSMENT
    _save(
        case,
        actor,
        "sent_back",
        ["status"],
        from_status=S.AWAITING_AUTHORISATION,
        reason=changes_requested.strip(),
        data={"number": case.current_proposal.number},
    )
    return case


def lock_current_proposal(case: Case) -> ConditionProposal | None:
    """For the authorisation services: the case's current proposal, locked (case first)."""
    return _lock_proposal(case)
