"""Reads for the case page, the worklist and the case list. Each decides its own joins so the
number of queries does not grow with the number of rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from cautions import actions, document, rules
from cautions.models import (
    Breach,
    Case,
    CaseEvent,
    Condition,
    ConditionProposal,
    EligibilityAssessment,
    NeedAssessment,
    Payment,
    RuleSettings,
    VictimInformed,
)
from cautions.payment_models import Balance
from cautions.variation_selectors import document_state
from hub.lib.dates import add_months, long_date
from hub.lib.fields import under
from hub.lib.staff import STAFF_NAME, staff_fields_unshown, staff_name, user_display_name
from hub.models import ConditionType, Organisation, Person
from hub.models.organisations import name_with_rank
from hub.prepared import PreparedQuery

S = Case.Status

# Colour of each status tag (the words are always shown too).
STATUS_COLOURS = {
    S.ASSESSMENT: "blue",
    S.NOT_ELIGIBLE: "grey",
    S.AWAITING_AUTHORISATION: "yellow",
    S.DECLINED: "grey",
    S.AUTHORISED: "turquoise",
    S.ACTIVE: "green",
    S.BREACH: "red",
    S.COMPLIED: "grey",
    S.FAILED_NO_FURTHER_ACTION: "grey",
    S.PROSECUTION_RESUMED: "orange",
    S.FAILED: "grey",
    S.WITHDRAWN: "grey",
}

EVENT_TITLES = {
    "case_started": "Case started",
    "eligibility_assessed": "Eligibility checked",
    "needs_recorded": "Needs assessed",
    "victim_views_recorded": "Victim's views recorded",
    "submitted_for_authorisation": "Sent for authorisation",
    "authorised": "Authorised",
    "conditions_proposed": "Conditions proposed",
    "sent_back": "Sent back to the officer for changes",
    "victim_informed": "Victim told",
    "declined": "Authorisation declined",
    "caution_administered": "Caution given: prosecution deferred",
    "condition_complied": "Condition complied with",
    "condition_overdue": "Condition overdue",
    "condition_varied": "Condition varied",
    "condition_ended": "Condition ended",
    "condition_added": "Condition added",
    "period_extended": "Compliance period extended",
    "document_version_signed": "Varied caution document signed",
    "payment_recorded": "Payment recorded",
    "caution_completed": "Caution completed: no further action",
    "breach_recorded": "Breach recorded: reasonable-excuse assessment and decision needed",
    "breach_decided": "Breach decided",
    "court_outcome_recorded": "Court outcome recorded",
    "withdrawn": "Case withdrawn",
    "assessment_reopened": "Assessment reopened",
}

DECISION_TITLES = {
    Breach.Decision.VARY_CONDITIONS: "Breach decided: conditions varied, caution continues",
    Breach.Decision.NO_FURTHER_ACTION: "Breach decided: no further action",
    Breach.Decision.RESUME_PROSECUTION: "Breach decided: prosecution resumed",
}


def today() -> dt.date:
    return timezone.localdate()


def status_colour(status: str) -> str:
    return STATUS_COLOURS.get(status, "grey")


def spent_date(case: Case) -> dt.date | None:
    """Rehabilitation of Offenders Act 1974 Sch. 2: spent 3 months after it is given, or when
    it ceases to have effect (prosecution started, or withdrawn) if that is earlier."""
    if case.caution_date is None:
        return None
    spent = add_months(case.caution_date, 3)
    ceased = None
    if case.status == S.PROSECUTION_RESUMED:
        ceased = case.charge_date
    elif case.status == S.WITHDRAWN:
        ceased = case.outcome_date
    return min(spent, ceased) if ceased else spent


def assessment_step(case: Case, *, assessment=None, has_victim_views=False, proposal=None) -> str:
    """The next step of a case being assessed (a key): "eligibility", "needs",
    "victim_views", "propose" (none proposed, or sent back) or "submit"; "" otherwise."""
    if case.status != S.ASSESSMENT:
        return ""
    if assessment is None or assessment.result == EligibilityAssessment.Result.NOT_ELIGIBLE:
        # None yet, or a not-eligible check whose assessment a sergeant reopened.
        return "eligibility"
    if case.needs_recorded_at is None:
        return "needs"
    if not has_victim_views:
        return "victim_views"
    if proposal is None or proposal.status != ConditionProposal.Status.PROPOSED:
        return "propose"
    return "submit"


ASSESSMENT_STEPS = {
    "eligibility": "Check eligibility",
    "needs": "Record the needs assessment",
    "victim_views": "Record the victim's views",
    "propose": "Propose the conditions",
    "submit": "Send the case for authorisation",
}


def next_action(case: Case, *, assessment=None, has_victim_views=False, proposal=None) -> str:
    """The one thing to do next, in words, for the top of the case page."""
    if case.status == S.ASSESSMENT:
        step = assessment_step(
            case, assessment=assessment, has_victim_views=has_victim_views, proposal=proposal
        )
        if step == "propose" and proposal and proposal.status == ConditionProposal.Status.SENT_BACK:
            return "Change the proposed conditions as the authorising officer asked"
        if step == "eligibility" and assessment is not None:
            return "Check eligibility again: the assessment was reopened"
        return ASSESSMENT_STEPS[step]
    return {
        S.AWAITING_AUTHORISATION: "An authorising officer must decide on the caution and its "
        "proposed conditions",
        S.AUTHORISED: "Print the caution document for signature, record that it was signed, "
        "then give the caution with the authorised conditions",
        S.ACTIVE: "Record compliance with each condition by its due date",
        S.BREACH: "An authorising officer must decide the breach",
        S.NOT_ELIGIBLE: "None: the case is closed. An authorising officer can reopen the "
        "assessment if an answer was wrong",
        S.PROSECUTION_RESUMED: "Record the court outcome"
        if not case.court_outcome_kind
        else "None: the case is closed",
    }.get(case.status, "None: the case is closed")


def event_rows(events) -> list[dict]:
    rows = []
    for event in events:
        title = EVENT_TITLES.get(event.kind, event.kind.replace("_", " ").capitalize())
        if event.kind == "breach_decided":
            title = DECISION_TITLES.get(event.data.get("decision"), title)
        if event.kind == "eligibility_assessed":
            result = event.data.get("result", "")
            title = f"Eligibility checked: {dict(EligibilityAssessment.Result.choices).get(result, result).lower()}"
        description = event.reason
        if "changes" in event.data:
            description = _described_changes(event.reason, event.data["changes"])
        elif event.kind in ("condition_varied", "breach_decided") and "before" in event.data:
            before, after = event.data["before"], event.data["after"]
            description = (
                f"{event.reason}\nWas: {before['description']} (due {_d(before['due_date'])})"
                f"\nNow: {after['description']} (due {_d(after['due_date'])})"
            )
        actor = user_display_name(event.actor)
        rows.append({"title": title, "at": event.at, "actor": actor, "description": description})
    return rows


def _described_changes(reason: str, changes: dict) -> str:
    """A variation's reason, then what changed ("Amount: £500.00, now £50.00")."""
    lines = [reason] if reason else []
    lines += [f"{label}: was {c['before']}, now {c['after']}" for label, c in changes.items()]
    return "\n".join(lines)


