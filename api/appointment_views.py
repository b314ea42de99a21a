"""The API's appointments (issue 18), through the same access helper and services as the
pages: a provider's caseworkers book, move, cancel and record attendance on their own
organisation's referrals; police read them without the place or the reasons; anyone else,
and another provider, gets 404."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api.appointment_serializers import (
    AppointmentSerializer,
    AttendanceSerializer,
    BookSerializer,
    CancelSerializer,
    RescheduleSerializer,
)
from api.idempotency import idempotent
from api.pagination import Pagination
from cautions.models import Condition
from referrals import services
from referrals.access import can_read_notes, get_appointment_for_user, get_referral_for_user
from referrals.models import Appointment


def _show(request, appointment, *, code=status.HTTP_200_OK) -> Response:
    context = {
        "request": request,
        "with_private": can_read_notes(request.user, appointment.referral),
    }
    return Response(AppointmentSerializer(appointment, context=context).data, status=code)


def _with_session(appointment) -> Appointment:
    """The appointment as stored, with its session's id (after a write)."""
    return Appointment.objects.select_related("referral", "session").get(pk=appointment.pk)


def _read(request, pk: int, *, write: bool = False) -> Appointment:
    appointment = get_appointment_for_user(request.user, pk, write=write)
    if write and not request.user.has_perm("referrals.change_referral"):
        raise PermissionDenied
    return appointment


class ReferralAppointments(APIView):
    """A referral's appointments, soonest first, a page at a time; booking a new one."""

    @extend_schema(responses=AppointmentSerializer(many=True))
    def get(self, request, pk: int):
        referral = get_referral_for_user(request.user, pk)
        found = referral.appointments.select_related("pathway", "session").order_by(
            "starts_at", "pk"
        )
        paginator = Pagination()
        page = paginator.paginate_queryset(found, request, view=self)
        context = {"request": request, "with_private": can_read_notes(request.user, referral)}
        data = AppointmentSerializer(page, many=True, context=context).data
        return paginator.get_paginated_response(data)

    @extend_schema(request=BookSerializer, responses={201: AppointmentSerializer})
    @idempotent
    def post(self, request, pk: int):
        referral = get_referral_for_user(request.user, pk, write=True)
        body = BookSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        details = dict(body.validated_data)
        condition_id = details.pop("condition", None)
        condition = None
        if condition_id is not None:
            condition = Condition.objects.filter(pk=condition_id).first()
            if condition is None:
                raise ValidationError({"condition": "One of the conditions you support."})
        details.setdefault("with_whom", None)
        details.setdefault("pathway", None)
        appointment = services.appointment_book(
            referral=referral, actor=request.user, details=details, condition=condition
        )
        return _show(request, _with_session(appointment), code=status.HTTP_201_CREATED)


class AppointmentDetail(APIView):
    """One appointment; PATCH reschedules it (who asked and why are required)."""

    @extend_schema(responses=AppointmentSerializer)
    def get(self, request, pk: int):
        return _show(request, _with_session(_read(request, pk)))

    @extend_schema(request=RescheduleSerializer, responses=AppointmentSerializer)
    def patch(self, request, pk: int):
        appointment = _read(request, pk, write=True)
        body = RescheduleSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        current = {
            "starts_at": appointment.starts_at,
            "duration_minutes": appointment.duration_minutes,
            "mode": appointment.mode,
            "place": appointment.place,
            "with_whom": appointment.with_whom,
            "pathway": appointment.pathway,
        }
        details = {name: data.get(name, value) for name, value in current.items()}
        appointment = services.appointment_reschedule(
            appointment=appointment,
            actor=request.user,
            details=details,
            asked_by=data["asked_by"],
            reason=data["reason"],
        )
        return _show(request, _with_session(appointment))


class AppointmentCancel(APIView):
    @extend_schema(request=CancelSerializer, responses=AppointmentSerializer)
    @idempotent
    def post(self, request, pk: int):
        appointment = _read(request, pk, write=True)
        body = CancelSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        appointment = services.appointment_cancel(
            appointment=appointment, actor=request.user, reason=body.validated_data["reason"]
        )
        return _show(request, _with_session(appointment))


class AppointmentAttendance(APIView):
    """Attended or late (with the session's length, and optionally its notes), or did not
    attend (with the person's reason and whether it was acceptable, no length)."""

    @extend_schema(request=AttendanceSerializer, responses=AppointmentSerializer)
    @idempotent
    def post(self, request, pk: int):
        appointment = _read(request, pk, write=True)
        if not request.user.has_perm("referrals.add_supportsession"):
            raise PermissionDenied
        body = AttendanceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        appointment = services.appointment_record_attendance(
            appointment=appointment, actor=request.user, **body.validated_data
        )
        return _show(request, _with_session(appointment))
