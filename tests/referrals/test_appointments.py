"""Appointments (issue 18): booking, rescheduling, cancelling and recording attendance, each
with its event row, and every refusal leaving nothing changed."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from hub.roles import Role
from referrals import services
from referrals.models import Appointment, Referral, ReferralEvent, SupportSession
from referrals.signals import referral_event
from tests.factories import OrganisationFactory, make_user
from tests.referrals.factories import (
    REFERRAL_STATE_FACTORIES,
    accepted_referral,
    appointment_details,
    booked_appointment,
    caseworker_of,
    in_progress_referral,
    session_data,
    started_appointment,
)

pytestmark = pytest.mark.django_db
R = Referral.Status
A = Appointment.Status


def _events(referral, kind):
    return list(ReferralEvent.objects.filter(referral=referral, kind=kind))


# --- Booking ------------------------------------------------------------------------------------


def test_caseworker_books_an_appointment_with_an_event_that_fires_the_signal():
    referral = accepted_referral()
    worker = referral.assigned_to
    heard = []

    def receiver(sender, referral, event, **kwargs):
        heard.append(event.kind)

    referral_event.connect(receiver)
    try:
        appointment = services.appointment_book(
            referral=referral,
            actor=worker,
            details=appointment_details(with_whom=worker),
            condition=referral.case.conditions.get(),
        )
    finally:
        referral_event.disconnect(receiver)
    appointment.refresh_from_db()
    assert appointment.status == A.BOOKED
    assert appointment.booked_by == worker
    assert appointment.with_whom == worker
    assert appointment.condition is not None
    [event] = _events(referral, "appointment_booked")
    assert event.data["appointment_id"] == appointment.pk
    assert event.actor == worker
    assert heard == ["appointment_booked"]


@pytest.mark.parametrize(
    "status", [s for s in REFERRAL_STATE_FACTORIES if s not in (R.ACCEPTED, R.IN_PROGRESS)]
)
def test_booking_refused_unless_the_referral_is_accepted_or_in_progress(status):
    referral = REFERRAL_STATE_FACTORIES[status]()
    worker = caseworker_of(referral.provider)
    with pytest.raises(services.InvalidTransition, match="referral is"):
        services.appointment_book(referral=referral, actor=worker, details=appointment_details())
    assert not Appointment.objects.exists()
    assert not _events(referral, "appointment_booked")


def test_booking_refused_for_another_organisations_caseworker_and_for_police():
    referral = accepted_referral()
    outsider = caseworker_of(OrganisationFactory())
    officer = referral.case.officer
    for actor in (outsider, officer):
        with pytest.raises(services.ReferralError, match="Only caseworkers"):
            services.appointment_book(referral=referral, actor=actor, details=appointment_details())
    assert not Appointment.objects.exists()


def test_booking_in_the_past_is_refused_and_a_minute_ahead_is_not():
    referral = accepted_referral()
    now = timezone.now()
    with pytest.raises(services.ReferralError, match="in the future") as error:
        services.appointment_book(
            referral=referral,
            actor=referral.assigned_to,
            details=appointment_details(starts_at=now),
            now=now,
        )
    assert error.value.field == "starts_at"
    services.appointment_book(
        referral=referral,
        actor=referral.assigned_to,
        details=appointment_details(starts_at=now + dt.timedelta(minutes=1)),
        now=now,
    )
    assert Appointment.objects.count() == 1


@pytest.mark.parametrize(("minutes", "ok"), [(0, False), (1, True), (480, True), (481, False)])
def test_length_between_one_minute_and_a_working_day(minutes, ok):
    referral = accepted_referral()
    call = lambda: services.appointment_book(  # noqa: E731
        referral=referral,
        actor=referral.assigned_to,
        details=appointment_details(duration_minutes=minutes),
    )
    if ok:
        assert call().duration_minutes == minutes
    else:
        with pytest.raises(services.ReferralError, match="between 1 and 480"):
            call()


def test_in_person_needs_a_place_phone_does_not():
    referral = accepted_referral()
    worker = referral.assigned_to
    with pytest.raises(services.ReferralError, match="where the appointment is"):
        services.appointment_book(
            referral=referral, actor=worker, details=appointment_details(place="  ")
        )
    appointment = services.appointment_book(
        referral=referral, actor=worker, details=appointment_details(mode="phone", place="")
    )
    assert appointment.place == ""


def test_with_whom_and_condition_must_belong_to_the_provider():
    referral = accepted_referral()
    worker = referral.assigned_to
    other = accepted_referral()
    with pytest.raises(services.ReferralError, match="caseworker in your own"):
        services.appointment_book(
            referral=referral,
            actor=worker,
            details=appointment_details(with_whom=other.assigned_to),
        )
    with pytest.raises(services.ReferralError, match="conditions your organisation"):
        services.appointment_book(
            referral=referral,
            actor=worker,
            details=appointment_details(),
            condition=other.case.conditions.get(),
        )
    assert not Appointment.objects.exists()


def test_database_refuses_an_in_person_appointment_without_place_and_a_long_one():
    referral = accepted_referral()
    base = {
        "referral": referral,
        "starts_at": timezone.now(),
        "booked_by": referral.assigned_to,
    }
    for bad in (
        {"mode": "in_person", "place": "", "duration_minutes": 30},
        {"mode": "phone", "duration_minutes": 481},
        {"mode": "phone", "duration_minutes": 30, "status": "cancelled"},
        {"mode": "phone", "duration_minutes": 30, "absence_reason": "Ill"},
        {"mode": "fax", "duration_minutes": 30},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Appointment.objects.create(**base, **bad)


# --- Rescheduling and cancelling ----------------------------------------------------------------


def test_reschedule_keeps_the_history_in_the_event():
    appointment = booked_appointment()
    before = appointment.starts_at
    later = before + dt.timedelta(days=2)
    services.appointment_reschedule(
        appointment=appointment,
        actor=appointment.referral.assigned_to,
        details=appointment_details(starts_at=later),
        asked_by="person",
        reason="Has a job interview that morning.",
    )
    appointment.refresh_from_db()
    assert appointment.starts_at == later
    assert appointment.status == A.BOOKED
    [event] = _events(appointment.referral, "appointment_rescheduled")
    assert event.data["appointment_id"] == appointment.pk
    assert event.data["asked_by"] == "person"
    assert event.data["from"]["starts_at"] == before.isoformat()
    assert event.data["to"]["starts_at"] == later.isoformat()
    assert "job interview" in event.reason


@pytest.mark.parametrize(
    ("asked_by", "reason", "message"),
    [
        ("neighbour", "Busy", "who asked"),
        ("person", "  ", "why the appointment"),
    ],
)
def test_reschedule_needs_who_asked_and_why(asked_by, reason, message):
    appointment = booked_appointment()
    with pytest.raises(services.ReferralError, match=message):
        services.appointment_reschedule(
            appointment=appointment,
            actor=appointment.referral.assigned_to,
            details=appointment_details(starts_at=appointment.starts_at + dt.timedelta(days=1)),
            asked_by=asked_by,
            reason=reason,
        )
    assert not _events(appointment.referral, "appointment_rescheduled")


def test_reschedule_into_the_past_or_with_nothing_changed_is_refused():
    appointment = booked_appointment()
    worker = appointment.referral.assigned_to
    with pytest.raises(services.ReferralError, match="in the future"):
        services.appointment_reschedule(
            appointment=appointment,
            actor=worker,
            details=appointment_details(starts_at=timezone.now() - dt.timedelta(minutes=5)),
            asked_by="provider",
            reason="Room booked twice.",
        )
    with pytest.raises(services.ReferralError, match="Change the date"):
        services.appointment_reschedule(
            appointment=appointment,
            actor=worker,
            details=appointment_details(),
            asked_by="provider",
            reason="Room booked twice.",
        )


def test_cancel_needs_a_reason_and_only_a_booked_appointment():
    appointment = booked_appointment()
    worker = appointment.referral.assigned_to
    with pytest.raises(services.ReferralError, match="why the appointment is cancelled"):
        services.appointment_cancel(appointment=appointment, actor=worker, reason="")
    services.appointment_cancel(appointment=appointment, actor=worker, reason="Caseworker ill.")
    appointment.refresh_from_db()
    assert appointment.status == A.CANCELLED
    assert appointment.cancel_reason == "Caseworker ill."
    [event] = _events(appointment.referral, "appointment_cancelled")
    assert event.data == {"appointment_id": appointment.pk}
    with pytest.raises(services.InvalidTransition, match="appointment is cancelled"):
        services.appointment_cancel(appointment=appointment, actor=worker, reason="Again.")
    with pytest.raises(services.InvalidTransition, match="appointment is cancelled"):
        services.appointment_reschedule(
            appointment=appointment,
            actor=worker,
            details=appointment_details(starts_at=appointment.starts_at + dt.timedelta(days=1)),
            asked_by="person",
            reason="x",
        )


# --- Attendance ---------------------------------------------------------------------------------


def test_attended_creates_the_session_and_starts_support():
    appointment = started_appointment()
    worker = appointment.referral.assigned_to
    assert appointment.referral.status == R.ACCEPTED
    services.appointment_record_attendance(
        appointment=appointment,
        actor=worker,
        status="attended",
        duration_minutes=45,
        notes="Went through the housing application.",
    )
    appointment.refresh_from_db()
    assert appointment.status == A.ATTENDED
    session = appointment.session
    assert session.duration_minutes == 45
    assert session.occurred_at == appointment.starts_at
    assert session.attendance == "attended"
    assert session.kind == "one_to_one"
    assert session.notes == "Went through the housing application."
    assert [p.key for p in session.pathways.all()] == ["accommodation"]
    referral = Referral.objects.get(pk=appointment.referral_id)
    assert referral.status == R.IN_PROGRESS
    [event] = _events(referral, "appointment_attended")
    assert event.data["appointment_id"] == appointment.pk
    assert event.to_status == R.IN_PROGRESS


def test_late_needs_a_duration():
    appointment = started_appointment()
    with pytest.raises(services.ReferralError, match="how long") as error:
        services.appointment_record_attendance(
            appointment=appointment, actor=appointment.referral.assigned_to, status="late"
        )
    assert error.value.field == "duration_minutes"
    assert not SupportSession.objects.exists()


def test_did_not_attend_refuses_a_duration_and_records_the_reason():
    appointment = started_appointment()
    worker = appointment.referral.assigned_to
    with pytest.raises(services.ReferralError, match="Leave the length empty"):
        services.appointment_record_attendance(
            appointment=appointment,
            actor=worker,
            status="did_not_attend",
            duration_minutes=30,
            absence_reason="Bus did not come.",
        )
    with pytest.raises(services.ReferralError, match="reason the person gave"):
        services.appointment_record_attendance(
            appointment=appointment, actor=worker, status="did_not_attend"
        )
    services.appointment_record_attendance(
        appointment=appointment,
        actor=worker,
        status="did_not_attend",
        absence_reason="Bus did not come.",
        absence_reason_accepted=True,
    )
    appointment.refresh_from_db()
    assert appointment.status == A.DID_NOT_ATTEND
    assert appointment.absence_reason == "Bus did not come."
    assert appointment.absence_reason_accepted
    assert appointment.session.duration_minutes is None
    assert appointment.session.absence_reason_accepted
    [event] = _events(appointment.referral, "appointment_missed")
    assert event.data["appointment_id"] == appointment.pk
    # The person's reason is not in the event (officers read events).
    assert "Bus" not in event.reason


def test_attendance_refused_before_the_appointment_starts_and_twice():
    appointment = booked_appointment()
    worker = appointment.referral.assigned_to
    with pytest.raises(services.ReferralError, match="once the appointment has started"):
        services.appointment_record_attendance(
            appointment=appointment, actor=worker, status="attended", duration_minutes=30
        )
    started = started_appointment(accepted_referral())
    worker = started.referral.assigned_to
    services.appointment_record_attendance(
        appointment=started, actor=worker, status="attended", duration_minutes=30
    )
    with pytest.raises(services.InvalidTransition, match="appointment is attended"):
        services.appointment_record_attendance(
            appointment=started, actor=worker, status="attended", duration_minutes=30
        )
    assert SupportSession.objects.count() == 1


def test_attendance_links_an_unplanned_session_already_recorded():
    referral = in_progress_referral(sessions=0)
    appointment = started_appointment(referral)
    worker = referral.assigned_to
    session = services.session_record(
        referral=referral,
        actor=worker,
        data=session_data(occurred_at=appointment.starts_at + dt.timedelta(minutes=5)),
    )
    services.appointment_record_attendance(
        appointment=appointment,
        actor=worker,
        status="attended",
        duration_minutes=50,
        link_session=session,
    )
    session.refresh_from_db()
    assert session.appointment_id == appointment.pk
    assert SupportSession.objects.count() == 1


def test_a_session_dated_before_the_referral_is_refused():
    appointment = started_appointment()
    Referral.objects.filter(pk=appointment.referral_id).update(
        created_at=timezone.now() + dt.timedelta(days=2)
    )
    with pytest.raises(services.ReferralError, match="before the referral"):
        services.appointment_record_attendance(
            appointment=appointment,
            actor=appointment.referral.assigned_to,
            status="attended",
            duration_minutes=30,
        )


def test_attendance_refused_for_another_organisations_caseworker():
    appointment = started_appointment()
    outsider = caseworker_of(OrganisationFactory())
    with pytest.raises(services.ReferralError, match="Only caseworkers"):
        services.appointment_record_attendance(
            appointment=appointment, actor=outsider, status="attended", duration_minutes=30
        )
    appointment.refresh_from_db()
    assert appointment.status == A.BOOKED


def test_an_analyst_cannot_book():
    referral = accepted_referral()
    analyst = make_user(Role.ANALYST, organisation=referral.provider)
    with pytest.raises(services.ReferralError):
        services.appointment_book(referral=referral, actor=analyst, details=appointment_details())
