"""Each referral transition, its event row, and its refusals."""

import datetime as dt

import pytest
from django.utils import timezone

from cautions.models import Case, Condition
from hub.models import NeedPathway
from referrals import services
from referrals.models import ProgressReport, Referral, SupportSession
from referrals.selectors import non_engagement_flags_for_officer
from tests.cautions.factories import ActiveCaseFactory
from tests.factories import OrganisationFactory
from tests.referrals.factories import (
    accepted_referral,
    caseworker_of,
    in_progress_referral,
    new_referral,
    session_data,
)

pytestmark = pytest.mark.django_db


def _last_event(referral):
    return referral.events.order_by("-id").first()


# --- accept / reassign --------------------------------------------------------------------


def test_accept_assigns_a_colleague_and_writes_the_event():
    referral = new_referral()
    me, colleague = caseworker_of(referral.provider), caseworker_of(referral.provider)
    services.referral_accept(referral=referral, actor=me, assignee=colleague)
    referral.refresh_from_db()
    assert (referral.status, referral.assigned_to) == ("accepted", colleague)
    assert referral.accepted_at is not None
    event = _last_event(referral)
    assert (event.kind, event.from_status, event.to_status, event.actor) == (
        "accepted",
        "new",
        "accepted",
        me,
    )


def test_accept_refuses_an_assignee_from_another_organisation():
    referral = new_referral()
    me = caseworker_of(referral.provider)
    outsider = caseworker_of(OrganisationFactory())
    with pytest.raises(services.ReferralError, match="own organisation"):
        services.referral_accept(referral=referral, actor=me, assignee=outsider)
    referral.refresh_from_db()
    assert referral.status == "new"


def test_staff_of_another_organisation_cannot_act():
    referral = new_referral()
    outsider = caseworker_of(OrganisationFactory())
    with pytest.raises(services.ReferralError, match="Only staff of the provider"):
        services.referral_accept(referral=referral, actor=outsider, assignee=outsider)


def test_reassign_changes_the_caseworker_only():
    referral = accepted_referral()
    colleague = caseworker_of(referral.provider)
    services.referral_accept(referral=referral, actor=referral.assigned_to, assignee=colleague)
    referral.refresh_from_db()
    assert (referral.status, referral.assigned_to) == ("accepted", colleague)
    assert _last_event(referral).kind == "reassigned"


@pytest.mark.parametrize("status", ["returned", "completed", "withdrawn"])
def test_accept_is_refused_in_a_closed_state(status):
    referral = accepted_referral()
    Referral.objects.filter(pk=referral.pk).update(
        status=status,
        return_reason="x",
        withdrawal_reason="x",
        closing_note="x",
        closed_at=timezone.now(),
    )
    with pytest.raises(services.InvalidTransition, match="the referral is"):
        services.referral_accept(
            referral=referral, actor=referral.assigned_to, assignee=referral.assigned_to
        )


# --- return -------------------------------------------------------------------------------


def test_return_records_the_reason():
    referral = new_referral()
    me = caseworker_of(referral.provider)
    services.referral_return(referral=referral, actor=me, reason="Outside our area")
    referral.refresh_from_db()
    assert (referral.status, referral.return_reason) == ("returned", "Outside our area")
    event = _last_event(referral)
    assert (event.kind, event.reason) == ("returned", "Outside our area")


def test_return_needs_a_reason_and_is_refused_once_support_started():
    referral = new_referral()
    me = caseworker_of(referral.provider)
    with pytest.raises(services.ReferralError, match="why"):
        services.referral_return(referral=referral, actor=me, reason="  ")
    started = in_progress_referral()
    with pytest.raises(services.InvalidTransition, match="in progress"):
        services.referral_return(referral=started, actor=started.assigned_to, reason="Too busy")


# --- sessions -----------------------------------------------------------------------------


def test_first_session_starts_the_support():
    referral = accepted_referral()
    session = services.session_record(
        referral=referral, actor=referral.assigned_to, data=session_data()
    )
    referral.refresh_from_db()
    assert referral.status == "in_progress"
    assert list(session.pathways.values_list("key", flat=True)) == ["accommodation"]
    event = _last_event(referral)
    assert (event.kind, event.from_status, event.to_status) == (
        "session_recorded",
        "accepted",
        "in_progress",
    )
    assert "rent arrears" not in event.reason  # notes never go into the shared history


