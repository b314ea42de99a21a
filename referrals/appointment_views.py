"""Caseworkers' appointment pages (issue 18): book, reschedule, cancel, record attendance.

Only the provider's own caseworkers (another organisation's referral or appointment is a 404,
a police reader gets 403). Each POST calls exactly one service; a refusal goes back on the
form at its field, with what was typed kept. Each page is logged as access to the person's
data (hub.personal_data, from the access helper's subject)."""

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from cautions.models import Condition
from hub.personal_data import personal_data
from referrals import services
from referrals.access import get_appointment_for_user, get_referral_for_user
from referrals.appointment_forms import AppointmentForm, AttendanceForm, CancelAppointmentForm
from referrals.models import Appointment
from referrals.views import _done, _form_page


def _conditions(referral):
    return Condition.objects.filter(
        case_id=referral.case_id, provider_id=referral.provider_id
    ).select_related("condition_type")


def _error_field(form, error) -> str | None:
    field = getattr(error, "field", None)
    if field == "starts_at":
        return "appointment_date"
    if field == "status" and "status" not in form.fields:
        return None
    return field if field in form.fields else None


def _describe(appointment: Appointment) -> str:
    return (
        f"{appointment.get_mode_display()} appointment on "
        f"{timezone.localtime(appointment.starts_at):%-d %B %Y, %H:%M}"
    )


@personal_data("referrals.referral", "Opened the form to book an appointment")
@permission_required("referrals.change_referral", raise_exception=True)
def appointment_book(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_referral_for_user(request.user, pk, write=True)
    form = AppointmentForm(
        request.POST or None,
        referral=referral,
        conditions=_conditions(referral),
        initial={"with_whom": request.user.pk, "duration_minutes": 60},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.appointment_book(
                referral=referral,
                actor=request.user,
                details=form.details(),
                condition=form.cleaned_data.get("condition"),
            )
        except services.ReferralError as error:
            form.add_error(_error_field(form, error), str(error))
        else:
            return _done(request, referral, "Appointment booked")
    return _form_page(request, form, title="Book an appointment", referral=referral)


@personal_data("referrals.appointment", "Opened an appointment to reschedule it")
@permission_required("referrals.change_referral", raise_exception=True)
def appointment_reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = get_appointment_for_user(request.user, pk, write=True)
    referral = appointment.referral
    form = AppointmentForm(
        request.POST or None,
        referral=referral,
        conditions=_conditions(referral),
        reschedule=True,
        initial=AppointmentForm.initial_from(appointment),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.appointment_reschedule(
                appointment=appointment,
                actor=request.user,
                details=form.details(),
                asked_by=form.cleaned_data["asked_by"],
                reason=form.cleaned_data["reason"],
            )
        except services.ReferralError as error:
            form.add_error(_error_field(form, error), str(error))
        else:
            return _done(request, referral, "Appointment rescheduled")
    return _form_page(
        request,
        form,
        title="Reschedule an appointment",
        referral=referral,
        intro=f"Now booked: {_describe(appointment)}.",
    )


@personal_data("referrals.appointment", "Opened an appointment to cancel it")
@permission_required("referrals.change_referral", raise_exception=True)
def appointment_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = get_appointment_for_user(request.user, pk, write=True)
    referral = appointment.referral
    form = CancelAppointmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.appointment_cancel(
                appointment=appointment,
                actor=request.user,
                reason=form.cleaned_data["cancel_reason"],
            )
        except services.ReferralError as error:
            form.add_error(_error_field(form, error), str(error))
        else:
            return _done(request, referral, "Appointment cancelled")
    return _form_page(
        request,
        form,
        title="Cancel an appointment",
        referral=referral,
        intro=f"{_describe(appointment)}. The person will not be reminded of it.",
    )


@personal_data("referrals.appointment", "Opened an appointment to record attendance")
@permission_required("referrals.add_supportsession", raise_exception=True)
def appointment_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = get_appointment_for_user(request.user, pk, write=True)
    referral = appointment.referral
    form = AttendanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.appointment_record_attendance(
                appointment=appointment,
                actor=request.user,
                status=data["status"],
                duration_minutes=data.get("duration_minutes"),
                absence_reason=data.get("absence_reason", ""),
                absence_reason_accepted=data.get("absence_reason_accepted", False),
                notes=data.get("notes", ""),
                next_steps=data.get("next_steps", ""),
            )
        except services.ReferralError as error:
            form.add_error(_error_field(form, error), str(error))
        else:
            return _done(request, referral, "Attendance recorded")
    return _form_page(
        request,
        form,
        title="Record attendance",
        referral=referral,
        intro=f"{_describe(appointment)}.",
    )
