"""The case page and the variation, addition, extension and payment pages as a user sees them,
refusals included."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from cautions import services
from cautions.models import Variation
from hub.models import ConditionType
from tests.cautions import factories as f
from tests.cautions.helpers import today

pytestmark = pytest.mark.django_db


def test_a_condition_completed_or_ended_is_not_shown_as_varied(as_user, officer):
    case = f.ActiveCaseFactory(officer=officer, conditions=2)
    first, _ = case.conditions.all()
    services.condition_mark_complied(
        condition=first, actor=officer, complied_on=today(), evidence="Seen"
    )
    first.refresh_from_db()
    assert first.version == 2  # the lock version moved, the content did not
    page = as_user(officer).get(reverse("cautions:case_detail", args=[case.pk]))
    assert b"Varied" not in page.content


def test_a_varied_condition_shows_its_content_version(as_user, officer):
    case = f.ActiveCaseFactory(officer=officer)
    condition = case.conditions.get()
    services.condition_vary(
        condition=condition,
        actor=officer,
        reason="Provider rescheduled",
        consent_given=True,
        due_date=condition.due_date + dt.timedelta(days=1),
        description=condition.description,
        agreed_on=today(),
    )
    page = as_user(officer).get(reverse("cautions:case_detail", args=[case.pk]))
    assert b"Varied (version 2)" in page.content


def _agreement(**overrides) -> dict:
    return {
        "reason": "Typed wrongly",
        "consent_given": "on",
        "agreed_on": today().isoformat(),
        **overrides,
    }


def _compensation_case(officer, amount="500"):
    case = f.ActiveCaseFactory(officer=officer, conditions=0)
    condition = f.ConditionFactory(
        case=case,
        condition_type=ConditionType.objects.get(key="compensation"),
        description="Pay the shop for the goods",
        amount=Decimal(amount),
    )
    return case, condition


def _vary_post(condition, **overrides) -> dict:
    return {
        "expected_version": condition.version,
        "description": condition.description,
        "amount": str(condition.amount),
        "due_date": condition.due_date.isoformat(),
        **_agreement(),
        **overrides,
    }


def test_the_vary_page_shows_the_amount_of_a_compensation_condition(as_user, officer):
    case, condition = _compensation_case(officer)
    page = as_user(officer).get(reverse("cautions:condition_vary", args=[case.pk, condition.pk]))
    assert page.status_code == 200
    assert b'name="amount"' in page.content
    assert b'name="hours"' not in page.content
    assert b'name="provider"' not in page.content
    assert b"Date the person agreed" in page.content


def test_an_officer_corrects_500_to_50(as_user, officer):
    case, condition = _compensation_case(officer)
    url = reverse("cautions:condition_vary", args=[case.pk, condition.pk])
    response = as_user(officer).post(url, _vary_post(condition, amount="50"))
    assert response.status_code == 302
    condition.refresh_from_db()
    assert condition.amount == Decimal("50")
    page = as_user(officer).get(reverse("cautions:case_detail", args=[case.pk]))
    assert b"Varied (version 2)" in page.content
    assert b"Needs signing" in page.content
    history = as_user(officer).get(reverse("cautions:case_history", args=[case.pk]))
    assert "Amount: was £500.00, now £50.00" in history.content.decode()


def test_without_agreement_the_error_is_at_the_field_and_the_typing_kept(as_user, officer):
    case, condition = _compensation_case(officer)
    url = reverse("cautions:condition_vary", args=[case.pk, condition.pk])
    response = as_user(officer).post(
        url, _vary_post(condition, amount="50", consent_given="", reason="My reason")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["consent_given"]
    assert b"My reason" in response.content
    assert Variation.objects.count() == 0


def test_a_zero_amount_is_refused_at_the_field(as_user, officer):
    case, condition = _compensation_case(officer)
    url = reverse("cautions:condition_vary", args=[case.pk, condition.pk])
    response = as_user(officer).post(url, _vary_post(condition, amount="0"))
    assert response.status_code == 200
    assert "amount" in response.context["form"].errors


def test_an_officer_adds_a_condition(as_user, officer):
    case = f.ActiveCaseFactory(officer=officer)
    url = reverse("cautions:condition_add", args=[case.pk])
    response = as_user(officer).post(
        url,
        {
            "expected_version": case.version,
            "condition_type": ConditionType.objects.get(key="repair_damage").pk,
            "description": "Repaint the fence",
            "due_date": (today() + dt.timedelta(days=7)).isoformat(),
            **_agreement(),
        },
    )
    assert response.status_code == 302
    assert case.conditions.filter(description="Repaint the fence").exists()


def test_extending_past_20_weeks_is_refused_at_the_field(as_user, officer):
    case = f.ActiveCaseFactory(officer=officer)
    url = reverse("cautions:extend_period", args=[case.pk])
    client = as_user(officer)
    response = client.post(url, {"expected_version": case.version, "weeks": 21, **_agreement()})
    assert response.status_code == 200
    assert "at most 20 weeks" in " ".join(response.context["form"].errors["weeks"])
    response = client.post(url, {"expected_version": case.version, "weeks": 20, **_agreement()})
    assert response.status_code == 302


@pytest.mark.parametrize("name", ["cautions:condition_add", "cautions:extend_period"])
def test_a_closed_case_cannot_be_varied(as_user, officer, name):
    case = f.CompliedCaseFactory(officer=officer)
    page = as_user(officer).get(reverse("cautions:case_detail", args=[case.pk]))
    assert b"Add a condition" not in page.content
    response = as_user(officer).post(
        reverse(name, args=[case.pk]),
        {
            "expected_version": case.version,
            "weeks": 20,
            "condition_type": ConditionType.objects.get(key="repair_damage").pk,
            "description": "x",
            "due_date": today().isoformat(),
            **_agreement(),
        },
    )
    assert response.status_code == 200
    assert b"this case is closed" in response.content


@pytest.mark.parametrize("user_fixture", ["caseworker", "analyst"])
def test_other_roles_cannot_vary(request, as_user, user_fixture):
    case, condition = _compensation_case(request.getfixturevalue("officer"))
    client = as_user(request.getfixturevalue(user_fixture))
    for url in (
        reverse("cautions:condition_vary", args=[case.pk, condition.pk]),
        reverse("cautions:condition_add", args=[case.pk]),
        reverse("cautions:extend_period", args=[case.pk]),
    ):
        assert client.post(url, _vary_post(condition, amount="50")).status_code == 403
    assert Variation.objects.count() == 0
