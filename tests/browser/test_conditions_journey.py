"""The conditions decided by a sergeant, in the browser: the officer proposes the conditions
(the victim's requested action pre-filled), the sergeant sees them with the case and authorises
that set, and the caution is given with it; a different set is refused. Another case is sent
back with changes asked for. Every page is checked with axe (tests/browser/pages)."""

import datetime as dt

import pytest

from cautions.models import Case, ConditionProposal
from hub.roles import Role
from tests.cautions import factories as f
from tests.factories import PersonFactory, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _assessed_case(officer_user, requested_action: str) -> Case:
    person = PersonFactory(first_name="Kelly", last_name="Marsh")
    case = f.CaseFactory(
        officer=officer_user,
        offence__person=person,
        offence__description="Kicked a shop door, cracking its glass panel.",
        needs_recorded_at=dt.datetime(2026, 12, 1, 10, tzinfo=dt.UTC),
    )
    f.EligibilityAssessmentFactory(case=case)
    f.VictimViewsFactory(
        case=case,
        kind="views_obtained",
        views="The shop owner was frightened and wants it acknowledged.",
        requested_action=requested_action,
    )
    return case


def _users():
    officer = make_user(Role.OFFICER, username="officer1", first_name="Priya", last_name="Shah")
    make_user(Role.AUTHORISING_OFFICER, username="sergeant1", first_name="Tom", last_name="Baker")
    return officer


def test_the_sergeant_authorises_the_set_and_the_caution_is_given_with_it(open_session):
    officer_user = _users()
    case = _assessed_case(officer_user, "A letter of apology from him")
    due = (dt.date.today() + dt.timedelta(weeks=4)).isoformat()

    officer = open_session("officer1")
    officer.open(f"/cases/{case.pk}/")
    assert "Next action: Propose the conditions" in officer.text()
    # The next step is the only primary button: proposing, not yet sending.
    primary = officer.page.locator(".govuk-button-group .govuk-button:not([class*='--'])")
    assert primary.all_inner_texts() == ["Propose conditions"]
    officer.follow("Propose conditions")
    assert "A letter of apology from him" in officer.text()
    block = officer.in_group("Condition 1")
    # The victim's request comes pre-filled as a letter of apology.
    assert block.get_by_label("Condition type").input_value() != ""
    assert "As the victim asked" in block.get_by_label("What the person must do").input_value()
    block.get_by_label("What the person must do").fill("Write a letter of apology to the owner.")
    officer.fill_date(block.get_by_role("group", name="Due date"), due)
    officer.choose("The proposed conditions carry out the victim's requested action")
    officer.shot("23-officer-propose-conditions")
    officer.press("Propose these conditions")
    assert "Conditions proposed" in officer.text()
    assert primary.all_inner_texts() == ["Send for authorisation"]
    officer.press("Send for authorisation")
    assert Case.objects.get(pk=case.pk).status == Case.Status.AWAITING_AUTHORISATION

    sergeant = open_session("sergeant1")
    sergeant.open(f"/cases/{case.pk}/")
    sergeant.follow("Authorise or decline")
    text = sergeant.text()
    for shown in (
        "Kicked a shop door",  # the offence narrative
        "Write a letter of apology to the owner.",  # the proposed condition
        "A letter of apology from him",  # the victim's requested action
        "Needs",
    ):
        assert shown in text
    sergeant.choose("Authorise the conditional caution with these conditions")
    sergeant.shot("24-sergeant-decides-on-the-conditions")
    sergeant.press("Record decision")
    assert "Caution authorised with these conditions" in sergeant.text()
    assert "by Sgt Tom Baker" in sergeant.text()
    proposal = ConditionProposal.objects.get(case=case)
    assert (proposal.status, proposal.decided_by_rank) == ("authorised", "sergeant")

    # The document is printed for signature first: blank lines, nothing pre-filled.
    officer.open(f"/cases/{case.pk}/")
    officer.follow("Print the caution document for signature")
    document = officer.text()
    assert "Signature of the person: ____" in document
    assert "arrested without warrant (section 24A)" in document
    assert "Write a letter of apology to the owner." in document
    assert "Signed " not in document
    officer.shot("26-officer-caution-document-for-signature")
    officer.open(f"/cases/{case.pk}/")
    officer.follow("Record that the document was signed")
    signed = dt.datetime.now() - dt.timedelta(minutes=5)
    officer.fill("Date it was signed", signed.date().isoformat())
    officer.fill("Time it was signed", signed.strftime("%H:%M"))
    officer.fill("Where it was signed", "Parkside Police Station")
    officer.shot("27-officer-record-signature")
    officer.press("Record the signature")
    assert "Recorded that the document was signed" in officer.text()

    # A different set is refused at the giving step: it needs a fresh authorisation.
    officer.follow("Give the caution and set conditions")
    block = officer.in_group("Condition 1")
    assert block.get_by_label("What the person must do").input_value() == (
        "Write a letter of apology to the owner."
    )
    block.get_by_label("What the person must do").fill("Write two letters of apology.")
    # The time and place come from the signature recorded.
    assert officer.page.get_by_label("Where it was signed").input_value() == (
        "Parkside Police Station"
    )
    officer.answer("How the person admitted the offence", "In interview")
    for requirement in (
        "The person admits the offence",
        "The effect of the caution was explained",
        "The person was warned that failing to comply may lead to prosecution",
        "The person consents to the conditions",
    ):
        officer.choose(requirement, exact=True)
    officer.press("Give the caution")
    assert officer.title.startswith("Error: ")
    assert any("not the ones authorised" in e for e in officer.error_summary())
    assert Case.objects.get(pk=case.pk).status == Case.Status.AUTHORISED
    block = officer.in_group("Condition 1")
    block.get_by_label("What the person must do").fill("Write a letter of apology to the owner.")
    officer.press("Give the caution")
    assert "Caution given" in officer.text()
    assert Case.objects.get(pk=case.pk).status == Case.Status.ACTIVE


def test_the_sergeant_sends_the_conditions_back_with_changes_asked_for(open_session):
    officer_user = _users()
    case = _assessed_case(officer_user, "")
    f.propose(case)
    Case.objects.filter(pk=case.pk).update(status=Case.Status.AWAITING_AUTHORISATION)

    sergeant = open_session("sergeant1")
    sergeant.open(f"/cases/{case.pk}/authorise/")
    sergeant.press("Record decision")  # nothing chosen: the error state, checked too
    assert sergeant.title.startswith("Error: ")
    sergeant.choose("Send back to the officer with changes to make")
    sergeant.fill("Reason, or the changes you ask for", "Add compensation of £60 for the glass.")
    sergeant.press("Record decision")
    assert "Sent back to the officer" in sergeant.text()

    officer = open_session("officer1")
    officer.open(f"/cases/{case.pk}/")
    text = officer.text()
    assert "Changes asked for by Sgt Tom Baker: Add compensation of £60 for the glass." in text
    assert "Change the proposed conditions as the authorising officer asked" in text
    officer.shot("25-officer-conditions-sent-back")
    primary = officer.page.locator(".govuk-button-group .govuk-button:not([class*='--'])")
    assert primary.all_inner_texts() == ["Change the proposed conditions"]
    officer.follow("Change the proposed conditions")
    # The set sent back is the starting point.
    assert officer.in_group("Condition 1").get_by_label("What the person must do").input_value()
