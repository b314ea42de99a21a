"""Planting a second factor with a password alone (issue 17 point 1), and wrong codes used to
hold up the real user's sign-in.

- An account with no confirmed authenticator enrols only with a one-time enrolment code from
  an administrator (Staff accounts: shown once, expiring, hashed at rest, single use, logged).
- Each visit to the set-up page makes a fresh secret bound to that session, replacing any
  unconfirmed one: a secret seen elsewhere never becomes the account's second factor.
- Wrong codes are throttled per session and per address; the account's own count never stops
  a right code from another session, so the password alone cannot lock the real user out.
"""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from hub.models import AccessLog, EnrolmentCode, TwoFactorFailure
from hub.security import enrolment
from tests.security.otp import code_for, confirmed_device

pytestmark = pytest.mark.django_db

SETUP = "/account/two-factor/"
VERIFY = "/account/two-factor/verify/"


def session(user, address="10.0.0.1") -> Client:
    client = Client(REMOTE_ADDR=address)
    client.force_login(user)
    return client


def administrator_session(administrator) -> Client:
    """Signed in with password and authenticator (two-factor may be required)."""
    client = session(administrator, address="10.0.0.250")
    device = TOTPDevice.objects.filter(user=administrator, confirmed=True).first()
    device = device or confirmed_device(administrator)
    if not client.get("/").url.startswith(VERIFY):
        return client
    assert client.post(VERIFY, {"token": code_for(device)}).status_code == 302
    return client


def issue(administrator, user) -> str:
    """An administrator issues a code on the Staff accounts page; the page shows it once."""
    client = administrator_session(administrator)
    response = client.post(
        reverse("security:account_issue_enrolment_code", args=[user.pk]),
        {"enrol-reason": "New starter; identity checked in person"},
    )
    assert response.status_code == 200
    return response.context["enrolment_code"]


def wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def redeem(client, code):
    return client.post(SETUP, {"enrolment_code": code})


# ------------------------------------------------------------------------------ enrolment


def test_the_password_alone_shows_no_secret_and_makes_no_device(two_factor_required, officer):
    page = session(officer).get(SETUP)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Enter your enrolment code" in text
    assert "secret" not in page.context or not page.context.get("secret")
    assert 'src="data:image/svg+xml' not in text
    assert not TOTPDevice.objects.filter(user=officer).exists()
    # Nor can a code be confirmed: there is no device bound to this session.
    response = session(officer).post(SETUP, {"token": "123456"})
    assert not TOTPDevice.objects.filter(user=officer, confirmed=True).exists()
    assert response.status_code == 200


def test_an_administrator_issues_a_code_shown_once_hashed_and_logged(administrator, officer):
    code = issue(administrator, officer)
    assert len(code.replace("-", "")) == 12
    stored = EnrolmentCode.objects.get(user=officer)
    assert code.replace("-", "") not in stored.code_hash
    assert stored.issued_by == administrator
    assert timezone.now() < stored.expires_at <= timezone.now() + dt.timedelta(hours=72)
    entry = AccessLog.objects.get(action="alteration", object_id=str(officer.pk))
    assert "Issued a two-factor enrolment code" in entry.description
    assert entry.justification == "New starter; identity checked in person"
    # Shown once: the account page does not show it again.
    again = session(administrator).get(reverse("security:account_detail", args=[officer.pk]))
    assert code not in again.content.decode()
    # A new code replaces an unused one.
    second = issue(administrator, officer)
    assert second != code
    assert EnrolmentCode.objects.filter(user=officer).count() == 1


def test_only_an_administrator_issues_codes_and_never_to_themselves(
    administrator, officer, sergeant
):
    url = reverse("security:account_issue_enrolment_code", args=[officer.pk])
    assert session(sergeant).post(url, {"enrol-reason": "x"}).status_code == 403
    own = reverse("security:account_issue_enrolment_code", args=[administrator.pk])
    assert session(administrator).post(own, {"enrol-reason": "x"}).status_code == 404
    assert not EnrolmentCode.objects.exists()


