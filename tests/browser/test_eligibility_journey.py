"""Journey: the charge-by date of a summary-only offence and a reopened not-eligible
assessment (issue 16 points 8, 9, 11, 12). Every page is checked (tests/browser/pages: axe,
titles, error summaries)."""

import datetime as dt

import pytest
from django.urls import reverse

from cautions import rules
from cautions.models import Case, CaseEvent
from hub.models import OffenceCategory
from hub.roles import Role
from tests.cautions.factories import ActiveCaseFactory, NotEligibleCaseFactory
from tests.factories import OffenceFactory, PersonFactory, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_charge_by_date_on_a_summary_only_case(open_session):
    officer_user = make_user(
        Role.OFFICER, username="officer1", first_name="Priya", last_name="Shah"
    )
    person = PersonFactory(first_name="Jordan", last_name="Price")
    # Public order (summary only), committed 160 days ago: about 22 days left to charge.
    offence = OffenceFactory(
        person=person,
        category=OffenceCategory.objects.get(key="public_order"),
        offence_date=dt.date.today() - dt.timedelta(days=160),
    )
    case = ActiveCaseFactory(officer=officer_user, offence=offence)
    charge_by = rules.summary_time_limit(offence.offence_date)

    officer = open_session("officer1")
    assert officer.h1 == "Your worklist"
    worklist = officer.text()
    assert "Summary-only cases near their charge-by date" in worklist
    assert case.reference in worklist
    officer.shot("50-worklist-charge-by")
    officer.follow(case.reference, exact=True)
    assert f"Charge by {charge_by:%-d %B %Y}" in officer.text()
    officer.shot("51-case-charge-by")

    # The case list's download: a form asking why, then the CSV (a logged disclosure).
    officer.follow("Cases", exact=True)
    officer.follow("Download these cases (CSV)")
    assert officer.h1 == "Download the case list"
    officer.press("Download CSV")  # empty: the error state
    assert officer.error_summary() == ["Enter why you need this download"]
    officer.shot("52-case-list-download")


def test_a_sergeant_reopens_a_not_eligible_assessment(open_session):
    officer_user = make_user(
        Role.OFFICER, username="officer1", first_name="Priya", last_name="Shah"
    )
    make_user(Role.AUTHORISING_OFFICER, username="sergeant1", first_name="Tom", last_name="Baker")
    case = NotEligibleCaseFactory(
        officer=officer_user, offence__person=PersonFactory(first_name="Alex", last_name="Moss")
    )

    sergeant = open_session("sergeant1")
    sergeant.open(reverse("cautions:case_detail", args=[case.pk]))
    assert "Not eligible" in sergeant.text()
    sergeant.shot("53-case-not-eligible")
    sergeant.follow("Reopen the assessment")
    assert sergeant.h1 == "Reopen the assessment"
    sergeant.press("Reopen the assessment")  # empty: the error state
    assert sergeant.title.startswith("Error: ")
    assert sergeant.error_summary() == ["Enter the reason for reopening the assessment"]
    sergeant.shot("54-reopen-error")
    sergeant.fill("Why is the assessment reopened?", "Gravity score was entered as 4, should be 2.")
    sergeant.press("Reopen the assessment")
    assert "Assessment reopened: check eligibility again" in sergeant.text()
    case.refresh_from_db()
    assert case.status == Case.Status.ASSESSMENT
    assert CaseEvent.objects.filter(case=case, kind="assessment_reopened").exists()
    sergeant.follow("History", exact=True)
    assert "Gravity score was entered as 4, should be 2." in sergeant.text()
    sergeant.shot("55-case-history-reopened")

    officer = open_session("officer1")
    officer.open(reverse("cautions:case_detail", args=[case.pk]))
    officer.follow("Check eligibility")
    assert "Previous history in the hub's records" in officer.text()
    officer.shot("56-eligibility-recorded-history")
