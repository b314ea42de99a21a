"""Appointments on a referral (issue 18): book, reschedule, cancel, record attendance.

Each function is one transition: it runs in a transaction, locks the referral and then the
appointment row, checks the state, saves the changed fields and writes a ReferralEvent through
`referrals.events._event` with `data={"appointment_id": ...}`, so that `referral_event` fires
for the apps above (notifications remind the person; api.webhooks tells partners).

Appointment states::

    booked ──reschedule──> booked (new time; the history is in the events' data)
    booked ──cancel──> cancelled
    booked ──record attendance──> attended | late      (a SupportSession hangs off it)
                               └─> did_not_attend     (with the reason and whether acceptable)

Only the provider's caseworkers, only on an accepted or in-progress referral.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cautions.models import Condition
from hub.models import NeedPathway
from referrals.events import _event
from referrals.models import (
    APPOINTMENT_MAX_MINUTES,
    Appointment,
    AppointmentMode,
    AppointmentStatus,
    Referral,
    SupportSession,
)
from referrals.services._common import (
    InvalidTransition,
    ReferralError,
    _clean_session_data,
    _is_caseworker_of,
    _lock,
    _require_status,
)

Status = Referral.Status
OPEN_FOR_APPOINTMENTS = (Status.ACCEPTED, Status.IN_PROGRESS)


class RescheduleAsker:
    """Who asked for an appointment to move (kept in the event's data)."""

    PERSON = "person"
    PROVIDER = "provider"
    POLICE = "police"
    CHOICES = (
        (PERSON, "The person"),
        (PROVIDER, "The support service"),
        (POLICE, "The police"),
    )
    VALUES = frozenset(value for value, _ in CHOICES)


# The support session's kind for each way of meeting.
_SESSION_KIND = {
    AppointmentMode.IN_PERSON: SupportSession.Kind.ONE_TO_ONE,
    AppointmentMode.PHONE: SupportSession.Kind.PHONE,
    AppointmentMode.VIDEO: SupportSession.Kind.ONE_TO_ONE,
}

_DETAIL_FIELDS = ("starts_at", "duration_minutes", "mode", "place", "with_whom", "pathway")


def _require_caseworker(referral: Referral, actor) -> None:
    if not _is_caseworker_of(actor, referral.provider_id):
        raise ReferralError(
            "Only caseworkers of the provider the person was referred to can manage appointments."
        )


def _lock_appointment(appointment: Appointment) -> tuple[Referral, Appointment]:
    referral = _lock(appointment.referral)
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    return referral, appointment


def _require_booked(appointment: Appointment, action: str) -> None:
    if appointment.status != AppointmentStatus.BOOKED:
        raise InvalidTransition(
            f"You cannot {action}: the appointment is {appointment.get_status_display().lower()}."
        )


def _clean_details(referral: Referral, details: dict, *, now: dt.datetime) -> dict:
    """Check the time, length, place and whom of an appointment; return the fields to save."""
    starts_at = details.get("starts_at")
    if starts_at is None:
        raise ReferralError("Enter the date and time of the appointment.", field="starts_at")
    if timezone.is_naive(starts_at):
        raise ReferralError("Enter the time with its time zone.", field="starts_at")
    if starts_at <= now:
        raise ReferralError("The appointment must be in the future.", field="starts_at")
    if timezone.localtime(starts_at).date() < timezone.localtime(referral.created_at).date():
        raise ReferralError(
            "The appointment cannot be before the referral was made.", field="starts_at"
        )
    duration = details.get("duration_minutes")
    if not duration or not 0 < int(duration) <= APPOINTMENT_MAX_MINUTES:
        raise ReferralError(
            f"Enter a length between 1 and {APPOINTMENT_MAX_MINUTES} minutes.",
            field="duration_minutes",
        )
    mode = details.get("mode")
    if mode not in AppointmentMode.values:
        raise ReferralError("Choose how you will meet.", field="mode")
    place = (details.get("place") or "").strip()
    if mode == AppointmentMode.IN_PERSON and not place:
        raise ReferralError("Enter where the appointment is.", field="place")
    with_whom = details.get("with_whom")
    if with_whom is not None and not _is_caseworker_of(with_whom, referral.provider_id):
        raise ReferralError("Choose a caseworker in your own organisation.", field="with_whom")
    pathway = details.get("pathway")
    if pathway is not None and not NeedPathway.objects.filter(pk=pathway.pk, active=True).exists():
        raise ReferralError("Choose a pathway from the list.", field="pathway")
    return {
        "starts_at": starts_at,
        "duration_minutes": int(duration),
        "mode": mode,
        "place": place,
        "with_whom": with_whom,
        "pathway": pathway,
    }


def _refuse_double_booking(referral: Referral, starts_at, *, moving=None) -> None:
    """Two booked appointments on one referral at the same time are one booked twice (a
    double submit, a retried request): refused. Checked under the referral's row lock, so
    two submits at once are seen one after the other."""
    same_time = referral.appointments.booked().filter(starts_at=starts_at)
    if moving is not None:
        same_time = same_time.exclude(pk=moving.pk)
    if same_time.exists():
        raise ReferralError(
            "An appointment is already booked at that time for this referral.",
            field="starts_at",
        )


def _check_condition(referral: Referral, condition) -> None:
    if condition is None:
        return
    if not Condition.objects.filter(
        pk=condition.pk, case_id=referral.case_id, provider_id=referral.provider_id
    ).exists():
        raise ReferralError(
            "Choose one of the conditions your organisation supports.", field="condition"
        )


def _snapshot(appointment: Appointment) -> dict:
    """The appointment's details as they go into an event's data (JSON)."""
    return {
        "starts_at": appointment.starts_at.isoformat(),
        "duration_minutes": appointment.duration_minutes,
        "mode": appointment.mode,
        "place": appointment.place,
        "with_whom": appointment.with_whom_id,
        "pathway": appointment.pathway_id,
    }


def _when(appointment: Appointment) -> str:
    return f"{timezone.localtime(appointment.starts_at):%-d %B %Y, %H:%M}"


@transaction.atomic
def appointment_book(
    *, referral: Referral, actor, details: dict, condition=None, now: dt.datetime | None = None
) -> Appointment:
    """Book an appointment on an accepted or in-progress referral, in the future.

    `details`: starts_at (aware), duration_minutes, mode, place, with_whom (a caseworker of the
    provider, optional), pathway (optional). Locks the referral; event "appointment_booked".
    """
    now = now or timezone.now()
    referral = _lock(referral)
    _require_caseworker(referral, actor)
    _require_status(referral, OPEN_FOR_APPOINTMENTS, "book an appointment")
    values = _clean_details(referral, details, now=now)
    _refuse_double_booking(referral, values["starts_at"])
    _check_condition(referral, condition)
    appointment = Appointment.objects.create(
        referral=referral, condition=condition, booked_by=actor, **values
    )
    _event(
        referral,
        actor=actor,
        kind="appointment_booked",
        from_status=referral.status,
        to_status=referral.status,
        reason=f"{appointment.get_mode_display()} on {_when(appointment)}.",
        data={"appointment_id": appointment.pk, "details": _snapshot(appointment)},
    )
    return appointment


@transaction.atomic
def appointment_reschedule(
    *,
    appointment: Appointment,
    actor,
    details: dict,
    asked_by: str,
    reason: str,
    now: dt.datetime | None = None,
) -> Appointment:
    """Move a booked appointment (and change its length, place or whom), saying who asked
    (the person, the provider or the police) and why. The event's data keeps the details
    before and after, so the appointment's history is the list of its events."""
    now = now or timezone.now()
    referral, appointment = _lock_appointment(appointment)
    _require_caseworker(referral, actor)
    _require_status(referral, OPEN_FOR_APPOINTMENTS, "reschedule an appointment")
    _require_booked(appointment, "reschedule it")
    if asked_by not in RescheduleAsker.VALUES:
        raise ReferralError("Choose who asked to change the appointment.", field="asked_by")
    reason = (reason or "").strip()
    if not reason:
        raise ReferralError("Enter why the appointment is changing.", field="reason")
    values = _clean_details(referral, details, now=now)
    _refuse_double_booking(referral, values["starts_at"], moving=appointment)
    before = _snapshot(appointment)
    for name, value in values.items():
        setattr(appointment, name, value)
    after = _snapshot(appointment)
    if before == after:
        raise ReferralError("Change the date, time or another detail of the appointment.")
    appointment.save(update_fields=[*_DETAIL_FIELDS, "updated_at"])
    _event(
        referral,
        actor=actor,
        kind="appointment_rescheduled",
        from_status=referral.status,
        to_status=referral.status,
        reason=f"Moved to {_when(appointment)}: {reason}",
        data={
            "appointment_id": appointment.pk,
            "asked_by": asked_by,
            "from": before,
            "to": after,
        },
    )
    return appointment


@transaction.atomic
def appointment_cancel(*, appointment: Appointment, actor, reason: str) -> Appointment:
    """booked -> cancelled, with the reason (no reminder is sent for it any more)."""
    referral, appointment = _lock_appointment(appointment)
    _require_caseworker(referral, actor)
    _require_booked(appointment, "cancel it")
    reason = (reason or "").strip()
    if not reason:
        raise ReferralError("Enter why the appointment is cancelled.", field="cancel_reason")
    appointment.status = AppointmentStatus.CANCELLED
    appointment.cancel_reason = reason
    appointment.save(update_fields=["status", "cancel_reason", "updated_at"])
    _event(
        referral,
        actor=actor,
        kind="appointment_cancelled",
        from_status=referral.status,
        to_status=referral.status,
        reason=reason,
        data={"appointment_id": appointment.pk},
    )
    return appointment


def _check_attendance(appointment, referral, *, status, duration_minutes, now) -> None:
    if status not in (
        AppointmentStatus.ATTENDED,
        AppointmentStatus.LATE,
        AppointmentStatus.DID_NOT_ATTEND,
    ):
        raise ReferralError("Choose whether the person attended.", field="status")
    if appointment.starts_at > now:
        raise ReferralError(
            "You can record attendance once the appointment has started.", field="status"
        )
    if timezone.localtime(appointment.starts_at).date() < (
        timezone.localtime(referral.created_at).date()
    ):
        raise ReferralError("A session cannot be dated before the referral was made.")
    present = status in (AppointmentStatus.ATTENDED, AppointmentStatus.LATE)
    if not present and duration_minutes:
        raise ReferralError(
            "Leave the length empty: the person did not attend.", field="duration_minutes"
        )
    if present and not duration_minutes:
        raise ReferralError("Enter how long the session lasted.", field="duration_minutes")


def _attach_session(
    appointment, referral, *, actor, status, session_fields, link
) -> SupportSession:
    """Create the support session of an appointment, or link an unplanned one already
    recorded for it (same referral, no appointment yet)."""
    if link is not None:
        session = SupportSession.objects.select_for_update().get(pk=link.pk)
        if session.referral_id != referral.pk or session.appointment_id is not None:
            raise ReferralError("Choose a session of this referral not linked to another.")
        if session.attendance != status:
            raise ReferralError("The session you chose records a different attendance.")
        session.appointment = appointment
        session._history_user = actor
        session.save(update_fields=["appointment", "updated_at"])
        return session
    data = {
        "occurred_at": appointment.starts_at,
        "kind": _SESSION_KIND[appointment.mode],
        "attendance": status,
        **session_fields,
    }
    if appointment.pathway_id and not data.get("pathways"):
        data["pathways"] = [appointment.pathway_id]
    values = _clean_session_data(data, referral)
    session = SupportSession(
        referral=referral, recorded_by=actor, appointment=appointment, **values
    )
    session._history_user = actor
    session.save()
    session.pathways.set(data.get("pathways") or [])
    return session


@transaction.atomic
def appointment_record_attendance(
    *,
    appointment: Appointment,
    actor,
    status: str,
    duration_minutes: int | None = None,
    absence_reason: str = "",
    absence_reason_accepted: bool = False,
    notes: str = "",
    next_steps: str = "",
    pathways=(),
    link_session: SupportSession | None = None,
    now: dt.datetime | None = None,
) -> Appointment:
    """booked -> attended, late or did_not_attend, once the appointment has started.

    Every outcome is also a support session (so attendance counts, the run of missed sessions
    and reports see it): attended or late with the session's length (refused without one),
    did not attend without a length (refused with one) and with the person's reason and
    whether it was acceptable. `link_session` attaches an unplanned session already recorded
    instead of creating one. The first session moves an accepted referral to in progress.
    Event "appointment_attended" or "appointment_missed".
    """
    now = now or timezone.now()
    referral, appointment = _lock_appointment(appointment)
    _require_caseworker(referral, actor)
    _require_status(referral, OPEN_FOR_APPOINTMENTS, "record attendance")
    _require_booked(appointment, "record attendance")
    _check_attendance(
        appointment, referral, status=status, duration_minutes=duration_minutes, now=now
    )
    missed = status == AppointmentStatus.DID_NOT_ATTEND
    absence_reason = (absence_reason or "").strip()
    if missed and not absence_reason:
        raise ReferralError(
            "Enter the reason the person gave, or that they gave none.", field="absence_reason"
        )
    session = _attach_session(
        appointment,
        referral,
        actor=actor,
        status=status,
        link=link_session,
        session_fields={
            "duration_minutes": None if missed else duration_minutes,
            "absence_reason_accepted": missed and absence_reason_accepted,
            "notes": notes,
            "next_steps": next_steps,
            "pathways": list(pathways),
        },
    )
    appointment.status = status
    appointment.absence_reason = absence_reason if missed else ""
    appointment.absence_reason_accepted = bool(missed and absence_reason_accepted)
    appointment.save(
        update_fields=["status", "absence_reason", "absence_reason_accepted", "updated_at"]
    )
    old = referral.status
    if old == Status.ACCEPTED:
        referral.status = Status.IN_PROGRESS
        referral.save(update_fields=["status", "updated_at"])
    _event(
        referral,
        actor=actor,
        kind="appointment_missed" if missed else "appointment_attended",
        from_status=old,
        to_status=referral.status,
        reason=(
            "Did not attend"
            + (" (reason accepted)." if appointment.absence_reason_accepted else ".")
            if missed
            else f"{appointment.get_status_display()}."
        ),
        data={"appointment_id": appointment.pk, "session": session.pk, "status": status},
    )
    return appointment