def test_enrolment_with_the_code_then_the_authenticator(
    two_factor_required, administrator, officer
):
    code = issue(administrator, officer)
    client = session(officer)
    redeemed = redeem(client, code.lower().replace("-", " "))
    assert redeemed.status_code == 302
    page = client.get(SETUP + "?next=/people/")
    assert page.status_code == 200
    assert page.context["secret"]
    device = TOTPDevice.objects.get(user=officer)
    done = client.post(SETUP + "?next=/people/", {"token": code_for(device)})
    assert done.status_code == 302
    assert done.url == "/people/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/people/").status_code == 200
    # Single use.
    assert EnrolmentCode.objects.get(user=officer).used_at is not None
    other = session(officer)
    TOTPDevice.objects.filter(user=officer).delete()
    refused = redeem(other, code)
    assert "not correct" in refused.content.decode()


def test_an_expired_or_used_code_is_refused(administrator, officer):
    code = issue(administrator, officer)
    EnrolmentCode.objects.update(
        issued_at=timezone.now() - dt.timedelta(days=4),
        expires_at=timezone.now() - dt.timedelta(seconds=1),
    )
    refused = redeem(session(officer), code)
    assert refused.status_code == 200
    assert "not correct or has expired" in refused.content.decode()
    assert not TOTPDevice.objects.filter(user=officer).exists()


def test_a_code_is_for_its_own_account_only(administrator, officer, sergeant):
    code = issue(administrator, officer)
    refused = redeem(session(sergeant), code)
    assert "not correct" in refused.content.decode()
    assert not TOTPDevice.objects.filter(user=sergeant).exists()


def test_each_visit_makes_a_fresh_secret_and_replaces_the_unconfirmed_one(administrator, officer):
    client = session(officer)
    redeem(client, issue(administrator, officer))
    first = client.get(SETUP).context["secret"]
    first_device = TOTPDevice.objects.get(user=officer)
    first_code = code_for(first_device)
    second = client.get(SETUP).context["secret"]
    assert first != second
    assert TOTPDevice.objects.filter(user=officer).count() == 1
    assert not TOTPDevice.objects.filter(pk=first_device.pk).exists()
    # A code from the replaced secret confirms nothing.
    client.post(SETUP, {"token": first_code})
    assert not TOTPDevice.objects.filter(user=officer, confirmed=True).exists()


