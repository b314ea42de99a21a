"""The sign-in backend's cheaper reads (hub/auth_backend.py) never serve stale access."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hub.auth_backend import GENERATION_KEY
from hub.roles import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _permission_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if "auth_permission" in q["sql"]]


def test_permissions_are_read_once_then_cached(as_user):
    client = as_user(make_user(Role.OFFICER))
    with CaptureQueriesContext(connection) as first:
        assert client.get(reverse("cautions:worklist")).status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert client.get(reverse("cautions:worklist")).status_code == 200
    assert len(_permission_queries(first.captured_queries)) == 2  # the user's and the roles'
    assert _permission_queries(second.captured_queries) == []


def test_the_header_organisation_comes_with_the_user(as_user):
    officer = make_user(Role.OFFICER)
    client = as_user(officer)
    client.get(reverse("cautions:worklist"))
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("cautions:worklist"))
    assert officer.profile.organisation.name in response.content.decode()
    assert not [q for q in ctx.captured_queries if 'FROM "hub_organisation"' in q["sql"]]


def test_a_role_taken_away_is_refused_on_the_next_request(as_user):
    officer = make_user(Role.OFFICER)
    client = as_user(officer)
    assert client.get(reverse("cautions:worklist")).status_code == 200
    officer.groups.clear()
    assert client.get(reverse("cautions:worklist")).status_code == 403


def test_a_role_given_is_granted_on_the_next_request(as_user):
    user = make_user(None)
    client = as_user(user)
    assert client.get(reverse("cautions:worklist")).status_code == 403
    user.groups.add(Group.objects.get(name=Role.OFFICER))
    assert client.get(reverse("cautions:worklist")).status_code == 200


def test_a_permission_taken_from_a_role_is_refused_on_the_next_request(as_user):
    client = as_user(make_user(Role.OFFICER))
    assert client.get(reverse("cautions:worklist")).status_code == 200
    view_case = Permission.objects.get(codename="view_case", content_type__app_label="cautions")
    Group.objects.get(name=Role.OFFICER).permissions.remove(view_case)
    assert client.get(reverse("cautions:worklist")).status_code == 403


def test_a_deactivated_account_is_signed_out_at_once(as_user):
    officer = make_user(Role.OFFICER)
    client = as_user(officer)
    assert client.get(reverse("cautions:worklist")).status_code == 200
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    response = client.get(reverse("cautions:worklist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_cached_permissions_are_forgotten_again_when_the_change_commits(
    django_capture_on_commit_callbacks,
):
    """A request that read the old permissions while the change was not yet committed must
    not keep them: the cache generation moves on again at the commit."""
    officer = make_user(Role.OFFICER)
    with django_capture_on_commit_callbacks(execute=True):
        officer.groups.clear()
        before_commit = cache.get(GENERATION_KEY)
    assert before_commit is not None
    assert cache.get(GENERATION_KEY) != before_commit
