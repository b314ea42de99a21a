"""One family of domain errors (hub.errors): each app's refusals keep their own names and are
caught by the hub base, whichever app refused."""

import pytest

from cautions import services as cautions
from hub import errors
from referrals import services as referrals
from tests.cautions.factories import ActiveCaseFactory, AwaitingAuthorisationCaseFactory
from tests.referrals.factories import accepted_referral

pytestmark = pytest.mark.django_db


def test_a_refused_transition_of_either_app_is_a_hub_invalid_transition(sergeant):
    case = ActiveCaseFactory()
    with pytest.raises(errors.InvalidTransition) as caught:
        cautions.case_authorise(case=case, actor=sergeant)
    assert isinstance(caught.value, cautions.InvalidTransition)
    assert isinstance(caught.value, cautions.CautionError)
    assert (
        caught.value.message
        == "You cannot authorise this case: this case is a caution in progress."
    )

    referral = accepted_referral()
    worker = referral.assigned_to
    with pytest.raises(errors.InvalidTransition) as caught:
        referrals.referral_accept(referral=referral, actor=worker, assignee=worker)
    assert isinstance(caught.value, referrals.InvalidTransition)
    assert isinstance(caught.value, referrals.ReferralError)
    assert (
        str(caught.value)
        == caught.value.message
        == ("The referral is already assigned to that caseworker.")
    )
    assert caught.value.field is None


def test_the_other_cautions_errors_are_the_hub_kinds(officer, sergeant):
    case = AwaitingAuthorisationCaseFactory()
    with pytest.raises(errors.NotAllowed):
        cautions.case_decline(case=case, actor=officer, reason="No")
    with pytest.raises(errors.RuleViolation) as caught:
        cautions.case_decline(case=case, actor=sergeant, reason=" ")
    assert caught.value.field == "reason"
    with pytest.raises(errors.StaleVersion) as caught:
        cautions.case_decline(case=case, actor=sergeant, reason="No", expected_version=99)
    assert isinstance(caught.value, cautions.StaleVersion)
    assert caught.value.current_version == case.version
    assert caught.value.message == cautions.STALE_MESSAGE


def test_a_referral_refusal_is_a_domain_error_but_not_a_transition():
    referral = accepted_referral()
    with pytest.raises(errors.DomainError) as caught:
        referrals.referral_return(referral=referral, actor=referral.assigned_to, reason=" ")
    assert not isinstance(caught.value, errors.InvalidTransition)
    assert caught.value.message == "Enter why you are returning the referral."
