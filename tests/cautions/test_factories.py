import pytest

from cautions.models import Case, Condition
from tests.cautions import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("factory_class", "status"),
    [
        (f.CaseFactory, "assessment"),
        (f.AwaitingAuthorisationCaseFactory, "awaiting_authorisation"),
        (f.AuthorisedCaseFactory, "authorised"),
        (f.NotEligibleCaseFactory, "not_eligible"),
        (f.DeclinedCaseFactory, "declined"),
        (f.ActiveCaseFactory, "active"),
        (f.BreachCaseFactory, "breach"),
        (f.CompliedCaseFactory, "complied"),
        (f.FailedNoFurtherActionCaseFactory, "failed_nfa"),
        (f.ProsecutionResumedCaseFactory, "prosecution_resumed"),
        (f.WithdrawnCaseFactory, "withdrawn"),
    ],
)
def test_each_state_factory_builds_a_valid_case(factory_class, status):
    case = factory_class()
    case.refresh_from_db()
    assert case.status == status
    case.full_clean()


def test_active_case_has_conditions_on_request():
    case = f.ActiveCaseFactory(conditions=3)
    assert case.conditions.count() == 3
    provider = f.ConditionFactory(provider_condition=True)
    assert provider.provider is not None
    assert provider.case.status == Case.Status.ACTIVE
    assert f.CompliedCaseFactory().conditions.get().status == Condition.Status.COMPLIED
