"""Tokens: issued once, stored hashed, expiring, revocable; 401 without a live one."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken
from api.tokens import TokenError, digest_of, token_create, token_revoke
from hub.roles import Role
from tests.api.conftest import bearer
from tests.factories import make_user

pytestmark = pytest.mark.django_db
LIST = "/api/v1/referrals/"


def test_command_prints_the_token_alone_on_its_last_line_and_stores_only_its_digest():
    user = make_user(Role.CASEWORKER, username="outside-links")
    out = StringIO()
    call_command(
        "create_api_token", "outside-links", "--name", "Case system", "--days", "30", stdout=out
    )
    raw = out.getvalue().strip().splitlines()[-1]
    token = ApiToken.objects.get(user=user)
    assert raw.startswith("ohk_")
    assert len(raw) > 40
    assert token.digest == digest_of(raw)
    assert raw not in (token.digest, token.prefix)
    assert token.name == "Case system"
    assert token.expires_at.date() == (timezone.now() + dt.timedelta(days=30)).date()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get(LIST).status_code == 200


def test_default_expiry_is_ninety_days():
    token, _raw = token_create(user=make_user(Role.OFFICER), name="RMS")
    assert (token.expires_at - token.created_at).days in (89, 90)


def test_command_refuses_unknown_user_and_out_of_range_days():
    make_user(Role.OFFICER, username="pc1")
    with pytest.raises(CommandError, match="No account"):
        call_command("create_api_token", "nobody", stdout=StringIO())
    with pytest.raises(CommandError, match="between 1 and 366"):
        call_command("create_api_token", "pc1", "--days", "0", stdout=StringIO())
    with pytest.raises(CommandError, match="between 1 and 366"):
        call_command("create_api_token", "pc1", "--days", "367", stdout=StringIO())
    call_command("create_api_token", "pc1", "--days", "366", stdout=StringIO())
    call_command("create_api_token", "pc1", "--days", "1", stdout=StringIO())


@pytest.mark.parametrize(
    "header",
    [None, "Bearer ohk_not-a-real-token", "Bearer", "Token abc", "Bearer ohk_a ohk_b"],
)
def test_no_or_bad_token_is_401_as_json(header):
    make_user(Role.CASEWORKER)
    client = APIClient()
    if header:
        client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get(LIST)
    if header == "Token abc":
        # Another scheme is no credentials at all.
        assert response.status_code == 401
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["errors"][0]["message"]


def test_a_browser_session_does_not_open_the_api(client):
    client.force_login(make_user(Role.CASEWORKER))
    assert client.get(LIST).status_code == 401


def test_expired_and_revoked_tokens_are_refused():
    user = make_user(Role.CASEWORKER)
    admin = make_user(Role.ADMINISTRATOR)
    client = bearer(user)
    assert client.get(LIST).status_code == 200
    token = ApiToken.objects.get(user=user)
    ApiToken.objects.filter(pk=token.pk).update(
        created_at=timezone.now() - dt.timedelta(days=91),
        expires_at=timezone.now() - dt.timedelta(seconds=1),
    )
    assert client.get(LIST).status_code == 401
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() + dt.timedelta(days=1))
    assert client.get(LIST).status_code == 200
    token_revoke(token=token, actor=admin)
    assert client.get(LIST).status_code == 401
    with pytest.raises(TokenError, match="already revoked"):
        token_revoke(token=token, actor=admin)


def test_a_deactivated_account_s_token_stops_working():
    user = make_user(Role.CASEWORKER)
    client = bearer(user)
    user.is_active = False
    user.save()
    assert client.get(LIST).status_code == 401


def test_last_used_is_recorded():
    user = make_user(Role.CASEWORKER)
    client = bearer(user)
    assert ApiToken.objects.get(user=user).last_used_at is None
    client.get(LIST)
    assert ApiToken.objects.get(user=user).last_used_at is not None


def test_administrator_sees_tokens_without_their_value_and_revokes_one(client):
    user = make_user(Role.CASEWORKER, first_name="Asha", last_name="Patel")
    token, raw = token_create(user=user, name="Outside Links CMS")
    admin = make_user(Role.ADMINISTRATOR)
    client.force_login(admin)
    page = client.get(reverse("api_tokens:token_list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Outside Links CMS" in html
    assert "Asha Patel" in html
    assert token.prefix in html
    assert raw not in html
    assert token.digest not in html
    response = client.post(reverse("api_tokens:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token.revoked_by == admin


def test_only_administrators_manage_tokens(client):
    token, _raw = token_create(user=make_user(Role.CASEWORKER), name="x")
    for role in (Role.OFFICER, Role.CASEWORKER, Role.ANALYST, Role.AUTHORISING_OFFICER):
        client.force_login(make_user(role))
        assert client.get(reverse("api_tokens:token_list")).status_code == 403
        assert client.post(reverse("api_tokens:token_revoke", args=[token.pk])).status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None