def _d(iso: str) -> str:
    return long_date(dt.date.fromisoformat(iso))


# Colour of each condition status's tag on the case overview (the words are shown too).
CONDITION_STATUS_COLOURS = {
    Condition.Status.PENDING: "blue",
    Condition.Status.COMPLIED: "green",
    Condition.Status.NOT_COMPLIED: "red",
    Condition.Status.ENDED: "grey",
}


@dataclass
class ConditionRow:
    """A condition on the case overview: its status as shown, and the links beside it."""

    condition: Condition
    overdue: bool
    actions: actions.ConditionActions
    # Owed, paid and balance of a condition with an amount (compensation, penalty).
    payments: Balance | None = None

    @property
    def status_label(self) -> str:
        return "Overdue" if self.overdue else self.condition.get_status_display()

    @property
    def status_colour(self) -> str:
        if self.overdue:
            return "red"
        return CONDITION_STATUS_COLOURS.get(self.condition.status, "blue")

    @property
    def complied(self) -> bool:
        """Complied with: the date and the evidence are shown."""
        return not self.overdue and self.condition.status == Condition.Status.COMPLIED


def case_page_queryset() -> QuerySet[Case]:
    """The case with what the case page shows of it, in one query."""
    staff = ("officer", "authorised_by", "administered_by")
    return Case.objects.select_related(
        "person__district",
        "offence__category",
        "offence__district",
        *staff,
        "victim_views",
        "administration",
    ).defer(*staff_fields_unshown(*staff))


