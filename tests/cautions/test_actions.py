"""What the case page offers to do next (cautions.actions), by the case's state and the role.

The cases are built in memory: the rules read the case and the permissions of each role's user,
never the database (the last test proves it)."""

import datetime as dt

import pytest

from cautions import actions
from cautions.models import Breach, Case, Condition, EligibilityAssessment
from hub.roles import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db

S = Case.Status
CAUTION_DATE = dt.date(2025, 3, 1)
CAUTIONED = {*Case.CAUTIONED}


@pytest.fixture
def users():
    """Each role's permissions, as a page reads them (user.get_all_permissions())."""
    roles = {
        "officer": Role.OFFICER,
        "sergeant": Role.AUTHORISING_OFFICER,
        "caseworker": Role.CASEWORKER,
        "analyst": Role.ANALYST,
        "administrator": Role.ADMINISTRATOR,
    }
    return {name: make_user(role).get_all_permissions() for name, role in roles.items()}


def case_in(status: str, **fields) -> Case:
    cautioned = status in CAUTIONED or fields.pop("cautioned", False)
    return Case(pk=7, status=status, caution_date=CAUTION_DATE if cautioned else None, **fields)


ASSESSMENT = EligibilityAssessment(pk=3)
OPEN_BREACH = Breach(pk=5)


# state, what the page has read (assessment, open breach), the buttons for an officer and for
# an authorising officer, in the order shown
HEADER = [
    (S.ASSESSMENT, {}, ["check_eligibility", "record_needs", "record_victim_views", "withdraw"], None),
    (
        S.ASSESSMENT,
        {"assessment": ASSESSMENT},
        ["check_eligibility", "record_needs", "record_victim_views", "propose", "submit", "withdraw"],
        None,
    ),
    (S.NOT_ELIGIBLE, {}, [], ["reopen"]),
    (S.AWAITING_AUTHORISATION, {}, ["record_needs", "withdraw"], ["authorise", "record_needs", "withdraw"]),
    (S.DECLINED, {}, [], None),
    (S.AUTHORISED, {}, ["give_caution", "record_victim_views", "propose", "print", "record_signature", "withdraw"], None),
    (S.ACTIVE, {}, ["print", "record_signature", "withdraw"], None),
    (S.BREACH, {}, ["print", "withdraw"], None),
    (S.BREACH, {"open_breach": OPEN_BREACH}, ["print", "withdraw"], ["decide_breach", "print", "withdraw"]),
    (S.COMPLIED, {}, ["print"], None),
    (S.FAILED_NO_FURTHER_ACTION, {}, ["print"], None),
    (S.PROSECUTION_RESUMED, {}, ["record_court_outcome", "print"], None),
    (S.FAILED, {}, ["print"], None),
    (S.WITHDRAWN, {}, [], None),
]  # fmt: skip


@pytest.mark.parametrize(("status", "read", "officer", "sergeant"), HEADER)
def test_the_header_offers_the_steps_of_the_state(users, status, read, officer, sergeant):
    case = case_in(status)
    assert [a.key for a in actions.case_actions(case, users["officer"], **read)] == officer
    expected = officer if sergeant is None else sergeant
    assert [a.key for a in actions.case_actions(case, users["sergeant"], **read)] == expected


@pytest.mark.parametrize("role", ["caseworker", "analyst", "administrator"])
@pytest.mark.parametrize("status", S.values)
def test_who_may_not_change_cases_is_offered_nothing(users, role, status):
    case = case_in(status)
    read = {"assessment": ASSESSMENT, "open_breach": OPEN_BREACH}
    assert actions.case_actions(case, users[role], **read) == []
    assert not actions.can_change(users[role])


def test_a_case_withdrawn_after_the_caution_can_still_be_printed(users):
    case = case_in(S.WITHDRAWN, cautioned=True)
    assert [a.key for a in actions.case_actions(case, users["officer"])] == ["print"]


