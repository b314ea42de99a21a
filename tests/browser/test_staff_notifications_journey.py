"""Journey (issue 18): a caseworker returns a referral; the officer sees the notification in the
header, opens the list, follows it to the case's support section, and it is read. The
officer then chooses immediate emails. Every page passes the checks in tests/browser/pages.py
(axe included)."""

import pytest

from hub.models import Organisation
from hub.roles import Role
from notifications.staff_models import NotificationPreference, StaffNotification
from tests.cautions.factories import ActiveCaseFactory
from tests.factories import PersonFactory, make_user
from tests.referrals.factories import new_referral

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def header_of(session) -> str:
    return " ".join(session.page.locator("header").inner_text().split())


def test_the_officer_is_told_of_a_returned_referral_and_follows_it_to_the_case(open_session):
    provider = Organisation.objects.get(name="Outside Links (HMP Peterborough)")
    make_user(Role.CASEWORKER, organisation=provider, username="caseworker1")
    officer_user = make_user(Role.OFFICER, username="officer1")
    person = PersonFactory(first_name="Kelly", last_name="Marsh")
    case = ActiveCaseFactory(officer=officer_user, offence__person=person, conditions=1)
    referral = new_referral(provider, case=case)

    caseworker = open_session("caseworker1")
    # The caseworker was told of the new referral.
    assert "Notifications 1 unread" in header_of(caseworker)
    caseworker.open(f"/referrals/{referral.pk}/")
    caseworker.follow("Return referral")
    caseworker.fill("Why are you returning this referral?", "Our caseload is full this month.")
    caseworker.press("Return referral")
    assert not caseworker.title.startswith("Error: "), caseworker.error_summary()

    officer = open_session("officer1")
    assert "Notifications 1 unread" in header_of(officer)
    officer.follow("Notifications")
    assert officer.h1 == "Notifications"
    text = officer.text()
    assert f"Case {case.reference}: Outside Links (HMP Peterborough) returned the referral." in text
    assert "Unread" in text
    assert "Kelly" not in text
    assert "Marsh" not in text
    officer.shot("60-officer-notifications")

    officer.follow(f"Case {case.reference}")
    assert officer.page.url.endswith(f"/cases/{case.pk}/support/")
    assert "Kelly Marsh" in officer.text()
    assert "Our caseload is full this month." in officer.text()
    assert StaffNotification.objects.get(user=officer_user).read_at is not None
    assert "unread" not in header_of(officer)

    officer.follow("Notifications")
    assert "Nothing unread." in officer.text()
    officer.follow("Choose which emails you get")
    officer.answer("How should we tell you of new notifications?", "Email me at once")
    officer.shot("61-officer-notification-emails")
    officer.press("Save")
    assert "Your choice of emails is saved." in officer.text()
    assert NotificationPreference.objects.get(user=officer_user).delivery == "immediate"
