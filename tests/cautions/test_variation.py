"""Variations after the caution is given: vary any part of a condition, add a condition,
extend the compliance period; each within the limits (each side of each threshold), with the
person's agreement and a reason, a Variation row and a new document version, and the referral
kept in step."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError

from cautions import services
from cautions.models import Case, CaseEvent, Condition, RuleSettings, Variation
from cautions.variation_selectors import (
    DocumentState,
    document_needs_signing,
    document_state,
    variations_since_signed,
)
from hub.models import ConditionType, OffenceCategory
from referrals.models import Referral
from referrals.sync import referrals_sync_for_case
from tests.cautions import factories as f
from tests.cautions.helpers import spec, today
from tests.factories import OffenceFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _agreement(**overrides) -> dict:
    return {"reason": "Typed wrongly", "consent_given": True, "agreed_on": today(), **overrides}


def _condition(case, key="compensation", **kwargs) -> Condition:
    return f.ConditionFactory(
        case=case, condition_type=ConditionType.objects.get(key=key), **kwargs
    )


def _case(officer, category="theft", **kwargs) -> Case:
    offence = OffenceFactory(category=OffenceCategory.objects.get(key=category))
    return f.ActiveCaseFactory(officer=officer, person=offence.person, offence=offence, **kwargs)


def _vary(condition, actor, **kwargs):
    values = {
        "description": condition.description,
        "due_date": condition.due_date,
        "provider": condition.provider,
        **_agreement(),
    }
    values.update(kwargs)
    return services.condition_vary(condition=condition, actor=actor, **values)


# --------------------------------------------------------------------------- vary


def test_a_500_typo_is_corrected_to_50_without_a_second_caution(officer):
    case = _case(officer, conditions=0)
    condition = _condition(case, amount=Decimal("500"), description="Pay the shop")
    _vary(condition, officer, amount=Decimal("50"), reason="£500 typed for £50")
    condition.refresh_from_db()
    case.refresh_from_db()
    assert condition.amount == Decimal("50")
    assert condition.content_version == 2
    assert case.status == Case.Status.ACTIVE
    assert Case.objects.filter(person=case.person).count() == 1
    variation = Variation.objects.get(condition=condition)
    assert variation.changes == {"Amount": {"before": "£500.00", "after": "£50.00"}}
    assert variation.reason == "£500 typed for £50"
    assert variation.recorded_by == officer
    assert variation.agreed_on == today()
    assert variation.document_version == 2
    assert document_state(case) == DocumentState(version=2, signed_version=1)
    event = CaseEvent.objects.filter(case=case).latest("at")
    assert event.kind == "condition_varied"
    assert event.data["before"]["amount"] == "£500.00"


@pytest.mark.parametrize(
    ("hours", "ok"), [(Decimal("20"), True), (Decimal("20.5"), False)], ids=["20", "20.5"]
)
def test_varied_hours_within_the_20_hour_cap(officer, hours, ok):
    case = _case(officer, conditions=0)
    condition = _condition(case, key="unpaid_work", hours=Decimal("10"), description="Work")
    if ok:
        _vary(condition, officer, hours=hours)
        condition.refresh_from_db()
        assert condition.hours == hours
    else:
        with pytest.raises(services.RuleViolation, match="at most 20") as error:
            _vary(condition, officer, hours=hours)
        assert error.value.field == "hours"


def test_the_hours_cap_counts_the_other_conditions_in_force(officer):
    case = _case(officer, conditions=0)
    _condition(case, key="unpaid_work", hours=Decimal("12"), description="Work A")
    second = _condition(case, key="unpaid_work", hours=Decimal("8"), description="Work B")
    with pytest.raises(services.RuleViolation, match=r"up to 21(\.0)? hours"):
        _vary(second, officer, hours=Decimal("9"))


@pytest.mark.parametrize(
    ("category", "amount", "ok"),
    [
        ("public_order", "50", True),
        ("public_order", "50.01", False),
        ("theft", "100", True),
        ("theft", "100.01", False),
    ],
)
def test_a_varied_penalty_stays_within_its_band(officer, category, amount, ok):
    case = _case(officer, category=category, conditions=0)
    condition = _condition(
        case, key="financial_penalty", amount=Decimal("10"), description="Pay a penalty"
    )
    if ok:
        _vary(condition, officer, amount=Decimal(amount))
    else:
        with pytest.raises(services.RuleViolation, match="at most £") as error:
            _vary(condition, officer, amount=Decimal(amount))
        assert error.value.field == "amount"


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-5")])
def test_a_zero_or_negative_amount_is_refused(officer, amount):
    case = _case(officer, conditions=0)
    condition = _condition(case, amount=Decimal("40"))
    with pytest.raises(services.RuleViolation) as error:
        _vary(condition, officer, amount=amount)
    assert error.value.field == "amount"


def test_the_due_date_can_move_to_the_last_day_of_the_period_not_after(officer):
    case = _case(officer)
    condition = case.conditions.get()
    _vary(condition, officer, due_date=case.compliance_deadline)
    condition.refresh_from_db()
    with pytest.raises(services.RuleViolation, match="after the end") as error:
        _vary(condition, officer, due_date=case.compliance_deadline + dt.timedelta(days=1))
    assert error.value.field == "due_date"


def test_agreement_and_reason_are_required(officer):
    case = _case(officer)
    condition = case.conditions.get()
    later = condition.due_date + dt.timedelta(days=1)
    refusals = [
        ({"reason": " "}, "reason"),
        ({"consent_given": False}, "consent_given"),
        ({"agreed_on": None}, "agreed_on"),
        ({"agreed_on": today() + dt.timedelta(days=1)}, "agreed_on"),
        ({"agreed_on": case.caution_date - dt.timedelta(days=1)}, "agreed_on"),
    ]
    for overrides, field in refusals:
        with pytest.raises(services.RuleViolation) as error:
            _vary(condition, officer, due_date=later, **overrides)
        assert error.value.field == field
    _vary(condition, officer, due_date=later, agreed_on=case.caution_date)
    assert not Variation.objects.exclude(agreed_on=case.caution_date).exists()


def test_nothing_changed_is_refused(officer):
    condition = _case(officer).conditions.get()
    with pytest.raises(services.RuleViolation, match="Nothing was changed"):
        _vary(condition, officer)
    assert not Variation.objects.exists()


def test_a_changed_provider_moves_the_referral(officer):
    case = _case(officer, conditions=0)
    old, new = OrganisationFactory(), OrganisationFactory()
    condition = _condition(case, key="housing", provider=old, description="Housing support")
    referrals_sync_for_case(case=case, actor=officer)  # the referral as the caution was given
    assert Referral.objects.get(case=case).provider == old
    _vary(condition, officer, provider=new, reason="Moved to another provider")
    by_provider = dict(Referral.objects.filter(case=case).values_list("provider", "status"))
    assert by_provider == {old.pk: Referral.Status.WITHDRAWN, new.pk: Referral.Status.NEW}


def test_only_a_caution_in_progress_is_varied(officer):
    case = f.CompliedCaseFactory(officer=officer)
    condition = case.conditions.first()
    with pytest.raises(services.InvalidTransition):
        _vary(condition, officer, due_date=condition.due_date + dt.timedelta(days=1))


# --------------------------------------------------------------------------- add


def test_adding_a_condition_with_a_provider_creates_its_referral(officer):
    case = _case(officer)
    provider = OrganisationFactory()
    condition = services.condition_add(
        case=case,
        actor=officer,
        spec=spec("housing", provider=provider, description="Housing support"),
        **_agreement(reason="Needs housing support after all"),
    )
    assert condition.content_version == 1
    assert document_state(case).version == 2
    assert Referral.objects.get(case=case, provider=provider).status == Referral.Status.NEW
    variation = Variation.objects.get(condition=condition)
    assert variation.kind == Variation.Kind.CONDITION_ADDED
    assert variation.changes["Condition added"]["after"].startswith("Housing")


def test_an_added_condition_is_checked_against_those_in_force(officer):
    case = _case(officer, conditions=0)
    _condition(case, key="unpaid_work", hours=Decimal("15"), description="Work")
    add = spec("unpaid_work", hours=Decimal("5"))
    services.condition_add(case=case, actor=officer, spec=add, **_agreement())
    with pytest.raises(services.RuleViolation, match="at most 20"):
        services.condition_add(
            case=case, actor=officer, spec=spec("unpaid_work", hours=Decimal("0.5")), **_agreement()
        )


def test_adding_needs_the_agreement(officer):
    case = _case(officer)
    with pytest.raises(services.RuleViolation) as error:
        services.condition_add(
            case=case, actor=officer, spec=spec(), **_agreement(consent_given=False)
        )
    assert error.value.field == "consent_given"
    assert case.conditions.count() == 1


# --------------------------------------------------------------------------- extend


@pytest.mark.parametrize(("weeks", "ok"), [(20, True), (21, False)])
def test_the_period_extends_up_to_20_weeks_from_the_caution_date(officer, weeks, ok):
    case = _case(officer)
    if ok:
        services.case_extend_period(case=case, actor=officer, weeks=weeks, **_agreement())
        case.refresh_from_db()
        assert case.compliance_deadline == case.caution_date + dt.timedelta(weeks=20)
        assert case.compliance_extension_reason == "Typed wrongly"
        assert Variation.objects.get(case=case).kind == Variation.Kind.PERIOD_EXTENDED
    else:
        with pytest.raises(services.RuleViolation, match="at most 20 weeks") as error:
            services.case_extend_period(case=case, actor=officer, weeks=weeks, **_agreement())
        assert error.value.field == "weeks"


def test_the_local_maximum_is_respected(officer):
    settings = RuleSettings.load()
    settings.max_compliance_weeks = 18
    settings.save()
    case = _case(officer)
    services.case_extend_period(case=case, actor=officer, weeks=18, **_agreement())
    with pytest.raises(services.RuleViolation, match="at most 18 weeks"):
        services.case_extend_period(case=case, actor=officer, weeks=19, **_agreement())


@pytest.mark.parametrize("weeks", [15, 16])
def test_extending_must_lengthen_the_period(officer, weeks):
    case = _case(officer)  # 16 weeks
    with pytest.raises(services.RuleViolation, match="longer than the current 16"):
        services.case_extend_period(case=case, actor=officer, weeks=weeks, **_agreement())


def test_an_extension_lets_a_due_date_move_later(officer):
    case = _case(officer)
    condition = case.conditions.get()
    services.case_extend_period(case=case, actor=officer, weeks=17, **_agreement())
    case.refresh_from_db()
    _vary(condition, officer, due_date=case.compliance_deadline)
    assert Condition.objects.get(pk=condition.pk).due_date == case.compliance_deadline


# --------------------------------------------------------------------------- the document


def test_variations_since_the_last_signed_version(officer):
    case = _case(officer)
    assert not document_needs_signing(case)
    assert variations_since_signed(case) == []
    condition = case.conditions.get()
    _vary(condition, officer, description="New wording")
    services.case_extend_period(case=case, actor=officer, weeks=17, **_agreement())
    case.refresh_from_db()
    assert document_needs_signing(case)
    assert [v.document_version for v in variations_since_signed(case)] == [2, 3]
    services.caution_document_version_signed(case=case, actor=officer)
    assert document_state(case) == DocumentState(version=3, signed_version=3)
    assert variations_since_signed(case) == []
    with pytest.raises(services.InvalidTransition, match="already signed"):
        services.caution_document_version_signed(case=case, actor=officer)


def test_a_variation_without_agreement_cannot_be_stored(officer):
    case = _case(officer)
    with pytest.raises(IntegrityError):
        Variation.objects.create(
            case=case,
            kind="period_extended",
            document_version=2,
            reason="r",
            person_agreed=False,
            agreed_on=today(),
            recorded_by=officer,
        )


def test_breach_vary_is_a_variation_too(sergeant):
    case = f.BreachCaseFactory()
    breach = case.breaches.get()
    services.breach_decide(
        breach=breach,
        actor=sergeant,
        decision="vary",
        reasonable_excuse=True,
        excuse_assessment="Ill",
        reason="Another week",
        new_due_date=today() + dt.timedelta(days=7),
        consent_given=True,
    )
    assert document_state(case).version == 2
    assert Variation.objects.get(case=case).changes["Due date"]["after"]