def test_the_buttons_words_links_and_looks(users):
    officer = users["officer"]
    first = actions.case_actions(case_in(S.ASSESSMENT), officer)
    assert (first[0].label, first[0].url, first[0].style) == (
        "Check eligibility",
        "/cases/7/eligibility/",
        "",
    )
    assert [a.label for a in first[1:3]] == ["Assess needs", "Record the victim's views"]
    again = actions.case_actions(case_in(S.ASSESSMENT), officer, assessment=ASSESSMENT)
    assert (again[0].label, again[0].style) == ("Check eligibility again", "secondary")
    submit = next(a for a in again if a.key == "submit")
    # Sending for authorisation is primary only when it is the next step.
    assert (submit.url, submit.post, submit.style) == ("/cases/7/submit/", True, "secondary")
    ready = actions.case_actions(
        case_in(S.ASSESSMENT), officer, assessment=ASSESSMENT, next_step="submit"
    )
    assert [(a.key, a.style) for a in ready if a.key in ("propose", "submit")] == [
        ("propose", "secondary"),
        ("submit", ""),
    ]
    to_propose = actions.case_actions(
        case_in(S.ASSESSMENT), officer, assessment=ASSESSMENT, next_step="propose"
    )
    assert [(a.key, a.style) for a in to_propose if a.key in ("propose", "submit")] == [
        ("propose", ""),
        ("submit", "secondary"),
    ]
    assert [a.label for a in actions.case_actions(case_in(S.AWAITING_AUTHORISATION), officer)] == [
        "Update needs",
        "Withdraw the case",
    ]
    authorised = actions.case_actions(case_in(S.AUTHORISED), officer)
    assert [(a.label, a.style) for a in authorised] == [
        ("Give the caution and set conditions", ""),
        ("Update the victim's views", "secondary"),
        ("Change the conditions (needs a fresh authorisation)", "secondary"),
        ("Print the caution document for signature", "secondary"),
        ("Record that the document was signed", "secondary"),
        ("Withdraw the case", "warning"),
    ]
    decide = actions.case_actions(case_in(S.BREACH), users["sergeant"], open_breach=OPEN_BREACH)
    assert decide[0].url == "/cases/7/breaches/5/decide/"
    waiting = actions.case_actions(case_in(S.PROSECUTION_RESUMED), officer)[0]
    assert (waiting.label, waiting.style) == ("Record the court outcome", "")
    recorded = case_in(S.PROSECUTION_RESUMED, court_outcome_kind="convicted")
    assert actions.case_actions(recorded, officer)[0].style == "secondary"


def test_only_an_authorising_officer_may_authorise_or_decide_a_breach(users):
    awaiting, breach = case_in(S.AWAITING_AUTHORISATION), case_in(S.BREACH)
    assert actions.can_authorise(awaiting, users["sergeant"])
    assert not actions.can_authorise(awaiting, users["officer"])
    assert actions.can_decide_breach(breach, users["sergeant"], OPEN_BREACH)
    assert not actions.can_decide_breach(breach, users["officer"], OPEN_BREACH)
    # Nothing to decide once the breach is decided, whatever the role.
    assert not actions.can_decide_breach(breach, users["sergeant"], None)


# case state: (complied, not complied, vary, end) for a pending condition
CONDITION_LINKS = {
    S.ACTIVE: (True, True, True, True),
    S.BREACH: (True, False, False, False),
    **{
        status: (False, False, False, False)
        for status in (
            S.COMPLIED,
            S.FAILED_NO_FURTHER_ACTION,
            S.PROSECUTION_RESUMED,
            S.FAILED,
            S.WITHDRAWN,
        )
    },
}


@pytest.mark.parametrize(("status", "links"), CONDITION_LINKS.items())
@pytest.mark.parametrize("condition_status", Condition.Status.values)
def test_the_links_beside_a_condition(users, status, links, condition_status):
    condition = Condition(pk=9, status=condition_status)
    found = actions.condition_actions(case_in(status), condition, users["officer"])
    pending = condition_status == Condition.Status.PENDING
    expected = links if pending else (False, False, False, False)
    assert (found.can_mark_complied, found.can_record_breach, found.can_vary, found.can_end) == (
        expected
    )
    refused = actions.condition_actions(case_in(status), condition, users["analyst"])
    assert not any(vars(refused).values())


def test_the_rules_read_nothing_from_the_database(users, django_assert_num_queries):
    with django_assert_num_queries(0):
        for status in S.values:
            case = case_in(status)
            read = {"assessment": ASSESSMENT, "open_breach": OPEN_BREACH}
            actions.case_actions(case, users["sergeant"], **read)
            actions.condition_actions(case, Condition(pk=9), users["sergeant"])


def test_a_superuser_may_do_what_an_authorising_officer_may(users):
    superuser = make_user(None, is_superuser=True).get_all_permissions()
    case = case_in(S.BREACH)
    assert [a.key for a in actions.case_actions(case, superuser, open_breach=OPEN_BREACH)] == [
        "decide_breach",
        "print",
        "withdraw",
    ]
