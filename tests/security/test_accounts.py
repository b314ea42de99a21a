"""Administrator recovery: reset a user's two-factor authentication, sign a user out everywhere."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from hub.models import AccessLog
from tests.security.otp import confirmed_device

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    assert client.get("/people/").status_code in (200, 403)
    return client


def test_sign_out_everywhere_ends_every_session_of_that_user_only(
    as_user, administrator, officer, sergeant
):
    laptop, phone, colleague = signed_in(officer), signed_in(officer), signed_in(sergeant)
    response = as_user(administrator).post(
        reverse("security:account_sign_out_everywhere", args=[officer.pk]),
        {"sign_out-reason": "Laptop reported stolen"},
    )
    assert response.status_code == 302
    for client in (laptop, phone):
        after = client.get("/people/")
        assert after.status_code == 302
        assert after.url.startswith(reverse("login"))
    assert colleague.get("/people/").status_code == 200
    entry = AccessLog.objects.get(object_type="auth.user", object_id=str(officer.pk))
    assert entry.user == administrator
    assert entry.action == "alteration"
    assert entry.justification == "Laptop reported stolen"
    assert "2 sessions" in entry.description


def test_reset_two_factor_removes_devices_and_is_logged(settings, as_user, administrator, officer):
    confirmed_device(officer)
    client = as_user(administrator)
    refused = client.post(
        reverse("security:account_reset_two_factor", args=[officer.pk]), {"reset-reason": ""}
    )
    assert refused.status_code == 200
    assert "Enter the reason" in refused.content.decode()
    assert TOTPDevice.objects.filter(user=officer).exists()
    done = client.post(
        reverse("security:account_reset_two_factor", args=[officer.pk]),
        {"reset-reason": "Lost phone; identity checked by call-back"},
    )
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists()
    entry = AccessLog.objects.get(object_type="auth.user")
    assert entry.justification == "Lost phone; identity checked by call-back"
    assert "Reset two-factor" in entry.description
    # At their next sign-in (two-factor required) the user sets up a new authenticator.
    settings.OTP_REQUIRED = True
    user_client = Client()
    user_client.force_login(officer)
    first = user_client.get("/people/")
    assert user_client.get(first.url).url.startswith(reverse("security:two_factor_setup"))


def test_administrator_cannot_act_on_own_account(as_user, administrator):
    response = as_user(administrator).post(
        reverse("security:account_sign_out_everywhere", args=[administrator.pk]),
        {"sign_out-reason": "test"},
    )
    assert response.status_code == 404
    assert Session.objects.count() == 1


def test_others_cannot_use_recovery(as_user, officer, sergeant):
    client = as_user(officer)
    url = reverse("security:account_reset_two_factor", args=[sergeant.pk])
    assert client.post(url, {"reset-reason": "x"}).status_code == 403
    assert client.get(reverse("security:account_list")).status_code == 403


def test_account_pages_show_two_factor_status(as_user, administrator, officer):
    confirmed_device(officer)
    client = as_user(administrator)
    listing = client.get(reverse("security:account_list")).content.decode()
    assert "officer1" in listing
    assert "Set up" in listing
    detail = client.get(reverse("security:account_detail", args=[officer.pk])).content.decode()
    assert "Sign out everywhere" in detail
    assert "Reset two-factor authentication" in detail


@pytest.mark.parametrize("rows", [1, 20])
def test_account_list_query_count(as_user, administrator, django_assert_max_num_queries, rows):
    from hub.roles import Role
    from tests.factories import make_user

    for i in range(rows):
        make_user(Role.OFFICER, username=f"pc{i}")
    client = as_user(administrator)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("security:account_list")).status_code == 200
