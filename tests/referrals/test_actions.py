"""What the referral page offers to do next (referrals.actions), by the referral's state and
who looks: staff of the provider, staff of another provider, officers, analysts."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from cautions.models import Case
from hub.roles import Role
from referrals import actions
from referrals.models import Referral, SupportSession
from tests.factories import OrganisationFactory, make_user
from tests.referrals.factories import caseworker_of

pytestmark = pytest.mark.django_db

R = Referral.Status


@pytest.fixture
def provider():
    return OrganisationFactory(name="Outside Links")


@pytest.fixture
def users(provider):
    return {
        "caseworker": caseworker_of(provider),
        "other_provider": caseworker_of(OrganisationFactory(name="Elsewhere")),
        "officer": make_user(Role.OFFICER),
        "sergeant": make_user(Role.AUTHORISING_OFFICER),
        "analyst": make_user(Role.ANALYST),
    }


def referral_in(status: str, provider, *, assigned: bool = True) -> Referral:
    return Referral(pk=11, status=status, provider=provider, assigned_to_id=3 if assigned else None)


# state (assigned to a caseworker unless said), the buttons for the provider's caseworker
BUTTONS = [
    (R.NEW, False, ["accept", "return"]),
    (
        R.ACCEPTED,
        True,
        [
            "book_appointment",
            "record_session",
            "report_progress",
            "reassign",
            "return",
            "end_support",
        ],
    ),
    (
        R.IN_PROGRESS,
        True,
        ["book_appointment", "record_session", "report_progress", "reassign", "end_support"],
    ),
    (R.COMPLETED, True, []),
    (R.RETURNED, False, []),
    (R.WITHDRAWN, False, []),
    (R.WITHDRAWN, True, ["add_summary"]),
]


@pytest.mark.parametrize(("status", "assigned", "expected"), BUTTONS)
def test_the_providers_caseworker_is_offered_the_steps_of_the_state(
    users, provider, status, assigned, expected
):
    referral = referral_in(status, provider, assigned=assigned)
    assert [a.key for a in actions.referral_actions(referral, users["caseworker"])] == expected
    assert actions.can_act(referral, users["caseworker"])


@pytest.mark.parametrize("who", ["other_provider", "officer", "sergeant", "analyst"])
@pytest.mark.parametrize(("status", "assigned", "expected"), BUTTONS)
def test_anyone_else_only_reads(users, provider, who, status, assigned, expected):
    referral = referral_in(status, provider, assigned=assigned)
    assert actions.referral_actions(referral, users[who]) == []
    assert not actions.can_act(referral, users[who])


def test_the_buttons_words_links_and_looks(users, provider):
    caseworker = users["caseworker"]
    new = actions.referral_actions(referral_in(R.NEW, provider), caseworker)
    assert [(a.label, a.url, a.style) for a in new] == [
        ("Accept referral", "/referrals/11/accept/", ""),
        ("Return referral", "/referrals/11/return/", "secondary"),
    ]
    accepted = actions.referral_actions(referral_in(R.ACCEPTED, provider), caseworker)
    assert [(a.label, a.url, a.style) for a in accepted] == [
        ("Book an appointment", "/referrals/11/appointments/new/", ""),
        ("Record a session", "/referrals/11/sessions/new/", "secondary"),
        ("Report progress", "/referrals/11/progress/new/", "secondary"),
        ("Change caseworker", "/referrals/11/accept/", "secondary"),
        ("Return referral", "/referrals/11/return/", "secondary"),
        ("End support", "/referrals/11/close/", "warning"),
    ]
    closed = actions.referral_actions(referral_in(R.WITHDRAWN, provider), caseworker)
    assert [(a.label, a.url, a.style) for a in closed] == [
        ("Add end-of-support summary", "/referrals/11/close/", "secondary")
    ]


def test_sessions_are_recorded_only_by_staff_allowed_to(provider):
    # A member of the provider who handles referrals but does not record sessions.
    clerk = make_user(None, organisation=provider)
    clerk.user_permissions.add(
        *Permission.objects.filter(codename__in=["change_referral", "view_supportsession"])
    )
    referral = referral_in(R.IN_PROGRESS, provider)
    assert [a.key for a in actions.referral_actions(referral, clerk)] == [
        "book_appointment",
        "report_progress",
        "reassign",
        "end_support",
    ]


@pytest.mark.parametrize(
    ("status", "allowed"),
    [(status, status in (Case.Status.ACTIVE, Case.Status.BREACH)) for status in Case.Status],
)
def test_officers_refer_by_hand_while_the_caution_runs(users, status, allowed):
    case = Case(pk=4, status=status)
    assert actions.can_refer(case, users["officer"]) is allowed
    assert actions.can_refer(case, users["sergeant"]) is allowed
    assert not actions.can_refer(case, users["caseworker"])
    assert not actions.can_refer(case, users["analyst"])


def _session(referral, *, author, recorded_ago: dt.timedelta, corrected=False):
    session = SupportSession(
        pk=21, referral=referral, recorded_by=author, created_at=timezone.now() - recorded_ago
    )
    session.is_corrected = corrected
    return session


def test_the_author_may_change_an_entry_for_24_hours_then_only_correct_it(users, provider):
    caseworker = users["caseworker"]
    colleague = caseworker_of(provider)
    referral = referral_in(R.IN_PROGRESS, provider)
    now = timezone.now()
    fresh = _session(referral, author=caseworker, recorded_ago=dt.timedelta(hours=2))
    old = _session(referral, author=caseworker, recorded_ago=dt.timedelta(hours=25))
    assert actions.can_edit_session(referral, fresh, caseworker, now=now)
    assert actions.can_correct_session(referral, fresh, caseworker)
    assert not actions.can_edit_session(referral, old, caseworker, now=now)
    assert actions.can_correct_session(referral, old, caseworker)
    # A colleague corrects but does not change someone else's entry.
    assert not actions.can_edit_session(referral, fresh, colleague, now=now)
    assert actions.can_correct_session(referral, fresh, colleague)
    # A corrected entry stays as it is; officers and other providers never touch entries.
    corrected = _session(
        referral, author=caseworker, recorded_ago=dt.timedelta(hours=2), corrected=True
    )
    assert not actions.can_correct_session(referral, corrected, caseworker)
    assert not actions.can_edit_session(referral, corrected, caseworker, now=now)
    for who in ("officer", "other_provider", "analyst"):
        assert not actions.can_correct_session(referral, fresh, users[who])
        assert not actions.can_edit_session(referral, fresh, users[who], now=now)
