"""Journey 2: a support caseworker accepts a referral, records three sessions (one missed)
and reports the condition complied; the officer confirms every condition and the case
completes. The caution is set up with the same factories as the referrals tests (an
administered caution: a housing-support condition for the provider and two letters)."""

import datetime as dt

import pytest

from cautions.models import Case, Condition
from hub.models import Organisation
from hub.roles import Role
from referrals.models import Referral, SupportSession
from tests.browser.pages import Keyboard
from tests.cautions.factories import ActiveCaseFactory
from tests.factories import PersonFactory, make_user
from tests.referrals.factories import new_referral

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_caseworker_supports_the_person_and_the_case_completes(open_session):
    provider = Organisation.objects.get(name="Outside Links (HMP Peterborough)")
    make_user(Role.CASEWORKER, organisation=provider, username="caseworker1")
    officer_user = make_user(Role.OFFICER, username="officer1")
    person = PersonFactory(first_name="Kelly", last_name="Marsh")
    case = ActiveCaseFactory(officer=officer_user, offence__person=person, conditions=2)
    referral = new_referral(provider, case=case)
    today = dt.date.today()

    caseworker = open_session("caseworker1")
    assert caseworker.h1 == "Referrals"
    caseworker.shot("30-caseworker-referrals")
    caseworker.follow("Kelly Marsh", exact=True)
    caseworker.follow("Accept referral")
    caseworker.press("Accept referral")
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED

    caseworker.follow("Record a session")
    assert Keyboard(caseworker).tab_through() > 15  # date, time, radios, checkboxes
    caseworker.press("Save session")  # empty: the error state
    assert caseworker.title.startswith("Error: ")
    caseworker.shot("31-caseworker-session-errors")
    sessions = [(10, "Attended", "50"), (7, "Did not attend", ""), (3, "Attended", "45")]
    for days_ago, attendance, minutes in sessions:
        if not caseworker.title.startswith(("Error: ", "Record a support session")):
            caseworker.follow("Record a session")
        caseworker.fill("Date", (today - dt.timedelta(days=days_ago)).isoformat(), exact=True)
        caseworker.fill("Time", "10:00", exact=True)
        caseworker.answer("Kind of session", "One-to-one")
        caseworker.answer("Attendance", attendance)
        if minutes:
            caseworker.fill("Duration in minutes", minutes)
            caseworker.choose("Accommodation", exact=True)
            caseworker.fill("Notes", "Worked on the housing application.")
        caseworker.press("Save session")
        assert not caseworker.title.startswith("Error: "), caseworker.error_summary()
    assert SupportSession.objects.filter(referral=referral).count() == 3
    assert "Did not attend" in caseworker.text()
    caseworker.shot("32-caseworker-referral-sessions")

    caseworker.follow("Report progress")
    caseworker.answer("What are you reporting?", "Complied")
    caseworker.page.get_by_label("Condition", exact=True).select_option(index=1)
    caseworker.fill("Date complied", today.isoformat())
    caseworker.fill("Evidence or details", "Attended 2 of 3 sessions; housing application made.")
    caseworker.press("Send report")
    assert not caseworker.title.startswith("Error: "), caseworker.error_summary()

    # -- the officer confirms every condition; the case completes ------------------------------
    officer = open_session("officer1")
    officer.open(f"/cases/{case.pk}/")
    for _ in range(3):
        officer.follow("Complied with", exact=False)
        officer.fill("Evidence", "Confirmed with the provider and the store manager.")
        officer.press("Mark as complied")
    case.refresh_from_db()
    assert not Condition.objects.filter(case=case, status=Condition.Status.PENDING).exists()
    assert case.status == Case.Status.COMPLIED
    assert "Complied: no further action" in officer.text()
    officer.shot("33-officer-case-complied")

    # -- the case page's other sections: support (no notes), assessment, history ---------------
    officer.follow("Support", exact=True)
    assert "2 attended of 3 sessions" in officer.text()
    officer.shot("34-officer-case-support")
    officer.follow("Assessment", exact=True)
    assert "Needs" in officer.text()
    officer.follow("History", exact=True)
    assert "Caution completed: no further action" in officer.text()
    officer.shot("35-officer-case-history")
