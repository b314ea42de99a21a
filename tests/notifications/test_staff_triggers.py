"""Event-driven staff notifications: who is told of what, through the real services and
their signals (no receiver mocked), and never anyone else."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cautions import services as caution_services
from cautions.models import Case
from hub.roles import Role
from notifications import staff_receivers
from notifications.staff_models import StaffNotification
from referrals import services as referral_services
from referrals.events import _event
from referrals.models import ProgressReport
from tests.cautions import factories as f
from tests.cautions.helpers import spec
from tests.factories import OrganisationFactory, make_user, opcc
from tests.referrals.factories import (
    accepted_referral,
    caseworker_of,
    new_referral,
    provider_condition,
    returned_referral,
)

pytestmark = pytest.mark.django_db
K = StaffNotification.Kind


def kinds_of(user) -> list[str]:
    return list(StaffNotification.objects.filter(user=user).values_list("kind", flat=True))


def only(user, kind) -> StaffNotification:
    notifications = list(StaffNotification.objects.filter(user=user, kind=kind))
    assert len(notifications) == 1, kinds_of(user)
    return notifications[0]


# ---------------------------------------------------------------------------- officer


def test_the_officer_is_told_a_referral_was_returned_and_linked_to_the_case(officer):
    referral = returned_referral(officer=officer)
    notification = only(officer, K.REFERRAL_RETURNED)
    assert notification.link == reverse("cautions:case_support", args=[referral.case_id])
    assert referral.case.reference in notification.text
    assert referral.case.person.last_name not in notification.text
    assert referral.case.person.first_name not in notification.text
    assert notification.read_at is None


def test_a_complied_report_awaiting_confirmation_tells_the_officer(officer):
    referral = accepted_referral(officer=officer)
    condition = referral.case.conditions.get(provider=referral.provider)
    referral_services.progress_report(
        referral=referral,
        actor=referral.assigned_to,
        kind=ProgressReport.Kind.COMPLIED,
        details="Attended all six sessions.",
        condition=condition,
        complied_on=timezone.localdate(),
    )
    assert "Confirm it" in only(officer, K.COMPLIED_REPORTED).text


def test_a_complied_report_that_stands_as_compliance_asks_nothing_of_the_officer(officer):
    referral = accepted_referral(officer=officer, provider_report_is_compliance=True)
    condition = referral.case.conditions.get(provider=referral.provider)
    referral_services.progress_report(
        referral=referral,
        actor=referral.assigned_to,
        kind=ProgressReport.Kind.COMPLIED,
        details="Attended all six sessions.",
        condition=condition,
        complied_on=timezone.localdate(),
    )
    assert K.COMPLIED_REPORTED not in kinds_of(officer)


def test_a_not_engaging_report_tells_the_officer(officer):
    referral = accepted_referral(officer=officer)
    referral_services.progress_report(
        referral=referral,
        actor=referral.assigned_to,
        kind=ProgressReport.Kind.NOT_ENGAGING,
        details="Missed three sessions in a row.",
    )
    notification = only(officer, K.NOT_ENGAGING)
    assert notification.link == reverse("cautions:case_support", args=[referral.case_id])
    # The report's details are the provider's words about the person: never copied.
    assert "Missed three" not in notification.text


def test_a_missed_appointment_tells_the_officer_once_however_often_it_is_heard(officer):
    referral = accepted_referral(officer=officer)
    event = _event(referral, actor=referral.assigned_to, kind="appointment_missed")
    only(officer, K.APPOINTMENT_MISSED)
    # The same event heard again (a retried signal) notifies nobody twice.
    staff_receivers.on_referral_event(None, referral=referral, event=event)
    only(officer, K.APPOINTMENT_MISSED)


def test_an_officer_at_the_opcc_is_never_told(db):
    analyst_officer = make_user(Role.OFFICER, organisation=opcc())
    returned_referral(officer=analyst_officer)
    assert kinds_of(analyst_officer) == []


def test_other_officers_are_not_told_of_a_case_not_theirs(officer):
    other = make_user(Role.OFFICER, username="officer2")
    returned_referral(officer=officer)
    assert kinds_of(other) == []


# ---------------------------------------------------------------------------- sergeants


def test_sergeants_but_not_the_cases_officer_are_told_it_waits_for_authorisation(
    officer, sergeant, analyst
):
    sergeant_officer = make_user(Role.AUTHORISING_OFFICER, username="sergeant2")
    case = f.CaseFactory(officer=sergeant_officer, needs_recorded_at=timezone.now())
    f.EligibilityAssessmentFactory(case=case)
    f.VictimViewsFactory(case=case)
    caution_services.conditions_propose(case=case, actor=sergeant_officer, conditions=[spec()])
    caution_services.case_submit_for_authorisation(case=case, actor=sergeant_officer)
    notification = only(sergeant, K.AWAITING_AUTHORISATION)
    assert notification.link == reverse("cautions:case_detail", args=[case.pk])
    # Nobody authorises their own case; officers and analysts do not authorise.
    assert kinds_of(sergeant_officer) == []
    assert kinds_of(officer) == []
    assert kinds_of(analyst) == []


def test_a_refused_submission_notifies_nobody(officer, sergeant):
    case = f.CaseFactory(officer=officer)
    with pytest.raises(caution_services.RuleViolation):
        caution_services.case_submit_for_authorisation(case=case, actor=officer)
    assert kinds_of(sergeant) == []


def test_sergeants_are_told_a_breach_waits_for_a_decision(officer, sergeant):
    case = f.ActiveCaseFactory(officer=officer)
    caution_services.condition_mark_not_complied(
        condition=case.conditions.get(), actor=officer, details="No letter written."
    )
    notification = only(sergeant, K.BREACH_REPORTED)
    assert notification.link == reverse("cautions:case_detail", args=[case.pk])
    assert "No letter" not in notification.text
    assert kinds_of(officer) == []


# ---------------------------------------------------------------------------- caseworkers


def test_a_new_referral_tells_its_providers_caseworkers_and_no_other_organisations():
    provider = OrganisationFactory()
    mine = caseworker_of(provider)
    theirs = caseworker_of(OrganisationFactory())
    referral = new_referral(provider)
    notification = only(mine, K.NEW_REFERRAL)
    assert notification.link == reverse("referrals:detail", args=[referral.pk])
    assert kinds_of(theirs) == []


def test_a_case_withdrawn_tells_the_assigned_caseworker_only():
    provider = OrganisationFactory()
    assigned = caseworker_of(provider)
    colleague = caseworker_of(provider)
    referral = accepted_referral(provider, caseworker=assigned)
    StaffNotification.objects.all().delete()
    case = Case.objects.get(pk=referral.case_id)
    caution_services.case_withdraw(
        case=case, actor=case.officer, kind="error", reason="Recorded against the wrong person."
    )
    notification = only(assigned, K.CLOSED_BY_POLICE)
    assert notification.link == reverse("referrals:detail", args=[referral.pk])
    assert "wrong person" not in notification.text
    assert kinds_of(colleague) == []


def test_conditions_varied_tell_the_caseworker_of_each_open_referral(officer):
    provider = OrganisationFactory()
    assigned = caseworker_of(provider)
    other_provider = OrganisationFactory()
    outsider = caseworker_of(other_provider)
    referral = accepted_referral(provider, caseworker=assigned, officer=officer)
    case = Case.objects.get(pk=referral.case_id)
    apology = f.ConditionFactory(case=case)
    caution_services.condition_vary(
        condition=apology,
        actor=officer,
        reason="Typed wrongly",
        consent_given=True,
        agreed_on=timezone.localdate(),
        due_date=apology.due_date - dt.timedelta(days=1),
        description=apology.description,
    )
    notification = only(assigned, K.CONDITIONS_VARIED)
    assert notification.link == reverse("referrals:detail", args=[referral.pk])
    assert kinds_of(outsider) == []


def test_a_provider_condition_added_to_a_running_case_reaches_only_that_provider(officer):
    provider = OrganisationFactory()
    mine = caseworker_of(provider)
    theirs = caseworker_of(OrganisationFactory())
    case = f.ActiveCaseFactory(officer=officer, conditions=0)
    provider_condition(case, provider)
    referral_services.referrals_sync_for_case(case=case, actor=officer)
    only(mine, K.NEW_REFERRAL)
    assert kinds_of(theirs) == []


def test_a_missed_appointment_recorded_by_the_caseworker_tells_the_officer(officer):
    from tests.referrals.factories import started_appointment

    referral = accepted_referral(officer=officer)
    appointment = started_appointment(referral)
    referral_services.appointment_record_attendance(
        appointment=appointment,
        actor=referral.assigned_to,
        status="did_not_attend",
        absence_reason="Bus did not come.",
    )
    notification = only(officer, K.APPOINTMENT_MISSED)
    assert notification.link == reverse("cautions:case_support", args=[referral.case_id])
    assert "Bus" not in notification.text


def test_an_attended_appointment_and_an_engaging_report_ask_nothing_of_the_officer(officer):
    from tests.referrals.factories import started_appointment

    referral = accepted_referral(officer=officer)
    referral_services.appointment_record_attendance(
        appointment=started_appointment(referral),
        actor=referral.assigned_to,
        status="attended",
        duration_minutes=45,
    )
    referral_services.progress_report(
        referral=referral,
        actor=referral.assigned_to,
        kind=ProgressReport.Kind.ENGAGING,
        details="Comes every week.",
    )
    assert kinds_of(officer) == []
