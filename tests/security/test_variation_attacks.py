"""Attacks tried on variations and payments, which the code withstands."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from cautions.models import Condition, Payment, Variation
from hub.models import ConditionType
from tests.cautions import factories as f
from tests.cautions.helpers import today

pytestmark = pytest.mark.django_db

AGREED = {"reason": "r", "consent_given": "on", "agreed_on": "2000-01-01"}


def _compensation(case, amount="50") -> Condition:
    return f.ConditionFactory(
        case=case,
        condition_type=ConditionType.objects.get(key="compensation"),
        description="Pay",
        amount=Decimal(amount),
    )


def test_an_amount_cannot_be_smuggled_onto_a_condition_without_one(as_user, officer):
    case = f.ActiveCaseFactory(officer=officer)
    letter = case.conditions.get()
    response = as_user(officer).post(
        reverse("cautions:condition_vary", args=[case.pk, letter.pk]),
        {
            "expected_version": letter.version,
            "description": "New wording",
            "due_date": letter.due_date.isoformat(),
            "amount": "500",
            "hours": "20",
            **AGREED,
            "agreed_on": today().isoformat(),
        },
    )
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.amount is None
    assert letter.hours is None


def test_a_condition_of_another_case_cannot_be_varied_through_this_one(as_user, officer):
    case = f.ActiveCaseFactory(officer=officer)
    other = f.ActiveCaseFactory(officer=officer).conditions.get()
    response = as_user(officer).post(
        reverse("cautions:condition_vary", args=[case.pk, other.pk]),
        {"expected_version": other.version, "description": "x", **AGREED},
    )
    assert response.status_code == 404
    assert not Variation.objects.exists()


def test_a_backdated_agreement_before_the_caution_is_refused(as_user, officer):
    case = f.ActiveCaseFactory(officer=officer)
    condition = case.conditions.get()
    response = as_user(officer).post(
        reverse("cautions:condition_vary", args=[case.pk, condition.pk]),
        {
            "expected_version": condition.version,
            "description": "Other wording",
            "due_date": condition.due_date.isoformat(),
            **AGREED,
        },
    )
    assert response.status_code == 200
    assert "agreed_on" in response.context["form"].errors
    assert not Variation.objects.exists()


@pytest.mark.parametrize("amount", ["-10", "0", "1e3", "50.001", "NaN"])
def test_hostile_payment_amounts_record_nothing(as_user, officer, amount):
    case = f.ActiveCaseFactory(officer=officer, conditions=0)
    condition = _compensation(case)
    response = as_user(officer).post(
        reverse("cautions:condition_payments", args=[case.pk, condition.pk]),
        {
            "expected_version": condition.version,
            "amount": amount,
            "paid_on": today().isoformat(),
            "method": "card",
        },
    )
    assert response.status_code == 200
    assert not Payment.objects.exists()


def test_no_payment_on_a_closed_case(as_user, officer):
    case = f.CompliedCaseFactory(officer=officer)
    condition = case.conditions.first()
    response = as_user(officer).post(
        reverse("cautions:condition_payments", args=[case.pk, condition.pk]),
        {
            "expected_version": condition.version,
            "amount": "1",
            "paid_on": (today() - dt.timedelta(days=1)).isoformat(),
            "method": "card",
        },
    )
    assert response.status_code == 200
    assert not Payment.objects.exists()
