""" "Nearly eligible" (issue 16 point 9): cases whose eligibility check failed exactly one rule,
counted by rule on the dashboard, small cells suppressed, never a person."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cautions.models import EligibilityAssessment
from reporting.exports import nearly_eligible_rows
from reporting.selectors import nearly_eligible_counts
from tests.cautions import factories as f

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def check(single_failed_rule, *, case=None, days_ago=0):
    assessment = f.EligibilityAssessmentFactory(
        case=case or f.CaseFactory(),
        result="not_eligible" if single_failed_rule else "eligible",
        single_failed_rule=single_failed_rule,
    )
    when = timezone.now() - dt.timedelta(days=days_ago)
    EligibilityAssessment.objects.filter(pk=assessment.pk).update(assessed_at=when)
    return assessment


def test_counts_cases_failing_exactly_one_rule_by_rule_in_the_window():
    for _ in range(3):
        check("previous_history")
    twice = check("gravity").case
    check("gravity", case=twice)  # the same case checked again: counted once
    check("gravity")
    check("")  # eligible, or failing several rules
    check("offence_age", days_ago=40)  # before the window
    counts = nearly_eligible_counts(TODAY - dt.timedelta(days=30), TODAY)
    assert counts == {"gravity": 2, "previous_history": 3}


def test_small_cells_are_suppressed_each_side_of_the_minimum():
    rows = nearly_eligible_rows({"gravity": 4, "previous_history": 5, "on_bail": 1}, 5)
    assert rows == [
        ("Committed while on bail", "[c]"),
        ("Gravity score", "[c]"),
        ("Offending history", 5),
    ]


def test_dashboard_shows_the_counts_to_analysts(as_user, analyst, settings):
    settings.REPORT_MIN_CELL = 2
    # Published figures cover whole months that have ended: the checks were last month.
    last_month_end = TODAY.replace(day=1) - dt.timedelta(days=1)
    days_ago = (TODAY - last_month_end).days
    case = check("co_accused", days_ago=days_ago).case
    check("co_accused", days_ago=days_ago)
    check("risk", days_ago=days_ago)
    check("risk", days_ago=days_ago - 1)  # this month: not yet published
    window = {
        "date_from": last_month_end.replace(day=1).isoformat(),
        "date_to": last_month_end.isoformat(),
    }
    response = as_user(analyst).get(reverse("reporting:breakdowns"), window)
    page = response.content.decode()
    section = page[page.index('id="nearly-eligible"') :]
    assert "Co-accused" in section
    assert ">2<" in section
    assert "Risk reduced by conditions" in section
    risk_row = section[section.index("Risk reduced by conditions") :]
    assert risk_row.index("[c]") < risk_row.index("</tr>")  # 1 check of 2 needed: hidden
    assert case.person.last_name not in page
    assert case.reference not in page
