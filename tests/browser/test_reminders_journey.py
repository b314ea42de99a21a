"""Journey (issue 18): a support caseworker records the person's consent to text message
reminders from the referral page; the scheduler's run puts the reminder of their appointment
tomorrow in the outbox (no Notify key), where the administrator reads exactly what the person
would receive; the caseworker sees it on the person's reminders page. axe on every page."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from hub.models import Organisation
from hub.roles import Role
from notifications import due
from notifications.models import ContactConsent
from referrals.models import Appointment
from tests.cautions.factories import ActiveCaseFactory
from tests.factories import PersonFactory, make_user
from tests.referrals.factories import accepted_referral

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PROVIDER = "Outside Links (HMP Peterborough)"


def test_consent_recorded_and_the_reminder_in_the_outbox(open_session, settings):
    settings.NOTIFY_API_KEY = ""
    provider = Organisation.objects.get(name=PROVIDER)
    caseworker_user = make_user(Role.CASEWORKER, organisation=provider, username="caseworker1")
    make_user(Role.ADMINISTRATOR, username="admin1")
    person = PersonFactory(first_name="Kelly", last_name="Marsh")
    case = ActiveCaseFactory(offence__person=person, conditions=0)
    referral = accepted_referral(provider, case=case, caseworker=caseworker_user)
    now = timezone.now()
    Appointment.objects.create(
        referral=referral,
        starts_at=now + dt.timedelta(hours=23),
        duration_minutes=60,
        mode="in_person",
        place="Unit 4, Commerce Road\nPeterborough PE2 6LR",
        booked_by=caseworker_user,
    )

    caseworker = open_session("caseworker1")
    caseworker.open(f"/referrals/{referral.pk}/")
    assert "None: the person has not agreed to reminders" in caseworker.text()
    caseworker.follow("Reminders and consent")
    assert caseworker.h1 == "Reminders"
    caseworker.follow("Record consent")
    caseworker.fill("Mobile number", "0770090098")  # a digit short: the error at the field
    caseworker.press("Save consent")
    assert caseworker.title.startswith("Error: ")
    assert any("UK mobile number" in e for e in caseworker.error_summary())
    caseworker.shot("90-reminders-consent-error")
    caseworker.answer("How do they want their reminders?", "Text message")
    caseworker.fill("Mobile number", "07700 900 982")
    caseworker.choose("Also remind them two hours before each appointment")
    caseworker.press("Save consent")
    assert not caseworker.title.startswith("Error: "), caseworker.error_summary()
    assert "Text message to 07700900982, the day before and two hours before" in caseworker.text()
    assert ContactConsent.objects.get().recorded_by == caseworker_user

    # The scheduler's next run outside quiet hours (no Notify key: the outbox).
    call_command(
        "send_due_notifications",
        "--now",
        (due.next_sendable(now) + dt.timedelta(minutes=1)).isoformat(),
    )

    admin = open_session("admin1")
    admin.open("/")
    admin.follow("Outbox", exact=True)
    assert admin.h1 == "Outbox"
    text = admin.text()
    assert f"Reminder: your appointment with {PROVIDER} is" in text
    assert "Unit 4, Commerce Road, Peterborough PE2 6LR" in text
    assert "07700900982" in text
    reminder = admin.page.locator("td[data-label='Message']").first.inner_text().lower()
    assert not any(word in reminder for word in ("police", "caution", "offence"))
    admin.shot("91-admin-outbox")

    caseworker.open(f"/notifications/people/{person.pk}/")
    assert "In the outbox (not sent)" in caseworker.text()
    caseworker.shot("92-caseworker-reminders")
