"""Journey: a caseworker books an appointment, moves it at the person's request, and records
attendance at two earlier ones (one attended, one missed); the officer sees the upcoming and
the missed appointments in the case's Support section, without the caseworker's notes or the
person's reason (issue 18). axe and the page checks run on every page (tests/browser/pages)."""

import datetime as dt

import pytest
from django.utils import timezone

from hub.models import Organisation
from hub.roles import Role
from referrals.models import Appointment, ReferralEvent
from tests.cautions.factories import ActiveCaseFactory
from tests.factories import PersonFactory, make_user
from tests.referrals.factories import accepted_referral, started_appointment

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NOTE = "Worked through the housing application; landlord reference still needed."
REASON = "Said the bus did not come."


def test_caseworker_books_reschedules_and_records_attendance_and_the_officer_sees_it(
    open_session,
):
    provider = Organisation.objects.get(name="Outside Links (HMP Peterborough)")
    worker = make_user(
        Role.CASEWORKER,
        organisation=provider,
        username="caseworker1",
        first_name="Alex",
        last_name="Morgan",
    )
    officer_user = make_user(Role.OFFICER, username="officer1")
    person = PersonFactory(first_name="Kelly", last_name="Marsh")
    case = ActiveCaseFactory(officer=officer_user, offence__person=person, conditions=0)
    referral = accepted_referral(provider, caseworker=worker, case=case)
    # Two appointments booked last week, which have now taken place.
    started_appointment(referral, hours_ago=26)
    started_appointment(referral, hours_ago=2, mode="phone", place="07700 900123")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    later = tomorrow + dt.timedelta(days=6)

    caseworker = open_session("caseworker1")
    caseworker.open(f"/referrals/{referral.pk}/")
    assert "Appointments" in caseworker.text()
    caseworker.follow("Book an appointment")
    caseworker.press("Book appointment")  # empty: the error state
    assert caseworker.title.startswith("Error: ")
    caseworker.shot("60-caseworker-appointment-errors")
    caseworker.fill("Date", tomorrow.isoformat(), exact=True)
    caseworker.fill("Start time", "10:00")
    caseworker.fill("Length in minutes", "60")
    caseworker.answer("How will you meet?", "In person")
    caseworker.fill("Place, phone number or video link", "Outside Links, 12 Bridge Street")
    caseworker.select("With whom", "Alex Morgan")
    caseworker.press("Book appointment")
    assert not caseworker.title.startswith("Error: "), caseworker.error_summary()
    assert "Appointment booked" in caseworker.text()
    assert f"{tomorrow:%-d %B %Y}, 10:00" in caseworker.text()

    # The person asks to move it.
    caseworker.follow(f"Reschedule the appointment on {tomorrow:%-d %B %Y}")
    caseworker.shot("61-caseworker-appointment-reschedule")
    caseworker.fill("Date", later.isoformat(), exact=True)
    caseworker.fill("Start time", "14:00")
    caseworker.answer("Who asked for the change?", "The person")
    caseworker.fill("Why is it changing?", "Has a job interview that morning.")
    caseworker.press("Save new time")
    assert not caseworker.title.startswith("Error: "), caseworker.error_summary()
    assert f"{later:%-d %B %Y}, 14:00" in caseworker.text()
    event = ReferralEvent.objects.get(kind="appointment_rescheduled")
    assert event.data["asked_by"] == "person"

    # Attendance at the two that have taken place (the earlier is listed first).
    caseworker.follow("Record attendance")
    caseworker.answer("Did the person attend?", "Attended")
    caseworker.fill("How long did the session last, in minutes?", "45")
    caseworker.fill("Notes", NOTE)
    caseworker.shot("62-caseworker-appointment-attendance")
    caseworker.press("Save attendance")
    assert not caseworker.title.startswith("Error: "), caseworker.error_summary()
    caseworker.follow("Record attendance")
    caseworker.answer("Did the person attend?", "Did not attend")
    caseworker.fill("How long did the session last, in minutes?", "30")
    caseworker.fill("Reason the person gave for missing it", REASON)
    caseworker.press("Save attendance")  # a length for a missed appointment: refused
    assert caseworker.title.startswith("Error: ")
    assert any("Leave the length empty" in e for e in caseworker.error_summary())
    caseworker.fill("How long did the session last, in minutes?", "")
    caseworker.press("Save attendance")
    assert not caseworker.title.startswith("Error: "), caseworker.error_summary()
    text = caseworker.text()
    assert "Attendance recorded" in text
    assert NOTE in caseworker.page.content()  # in the session's folded notes
    assert "Did not attend" in text
    caseworker.shot("63-caseworker-referral-appointments")
    statuses = sorted(Appointment.objects.values_list("status", flat=True))
    assert statuses == ["attended", "booked", "did_not_attend"]

    # -- the officer sees the upcoming and the missed appointment on the case ----------------
    officer = open_session("officer1")
    officer.open(f"/cases/{case.pk}/support/")
    text = officer.text()
    assert "Upcoming appointments" in text
    assert f"{later:%-d %B %Y}, 14:00" in text
    assert "Missed appointments" in text
    assert "no acceptable reason" in text
    for private in (NOTE, REASON, "07700 900123", "12 Bridge Street"):
        assert private not in text
    officer.shot("64-officer-case-appointments")
