"""Referrals arise from administered conditions (referrals_sync_for_case), which the cautions
services announce with the case_changed signal."""

import datetime as dt
import weakref

import pytest
from django.utils import timezone

from cautions import services as caution_services
from cautions.models import Case, Condition
from cautions.signals import case_changed
from hub.models import ConditionType
from referrals.models import Referral, ReferralEvent
from referrals.services import referrals_sync_for_case
from referrals.sync import on_case_changed
from tests.cautions.factories import ActiveCaseFactory, AuthorisedCaseFactory, authorise_set
from tests.cautions.helpers import administer_kwargs
from tests.factories import OrganisationFactory
from tests.referrals.factories import accepted_referral, provider_condition

pytestmark = pytest.mark.django_db


def _sync(case):
    case.refresh_from_db()
    referrals_sync_for_case(case=case, actor=case.officer)


def test_one_referral_per_provider_with_latest_due_date_and_pathways():
    case = ActiveCaseFactory(conditions=1)  # a letter of apology: no provider
    links, fenland = OrganisationFactory(), OrganisationFactory()
    provider_condition(case, links, key="housing", due_in_days=20)
    late = provider_condition(case, links, key="debt", due_in_days=40)
    provider_condition(case, fenland, key="drugs_alcohol", due_in_days=30)

    _sync(case)

    referrals = {r.provider: r for r in Referral.objects.filter(case=case)}
    assert set(referrals) == {links, fenland}
    assert referrals[links].status == "new"
    assert referrals[links].due_date == late.due_date
    assert set(referrals[links].pathways.values_list("key", flat=True)) == {
        "accommodation",
        "finance_benefit_debt",
    }
    event = referrals[links].events.get()
    assert (event.kind, event.to_status, event.actor) == ("created", "new", case.officer)


def test_sync_is_idempotent():
    case = ActiveCaseFactory(conditions=0)
    provider_condition(case, OrganisationFactory())
    _sync(case)
    _sync(case)
    assert Referral.objects.filter(case=case).count() == 1
    assert ReferralEvent.objects.count() == 1


def test_no_referral_before_the_caution_is_given():
    case = AuthorisedCaseFactory()
    provider_condition(case, OrganisationFactory())
    _sync(case)
    assert not Referral.objects.exists()


def test_varying_a_due_date_updates_the_referral():
    referral = accepted_referral()
    condition = Condition.objects.get(case=referral.case, provider=referral.provider)
    new_due = condition.due_date + dt.timedelta(days=10)
    Condition.objects.filter(pk=condition.pk).update(due_date=new_due)
    _sync(referral.case)
    referral.refresh_from_db()
    assert referral.due_date == new_due
    assert referral.status == "accepted"
    event = referral.events.get(kind="due_date_changed")
    assert event.data == {"from": condition.due_date.isoformat(), "to": new_due.isoformat()}


def test_ending_the_providers_conditions_closes_the_referral_and_pending_again_reopens_it():
    referral = accepted_referral()
    case = referral.case
    Condition.objects.filter(case=case).update(status="ended")
    _sync(case)
    referral.refresh_from_db()
    assert referral.status == "withdrawn"
    assert "ended by the police" in referral.withdrawal_reason

    provider_condition(case, referral.provider, key="mental_health")
    _sync(case)
    referral.refresh_from_db()
    assert referral.status == "new"
    assert referral.assigned_to is None
    assert list(referral.events.values_list("kind", flat=True)[:2]) == ["reopened", "withdrawn"]


def test_moving_a_condition_to_another_provider_moves_the_referral():
    referral = accepted_referral()
    other = OrganisationFactory()
    Condition.objects.filter(case=referral.case).update(provider=other)
    _sync(referral.case)
    referral.refresh_from_db()
    assert referral.status == "withdrawn"
    assert Referral.objects.get(case=referral.case, provider=other).status == "new"


def test_complied_conditions_keep_the_referral_open_for_the_summary():
    referral = accepted_referral()
    Condition.objects.filter(case=referral.case).update(
        status="complied", complied_on=timezone.localdate()
    )
    _sync(referral.case)
    referral.refresh_from_db()
    assert referral.status == "accepted"


def test_withdrawing_the_case_closes_open_referrals_with_the_reason(officer):
    referral = accepted_referral()
    case = Case.objects.get(pk=referral.case_id)
    caution_services.case_withdraw(
        case=case, actor=case.officer, kind="error", reason="Recorded against the wrong person."
    )
    referral.refresh_from_db()
    assert referral.status == "withdrawn"
    assert "Recorded against the wrong person." in referral.withdrawal_reason
    event = referral.events.get(kind="withdrawn")
    assert (event.from_status, event.to_status) == ("accepted", "withdrawn")


def test_ending_a_condition_through_the_caution_workflow_closes_its_referral():
    case = ActiveCaseFactory(conditions=1)
    provider = OrganisationFactory()
    condition = provider_condition(case, provider)
    _sync(case)
    caution_services.condition_end(
        condition=condition, actor=case.officer, reason="Housing found by the council."
    )
    referral = Referral.objects.get(case=case)
    assert referral.status == "withdrawn"


def test_returned_and_completed_referrals_are_left_alone():
    referral = accepted_referral()
    referral.status = "returned"
    referral.return_reason = "Full caseload"
    referral.save()
    _sync(referral.case)
    referral.refresh_from_db()
    assert referral.status == "returned"


# --- Through the signal: cautions announces, referrals follow --------------------------------


def test_the_sync_receiver_is_connected_to_case_changed():
    connected = [
        receiver() if isinstance(receiver, weakref.ReferenceType) else receiver
        for (uid, _sender), receiver, *_ in case_changed.receivers
        if uid == "referrals.sync_on_case_changed"
    ]
    assert connected == [on_case_changed]


def test_giving_the_caution_creates_the_referral_through_the_signal():
    case = AuthorisedCaseFactory()
    provider = OrganisationFactory()
    housing = ConditionType.objects.get(key="housing")
    condition = caution_services.ConditionSpec(
        condition_type=housing,
        description="Attend housing support sessions.",
        due_date=timezone.localdate() + dt.timedelta(weeks=6),
        provider=provider,
    )
    authorise_set(case, [condition])
    caution_services.caution_administer(
        case=case, actor=case.officer, **administer_kwargs(conditions=[condition])
    )
    referral = Referral.objects.get(case=case)
    assert (referral.provider, referral.status, referral.source) == (provider, "new", "conditions")
    assert referral.due_date == condition.due_date
    assert list(referral.pathways.values_list("key", flat=True)) == ["accommodation"]
    event = referral.events.get()
    assert (event.kind, event.actor) == ("created", case.officer)


def test_a_failing_receiver_rolls_the_transition_back():
    """The receiver runs inside the cautions transaction: the case and the referrals change
    together or not at all."""

    def refuse(**kwargs):
        raise RuntimeError("the receiver failed")

    referral = accepted_referral()
    case = Case.objects.get(pk=referral.case_id)
    case_changed.connect(refuse, dispatch_uid="test.refuse")
    try:
        with pytest.raises(RuntimeError):
            caution_services.case_withdraw(case=case, actor=case.officer, kind="error", reason="x")
    finally:
        case_changed.disconnect(dispatch_uid="test.refuse")
    assert Case.objects.get(pk=case.pk).status == "active"
    referral.refresh_from_db()
    assert referral.status == "accepted"
