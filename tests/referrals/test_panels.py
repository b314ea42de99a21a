"""Referrals contributes the case page's Support section and the worklist's flags to cautions'
pages (cautions.panels), registered when the app is ready."""

import pytest
from django.urls import reverse

from cautions import panels
from referrals import services
from tests.cautions.factories import ActiveCaseFactory, CompliedCaseFactory
from tests.referrals.factories import in_progress_referral, new_referral

pytestmark = pytest.mark.django_db


def test_referrals_fills_the_support_section_and_the_worklist():
    # The reminders' consent and failed messages follow the referrals (notifications, issue 18).
    assert panels.registered("case_support") == ["referrals", "notifications.reminders"]
    assert panels.registered("worklist") == [
        "referrals.non_engagement",
        "referrals.returned",
        "referrals.complied",
    ]


def test_the_support_section_shows_the_referrals_and_the_link_to_refer(as_user, officer):
    referral = new_referral()
    response = as_user(officer).get(reverse("cautions:case_support", args=[referral.case.pk]))
    body = response.content.decode()
    assert "Referrals to support providers" in body
    assert referral.provider.name in body
    assert reverse("referrals:create", args=[referral.case.pk]) in body


def test_no_link_to_refer_once_the_caution_is_over(as_user, officer):
    case = CompliedCaseFactory()
    response = as_user(officer).get(reverse("cautions:case_support", args=[case.pk]))
    body = response.content.decode()
    assert "No referrals to support providers." in body
    assert "Refer to a support provider" not in body


def test_a_sergeant_may_refer_too_but_not_an_analyst_who_cannot_see_the_case(
    as_user, sergeant, analyst
):
    case = ActiveCaseFactory()
    url = reverse("cautions:case_support", args=[case.pk])
    assert "Refer to a support provider" in as_user(sergeant).get(url).content.decode()
    assert as_user(analyst).get(url).status_code in (403, 404)


def test_the_worklist_shows_the_flags_on_the_officers_cases(as_user):
    referral = in_progress_referral()
    services.progress_report(
        referral=referral, actor=referral.assigned_to, kind="not_engaging", details="No contact"
    )
    officer = referral.case.officer
    body = as_user(officer).get(reverse("cautions:worklist")).content.decode()
    assert "Not engaging with support" in body
    assert referral.case.person.full_name in body
    assert "No contact" in body
    # Above the worklist's own lists.
    assert body.index("Not engaging with support") < body.index("Breaches awaiting a decision")
