"""Worklist gaps (issue 16 point 11): a provider's "complied" report waiting for the officer's
confirmation and a returned referral, through the referrals app's worklist panels; the age of
cases waiting for authorisation for sergeants."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cautions import panels
from cautions import services as caution_services
from cautions.models import CaseEvent
from referrals import services
from tests.cautions import factories as f
from tests.referrals.factories import in_progress_referral, returned_referral

pytestmark = pytest.mark.django_db


def complied_report(referral, **kwargs):
    condition = referral.case.conditions.get()
    return services.progress_report(
        referral=referral,
        actor=referral.assigned_to,
        kind="complied",
        condition=condition,
        complied_on=timezone.localdate(),
        details="Attended all four housing sessions",
        **kwargs,
    )


def test_the_panels_are_registered_by_referrals():
    names = panels.registered("worklist")
    assert {"referrals.complied", "referrals.returned"} <= set(names)


def test_a_complied_report_waits_on_the_officers_worklist_until_confirmed(as_user):
    referral = in_progress_referral()
    officer = referral.case.officer
    complied_report(referral)
    client = as_user(officer)
    response = client.get(reverse("cautions:worklist"))
    page = response.content.decode()
    assert "Compliance reported by a provider: confirm it" in page
    assert referral.case.person.full_name in page
    condition = referral.case.conditions.get()
    confirm = reverse("cautions:condition_complied", args=[referral.case_id, condition.pk])
    assert confirm in page
    # Confirmed: the condition is complied with and the report leaves the worklist.
    caution_services.condition_mark_complied(
        condition=condition, actor=officer, complied_on=timezone.localdate(), evidence="Letter"
    )
    page = client.get(reverse("cautions:worklist")).content.decode()
    assert "Compliance reported by a provider" not in page


def test_a_report_applied_as_compliance_or_on_another_officers_case_is_not_shown(as_user):
    referral = in_progress_referral()
    complied_report(referral)
    other = f.ActiveCaseFactory().officer
    page = as_user(other).get(reverse("cautions:worklist")).content.decode()
    assert "Compliance reported by a provider" not in page
    applied = in_progress_referral(provider_report_is_compliance=True)
    complied_report(applied)
    page = as_user(applied.case.officer).get(reverse("cautions:worklist")).content.decode()
    assert "Compliance reported by a provider" not in page


def test_a_returned_referral_shows_on_the_officers_worklist(as_user):
    referral = returned_referral(reason="Caseload full until March")
    page = as_user(referral.case.officer).get(reverse("cautions:worklist")).content.decode()
    assert "Referrals returned by a provider" in page
    assert "Caseload full until March" in page
    assert referral.provider.name in page


def test_a_returned_referral_on_a_closed_case_is_not_shown(as_user):
    referral = returned_referral()
    case = referral.case
    caution_services.case_withdraw(case=case, actor=case.officer, kind="error", reason="Wrong")
    page = as_user(case.officer).get(reverse("cautions:worklist")).content.decode()
    assert "Referrals returned by a provider" not in page


@pytest.mark.parametrize(("days", "shown"), [(0, "Sent today"), (1, "1 day"), (9, "9 days")])
def test_sergeants_see_how_long_cases_have_waited_for_authorisation(
    as_user, officer, sergeant, days, shown
):
    case = f.AwaitingAuthorisationCaseFactory(officer=officer)
    event = CaseEvent.objects.create(
        case=case, actor=officer, kind="submitted_for_authorisation", reason=""
    )
    CaseEvent.objects.filter(pk=event.pk).update(at=timezone.now() - dt.timedelta(days=days))
    response = as_user(sergeant).get(reverse("cautions:worklist"))
    (row,) = response.context["awaiting_authorisation"]
    assert row.days_waiting == days
    assert shown in response.content.decode()
