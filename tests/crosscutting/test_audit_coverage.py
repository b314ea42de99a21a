"""Pages that show or hand over personal data write the s.62 access log (DPA 2018 s.62)."""

import pytest
from django.test import Client
from django.urls import reverse

from hub.models import AccessLog
from tests.crosscutting.test_url_matrix import users
from tests.security.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world(users())


def visit(user, url: str):
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response


# (role, URL name, kwargs from the world, expected action, object type)
LOGGED_VIEWS = [
    ("officer", "hub:person_detail", lambda w: [w.person.pk], "consultation", "hub.person"),
    ("officer", "cautions:case_detail", lambda w: [w.case.pk], "consultation", "cautions.case"),
    ("officer", "cautions:case_assessment", lambda w: [w.case.pk], "consultation", "cautions.case"),
    ("officer", "cautions:case_support", lambda w: [w.case.pk], "consultation", "cautions.case"),
    ("officer", "cautions:case_history", lambda w: [w.case.pk], "consultation", "cautions.case"),
    ("officer", "cautions:print", lambda w: [w.case.pk], "disclosure", "cautions.case"),
    (
        "officer",
        "cautions:condition_payments",
        lambda w: [w.case.pk, w.extra["amount_condition"].pk],
        "consultation",
        "cautions.condition",
    ),
    (
        "officer",
        "referrals:detail",
        lambda w: [w.referral.pk],
        "consultation",
        "referrals.referral",
    ),
    (
        "caseworker",
        "referrals:detail",
        lambda w: [w.referral.pk],
        "consultation",
        "referrals.supportsession",
    ),
    (
        "caseworker",
        "referrals:session_edit",
        lambda w: [w.session.pk],
        "consultation",
        "referrals.supportsession",
    ),
    (
        "admin",
        "security:retention_review",
        lambda w: [w.due_case.pk],
        "consultation",
        "cautions.case",
    ),
]


@pytest.mark.parametrize(("role", "name", "args", "action", "object_type"), LOGGED_VIEWS)
def test_personal_data_views_are_logged(world, role, name, args, action, object_type):
    user = world.users[role]
    visit(user, reverse(name, args=args(world)))
    entries = AccessLog.objects.filter(user=user, action=action, object_type=object_type)
    assert entries.exists(), f"{name} wrote no {action} entry for {object_type}"
    entry = entries.first()
    assert entry.person_id is not None
    assert entry.path.startswith(reverse(name, args=args(world)))
    if action == "disclosure":
        assert entry.recipient


def test_officer_viewing_a_referral_does_not_log_session_notes(world):
    # Officers never see session notes, so no consultation of notes is recorded for them.
    visit(world.users["officer"], reverse("referrals:detail", args=[world.referral.pk]))
    assert not AccessLog.objects.filter(object_type="referrals.supportsession").exists()
