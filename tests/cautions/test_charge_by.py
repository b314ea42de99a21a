"""The s.127 charge-by date of a summary-only offence (issue 16 point 8): on the case header,
the worklist (within the breach-decision margin, and passed), the authorisation, giving and
breach-decision pages; no acknowledgement box for other offences."""

import datetime as dt

import pytest
from django.urls import reverse

from cautions import rules, selectors
from cautions.models import RuleSettings
from hub.models import OffenceCategory
from tests.cautions import factories as f
from tests.cautions.helpers import today
from tests.factories import OffenceFactory

pytestmark = pytest.mark.django_db


def summary_offence(**kwargs):
    return OffenceFactory(category=OffenceCategory.objects.get(key="public_order"), **kwargs)


def committed_for_charge_by(charge_by: dt.date) -> dt.date:
    """The latest offence date whose charge-by date is on or before `charge_by`."""
    return rules.latest_offence_date_charge_by(charge_by)


def test_case_header_shows_the_charge_by_date_of_a_summary_only_offence(as_user, officer):
    offence = summary_offence(offence_date=today() - dt.timedelta(days=10))
    case = f.CaseFactory(offence=offence, officer=officer)
    limit = rules.summary_time_limit(offence.offence_date)
    for section in ("case_detail", "case_assessment", "case_history"):
        page = as_user(officer).get(reverse(f"cautions:{section}", args=[case.pk]))
        assert f"Charge by {limit:%-d %B %Y}" in page.content.decode()


def test_no_charge_by_date_for_an_either_way_offence_or_a_closed_case(as_user, officer):
    either_way = f.CaseFactory(officer=officer)  # shoplifting: either way
    closed = f.CompliedCaseFactory(offence=summary_offence(), officer=officer)
    for case in (either_way, closed):
        page = as_user(officer).get(reverse("cautions:case_detail", args=[case.pk]))
        assert b"Charge by" not in page.content
        assert b"data-charge-by" not in page.content


def test_case_header_says_when_the_charge_by_date_has_passed(as_user, officer):
    offence = summary_offence(offence_date=today() - dt.timedelta(days=200))
    case = f.ActiveCaseFactory(offence=offence, officer=officer)
    page = as_user(officer).get(reverse("cautions:case_detail", args=[case.pk])).content.decode()
    assert "Charge-by date passed on" in page


@pytest.mark.parametrize(
    ("on", "listed", "passed"),
    [
        (dt.date(2026, 1, 30), False, False),  # 29 days before: outside the margin
        (dt.date(2026, 1, 31), True, False),  # 28 days before: the margin
        (dt.date(2026, 2, 28), True, False),  # the last day
        (dt.date(2026, 3, 1), True, True),  # the day after
    ],
)
def test_charge_by_rows_within_the_margin_and_passed(officer, on, listed, passed):
    # Offences on 28 to 31 August 2025 all run to 28 February 2026 (clamped months).
    cases = [
        f.ActiveCaseFactory(
            offence=summary_offence(offence_date=dt.date(2025, 8, day)), officer=officer
        )
        for day in (28, 31)
    ]
    rows = selectors.charge_by_rows(officer, on=on, margin_days=28, everyone=False)
    assert rows == (cases if listed else [])
    for row in rows:
        assert row.charge_by == dt.date(2026, 2, 28)
        assert row.charge_by_passed is passed


def test_worklist_shows_a_passed_charge_by_date(as_user, officer):
    case = f.ActiveCaseFactory(
        offence=summary_offence(offence_date=today() - dt.timedelta(days=200)), officer=officer
    )
    response = as_user(officer).get(reverse("cautions:worklist"))
    assert response.context["charge_by"] == [case]
    assert "Passed" in response.content.decode()


def test_worklist_margin_follows_the_rule_settings(as_user, officer):
    RuleSettings.objects.update_or_create(pk=1, defaults={"breach_decision_margin_days": 40})
    charge_by = today() + dt.timedelta(days=40)
    case = f.CaseFactory(offence=summary_offence(offence_date=committed_for_charge_by(charge_by)))
    assert (rules.summary_time_limit(case.offence.offence_date) - today()).days > 28
    case.officer = officer
    case.save(update_fields=["officer"])
    assert as_user(officer).get(reverse("cautions:worklist")).context["charge_by"] == [case]


def test_worklist_charge_by_leaves_out_closed_cases_either_way_and_others_cases(
    as_user, officer, sergeant
):
    old = committed_for_charge_by(today() + dt.timedelta(days=3))
    f.CompliedCaseFactory(offence=summary_offence(offence_date=old), officer=officer)
    f.ActiveCaseFactory(offence=OffenceFactory(offence_date=old), officer=officer)
    someone_elses = f.ActiveCaseFactory(offence=summary_offence(offence_date=old))
    assert as_user(officer).get(reverse("cautions:worklist")).context["charge_by"] == []
    # Authorising officers decide every breach: they see every officer's cases.
    assert as_user(sergeant).get(reverse("cautions:worklist")).context["charge_by"] == [
        someone_elses
    ]


def test_authorisation_and_breach_pages_show_the_charge_by_date(as_user, officer, sergeant):
    offence = summary_offence(offence_date=today() - dt.timedelta(days=20))
    limit = f"Charge by {rules.summary_time_limit(offence.offence_date):%-d %B %Y}"
    waiting = f.AwaitingAuthorisationCaseFactory(offence=offence, officer=officer)
    page = as_user(sergeant).get(reverse("cautions:authorise", args=[waiting.pk]))
    assert limit in page.content.decode()
    other = summary_offence(offence_date=today() - dt.timedelta(days=20))
    breach = f.BreachCaseFactory(offence=other, officer=officer)
    page = as_user(sergeant).get(
        reverse("cautions:breach_decide", args=[breach.pk, breach.breaches.get().pk])
    )
    assert limit in page.content.decode()


def test_acknowledgement_box_only_for_summary_only_offences(as_user, officer):
    summary = f.AuthorisedCaseFactory(offence=summary_offence(), officer=officer)
    either_way = f.AuthorisedCaseFactory(officer=officer)
    page = as_user(officer).get(reverse("cautions:administer", args=[summary.pk]))
    assert b"time_limit_acknowledged" in page.content
    assert b"data-charge-by" in page.content
    page = as_user(officer).get(reverse("cautions:administer", args=[either_way.pk]))
    assert b"time_limit_acknowledged" not in page.content
    assert b"data-charge-by" not in page.content
