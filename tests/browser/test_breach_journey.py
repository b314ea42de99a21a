"""Journey 3, done with the keyboard only (Tab, Shift+Tab, Enter, Space, arrow keys): a
condition is not complied with; the officer records the failure, a sergeant decides to resume
the prosecution, and the case shows the prosecution resumed. Every element reached must show
a visible focus indicator, and every page is checked (tests/browser/pages)."""

import datetime as dt
import re

import pytest

from cautions.models import Breach, Case
from hub.roles import Role
from tests.browser.pages import sign_in_with_keyboard
from tests.cautions.factories import ActiveCaseFactory
from tests.factories import PersonFactory, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_breach_leads_to_the_prosecution_resuming_keyboard_only(open_session):
    officer_user = make_user(Role.OFFICER, username="officer1")
    make_user(Role.AUTHORISING_OFFICER, username="sergeant1")
    person = PersonFactory(first_name="Marcus", last_name="Green")
    case = ActiveCaseFactory(officer=officer_user, offence__person=person)

    officer = open_session()
    keys = sign_in_with_keyboard(officer, "officer1")
    assert officer.h1 == "Your worklist"
    keys.press_enter(re.compile("^Cases$"))
    keys.press_enter(case.reference)
    keys.press_enter(re.compile("^Not complied"))
    keys.press_enter("Record the breach")  # empty: the error state
    assert officer.title.startswith("Error: ")
    keys.type_into("How the person failed to comply", "No letter of apology by the due date.")
    keys.type_into("Any excuse the person gave", "Said he forgot.")
    keys.press_enter("Record the breach")
    case.refresh_from_db()
    assert case.status == Case.Status.BREACH
    assert "Breach: decision needed" in officer.text()

    sergeant = open_session()
    keys = sign_in_with_keyboard(sergeant, "sergeant1")
    assert sergeant.h1 == "Your worklist"
    keys.press_enter(case.reference)  # from "Breaches awaiting a decision"
    keys.choose_radio(re.compile("^Yes$"), re.compile("^No$"))
    keys.type_into("Your assessment of the excuse", "Forgetting is not a reasonable excuse.")
    keys.choose_radio(re.compile("^Vary the conditions$"), "Resume the prosecution")
    keys.type_into("Reason for the decision", "Reminder ignored; public interest in a charge.")
    keys.type_date("Charge date", dt.date.today())
    sergeant.shot("21-sergeant-breach-decision")
    keys.press_enter("Record decision")
    assert "Breach decision recorded" in sergeant.text()

    case.refresh_from_db()
    assert case.status == Case.Status.PROSECUTION_RESUMED
    breach = Breach.objects.get(case=case)
    assert breach.decision == Breach.Decision.RESUME_PROSECUTION
    assert breach.reasonable_excuse is False
    assert case.charge_date == dt.date.today()
    assert "Prosecution resumed" in sergeant.text()
    sergeant.shot("22-case-prosecution-resumed")
    assert keys.stops > 10
