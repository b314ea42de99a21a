"""get_case_for_user: one rule of which cases a user may see, whichever read the page uses
(the plain queryset, or the case page's prepared query, cautions.selectors.CASE_PAGE_CASE)."""

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.core.exceptions import PermissionDenied
from django.http import Http404

from cautions.access import get_case_for_user
from cautions.models import Case
from cautions.selectors import CASE_PAGE_CASE
from hub.roles import Role
from tests.cautions.factories import (
    AwaitingAuthorisationCaseFactory,
    BreachCaseFactory,
    CaseFactory,
    CompliedCaseFactory,
    DeclinedCaseFactory,
    ProsecutionResumedCaseFactory,
    WithdrawnCaseFactory,
)
from tests.factories import OrganisationFactory, make_user
from tests.referrals.factories import caseworker_of, new_referral

pytestmark = pytest.mark.django_db

FOUND, NOT_FOUND, FORBIDDEN = "found", "404", "403"


def _outcome(user, pk: int, *, write: bool, prepared) -> str:
    try:
        case = get_case_for_user(user, pk, write=write, prepared=prepared)
    except Http404:
        return NOT_FOUND
    except PermissionDenied:
        return FORBIDDEN
    assert case.pk == pk
    return FOUND


@pytest.fixture
def world():
    """Users of every role, and cases of several states and organisations."""
    provider, other_provider = OrganisationFactory(), OrganisationFactory()
    referred = new_referral(provider).case  # support from `provider`
    elsewhere = new_referral(other_provider).case  # support from the other provider
    officer = make_user(Role.OFFICER)
    # Someone allowed to read cases but not to change them (no role has this today): the 403.
    reader = make_user(None, organisation=referred.officer.profile.organisation)
    reader.user_permissions.add(Permission.objects.get(codename="view_case"))
    users = {
        "officer": officer,
        "sergeant": make_user(Role.AUTHORISING_OFFICER),
        "caseworker of the provider": caseworker_of(provider),
        "caseworker of another provider": caseworker_of(other_provider),
        "analyst": make_user(Role.ANALYST),
        "administrator": make_user(Role.ADMINISTRATOR),
        "reader": reader,
        "signed out": AnonymousUser(),
    }
    cases = {
        "being assessed, mine": CaseFactory(officer=officer),
        "being assessed, another officer's": CaseFactory(),
        "awaiting authorisation": AwaitingAuthorisationCaseFactory(),
        "declined": DeclinedCaseFactory(),
        "given, support from the provider": referred,
        "given, support from another provider": elsewhere,
        "in breach": BreachCaseFactory(),
        "complied": CompliedCaseFactory(),
        "prosecution resumed": ProsecutionResumedCaseFactory(),
        "withdrawn": WithdrawnCaseFactory(),
        "imported, no officer": CompliedCaseFactory(),
    }
    # Historic cases imported from the force's records have no officer.
    Case.objects.filter(pk=cases["imported, no officer"].pk).update(officer=None)
    return users, {name: case.pk for name, case in cases.items()} | {"no such case": 0}


# What each role gets, whatever the case (police see every case in the force; caseworkers
# reach their people through referrals, analysts through aggregates, administrators neither).
EXPECTED = {
    "officer": (FOUND, FOUND),
    "sergeant": (FOUND, FOUND),
    "caseworker of the provider": (NOT_FOUND, NOT_FOUND),
    "caseworker of another provider": (NOT_FOUND, NOT_FOUND),
    "analyst": (NOT_FOUND, NOT_FOUND),
    "administrator": (NOT_FOUND, NOT_FOUND),
    "reader": (FOUND, FORBIDDEN),
    "signed out": (NOT_FOUND, NOT_FOUND),
}


def test_the_prepared_and_plain_reads_give_the_same_answer_for_every_role_and_case(world):
    users, cases = world
    assert set(users) == set(EXPECTED)
    answers = {}
    for user_name, user in users.items():
        for case_name, pk in cases.items():
            for write in (False, True):
                plain = _outcome(user, pk, write=write, prepared=None)
                prepared = _outcome(user, pk, write=write, prepared=CASE_PAGE_CASE)
                assert plain == prepared, (user_name, case_name, write)
                answers[user_name, case_name, write] = plain
    expected = {
        (user_name, case_name, write): (
            NOT_FOUND if case_name == "no such case" else EXPECTED[user_name][write]
        )
        for user_name in users
        for case_name in cases
        for write in (False, True)
    }
    assert answers == expected


def test_both_reads_load_what_the_caption_shows(world, django_assert_num_queries):
    users, cases = world
    pk = cases["given, support from the provider"]
    for prepared in (None, CASE_PAGE_CASE):
        case = get_case_for_user(users["officer"], pk, prepared=prepared)
        with django_assert_num_queries(0):
            assert case.person.last_name
            assert case.offence.category.label
            assert case.officer.username