def test_a_secret_seen_in_another_session_never_becomes_the_second_factor(administrator, officer):
    """The attack: the attacker (password only) and the user both reach set-up. Whatever
    the attacker saw, the device the user confirms has a secret made for the user's session."""
    attacker = session(officer, address="203.0.113.5")
    attacker.get(SETUP)
    user = session(officer)
    redeem(user, issue(administrator, officer))
    user.get(SETUP)
    device = TOTPDevice.objects.get(user=officer)
    # The attacker's session has no device of its own: its post confirms nothing.
    attacker.post(SETUP, {"token": code_for(device)})
    device.refresh_from_db()
    assert not device.confirmed
    # Had the attacker visited after the user, the user's secret would be replaced, not shared:
    # the user's session confirms only the secret it was shown.
    assert user.post(SETUP, {"token": code_for(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed


# ------------------------------------------------------------------------------ wrong codes


def test_wrong_codes_are_throttled_per_session(two_factor_required, officer, settings):
    device = confirmed_device(officer)
    client = session(officer)
    for _ in range(settings.TWO_FACTOR_SESSION_FAILURE_LIMIT):
        assert client.post(VERIFY, {"token": wrong(code_for(device))}).status_code == 200
    refused = client.post(VERIFY, {"token": code_for(device)})
    assert refused.status_code == 429
    assert "Too many wrong codes" in refused.content.decode()


def test_wrong_codes_are_throttled_per_address(two_factor_required, officer, sergeant, settings):
    device = confirmed_device(officer)
    confirmed_device(sergeant)
    per_session = settings.TWO_FACTOR_SESSION_FAILURE_LIMIT
    sent = 0
    while sent < settings.TWO_FACTOR_ADDRESS_FAILURE_LIMIT:
        client = session(officer, address="203.0.113.5")
        for _ in range(min(per_session, settings.TWO_FACTOR_ADDRESS_FAILURE_LIMIT - sent)):
            client.post(VERIFY, {"token": wrong(code_for(device))})
            sent += 1
    # Any account, any new session, from that address: refused for now.
    refused = session(sergeant, address="203.0.113.5").post(VERIFY, {"token": "123456"})
    assert refused.status_code == 429
    assert "your network" in refused.content.decode()


def test_the_password_alone_cannot_hold_up_the_real_users_sign_in(
    two_factor_required, officer, settings
):
    device = confirmed_device(officer)
    limit = settings.TWO_FACTOR_DEVICE_FAILURE_LIMIT
    for i in range(limit + 5):
        attacker = session(officer, address=f"198.51.100.{i}")
        attacker.post(VERIFY, {"token": wrong(code_for(device))})
    assert TwoFactorFailure.objects.filter(user=officer).count() >= limit
    # The real user, in their own session at their own desk, signs in with the right code.
    user = session(officer, address="10.0.0.1")
    assert user.post(VERIFY, {"token": code_for(device)}).status_code == 302
    assert user.get("/people/").status_code == 200


def test_under_attack_every_further_wrong_code_costs_a_new_password_sign_in(
    two_factor_required, officer, settings
):
    device = confirmed_device(officer)
    for i in range(settings.TWO_FACTOR_DEVICE_FAILURE_LIMIT):
        session(officer, address=f"198.51.100.{i}").post(VERIFY, {"token": wrong(code_for(device))})
    guesser = session(officer, address="192.0.2.1")
    response = guesser.post(VERIFY, {"token": wrong(code_for(device))})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert "_auth_user_id" not in guesser.session


def test_wrong_enrolment_codes_are_throttled_per_session(administrator, officer, settings):
    issue(administrator, officer)
    client = session(officer)
    for _ in range(settings.TWO_FACTOR_SESSION_FAILURE_LIMIT):
        redeem(client, "AAAA-AAAA-AAAA")
    refused = redeem(client, "BBBB-BBBB-BBBB")
    assert refused.status_code == 429


def test_an_administrator_clears_the_wrong_code_throttles(
    two_factor_required, administrator, officer, settings
):
    device = confirmed_device(officer)
    client = session(officer, address="203.0.113.5")
    for _ in range(settings.TWO_FACTOR_SESSION_FAILURE_LIMIT):
        client.post(VERIFY, {"token": wrong(code_for(device))})
    assert client.post(VERIFY, {"token": code_for(device)}).status_code == 429
    # Staff accounts -> the user -> Clear wrong-code limits (with a reason): logged.
    response = administrator_session(administrator).post(
        reverse("security:account_clear_two_factor_failures", args=[officer.pk]),
        {"clear-reason": "Locked out after typos; identity checked by call-back"},
    )
    assert response.status_code == 302
    assert not TwoFactorFailure.objects.filter(user=officer).exists()
    assert AccessLog.objects.filter(
        action="alteration", description__startswith="Cleared wrong two-factor codes"
    ).exists()
    assert client.post(VERIFY, {"token": code_for(device)}).status_code == 302


def test_django_otp_device_throttle_is_off(settings):
    """Its exponential delay was per device: anyone with the password could stretch it and keep
    the real user out. The throttles above replace it."""
    assert settings.OTP_TOTP_THROTTLE_FACTOR == 0


def test_the_command_line_issues_a_code_for_the_first_administrator(administrator, capsys):
    from django.core.management import call_command

    call_command("issue_enrolment_code", administrator.username, "--reason", "First setup")
    code = capsys.readouterr().out.strip().splitlines()[-1]
    assert enrolment.find_code(administrator, code) is not None
    entry = AccessLog.objects.get(action="alteration")
    assert entry.user is None
    assert entry.justification == "First setup"