def test_session_is_refused_on_a_new_referral_and_missed_sessions_have_no_duration():
    referral = new_referral()
    me = caseworker_of(referral.provider)
    with pytest.raises(services.InvalidTransition, match="new"):
        services.session_record(referral=referral, actor=me, data=session_data())
    referral = accepted_referral()
    session = services.session_record(
        referral=referral,
        actor=referral.assigned_to,
        data=session_data(attendance="did_not_attend", duration_minutes=30),
    )
    assert session.duration_minutes is None


def test_author_can_edit_within_24_hours():
    referral = in_progress_referral()
    session = referral.sessions.get()
    services.session_edit(
        session=session,
        actor=referral.assigned_to,
        data=session_data(notes="Corrected spelling.", attendance="late"),
    )
    session.refresh_from_db()
    assert (session.notes, session.attendance) == ("Corrected spelling.", "late")
    assert _last_event(referral).kind == "session_edited"
    assert session.history.count() == 2  # the text before the edit is kept


def test_edit_is_refused_after_24_hours_and_for_someone_else():
    referral = in_progress_referral()
    session = referral.sessions.get()
    colleague = caseworker_of(referral.provider)
    with pytest.raises(services.InvalidTransition, match="Only the person who recorded"):
        services.session_edit(session=session, actor=colleague, data=session_data())
    SupportSession.objects.filter(pk=session.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=24, minutes=1)
    )
    with pytest.raises(services.InvalidTransition, match="24 hours"):
        services.session_edit(session=session, actor=referral.assigned_to, data=session_data())
    session.refresh_from_db()
    assert session.notes.startswith("Talked about the rent arrears")


def test_correction_is_a_new_entry_linked_to_the_original():
    referral = in_progress_referral()
    original = referral.sessions.get()
    SupportSession.objects.filter(pk=original.pk).update(
        created_at=timezone.now() - dt.timedelta(days=3)
    )
    colleague = caseworker_of(referral.provider)
    correction = services.session_correct(
        session=original,
        actor=colleague,
        data=session_data(attendance="did_not_attend"),
        reason="Recorded against the wrong day: he did not come.",
    )
    original.refresh_from_db()
    assert correction.corrects == original
    assert original.attendance == "attended"  # the original is unchanged
    event = _last_event(referral)
    assert event.kind == "session_corrected"
    assert event.data == {"session": correction.pk, "corrects": original.pk}
    with pytest.raises(services.InvalidTransition, match="already been corrected"):
        services.session_correct(
            session=original, actor=colleague, data=session_data(), reason="Again"
        )
    with pytest.raises(services.InvalidTransition, match=r"24 hours|corrected"):
        services.session_edit(session=original, actor=referral.assigned_to, data=session_data())


# --- progress reports ---------------------------------------------------------------------


def test_complied_report_waits_for_the_officer_by_default():
    referral = in_progress_referral()
    condition = Condition.objects.get(case=referral.case, provider=referral.provider)
    report = services.progress_report(
        referral=referral,
        actor=referral.assigned_to,
        kind="complied",
        condition=condition,
        complied_on=timezone.localdate(),
        details="Attended all six sessions and moved into a tenancy.",
    )
    condition.refresh_from_db()
    assert condition.status == "pending"
    assert not report.applied_as_compliance
    assert _last_event(referral).kind == "progress_reported"
    with pytest.raises(services.InvalidTransition, match="already been reported"):
        services.progress_report(
            referral=referral,
            actor=referral.assigned_to,
            kind="complied",
            condition=condition,
            complied_on=timezone.localdate(),
            details="Again",
        )


def test_complied_report_stands_as_compliance_when_the_case_says_so():
    case = ActiveCaseFactory(conditions=0, provider_report_is_compliance=True)
    referral = in_progress_referral(case=case)
    condition = Condition.objects.get(case=case, provider=referral.provider)
    report = services.progress_report(
        referral=referral,
        actor=referral.assigned_to,
        kind="complied",
        condition=condition,
        complied_on=timezone.localdate(),
        details="Attended all sessions.",
    )
    condition.refresh_from_db()
    assert report.applied_as_compliance
    assert (condition.status, condition.evidence) == ("complied", "Attended all sessions.")
    # It was the only condition: the caution completes and the police close the referral,
    # and the provider can still send its end-of-support summary.
    assert Case.objects.get(pk=case.pk).status == "complied"
    referral.refresh_from_db()
    assert referral.status == "withdrawn"
    accommodation = NeedPathway.objects.get(key="accommodation")
    services.referral_close(
        referral=referral,
        actor=referral.assigned_to,
        outcomes={accommodation.pk: "improved"},
        closing_note="Settled in a tenancy.",
    )
    referral.refresh_from_db()
    assert referral.status == "completed"