# The case page's reads, each by the case's id, built into SQL once per process
# (hub.prepared: building the SQL cost more than running it).
CASE_PAGE_CASE = PreparedQuery(lambda pk: case_page_queryset().filter(pk=pk))
_CONDITIONS = PreparedQuery(
    lambda case_id: (
        Condition.objects.filter(case_id=case_id)
        .select_related("condition_type", "provider")
        .order_by("due_date", "id")
    )
)
_NEEDS = PreparedQuery(
    lambda case_id: NeedAssessment.objects.filter(case_id=case_id).select_related("pathway")
)
_EVENTS = PreparedQuery(
    lambda case_id: (
        CaseEvent.objects.filter(case_id=case_id)
        .select_related("actor__profile")
        .defer(*staff_fields_unshown("actor"))
        .order_by("-at", "-id")
    )
)
_BREACHES = PreparedQuery(
    lambda case_id: (
        Breach.objects.filter(case_id=case_id)
        .select_related("condition__condition_type", "recorded_by", "decided_by")
        .defer(*staff_fields_unshown("recorded_by", "decided_by"))
        .order_by("-recorded_at", "-id")
    )
)
_LATEST_ASSESSMENT = PreparedQuery(
    lambda case_id: (
        EligibilityAssessment.objects.filter(case_id=case_id)
        .select_related("assessed_by")
        .defer(*staff_fields_unshown("assessed_by"))
        .order_by("-assessed_at", "-id")[:1]
    )
)
_SUGGESTED_TYPES = PreparedQuery(
    lambda case_id: ConditionType.objects.filter(
        retired=False,
        pathway_id__in=NeedAssessment.objects.filter(case_id=case_id).values("pathway_id"),
    ).select_related("pathway")
)


_VICTIM_INFORMED = PreparedQuery(
    lambda case_id: (
        VictimInformed.objects.filter(case_id=case_id)
        .select_related("informed_by")
        .defer(*staff_fields_unshown("informed_by"))
        .order_by("-informed_at", "-id")
    )
)

_OPEN_BREACH = PreparedQuery(
    lambda case_id: (
        Breach.objects.filter(case_id=case_id, decision="")
        .only("id", "case_id")
        .order_by("-id")[:1]
    )
)

# Stands for "not read by the caller": None is a value (no assessment yet, no open breach).
_UNREAD = object()


def case_header(case: Case, user, *, assessment=_UNREAD, open_breach=_UNREAD) -> dict:
    """What every section of the case page shows above its sub-navigation: the status, the
    next action and the buttons for it (cautions.actions, for `user`). Reads the latest
    eligibility check only while the case is being assessed and the undecided breach only
    while it is in breach (at most one query), unless the caller has read them already."""
    if assessment is _UNREAD:
        assessment = latest_assessment(case) if case.status == S.ASSESSMENT else None
    if open_breach is _UNREAD:
        open_breach = next(iter(_OPEN_BREACH(case.pk)), None) if case.status == S.BREACH else None
    perms = user.get_all_permissions()
    proposal = current_proposal(case) if case.status in PROPOSAL_STATES else None
    has_victim_views = getattr(case, "victim_views", None) is not None
    step = assessment_step(
        case, assessment=assessment, has_victim_views=has_victim_views, proposal=proposal
    )
    return {
        "case": case,
        "can_change": actions.can_change(perms),
        "actions": actions.case_actions(
            case,
            perms,
            assessment=assessment,
            open_breach=open_breach,
            proposal=proposal,
            next_step=step,
            has_victim=has_victim_views and case.victim_views.kind != "no_victim",
        ),
        "status_colour": status_colour(case.status),
        "next_action": next_action(
            case, assessment=assessment, has_victim_views=has_victim_views, proposal=proposal
        ),
        "assessment": assessment,
        "open_breach": open_breach,
        "proposal": proposal_view(proposal),
    }


