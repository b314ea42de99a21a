"""Compensation in proportion to the loss, and the payments ledger: owed, paid, balance;
compliance follows a full payment; overpayments, zero and negative amounts refused."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from cautions import services
from cautions.models import Case, Condition, Payment
from hub.forms import OffenceForm
from hub.models import AccessLog, ConditionType, OffenceCategory
from tests.cautions import factories as f
from tests.cautions.helpers import spec, today
from tests.factories import OffenceFactory

pytestmark = pytest.mark.django_db


def _case(officer, loss_value=None, category="theft", conditions=0) -> Case:
    offence = OffenceFactory(
        category=OffenceCategory.objects.get(key=category), loss_value=loss_value
    )
    return f.ActiveCaseFactory(
        officer=officer, person=offence.person, offence=offence, conditions=conditions
    )


def _amount_condition(case, amount="50", key="compensation", **kwargs) -> Condition:
    return f.ConditionFactory(
        case=case,
        condition_type=ConditionType.objects.get(key=key),
        description="Pay the shop",
        amount=Decimal(amount),
        **kwargs,
    )


def _pay(condition, actor, amount, **kwargs):
    values = {"paid_on": today(), "method": "card", "reference": "R1"}
    values.update(kwargs)
    return services.payment_record(
        condition=condition, actor=actor, amount=Decimal(amount), **values
    )


# --------------------------------------------------------------------------- proportion


def _add(case, officer, amount, amount_reason=""):
    return services.condition_add(
        case=case,
        actor=officer,
        spec=spec("compensation", amount=Decimal(amount), amount_reason=amount_reason),
        reason="Compensation asked by the victim",
        consent_given=True,
        agreed_on=today(),
    )


@pytest.mark.parametrize(("amount", "needs_reason"), [("40", False), ("40.01", True)])
def test_compensation_above_the_loss_needs_a_reason(officer, amount, needs_reason):
    case = _case(officer, loss_value=Decimal("40"), conditions=1)
    if needs_reason:
        with pytest.raises(services.RuleViolation, match="more than the value") as error:
            _add(case, officer, amount)
        assert error.value.field == "amount_reason"
        condition = _add(case, officer, amount, amount_reason="The victim's time off work")
        assert condition.amount_reason == "The victim's time off work"
    else:
        _add(case, officer, amount)


def test_without_a_recorded_loss_any_amount_passes(officer):
    case = _case(officer, loss_value=None, conditions=1)
    _add(case, officer, "500")


def test_proposing_500_for_a_40_theft_needs_a_reason_and_the_set_keeps_it(officer):
    offence = OffenceFactory(loss_value=Decimal("40"))
    case = f.AwaitingAuthorisationCaseFactory(person=offence.person, offence=offence)
    Case.objects.filter(pk=case.pk).update(status=Case.Status.ASSESSMENT)
    case = Case.objects.get(pk=case.pk)
    too_much = [spec("compensation", amount=Decimal("500"))]
    with pytest.raises(services.RuleViolation, match="more than the value"):
        services.conditions_propose(
            case=case, actor=officer, conditions=too_much, victim_action_included=True
        )
    explained = [spec("compensation", amount=Decimal("500"), amount_reason="Three windows broken")]
    proposal = services.conditions_propose(
        case=case, actor=officer, conditions=explained, victim_action_included=True
    )
    assert proposal.conditions[0]["amount_reason"] == "Three windows broken"


def test_varying_compensation_above_the_loss_needs_a_reason(officer):
    case = _case(officer, loss_value=Decimal("40"))
    condition = _amount_condition(case, amount="40")
    values = {
        "description": condition.description,
        "due_date": condition.due_date,
        "reason": "Damage found later",
        "consent_given": True,
        "agreed_on": today(),
    }
    with pytest.raises(services.RuleViolation) as error:
        services.condition_vary(condition=condition, actor=officer, amount=Decimal("60"), **values)
    assert error.value.field == "amount_reason"
    services.condition_vary(
        condition=condition,
        actor=officer,
        amount=Decimal("60"),
        amount_reason="A second window was broken",
        **values,
    )


def test_the_offence_form_records_the_loss(as_user, officer):
    person = OffenceFactory().person
    url = reverse("hub:offence_create", args=[person.pk])
    page = as_user(officer).get(url)
    assert b'name="loss_value"' in page.content
    assert b"Value of the loss or damage" in page.content


# --------------------------------------------------------------------------- ledger


def test_payments_build_the_balance_and_the_last_one_complies(officer):
    case = _case(officer)
    condition = _amount_condition(case, amount="50")
    _pay(condition, officer, "20")
    assert services.condition_balance(condition).balance == Decimal("30")
    assert Condition.objects.get(pk=condition.pk).status == "pending"
    _pay(condition, officer, "30", reference="R2")
    condition.refresh_from_db()
    assert condition.status == "complied"
    assert services.condition_balance(condition).paid_in_full
    # It was the only condition: the caution is complete.
    assert Case.objects.get(pk=case.pk).status == Case.Status.COMPLIED
    assert list(Payment.objects.values_list("reference", flat=True)) == ["R1", "R2"]
    assert Payment.objects.first().recorded_by == officer


@pytest.mark.parametrize(("amount", "ok"), [("50", True), ("50.01", False)])
def test_an_overpayment_is_refused(officer, amount, ok):
    case = _case(officer, conditions=1)
    condition = _amount_condition(case, amount="50", key="financial_penalty")
    if ok:
        _pay(condition, officer, amount)
        assert Condition.objects.get(pk=condition.pk).status == "complied"
        assert Case.objects.get(pk=case.pk).status == Case.Status.ACTIVE  # one still pending
    else:
        with pytest.raises(services.RuleViolation, match="overpayment") as error:
            _pay(condition, officer, amount)
        assert error.value.field == "amount"
        assert not Payment.objects.exists()


@pytest.mark.parametrize("amount", ["0", "-1"])
def test_zero_and_negative_payments_are_refused(officer, amount):
    condition = _amount_condition(_case(officer))
    with pytest.raises(services.RuleViolation) as error:
        _pay(condition, officer, amount)
    assert error.value.field == "amount"


def test_payment_dates_between_the_caution_and_today(officer):
    case = _case(officer)
    condition = _amount_condition(case, amount="50")
    for paid_on in (today() + dt.timedelta(days=1), case.caution_date - dt.timedelta(days=1)):
        with pytest.raises(services.RuleViolation) as error:
            _pay(condition, officer, "1", paid_on=paid_on)
        assert error.value.field == "paid_on"
    _pay(condition, officer, "1", paid_on=case.caution_date)


def test_no_payment_against_a_condition_without_an_amount(officer):
    condition = _case(officer, conditions=1).conditions.get()
    with pytest.raises(services.InvalidTransition, match="with an amount"):
        _pay(condition, officer, "1")


def test_a_stale_payment_form_is_refused(officer):
    condition = _amount_condition(_case(officer))
    version = condition.version
    _pay(condition, officer, "10")
    with pytest.raises(services.StaleVersion):
        _pay(condition, officer, "10", expected_version=version)


# --------------------------------------------------------------------------- pages


def test_the_officer_records_a_payment_and_sees_the_balance(as_user, officer):
    case = _case(officer, conditions=1)
    condition = _amount_condition(case, amount="50")
    url = reverse("cautions:condition_payments", args=[case.pk, condition.pk])
    client = as_user(officer)
    response = client.post(
        url,
        {
            "expected_version": condition.version,
            "amount": "20",
            "paid_on": today().isoformat(),
            "method": "cash",
            "reference": "RCPT-1",
        },
    )
    assert response.status_code == 302
    page = client.get(url)
    text = page.content.decode()
    assert "RCPT-1" in text
    assert "£30.00" in text  # the balance
    assert "complied with" not in text
    overview = client.get(reverse("cautions:case_detail", args=[case.pk])).content.decode()
    assert "Paid £20.00, balance £30.00" in overview
    assert AccessLog.objects.filter(person=case.person, description__icontains="payments").exists()


def test_an_overpayment_is_refused_at_the_field_and_the_typing_kept(as_user, officer):
    case = _case(officer)
    condition = _amount_condition(case, amount="50")
    response = as_user(officer).post(
        reverse("cautions:condition_payments", args=[case.pk, condition.pk]),
        {
            "expected_version": condition.version,
            "amount": "500",
            "paid_on": today().isoformat(),
            "method": "card",
            "reference": "TYPED-REF",
        },
    )
    assert response.status_code == 200
    assert "overpayment" in " ".join(response.context["form"].errors["amount"])
    assert b"TYPED-REF" in response.content


@pytest.mark.parametrize("user_fixture", ["caseworker", "analyst", "administrator"])
def test_other_roles_cannot_see_or_record_payments(request, as_user, officer, user_fixture):
    case = _case(officer)
    condition = _amount_condition(case)
    url = reverse("cautions:condition_payments", args=[case.pk, condition.pk])
    client = as_user(request.getfixturevalue(user_fixture))
    assert client.get(url).status_code == 403
    response = client.post(
        url, {"expected_version": condition.version, "amount": "5", "method": "card"}
    )
    assert response.status_code == 403
    assert not Payment.objects.exists()


def test_a_condition_of_another_case_is_not_found(as_user, officer):
    case = _case(officer)
    other = _amount_condition(_case(officer))
    url = reverse("cautions:condition_payments", args=[case.pk, other.pk])
    assert as_user(officer).get(url).status_code == 404


@pytest.mark.parametrize(("value", "ok"), [("0", True), ("-0.01", False), ("", True)])
def test_the_loss_value_is_not_negative(value, ok):
    offence = OffenceFactory()
    form = OffenceForm(
        {
            "category": offence.category.pk,
            "description": "Took goods",
            "offence_date": offence.offence_date.isoformat(),
            "district": offence.district.pk,
            "loss_value": value,
        }
    )
    assert form.is_valid() == ok, form.errors
    if not ok:
        assert "loss_value" in form.errors


def test_the_case_shows_the_value_of_the_loss(as_user, officer):
    case = _case(officer, loss_value=Decimal("40"), conditions=1)
    page = as_user(officer).get(reverse("cautions:case_detail", args=[case.pk]))
    assert "Value of the loss or damage: £40.00" in page.content.decode()
