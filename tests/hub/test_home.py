import pytest
from django.urls import reverse

from hub.roles import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "home"),
    [
        (Role.OFFICER, "cautions:worklist"),
        (Role.AUTHORISING_OFFICER, "cautions:worklist"),
        (Role.CASEWORKER, "referrals:inbox"),
        (Role.ANALYST, "reporting:dashboard"),
        (Role.ADMINISTRATOR, "hub:audit_log"),
    ],
)
def test_each_role_lands_on_its_own_home_page(client, role, home):
    client.force_login(make_user(role, username="someone"))
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse(home)
    assert response.status_code == 200


def test_user_without_a_role_is_told_what_to_do(client):
    client.force_login(make_user(None, username="nobody"))
    response = client.get(reverse("home"), follow=True)
    assert b"Your account has no role yet" in response.content


@pytest.mark.parametrize(
    ("role", "visible", "hidden"),
    [
        (Role.OFFICER, ["Worklist", "People"], ["Dashboard", "Access log", "Referrals"]),
        (Role.CASEWORKER, ["Referrals"], ["People", "Dashboard", "Worklist"]),
        (Role.ANALYST, ["Dashboard"], ["People", "Referrals", "Worklist", "Access log"]),
    ],
)
def test_navigation_shows_only_what_the_role_may_use(client, role, visible, hidden):
    client.force_login(make_user(role, username="someone"))
    response = client.get(reverse("home"), follow=True)
    nav = [item["label"] for item in response.context["nav_items"]]
    for label in visible:
        assert label in nav
    for label in hidden:
        assert label not in nav
    for item in response.context["nav_items"]:
        assert client.get(item["url"]).status_code == 200, item