# The states in which the case page shows the proposed conditions (declined: what was declined).
PROPOSAL_STATES = (S.ASSESSMENT, S.AWAITING_AUTHORISATION, S.AUTHORISED, S.DECLINED)
_CURRENT_PROPOSAL = PreparedQuery(
    lambda case_id: (
        ConditionProposal.objects.filter(case_id=case_id)
        .select_related("proposed_by", "decided_by")
        .defer(*staff_fields_unshown("proposed_by", "decided_by"))
        .order_by("-number")[:1]
    )
)


def current_proposal(case: Case) -> ConditionProposal | None:
    """The case's latest proposal of conditions, whatever its status (one query)."""
    return next(iter(_CURRENT_PROPOSAL(case.pk)), None)


def _user_name(user) -> str:
    return staff_name(user.first_name, user.last_name, user.username) if user else ""


def proposal_view(proposal: ConditionProposal | None) -> dict | None:
    """A proposal as pages show it: its conditions with dates, who proposed it and who decided
    it, with the rank they held ("Sgt Tom Baker"). Reads nothing more."""
    if proposal is None:
        return None
    rows = [
        {**item, "due_date": dt.date.fromisoformat(item["due_date"])}
        for item in proposal.conditions
    ]
    return {
        "proposal": proposal,
        "rows": rows,
        "sent_back": proposal.status == ConditionProposal.Status.SENT_BACK,
        "declined": proposal.status == ConditionProposal.Status.DECLINED,
        "authorised": proposal.status == ConditionProposal.Status.AUTHORISED,
        "proposed_by": _user_name(proposal.proposed_by),
        "decided_by": name_with_rank(proposal.decided_by_rank, _user_name(proposal.decided_by))
        if proposal.decided_by_id
        else "",
    }


def latest_assessment(case: Case) -> EligibilityAssessment | None:
    return next(iter(_LATEST_ASSESSMENT(case.pk)), None)


def _paid_by_condition(case: Case, conditions) -> dict[int, Decimal]:
    """What was paid against each condition with an amount: one query, only when the case has
    such a condition."""
    if not any(c.amount is not None for c in conditions):
        return {}
    return dict(
        Payment.objects.filter(case_id=case.pk)
        .values("condition")
        .annotate(paid=Sum("amount"))
        .values_list("condition", "paid")
    )


def case_overview(case: Case, user) -> dict:
    """The case page's overview: summary, conditions and breaches. Two queries once the caution
    is given, whatever the number of conditions (before it, one while eligibility is being
    assessed, none after), given a case from CASE_PAGE_CASE."""
    on = today()
    # Conditions are set, and can be breached, only when the caution is given.
    given = case.caution_date is not None
    conditions = _CONDITIONS(case.pk) if given else []
    perms = user.get_all_permissions()
    paid = _paid_by_condition(case, conditions)
    rows = [
        ConditionRow(
            c,
            overdue=c.status == Condition.Status.PENDING and c.due_date < on,
            actions=actions.condition_actions(case, c, perms),
            payments=None
            if c.amount is None
            else Balance(owed=c.amount, paid=paid.get(c.pk, Decimal(0))),
        )
        for c in conditions
    ]
    breaches = _BREACHES(case.pk) if given else []
    # Victims' Code records: once there is an outcome to tell (the caution given, or closed).
    told = _VICTIM_INFORMED(case.pk) if given or not case.is_open else []
    for item in (*conditions, *breaches):
        item.case = case
    return {
        **case_header(case, user, open_breach=next((b for b in breaches if not b.decision), None)),
        "condition_rows": rows,
        "overdue_count": sum(1 for r in rows if r.overdue),
        "breaches": breaches,
        "victim_informed": [{"record": r, "by": _user_name(r.informed_by)} for r in told],
        "administration": getattr(case, "administration", None),
        "spent_date": spent_date(case),
        "today": on,
        "can_vary_caution": actions.can_vary_caution(case, perms),
        "document": document_state(case) if given else None,
    }