def test_complied_needs_a_condition_of_this_provider():
    referral = in_progress_referral()
    other_case_condition = Condition.objects.exclude(case=referral.case).first() or (
        accepted_referral().case.conditions.first()
    )
    with pytest.raises(services.ReferralError, match="Choose"):
        services.progress_report(
            referral=referral,
            actor=referral.assigned_to,
            kind="complied",
            condition=other_case_condition,
            complied_on=timezone.localdate(),
            details="x",
        )


def test_not_engaging_raises_a_flag_for_the_officer_until_acknowledged():
    referral = in_progress_referral()
    officer = referral.case.officer
    assert non_engagement_flags_for_officer(officer) == []
    report = services.progress_report(
        referral=referral,
        actor=referral.assigned_to,
        kind="not_engaging",
        details="Missed the last two appointments and does not answer the phone.",
    )
    assert non_engagement_flags_for_officer(officer) == [report]
    assert non_engagement_flags_for_officer(caseworker_of(referral.provider)) == []
    services.progress_flag_acknowledge(report=report, actor=officer)
    assert non_engagement_flags_for_officer(officer) == []
    with pytest.raises(services.InvalidTransition, match="already been acknowledged"):
        services.progress_flag_acknowledge(report=report, actor=officer)


def test_progress_is_refused_on_a_new_referral():
    referral = new_referral()
    with pytest.raises(services.InvalidTransition, match="new"):
        services.progress_report(
            referral=referral,
            actor=caseworker_of(referral.provider),
            kind="not_engaging",
            details="x",
        )
    assert not ProgressReport.objects.exists()


# --- close --------------------------------------------------------------------------------


def test_close_needs_an_outcome_per_pathway_worked_on():
    referral = in_progress_referral()
    accommodation = NeedPathway.objects.get(key="accommodation")
    with pytest.raises(services.ReferralError, match="Accommodation"):
        services.referral_close(
            referral=referral, actor=referral.assigned_to, outcomes={}, closing_note="Done"
        )
    with pytest.raises(services.ReferralError, match="closing note"):
        services.referral_close(
            referral=referral,
            actor=referral.assigned_to,
            outcomes={accommodation.pk: "improved"},
            closing_note="",
        )
    services.referral_close(
        referral=referral,
        actor=referral.assigned_to,
        outcomes={accommodation.pk: "improved"},
        closing_note="Now in stable housing.",
    )
    referral.refresh_from_db()
    assert referral.status == "completed"
    assert list(referral.pathway_outcomes.values_list("pathway__key", "outcome")) == [
        ("accommodation", "improved")
    ]
    assert _last_event(referral).to_status == "completed"
    with pytest.raises(services.InvalidTransition, match="completed"):
        services.referral_close(
            referral=referral, actor=referral.assigned_to, outcomes={}, closing_note="x"
        )


def test_close_is_refused_for_a_referral_closed_by_police_before_acceptance():
    referral = new_referral()
    Condition.objects.filter(case=referral.case).update(status="ended")
    services.referrals_sync_for_case(case=referral.case, actor=referral.case.officer)
    with pytest.raises(services.InvalidTransition, match="before it was accepted"):
        services.referral_close(
            referral=referral,
            actor=caseworker_of(referral.provider),
            outcomes={},
            closing_note="x",
        )


# --- manual referrals ---------------------------------------------------------------------


def test_officer_refers_by_hand_and_can_refer_again_after_a_return(officer):
    case = ActiveCaseFactory()
    provider = OrganisationFactory()
    health = NeedPathway.objects.get(key="health")
    referral = services.referral_create_manual(
        case=case, provider=provider, actor=officer, reason="Low mood", pathways=[health]
    )
    assert (referral.status, referral.source, referral.due_date) == (
        "new",
        "manual",
        case.compliance_deadline,
    )
    with pytest.raises(services.InvalidTransition, match="already has a referral"):
        services.referral_create_manual(case=case, provider=provider, actor=officer, reason="Again")
    services.referral_return(
        referral=referral, actor=caseworker_of(provider), reason="Waiting list closed"
    )
    again = services.referral_create_manual(
        case=case, provider=provider, actor=officer, reason="List open again"
    )
    assert again.pk == referral.pk
    assert (again.status, again.return_reason) == ("new", "")
    assert _last_event(again).kind == "reopened"


def test_manual_referral_is_refused_before_the_caution(officer):
    from tests.cautions.factories import AuthorisedCaseFactory

    with pytest.raises(services.InvalidTransition, match="caution is running"):
        services.referral_create_manual(
            case=AuthorisedCaseFactory(),
            provider=OrganisationFactory(),
            actor=officer,
            reason="x",
        )
