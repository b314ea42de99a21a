"""Journey 1: an officer takes an offence to a conditional caution, with a sergeant's
authorisation, and prints the caution document. Every page is checked (tests/browser/pages).
"""

import datetime as dt

import pytest

from cautions.models import Case, Condition
from hub.models import Offence
from hub.roles import Role
from tests.browser.pages import Keyboard
from tests.cautions.factories import AuthorisedCaseFactory
from tests.factories import PersonFactory, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PROVIDER = "Outside Links (HMP Peterborough)"  # created by hub's reference-data migration
NO_QUESTIONS = [
    "Is the person subject to a current court order?",
    "Is there a co-accused?",
    "Has a possible defence been raised?",
    "Was the offence committed while on bail?",
    "Is the person liable to resentence or recall to prison?",
    "Does their response on arrest make a caution unsuitable?",
    "Have they responded poorly to previous sentences or bail?",
    "Would conditions fail to reduce the risk they pose?",
]


def test_officer_takes_an_offence_to_a_conditional_caution(open_session):
    make_user(Role.OFFICER, username="officer1", first_name="Priya", last_name="Shah")
    make_user(Role.AUTHORISING_OFFICER, username="sergeant1", first_name="Tom", last_name="Baker")
    PersonFactory(first_name="Daniel", last_name="Hughes", pnc_id="15/100001A")
    today = dt.date.today()

    # -- the officer finds the person and records the offence -------------------------------
    officer = open_session("officer1")
    assert officer.h1 == "Your worklist"
    officer.shot("10-officer-worklist")
    officer.follow("People", exact=True)
    officer.fill("Name", "hughes", exact=True).press("Search", exact=True)
    officer.follow("HUGHES, Daniel")
    officer.follow("Record an offence")
    officer.select("Category", "Shoplifting")
    officer.fill("Description", "Took two bottles of spirits worth £40 from a supermarket.")
    officer.fill("Offence date", (today - dt.timedelta(days=3)).isoformat())
    officer.choose("There is an identifiable victim")
    officer.press("Record offence")
    assert "The offence has been recorded" in officer.text()
    offence = Offence.objects.get(person__pnc_id="15/100001A")

    # -- the case: eligibility (first submitted empty), needs, victim's views -------------------
    officer.press("Start a case")
    case = Case.objects.get(offence=offence)
    assert officer.title.startswith(f"Case {case.reference}")
    officer.follow("Check eligibility")
    officer.press("Check eligibility")
    assert officer.title.startswith("Error: ")
    officer.shot("11-officer-eligibility-errors")
    # Every field of the longest form, radios, number and date inputs included, shows
    # keyboard focus (the same check the keyboard-only journeys make on every Tab stop).
    assert Keyboard(officer).tab_through() > 30
    officer.fill("Planned caution date", today.isoformat())
    officer.answer("Has the person admitted the offence?", "Yes")
    officer.answer("How was it admitted?", "In interview")
    officer.answer("Is there sufficient evidence to charge?", "Yes")
    officer.answer("Would conditions serve the public interest?", "Yes")
    for question in NO_QUESTIONS:
        officer.answer(question, "No")
    officer.press("Check eligibility")
    assert "Eligibility checked" in officer.text()

    officer.follow("Assess needs")
    officer.in_group("Accommodation").get_by_label("High", exact=True).check()
    officer.in_group("Accommodation").get_by_label("Notes").fill("Sofa-surfing since March.")
    officer.press("Save needs")
    assert "Needs assessment saved" in officer.text()

    officer.follow("Record the victim's views")
    officer.choose("The victim's views were obtained")
    officer.fill("Views given", "The store manager wants the goods paid for and an apology.")
    officer.press("Save the victim's views")
    assert "The victim's views are recorded" in officer.text()
    # -- the officer proposes three conditions, one needing a provider ---------------------------
    officer.follow("Propose conditions")
    due = (today + dt.timedelta(weeks=6)).isoformat()
    conditions = [
        ("Housing support", "Attend housing support sessions at Outside Links.", PROVIDER, ""),
        ("Letter of apology", "Write a letter of apology to the store manager.", "", ""),
        ("Compensation", "Pay £40 compensation to the store.", "", "40"),
    ]
    for number, (kind, description, provider, amount) in enumerate(conditions, start=1):
        block = officer.in_group(f"Condition {number}")
        block.get_by_label("Condition type").select_option(label=kind)
        block.get_by_label("What the person must do").fill(description)
        officer.fill_date(block.get_by_role("group", name="Due date"), due)
        if provider:
            block.get_by_label("Support provider").select_option(label=provider)
        if amount:
            block.get_by_label("Amount in pounds").fill(amount)
    officer.press("Propose these conditions")
    assert "Conditions proposed" in officer.text()
    officer.press("Send for authorisation")
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_AUTHORISATION
    officer.shot("12-officer-case-awaiting-authorisation")

    # -- the sergeant authorises --------------------------------------------------------------
    sergeant = open_session("sergeant1")
    assert sergeant.h1 == "Your worklist"
    sergeant.follow(case.reference, exact=True)
    sergeant.choose("Authorise the conditional caution")
    sergeant.fill("Reason", "Admitted, first offence, victim content with conditions.")
    sergeant.shot("20-sergeant-authorise")
    sergeant.press("Record decision")
    assert "Caution authorised" in sergeant.text()

    # -- the officer gives the caution with the three authorised conditions ----------------------
    officer.open(f"/cases/{case.pk}/")
    officer.follow("Give the caution and set conditions")
    assert Keyboard(officer).tab_through() > 30
    officer.fill("Time the document was signed", "10:30")
    officer.fill("Where it was signed", "Thorpe Wood Police Station")
    officer.answer("How the person admitted the offence", "In interview")
    for requirement in (
        "The person admits the offence",
        "The effect of the caution was explained",
        "The person was warned that failing to comply may lead to prosecution",
        "The person consents to the conditions",
        "The person signed the document with the offence, admission, consent and conditions",
    ):
        officer.choose(requirement, exact=True)
    officer.shot("13-officer-give-caution")
    officer.press("Give the caution")
    assert "Caution given" in officer.text()
    case.refresh_from_db()
    assert case.status == Case.Status.ACTIVE
    assert Condition.objects.filter(case=case).count() == 3
    officer.shot("14-officer-caution-given")

    officer.follow("Print the caution document")
    assert case.reference in officer.text()
    assert "Daniel Hughes" in officer.text()
    officer.shot("15-officer-caution-document")


def test_give_the_caution_errors_are_summarised(open_session):
    """Errors in the condition blocks (a formset) are listed in the summary, linked."""
    officer_user = make_user(Role.OFFICER, username="officer1")
    case = AuthorisedCaseFactory(officer=officer_user)
    officer = open_session("officer1")
    officer.open(f"/cases/{case.pk}/administer/")
    block = officer.in_group("Condition 1")
    block.get_by_label("Condition type").select_option(label="Letter of apology")
    # The authorised condition comes pre-filled: its wording removed, the block is incomplete.
    block.get_by_label("What the person must do").fill("")
    officer.press("Give the caution")  # a condition without its wording
    assert officer.title.startswith("Error: ")
    assert any("Describe what the person must do" in e for e in officer.error_summary())