def case_assessment(case: Case, user) -> dict:
    """The case page's assessment: the latest eligibility check, the needs and the victim's
    views. Two queries (three when needs suggest conditions still to be set), and the
    header's (case_header) while the case is in breach."""
    assessment = latest_assessment(case)
    needs = _NEEDS(case.pk)
    for need in needs:
        need.case = case
    return {
        **case_header(case, user, assessment=assessment),
        "needs": needs,
        # Needs suggest conditions while those are still to be set: once the caution is given
        # its conditions are on the page, and suggestions beside them would read as missing.
        "suggested_types": _SUGGESTED_TYPES(case.pk) if needs and case.conditions_to_set else [],
        "victim_views": getattr(case, "victim_views", None),
    }


def case_history(case: Case, user) -> dict:
    """The case page's history: every event of the case, newest first. One query, and the
    header's (case_header)."""
    return {**case_header(case, user), "timeline": event_rows(_EVENTS(case.pk))}


# The columns the worklist's rows show (Django builds and reads every selected column: a
# worklist row of whole cases, people and offences cost about twice as much to fetch).
CASE_ROW = (
    "reference",
    "status",
    *under("person", Person.NAME_FIELDS),
    "offence__category__label",
)
CONDITION_ROW = (
    "due_date",
    "status",
    "case__reference",
    *under("case__person", Person.NAME_FIELDS),
    "condition_type__label",
    "provider__name",
)


WORKLIST_LIMIT = 50

# The worklist's reads by the officer's id (and dates), built into SQL once per process
# (hub.prepared).
_AWAITING_ACTION = PreparedQuery(
    lambda officer_id: (
        Case.objects.filter(
            Q(status__in=[S.ASSESSMENT, S.AUTHORISED])
            | Q(status=S.PROSECUTION_RESUMED, court_outcome_kind=""),
            officer_id=officer_id,
        )
        .select_related("person", "offence__category")
        .only(*CASE_ROW)
        .order_by("created_at", "id")[:WORKLIST_LIMIT]
    )
)


def _pending_conditions(officer_id: int) -> QuerySet[Condition]:
    return (
        Condition.objects.filter(
            status=Condition.Status.PENDING,
            case__officer_id=officer_id,
            case__status__in=[S.ACTIVE, S.BREACH],
        )
        .select_related("case__person", "condition_type", "provider")
        .only(*CONDITION_ROW)
        .order_by("due_date", "id")
    )


_DUE_SOON = PreparedQuery(
    lambda officer_id, start, end: _pending_conditions(officer_id).filter(
        due_date__gte=start, due_date__lte=end
    )[:WORKLIST_LIMIT]
)
_OVERDUE = PreparedQuery(
    lambda officer_id, on: _pending_conditions(officer_id).filter(due_date__lt=on)[:WORKLIST_LIMIT]
)


def _undecided_breaches() -> QuerySet[Breach]:
    return (
        Breach.objects.filter(decision="", case__status=S.BREACH)
        .select_related("case__person", "condition__condition_type")
        .only(
            "case_id",
            "condition_id",
            "recorded_at",
            "case__reference",
            *under("case__person", Person.NAME_FIELDS),
            "condition__condition_type__label",
        )
        .order_by("recorded_at", "id")
    )


