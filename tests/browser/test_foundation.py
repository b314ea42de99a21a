"""Sign-in, people and offences, the access log and the accessibility statement, in Chromium.

The keyboard-only journey is here: an officer signs in, searches, adds a person and records
an offence with Tab, Enter, Space and arrow keys only, seeing a focus indicator on every
element reached (the first stage of the officer journey, done with the mouse in
test_officer_journey).
"""

import datetime as dt
import re

import pytest

from hub.models import AccessLog, Offence, Person
from hub.roles import Role
from tests.browser.pages import sign_in, sign_in_with_keyboard
from tests.factories import PersonFactory, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_sign_in_errors_are_summarised_and_linked(open_session):
    make_user(Role.OFFICER, username="officer1")
    visitor = open_session()
    visitor.open("/accounts/login/")
    assert visitor.title == "Sign in \N{EN DASH} Offender Hub"
    visitor.shot("00-sign-in")

    visitor.press("Sign in")  # submitted empty: the error state is checked by axe too
    assert visitor.title.startswith("Error: Sign in")
    assert len(visitor.error_summary()) == 2
    visitor.page.locator(".govuk-error-summary__list a").first.click()
    assert visitor.page.evaluate("document.activeElement.id") == "id_username"

    visitor.fill("Username", "officer1").fill("Password", "not-the-password")
    visitor.press("Sign in")
    assert visitor.title.startswith("Error: ")
    assert visitor.error_summary(), "a wrong password must be reported in the error summary"

    visitor.follow("Accessibility statement")
    assert "Accessibility statement" in visitor.h1
    assert "WCAG" in visitor.text() or "Web Content Accessibility Guidelines" in visitor.text()


def test_officer_adds_person_and_offence_with_keyboard_only(open_session):
    make_user(Role.OFFICER, username="officer1")
    officer = open_session()
    keys = sign_in_with_keyboard(officer, "officer1")
    assert officer.h1 == "Your worklist"
    keys.press_enter(re.compile("^People$"))
    assert officer.h1 == "Find a person"

    keys.type_into(re.compile("^Name"), "Hughes").press_enter(re.compile("^Search$"))
    assert "0 people found" in officer.text()

    keys.press_enter("Add a new person")
    assert officer.h1 == "Add a person"
    keys.press_enter(re.compile("^Save"))  # empty form: errors, summarised and linked
    assert officer.title.startswith("Error: Add a person")
    assert officer.error_summary()

    keys.type_into("First name", "Daniel").type_into("Last name", "Hughes")
    keys.type_date("Date of birth", dt.date(1994, 5, 12))
    keys.type_into(re.compile("^Sex"), "Male")
    keys.type_into("ethnicity", "White: British")
    keys.type_into("PNC ID", "15/100001Z")
    keys.type_into("District", "Peterborough")
    keys.press_enter(re.compile("^Save"))
    assert officer.h1 == "Daniel Hughes"
    assert "Daniel Hughes has been added" in officer.text()
    person = Person.objects.get(pnc_id="15/0100001Z")  # stored in its canonical form
    assert person.date_of_birth == dt.date(1994, 5, 12)
    assert person.ethnicity == "W1"

    keys.press_enter("Record an offence")
    keys.press_enter("Record offence")  # empty: the error state
    assert officer.title.startswith("Error: Record an offence")
    keys.type_into("Category", "Shoplifting")
    keys.type_into("Description", "Took two bottles of spirits from a supermarket.")
    offence_day = dt.date.today() - dt.timedelta(days=3)
    keys.type_date("Offence date", offence_day)
    keys.press_space("There is an identifiable victim")
    keys.press_enter("Record offence")
    assert "The offence has been recorded" in officer.text()
    offence = Offence.objects.get(person=person)
    assert offence.victim_present is True
    assert offence.offence_date == offence_day
    assert keys.stops > 20


def test_officer_finds_a_person_and_the_view_is_logged(open_session):
    officer_user = make_user(Role.OFFICER, username="officer1")
    PersonFactory(first_name="Kelly", last_name="Marsh", pnc_id="12/100002B")
    officer = open_session()
    sign_in(officer, "officer1", next_path="/people/")
    officer.fill("Name", "marsh", exact=True).press("Search", exact=True)
    assert "1 person found" in officer.text()
    officer.shot("01-officer-find-a-person")
    officer.follow("MARSH, Kelly")
    assert officer.h1 == "Kelly Marsh"
    assert AccessLog.objects.filter(
        user=officer_user, action=AccessLog.Action.CONSULTATION
    ).exists()


def test_administrator_filters_the_access_log(open_session):
    make_user(Role.OFFICER, username="officer1")
    make_user(Role.ADMINISTRATOR, username="admin1")
    person = PersonFactory(first_name="Kelly", last_name="Marsh")
    officer = open_session()
    sign_in(officer, "officer1", next_path=f"/people/{person.pk}/")
    assert officer.h1 == "Kelly Marsh"

    admin = open_session("admin1")  # an administrator's home page is the access log
    assert admin.h1 == "Access log"
    admin.fill("User name", "officer1").press("Filter", exact=True)
    assert "Viewed person page" in admin.text()
    admin.shot("50-admin-access-log")
