"""What may be done next on a case, and by whom: the buttons and links of the case page.

Pure functions of the case, what the page has read of it (the latest eligibility check, the
undecided breach) and the user's permissions (`perms`: "app.codename" names, as
`user.get_all_permissions()` gives them, read once per page: a page asks for each condition);
nothing here reads the database. They offer what cautions.services accepts, and the services
check again under a row lock whatever a page offered. Templates read their answers
(`actions`, `row.actions.can_vary`...), never a status.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from cautions.models import Breach, Case, Condition, EligibilityAssessment
from hub.lib.urls import url_for

S = Case.Status

# The case states in which each step is offered. The services accept the same states (the
# victim's views also while awaiting authorisation, which the page does not offer: the
# case is then with the authorising officer).
ELIGIBILITY_STATES = (S.ASSESSMENT,)
NEEDS_STATES = (S.ASSESSMENT, S.AWAITING_AUTHORISATION)
VICTIM_VIEWS_STATES = (S.ASSESSMENT, S.AUTHORISED)
SUBMIT_STATES = (S.ASSESSMENT,)
PROPOSE_STATES = (S.ASSESSMENT, S.AUTHORISED)
AUTHORISE_STATES = (S.AWAITING_AUTHORISATION,)
ADMINISTER_STATES = (S.AUTHORISED,)
BREACH_DECISION_STATES = (S.BREACH,)
COURT_OUTCOME_STATES = (S.PROSECUTION_RESUMED,)
REOPEN_STATES = (S.NOT_ELIGIBLE,)
# A pending condition can be marked complied while the caution runs, in breach too
# (cautions.services.CONDITION_CHANGE_STATES); recording a failure, varying and ending it
# only while the caution runs without a breach to decide.
COMPLIANCE_STATES = (S.ACTIVE, S.BREACH)
CONDITION_CHANGE_STATES = (S.ACTIVE,)


@dataclass(frozen=True)
class Action:
    """A button: what it does (`key`, for tests), its words, where it goes and how it looks."""

    key: str
    label: str
    url: str
    # The GOV.UK button's modifier: "" (primary), "secondary" or "warning".
    style: str = ""
    # A form that posts the case's version (a transition without a form page of its own).
    post: bool = False


# ---------------------------------------------------------------------------- the role


def can_change(perms: Collection[str]) -> bool:
    """Officers change cases; everyone else who may see a case only reads it."""
    return "cautions.change_case" in perms


# ---------------------------------------------------------------------------- the case


def can_check_eligibility(case: Case, perms: Collection[str]) -> bool:
    return can_change(perms) and case.status in ELIGIBILITY_STATES


def can_record_needs(case: Case, perms: Collection[str]) -> bool:
    return can_change(perms) and case.status in NEEDS_STATES


def can_record_victim_views(case: Case, perms: Collection[str]) -> bool:
    return can_change(perms) and case.status in VICTIM_VIEWS_STATES


def can_submit(
    case: Case, perms: Collection[str], assessment: EligibilityAssessment | None
) -> bool:
    """Sent for authorisation once eligibility has been checked (the service checks the rest:
    eligible, needs and the victim's views recorded)."""
    return (
        can_change(perms)
        and case.status in SUBMIT_STATES
        and assessment is not None
        and assessment.result != EligibilityAssessment.Result.NOT_ELIGIBLE
    )


def can_reopen(case: Case, perms: Collection[str]) -> bool:
    """A not-eligible assessment is reviewable: an authorising officer reopens it (the service
    also checks the recorded rank, sergeant or above)."""
    return can_change(perms) and "cautions.authorise_case" in perms and case.status in REOPEN_STATES


def can_authorise(case: Case, perms: Collection[str]) -> bool:
    return (
        can_change(perms) and "cautions.authorise_case" in perms and case.status in AUTHORISE_STATES
    )


def can_give_caution(case: Case, perms: Collection[str]) -> bool:
    return can_change(perms) and case.status in ADMINISTER_STATES


def can_decide_breach(case: Case, perms: Collection[str], open_breach: Breach | None) -> bool:
    return (
        can_change(perms)
        and "cautions.decide_breach" in perms
        and case.status in BREACH_DECISION_STATES
        and open_breach is not None
    )


def can_record_court_outcome(case: Case, perms: Collection[str]) -> bool:
    return can_change(perms) and case.status in COURT_OUTCOME_STATES


def can_print(case: Case, perms: Collection[str]) -> bool:
    """The caution document is printed for signature once its conditions are authorised, and
    reprinted after the caution is given."""
    return (
        can_change(perms)
        and "cautions.print_caution" in perms
        and (case.caution_date is not None or case.status in ADMINISTER_STATES)
    )


def can_record_signature(case: Case, perms: Collection[str]) -> bool:
    """The signature of the printed document: before the caution is given, or on a reprint
    after a variation while the caution runs (cautions.services.signature)."""
    return can_change(perms) and case.status in (S.AUTHORISED, S.ACTIVE)


def can_withdraw(case: Case, perms: Collection[str]) -> bool:
    return can_change(perms) and case.is_open


# ---------------------------------------------------------------------------- a condition


def can_mark_complied(case: Case, condition: Condition, perms: Collection[str]) -> bool:
    return (
        can_change(perms)
        and condition.status == Condition.Status.PENDING
        and case.status in COMPLIANCE_STATES
    )


def can_record_breach(case: Case, condition: Condition, perms: Collection[str]) -> bool:
    """Records a failure to comply ("Not complied"): a breach for an authorising officer."""
    return (
        can_change(perms)
        and condition.status == Condition.Status.PENDING
        and case.status in CONDITION_CHANGE_STATES
    )


def can_vary(case: Case, condition: Condition, perms: Collection[str]) -> bool:
    return can_record_breach(case, condition, perms)


def can_end(case: Case, condition: Condition, perms: Collection[str]) -> bool:
    return can_record_breach(case, condition, perms)


def can_vary_caution(case: Case, perms: Collection[str]) -> bool:
    """Add a condition or extend the compliance period (cautions.services.variation)."""
    return can_change(perms) and case.status in CONDITION_CHANGE_STATES


# ---------------------------------------------------------------------------- the buttons


def case_actions(
    case: Case,
    perms: Collection[str],
    *,
    assessment: EligibilityAssessment | None = None,
    open_breach: Breach | None = None,
    proposal=None,
    next_step: str = "",
    has_victim: bool = False,
) -> list[Action]:
    """The buttons at the top of every section of the case page, in the order shown: the
    steps of the case's state, then printing and withdrawing. `next_step`: the assessment's
    next step (cautions.selectors.assessment_step), whose button alone is primary."""
    return [
        *_assessment_steps(case, perms, assessment),
        *_proposal_steps(case, perms, assessment, proposal, next_step),
        *_later_steps(case, perms, open_breach),
        *_victim_steps(case, perms, has_victim),
    ]


# The victim can be told of an outcome once there is one (cautions.services.victims).
VICTIM_INFORMED_STATES = tuple(
    s for s in S.values if s not in (S.ASSESSMENT, S.AWAITING_AUTHORISATION, S.AUTHORISED)
)


def can_record_victim_informed(case: Case, perms: Collection[str], has_victim: bool) -> bool:
    return can_change(perms) and has_victim and case.status in VICTIM_INFORMED_STATES


def _victim_steps(case: Case, perms: Collection[str], has_victim: bool) -> list[Action]:
    if not can_record_victim_informed(case, perms, has_victim):
        return []
    return [
        Action(
            "record_victim_informed",
            "Record that the victim was told",
            url_for("cautions:victim_informed", case.pk),
            "secondary",
        )
    ]


def can_propose(case: Case, perms: Collection[str]) -> bool:
    return can_change(perms) and case.status in PROPOSE_STATES


def _proposal_steps(
    case: Case, perms: Collection[str], assessment, proposal, next_step: str
) -> list[Action]:
    """Proposing the conditions, and sending them for authorisation: each primary only when it
    is the next step (the service refuses to send an incomplete case anyway)."""
    pk = case.pk
    steps = []
    if can_propose(case, perms) and (assessment is not None or case.status == S.AUTHORISED):
        if case.status == S.AUTHORISED:
            label = "Change the conditions (needs a fresh authorisation)"
        else:
            label = "Change the proposed conditions" if proposal else "Propose conditions"
        steps.append(
            Action(
                "propose",
                label,
                url_for("cautions:propose", pk),
                "" if next_step == "propose" else "secondary",
            )
        )
    if can_submit(case, perms, assessment):
        steps.append(
            Action(
                "submit",
                "Send for authorisation",
                url_for("cautions:submit", pk),
                "" if next_step == "submit" else "secondary",
                post=True,
            )
        )
    return steps


def _assessment_steps(case: Case, perms: Collection[str], assessment) -> list[Action]:
    pk = case.pk
    assessing = case.status == S.ASSESSMENT
    steps = []
    if can_check_eligibility(case, perms):
        again = assessment is not None
        steps.append(
            Action(
                "check_eligibility",
                "Check eligibility again" if again else "Check eligibility",
                url_for("cautions:eligibility", pk),
                "secondary" if again else "",
            )
        )
    if can_authorise(case, perms):
        steps.append(Action("authorise", "Authorise or decline", url_for("cautions:authorise", pk)))
    if can_reopen(case, perms):
        steps.append(
            Action("reopen", "Reopen the assessment", url_for("cautions:reopen", pk), "secondary")
        )
    if can_record_needs(case, perms):
        steps.append(
            Action(
                "record_needs",
                "Assess needs" if assessing else "Update needs",
                url_for("cautions:needs", pk),
                "secondary",
            )
        )
    if can_give_caution(case, perms):
        steps.append(
            Action(
                "give_caution",
                "Give the caution and set conditions",
                url_for("cautions:administer", pk),
            )
        )
    if can_record_victim_views(case, perms):
        steps.append(
            Action(
                "record_victim_views",
                "Record the victim's views" if assessing else "Update the victim's views",
                url_for("cautions:victim_views", pk),
                "secondary",
            )
        )
    return steps


def _later_steps(case: Case, perms: Collection[str], open_breach) -> list[Action]:
    pk = case.pk
    steps = []
    if can_decide_breach(case, perms, open_breach):
        steps.append(
            Action(
                "decide_breach",
                "Decide the breach",
                url_for("cautions:breach_decide", pk, open_breach.pk),
            )
        )
    if can_record_court_outcome(case, perms):
        steps.append(
            Action(
                "record_court_outcome",
                "Record the court outcome",
                url_for("cautions:court_outcome", pk),
                "secondary" if case.court_outcome_kind else "",
            )
        )
    if can_print(case, perms):
        steps.append(
            Action(
                "print",
                "Print the caution document for signature",
                url_for("cautions:print", pk),
                "secondary",
            )
        )
    if can_record_signature(case, perms):
        steps.append(
            Action(
                "record_signature",
                "Record that the document was signed",
                url_for("cautions:signature", pk),
                "secondary",
            )
        )
    if can_withdraw(case, perms):
        steps.append(
            Action("withdraw", "Withdraw the case", url_for("cautions:withdraw", pk), "warning")
        )
    return steps


@dataclass(frozen=True)
class ConditionActions:
    """The links beside a condition on the case overview."""

    can_mark_complied: bool
    can_record_breach: bool
    can_vary: bool
    can_end: bool


def condition_actions(case: Case, condition: Condition, perms: Collection[str]) -> ConditionActions:
    return ConditionActions(
        can_mark_complied=can_mark_complied(case, condition, perms),
        can_record_breach=can_record_breach(case, condition, perms),
        can_vary=can_vary(case, condition, perms),
        can_end=can_end(case, condition, perms),
    )
