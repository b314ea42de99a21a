"""Separation of duties (issue 17 point 8): the administrator manages accounts, the access log
and retention; it takes no workflow decision and reads no case record unless also given that
role. The demo `admin` is not a superuser; a break-glass superuser is a separate account whose
every request is logged."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from cautions.models import Case
from demo import core as demo
from hub.models import AccessLog
from hub.roles import Role
from tests.cautions.factories import AwaitingAuthorisationCaseFactory, BreachCaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_admin():
    ctx = demo.seed(demo.DemoContext())
    return ctx.users["admin"]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_demo_admin_is_an_administrator_not_a_superuser(demo_admin):
    assert not demo_admin.is_superuser
    assert demo_admin.is_staff  # Django admin: accounts and reference data
    assert set(demo_admin.groups.values_list("name", flat=True)) == {Role.ADMINISTRATOR}


def test_seeding_again_takes_superuser_away_from_an_older_demo_admin():
    user = get_user_model().objects.create_superuser("admin", password="x" * 20)
    demo.seed(demo.DemoContext())
    user.refresh_from_db()
    assert not user.is_superuser
    assert user.is_staff


def test_the_administrator_cannot_authorise_a_caution_or_decide_a_breach(demo_admin):
    client = signed_in(demo_admin)
    awaiting = AwaitingAuthorisationCaseFactory()
    response = client.post(
        reverse("cautions:authorise", args=[awaiting.pk]),
        {"decision": "authorise", "reason": "ok", "expected_version": awaiting.version},
    )
    assert response.status_code == 403
    breach_case = BreachCaseFactory()
    breach = breach_case.breaches.first()
    response = client.post(
        reverse("cautions:breach_decide", args=[breach_case.pk, breach.pk]),
        {"decision": "no_further_action", "reason": "x", "expected_version": breach_case.version},
    )
    assert response.status_code == 403
    awaiting.refresh_from_db()
    breach_case.refresh_from_db()
    assert awaiting.status == Case.Status.AWAITING_AUTHORISATION
    assert breach_case.status == Case.Status.BREACH


def test_the_administrator_reads_no_case_person_or_referral(demo_admin):
    client = signed_in(demo_admin)
    case = AwaitingAuthorisationCaseFactory()
    for url in (
        reverse("cautions:case_list"),
        reverse("cautions:case_detail", args=[case.pk]),
        reverse("hub:person_detail", args=[case.person_id]),
        reverse("hub:person_search"),
        "/admin/hub/person/",
        f"/admin/hub/person/{case.person_id}/change/",
        "/admin/cautions/case/",
        f"/admin/cautions/case/{case.pk}/change/",
        "/admin/referrals/referral/",
    ):
        assert client.get(url).status_code == 403, url
    assert not AccessLog.objects.filter(user=demo_admin, person__isnull=False).exists()


def test_the_administrator_manages_accounts_in_the_admin(demo_admin):
    client = signed_in(demo_admin)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/auth/user/").status_code == 200
    assert client.get("/admin/axes/accessattempt/").status_code == 200


def _change_user(client, user, **changes):
    page = client.get(f"/admin/auth/user/{user.pk}/change/")
    assert page.status_code == 200
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "is_staff": "on" if user.is_staff else "",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "groups": [g.pk for g in user.groups.all()],
        **changes,
    }
    return client.post(
        f"/admin/auth/user/{user.pk}/change/", {k: v for k, v in data.items() if v != ""}
    )


def test_the_administrator_cannot_make_anyone_a_superuser_or_give_itself_a_role(
    demo_admin, officer
):
    client = signed_in(demo_admin)
    sergeants = Group.objects.get(name=Role.AUTHORISING_OFFICER)
    _change_user(
        client,
        demo_admin,
        groups=[*demo_admin.groups.values_list("pk", flat=True), sergeants.pk],
        is_superuser="on",
    )
    demo_admin.refresh_from_db()
    assert not demo_admin.is_superuser
    assert Role.AUTHORISING_OFFICER not in demo_admin.groups.values_list("name", flat=True)
    _change_user(client, officer, is_superuser="on")
    officer.refresh_from_db()
    assert not officer.is_superuser


def test_giving_someone_a_role_is_logged(demo_admin, officer):
    client = signed_in(demo_admin)
    sergeants = Group.objects.get(name=Role.AUTHORISING_OFFICER)
    response = _change_user(
        client, officer, groups=[*officer.groups.values_list("pk", flat=True), sergeants.pk]
    )
    assert response.status_code == 302
    assert officer.groups.filter(name=Role.AUTHORISING_OFFICER).exists()
    entry = AccessLog.objects.get(action="alteration", object_type="auth.user")
    assert entry.user == demo_admin
    assert entry.object_id == str(officer.pk)
    assert f"added {Role.AUTHORISING_OFFICER}" in entry.description


def test_every_request_of_a_break_glass_superuser_is_logged(db):
    root = get_user_model().objects.create_superuser("breakglass", password="x" * 20)
    client = signed_in(root)
    case = AwaitingAuthorisationCaseFactory()
    assert client.get(reverse("cautions:case_detail", args=[case.pk])).status_code == 200
    assert client.get("/admin/cautions/case/").status_code == 200
    uses = AccessLog.objects.filter(action="break_glass", user=root).order_by("pk")
    assert [entry.path for entry in uses] == [
        reverse("cautions:case_detail", args=[case.pk]),
        "/admin/cautions/case/",
    ]
    assert all(entry.username == "breakglass" for entry in uses)
    # The access log page lists them under their own action.
    admin = signed_in(get_user_model().objects.create_superuser("root2", password="x" * 20))
    page = admin.get(reverse("hub:audit_log"), {"action": "break_glass"})
    assert page.context["page_obj"].paginator.count >= 2


def test_other_users_requests_are_not_logged_as_break_glass(as_user, officer):
    as_user(officer).get(reverse("hub:person_search"))
    assert not AccessLog.objects.filter(action="break_glass").exists()


def test_retention_review_shows_the_administrator_no_names(administrator):
    import datetime as dt

    from django.utils import timezone

    from tests.cautions.factories import CompliedCaseFactory
    from tests.factories import PersonFactory

    person = PersonFactory(first_name="Zorabel", last_name="Quintavalle", pnc_id="11/777777Z")
    case = CompliedCaseFactory(
        offence__person=person,
        retention_review_date=timezone.localdate() - dt.timedelta(days=1),
    )
    client = signed_in(administrator)
    for url in (
        reverse("security:retention_list"),
        reverse("security:retention_review", args=[case.pk]),
    ):
        text = client.get(url).content.decode()
        assert case.reference in text
        for identifier in ("Zorabel", "Quintavalle", "11/777777Z"):
            assert identifier not in text, (url, identifier)