# Authorising officers decide every breach; other officers see those of their own cases.
_ALL_BREACHES = PreparedQuery(lambda: _undecided_breaches()[:WORKLIST_LIMIT])
_MY_BREACHES = PreparedQuery(
    lambda officer_id: _undecided_breaches().filter(case__officer_id=officer_id)[:WORKLIST_LIMIT]
)
_AWAITING_AUTHORISATION = PreparedQuery(
    lambda officer_id: (
        Case.objects.filter(status=S.AWAITING_AUTHORISATION)
        .exclude(officer_id=officer_id)
        .select_related("person", "offence__category", "officer")
        .only(*CASE_ROW, *under("officer", STAFF_NAME))
        # When it was last sent for authorisation (caseevent_case_at_idx): its age.
        .annotate(
            submitted_at=Subquery(
                CaseEvent.objects.filter(case=OuterRef("pk"), kind="submitted_for_authorisation")
                .order_by("-at", "-id")
                .values("at")[:1]
            )
        )
        .order_by("updated_at", "id")[:WORKLIST_LIMIT]
    )
)


def awaiting_authorisation_rows(officer_id: int, *, on: dt.date) -> list[Case]:
    """Cases an authorising officer may authorise (not their own), oldest first, each with
    `days_waiting` since it was sent for authorisation. One query."""
    cases = list(_AWAITING_AUTHORISATION(officer_id))
    for case in cases:
        sent = timezone.localdate(case.submitted_at) if case.submitted_at else None
        case.days_waiting = (on - sent).days if sent else None
    return cases


# Open cases whose prosecution would still follow a failure (from eligibility to the breach).
CHARGE_BY_STATUSES = (S.ASSESSMENT, S.AWAITING_AUTHORISATION, S.AUTHORISED, S.ACTIVE, S.BREACH)


def _charge_by_cases(latest_offence_date: dt.date) -> QuerySet[Case]:
    return (
        Case.objects.filter(
            status__in=CHARGE_BY_STATUSES,
            offence__mode_of_trial="summary",
            offence__offence_date__lte=latest_offence_date,
        )
        .select_related("person", "offence__category")
        .only(*CASE_ROW, "offence__offence_date", "offence__mode_of_trial")
        .order_by("offence__offence_date", "id")
    )


# Authorising officers decide breaches and authorise cases of every officer: they see every
# case near its charge-by date; other officers those of their own cases.
_ALL_CHARGE_BY = PreparedQuery(lambda latest: _charge_by_cases(latest)[:WORKLIST_LIMIT])
_MY_CHARGE_BY = PreparedQuery(
    lambda officer_id, latest: _charge_by_cases(latest).filter(officer_id=officer_id)[
        :WORKLIST_LIMIT
    ]
)


def charge_by_rows(user, *, on: dt.date, margin_days: int, everyone: bool) -> list[Case]:
    """Open summary-only cases whose s.127 charge-by date is within `margin_days` (the
    breach-decision margin) or has passed, soonest first; each row gets `charge_by` and
    `charge_by_passed`. One query."""
    latest = rules.latest_offence_date_charge_by(on + dt.timedelta(days=margin_days))
    cases = list(_ALL_CHARGE_BY(latest) if everyone else _MY_CHARGE_BY(user.pk, latest))
    for case in cases:
        case.charge_by = rules.summary_time_limit(case.offence.offence_date)
        case.charge_by_passed = on > case.charge_by
    return cases


