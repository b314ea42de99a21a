"""Security pages in Chromium (issue 17): an administrator issues a one-time enrolment code on
the Staff accounts page; the officer enters it, scans a fresh key and confirms it with a code;
the administrator downloads the access log (a POST with the reason, itself logged). Every page
is checked (axe, console, focus) by tests/browser/pages."""

from pathlib import Path

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from hub.models import AccessLog
from hub.roles import Role
from tests.browser.pages import sign_in
from tests.factories import make_user
from tests.security.otp import code_for

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_enrolment_code_then_authenticator_then_access_log_download(open_session, settings):
    officer_user = make_user(Role.OFFICER, username="officer1")
    make_user(Role.ADMINISTRATOR, username="admin1")

    admin = open_session("admin1")
    admin.open(f"/staff/{officer_user.pk}/")
    assert admin.h1 == "officer1"
    admin.press("Issue enrolment code")  # no reason: the error state
    assert admin.title.startswith("Error: ")
    admin.page.locator("#id_enrol-reason").fill("New starter; identity checked in person")
    admin.press("Issue enrolment code")
    panel = admin.page.locator(".govuk-panel__body").inner_text().strip()
    assert len(panel.replace("-", "")) == 12
    admin.shot("52-admin-enrolment-code")

    settings.OTP_REQUIRED = True
    officer = open_session()
    sign_in(officer, "officer1")
    assert officer.h1 == "Enter your enrolment code"
    officer.shot("53-two-factor-enrolment")
    officer.press("Continue")  # empty: the error state
    assert officer.title.startswith("Error: ")
    officer.fill("Enrolment code", panel.lower())
    officer.press("Continue")
    assert officer.h1 == "Set up two-factor authentication"
    officer.shot("54-two-factor-set-up")
    device = TOTPDevice.objects.get(user=officer_user)
    officer.fill("Security code", code_for(device))
    officer.press("Turn on two-factor authentication")
    assert officer.h1 == "Your worklist"
    assert "Two-factor authentication is turned on" in officer.text()

    settings.OTP_REQUIRED = False
    admin.open("/access-log/")
    admin.press("Download CSV")  # no reason: the error state, on the page
    assert admin.title.startswith("Error: Access log")
    admin.fill("Why are you downloading these entries?", "Monthly lawfulness check")
    with admin.page.expect_download() as download_info:
        admin.page.get_by_role("button", name="Download CSV").click()
    content = Path(download_info.value.path()).read_text(encoding="utf-8")
    assert "Issued a two-factor enrolment code" in content
    entry = AccessLog.objects.get(action="disclosure", object_type="hub.accesslog")
    assert entry.justification == "Monthly lawfulness check"
    assert "Monthly" not in entry.path
