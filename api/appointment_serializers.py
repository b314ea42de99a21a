"""What the API shows and accepts for appointments (issue 18). The place (it may be the
person's phone number) and the reasons for cancelling or missing are for the provider's own
staff only, as on the pages; police readers get the rest."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework import serializers

from hub.models import NeedPathway
from referrals.models import APPOINTMENT_MAX_MINUTES, Appointment, AppointmentStatus
from referrals.services.appointments import RescheduleAsker

PROVIDER_ONLY = ("place", "absence_reason", "cancel_reason")


class AppointmentSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:appointment_detail")
    pathway = serializers.SlugRelatedField(slug_field="key", read_only=True)
    session = serializers.SerializerMethodField()

    class Meta:
        model = Appointment
        fields = [
            "id",
            "url",
            "referral",
            "starts_at",
            "duration_minutes",
            "mode",
            "place",
            "with_whom",
            "pathway",
            "condition",
            "status",
            "absence_reason",
            "absence_reason_accepted",
            "cancel_reason",
            "session",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_session(self, appointment) -> int | None:
        """The support session recorded for it (attendance recorded), if any."""
        try:
            return appointment.session.pk
        except Appointment.session.RelatedObjectDoesNotExist:
            return None

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("with_private", False):
            for name in PROVIDER_ONLY:
                data.pop(name, None)
        return data


class _Details(serializers.Serializer):
    starts_at = serializers.DateTimeField(help_text="ISO 8601 with its offset; in the future")
    duration_minutes = serializers.IntegerField(min_value=1, max_value=APPOINTMENT_MAX_MINUTES)
    mode = serializers.ChoiceField(choices=Appointment.Mode.choices)
    place = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        help_text="Required in person: the address. Phone or video: the number or link.",
    )
    with_whom = serializers.IntegerField(
        required=False, allow_null=True, help_text="A caseworker of your organisation"
    )
    pathway = serializers.SlugRelatedField(
        slug_field="key",
        queryset=NeedPathway.objects.filter(active=True),
        required=False,
        allow_null=True,
    )

    def validate_starts_at(self, value):
        if timezone.is_naive(value):
            raise serializers.ValidationError("Give the time with its offset.")
        return value

    def validate_with_whom(self, value):
        if value is None:
            return None
        user = get_user_model().objects.filter(pk=value, is_active=True).first()
        if user is None:
            raise serializers.ValidationError("No such caseworker in your organisation.")
        return user


class BookSerializer(_Details):
    condition = serializers.IntegerField(
        required=False, allow_null=True, help_text="One of the conditions you support"
    )


class RescheduleSerializer(_Details):
    """Any detail left out keeps its current value; who asked and why are required."""

    asked_by = serializers.ChoiceField(choices=RescheduleAsker.CHOICES)
    reason = serializers.CharField(max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "duration_minutes", "mode"):
            self.fields[name].required = False


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class AttendanceSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[
            (AppointmentStatus.ATTENDED, "Attended"),
            (AppointmentStatus.LATE, "Attended late"),
            (AppointmentStatus.DID_NOT_ATTEND, "Did not attend"),
        ]
    )
    duration_minutes = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=600,
        help_text="How long the session lasted; only when attended or late",
    )
    absence_reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    absence_reason_accepted = serializers.BooleanField(required=False, default=False)
    notes = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    next_steps = serializers.CharField(max_length=5000, required=False, allow_blank=True)