def worklist(user, *, on: dt.date | None = None) -> dict:
    """An officer's home. Every list is bounded (WORKLIST_LIMIT) and fetched with its joins.

    - awaiting_action: my open cases where I must do the next step (assess, give the caution,
      record the court outcome);
    - due_soon / overdue: pending conditions of my cases due in 7 days / past due;
    - breaches: undecided breaches (all of them for an authorising officer, mine otherwise);
    - awaiting_authorisation: for authorising officers, cases they may authorise (not their own);
    - charge_by: summary-only cases near or past their s.127 charge-by date (charge_by_rows).
    """
    on = on or today()
    can_decide = user.has_perm("cautions.decide_breach")
    can_authorise = user.has_perm("cautions.authorise_case")
    margin = RuleSettings.load().breach_decision_margin_days
    return {
        "awaiting_action": _AWAITING_ACTION(user.pk),
        "due_soon": _DUE_SOON(user.pk, on, on + dt.timedelta(days=7)),
        "overdue": _OVERDUE(user.pk, on),
        "breaches": _ALL_BREACHES() if can_decide else _MY_BREACHES(user.pk),
        "awaiting_authorisation": awaiting_authorisation_rows(user.pk, on=on)
        if can_authorise
        else [],
        "charge_by": charge_by_rows(user, on=on, margin_days=margin, everyone=can_decide),
        "charge_by_margin": margin,
        "can_authorise": can_authorise,
        "can_decide": can_decide,
        "today": on,
    }


def case_list(queryset: QuerySet[Case]) -> QuerySet[Case]:
    return queryset.select_related(
        "person", "offence__category", "offence__district", "officer"
    ).order_by("-created_at", "-id")


def print_document(case: Case) -> dict:
    """The caution document, printed for signature: before the caution is given, with the
    authorised set of conditions (the caution's date and period are then those planned); after
    it, with the conditions in force and each variation made to them (a reprint to sign again).
    Adds the offence's legal description, the providers' contact details, how to pay, the
    consequences and when the caution becomes spent (cautions.document)."""
    case = Case.objects.select_related(
        "person",
        "offence__category",
        "offence__district",
        "officer",
        "authorised_by",
        "administered_by",
    ).get(pk=case.pk)
    proposal = proposal_view(current_proposal(case)) if case.caution_date is None else None
    if case.caution_date is None:
        conditions = _proposed_for_print(proposal["rows"] if proposal else [])
        given_on = today()
    else:
        conditions = _in_force_for_print(case)
        given_on = case.caution_date
    return {
        "case": case,
        "conditions": conditions,
        "proposal": proposal,
        "before_caution": case.caution_date is None,
        "legal_description": document.legal_description(
            case.offence.category.key, case.offence.category.label
        ),
        "consequences": document.CONSEQUENCES,
        "payment_due": any(c["amount"] for c in conditions),
        "payment_instructions": settings.CAUTION_PAYMENT_INSTRUCTIONS,
        "spent_on": document.spent_on(given_on),
        "varied": any(c["variations"] for c in conditions),
    }


def _proposed_for_print(rows: list[dict]) -> list[dict]:
    contacts = dict(
        Organisation.objects.filter(
            pk__in=[r["provider_id"] for r in rows if r["provider_id"]]
        ).values_list("pk", "contact_details")
    )
    return [
        {
            "type_label": r["type_label"],
            "description": r["description"],
            "due_date": r["due_date"],
            "provider": r["provider"],
            "contact": contacts.get(r["provider_id"], ""),
            "amount": r["amount"],
            "hours": r["hours"],
            "version": 1,
            "variations": [],
        }
        for r in rows
    ]


def _in_force_for_print(case: Case) -> list[dict]:
    conditions = list(
        case.conditions.exclude(status=Condition.Status.ENDED)
        .select_related("condition_type", "provider")
        .order_by("due_date", "id")
    )
    variations: dict[int, list[dict]] = {}
    for event in case.events.filter(kind="condition_varied").order_by("at", "id"):
        if "condition" in event.data and "before" in event.data:
            variations.setdefault(event.data["condition"], []).append(
                {
                    "at": event.at,
                    "reason": event.reason,
                    "before": event.data["before"],
                    "before_due": dt.date.fromisoformat(event.data["before"]["due_date"]),
                }
            )
    return [
        {
            "type_label": c.condition_type.label,
            "description": c.description,
            "due_date": c.due_date,
            "provider": c.provider.name if c.provider else "",
            "contact": c.provider.contact_details if c.provider else "",
            "amount": c.amount,
            "hours": c.hours,
            "version": c.version,
            "variations": variations.get(c.pk, []),
        }
        for c in conditions
    ]
