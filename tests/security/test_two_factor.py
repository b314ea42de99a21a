"""Two-factor authentication (TOTP): set-up, the verify step, and enforcement."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.security.otp import code_for, confirmed_device

pytestmark = pytest.mark.django_db

SEARCH = "/people/"


def test_enforced_user_without_device_is_sent_to_set_up(two_factor_required, as_user, officer):
    client = as_user(officer)
    response = client.get(SEARCH)
    assert response.status_code == 302
    assert response.url.startswith(reverse("security:two_factor_verify"))
    response = client.get(response.url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("security:two_factor_setup"))
    assert "next=%2Fpeople%2F" in response.url


def with_enrolment_code(client, user):
    """The user enters the one-time code an administrator issued (issue 17)."""
    from hub.security import enrolment

    code = enrolment.issue_code(user=user, issued_by=None, reason="test")
    response = client.post(reverse("security:two_factor_setup"), {"enrolment_code": code})
    assert response.status_code == 302
    return client


def test_set_up_shows_secret_as_text_and_qr_then_confirms(two_factor_required, as_user, officer):
    client = with_enrolment_code(as_user(officer), officer)
    url = reverse("security:two_factor_setup") + "?next=/people/"
    page = client.get(url)
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=officer)
    assert not device.confirmed
    text = page.content.decode()
    assert "Set up two-factor authentication" in text
    assert page.context["secret"].replace(" ", "") in text.replace(" ", "")
    assert 'src="data:image/svg+xml' in text
    # A wrong code is refused with a message, nothing is confirmed.
    wrong = client.post(url, {"token": "000000" if code_for(device) != "000000" else "111111"})
    assert wrong.status_code == 200
    assert "The code is not correct" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    # The right code confirms the device and signs the session in with it.
    done = client.post(url, {"token": code_for(device)})
    assert done.status_code == 302
    assert done.url == "/people/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(SEARCH).status_code == 200


def test_set_up_keeps_one_unconfirmed_device_a_new_one_each_visit(as_user, officer):
    # Issue 17: each visit makes a fresh secret (the old unconfirmed device goes), never two.
    client = with_enrolment_code(as_user(officer), officer)
    client.get(reverse("security:two_factor_setup"))
    first = TOTPDevice.objects.get(user=officer).pk
    client.get(reverse("security:two_factor_setup"))
    assert list(TOTPDevice.objects.filter(user=officer).values_list("pk", flat=True)) != [first]
    assert TOTPDevice.objects.filter(user=officer).count() == 1


def test_confirmed_device_cannot_be_replaced_by_the_user(as_user, officer):
    confirmed_device(officer)
    page = as_user(officer).get(reverse("security:two_factor_setup"))
    assert "ask an administrator to reset it" in page.content.decode()
    assert TOTPDevice.objects.filter(user=officer).count() == 1


def test_verify_step_after_password_sign_in(two_factor_required, client, officer):
    device = confirmed_device(officer)
    response = client.post(
        reverse("login") + "?next=/people/",
        {"username": "officer1", "password": "correct-horse-battery"},
    )
    assert response.status_code == 302
    # Signed in with a password only: every page sends them to the code page.
    response = client.get("/people/")
    assert response.status_code == 302
    verify = response.url
    assert verify.startswith(reverse("security:two_factor_verify"))
    page = client.get(verify)
    assert page.status_code == 200
    assert "Enter your security code" in page.content.decode()
    refused = client.post(verify, {"token": "12345x"})
    assert "Enter the 6-digit code" in refused.content.decode()
    accepted = client.post(verify, {"token": code_for(device)})
    assert accepted.status_code == 302
    assert accepted.url == "/people/"
    assert client.get("/people/").status_code == 200


def test_a_used_code_cannot_be_replayed(two_factor_required, client, officer):
    device = confirmed_device(officer)
    code = code_for(device)
    first = client
    first.force_login(officer)
    assert first.post(reverse("security:two_factor_verify"), {"token": code}).status_code == 302
    from django.test import Client

    second = Client()
    second.force_login(officer)
    replay = second.post(reverse("security:two_factor_verify"), {"token": code})
    assert replay.status_code == 200
    assert "The code is not correct" in replay.content.decode()


def test_next_must_be_on_this_site(two_factor_required, as_user, officer):
    device = confirmed_device(officer)
    client = as_user(officer)
    response = client.post(
        reverse("security:two_factor_verify") + "?next=https://evil.example/",
        {"token": code_for(device)},
    )
    assert response.status_code == 302
    assert "evil" not in response.url


def test_exempt_pages_stay_reachable_before_the_code(two_factor_required, as_user, officer):
    client = as_user(officer)
    assert client.get(reverse("accessibility")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302


def test_optional_when_not_required(as_user, officer):
    # The demo (DEBUG on) does not require it: pages open straight after the password.
    assert as_user(officer).get(SEARCH).status_code == 200
