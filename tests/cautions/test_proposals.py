"""Proposed conditions: the authorising officer decides on the set; the caution is given with
that set only; rank sergeant or above from the staff record; sent back with changes."""

from decimal import Decimal

import pytest

from cautions import services
from cautions.models import Case, CaseEvent, ConditionProposal
from hub.models import StaffProfile
from hub.roles import Role
from tests.cautions import factories as f
from tests.cautions.helpers import administer_kwargs, spec
from tests.factories import make_user

pytestmark = pytest.mark.django_db
S = Case.Status
P = ConditionProposal.Status


def _assessed(officer, **victim):
    case = f.CaseFactory(officer=officer, needs_recorded_at="2026-12-01T10:00Z")
    f.EligibilityAssessmentFactory(case=case)
    f.VictimViewsFactory(case=case, **victim)
    return case


def test_propose_then_submit_then_authorise_records_the_set_and_the_rank(officer, sergeant):
    case = _assessed(officer)
    with pytest.raises(services.RuleViolation, match="the proposed conditions"):
        services.case_submit_for_authorisation(case=case, actor=officer)
    proposal = services.conditions_propose(case=case, actor=officer, conditions=[spec()])
    assert (proposal.number, proposal.status) == (1, P.PROPOSED)
    assert proposal.conditions[0]["condition_type"] == "apology_letter"
    event = CaseEvent.objects.filter(case=case).latest("id")
    assert (event.kind, event.data["number"]) == ("conditions_proposed", 1)
    services.case_submit_for_authorisation(case=case, actor=officer)
    services.case_authorise(case=case, actor=sergeant)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by, proposal.decided_by_rank) == (
        P.AUTHORISED,
        sergeant,
        "sergeant",
    )
    assert CaseEvent.objects.filter(case=case).latest("id").data["proposal"] == 1


def test_the_caution_is_given_only_with_the_authorised_set(officer):
    case = f.AuthorisedCaseFactory(officer=officer)
    different = administer_kwargs(conditions=[spec(description="Something else")])
    with pytest.raises(services.RuleViolation, match="not the ones authorised"):
        services.caution_administer(case=case, actor=officer, **different)
    assert Case.objects.get(pk=case.pk).status == S.AUTHORISED
    assert not case.conditions.exists()
    # The authorised set itself (in any order of fields) is accepted.
    services.caution_administer(case=case, actor=officer, **administer_kwargs())
    assert Case.objects.get(pk=case.pk).status == S.ACTIVE


def test_an_amount_differing_by_a_penny_needs_a_fresh_authorisation(officer):
    case = f.AuthorisedCaseFactory(officer=officer)
    f.authorise_set(case, [spec("compensation", amount=Decimal("40.00"))])
    kwargs = administer_kwargs(conditions=[spec("compensation", amount=Decimal("40.01"))])
    with pytest.raises(services.RuleViolation, match="not the ones authorised"):
        services.caution_administer(case=case, actor=officer, **kwargs)
    kwargs = administer_kwargs(conditions=[spec("compensation", amount=Decimal("40"))])
    services.caution_administer(case=case, actor=officer, **kwargs)


def test_proposing_again_after_authorisation_needs_a_fresh_authorisation(officer, sergeant):
    case = f.AuthorisedCaseFactory(officer=officer)
    first = ConditionProposal.objects.get(case=case)
    second = services.conditions_propose(
        case=case, actor=officer, conditions=[spec(description="Changed")]
    )
    case.refresh_from_db()
    first.refresh_from_db()
    assert (case.status, case.authorised_by) == (S.ASSESSMENT, None)
    assert (first.status, second.number, second.status) == (P.SUPERSEDED, 2, P.PROPOSED)
    with pytest.raises(services.InvalidTransition):
        services.caution_administer(case=case, actor=officer, **administer_kwargs())


def test_sent_back_returns_the_case_with_the_changes_asked_for(officer, sergeant):
    case = f.AwaitingAuthorisationCaseFactory(officer=officer)
    with pytest.raises(services.RuleViolation, match="changes you ask for"):
        services.case_send_back(case=case, actor=sergeant, changes_requested=" ")
    services.case_send_back(case=case, actor=sergeant, changes_requested="Add compensation")
    case.refresh_from_db()
    proposal = ConditionProposal.objects.get(case=case)
    assert case.status == S.ASSESSMENT
    assert (proposal.status, proposal.decision_note) == (P.SENT_BACK, "Add compensation")
    event = CaseEvent.objects.filter(case=case).latest("id")
    assert (event.kind, event.from_status, event.to_status) == (
        "sent_back",
        S.AWAITING_AUTHORISATION,
        S.ASSESSMENT,
    )
    # Sent back: it cannot go for authorisation again until the conditions are proposed again.
    with pytest.raises(services.RuleViolation, match="the proposed conditions"):
        services.case_submit_for_authorisation(case=case, actor=officer)
    services.conditions_propose(
        case=case, actor=officer, conditions=[spec("compensation", amount=20)]
    )
    services.case_submit_for_authorisation(case=case, actor=officer)
    assert Case.objects.get(pk=case.pk).status == S.AWAITING_AUTHORISATION


@pytest.mark.parametrize(
    ("rank", "allowed"),
    [("constable", False), ("", False), ("sergeant", True), ("inspector", True)],
)
def test_authorising_needs_a_recorded_rank_of_sergeant_or_above(officer, rank, allowed):
    authoriser = make_user(Role.AUTHORISING_OFFICER)
    StaffProfile.objects.filter(user=authoriser).update(rank=rank)
    case = f.AwaitingAuthorisationCaseFactory(officer=officer)
    if allowed:
        services.case_authorise(case=case, actor=authoriser)
        assert Case.objects.get(pk=case.pk).status == S.AUTHORISED
    else:
        for action in (
            lambda: services.case_authorise(case=case, actor=authoriser),
            lambda: services.case_send_back(case=case, actor=authoriser, changes_requested="x"),
            lambda: services.case_decline(case=case, actor=authoriser, reason="x"),
        ):
            with pytest.raises(services.NotAllowed, match="sergeant or above"):
                action()
        assert Case.objects.get(pk=case.pk).status == S.AWAITING_AUTHORISATION
        assert ConditionProposal.objects.get(case=case).status == P.PROPOSED


def test_declining_declines_the_proposed_set(officer, sergeant):
    case = f.AwaitingAuthorisationCaseFactory(officer=officer)
    services.case_decline(case=case, actor=sergeant, reason="History")
    assert ConditionProposal.objects.get(case=case).status == P.DECLINED


def test_propose_refused_in_other_states(officer):
    for case in (
        f.AwaitingAuthorisationCaseFactory(officer=officer),
        f.ActiveCaseFactory(officer=officer),
    ):
        before = case.version
        with pytest.raises(services.InvalidTransition):
            services.conditions_propose(case=case, actor=officer, conditions=[spec()])
        assert Case.objects.get(pk=case.pk).version == before
