"""What the API shows and accepts. Personal data goes out only through views that are
permission-checked and logged (api.views); session notes only to the person's provider."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from rest_framework import serializers

from cautions.models import Case, Condition
from hub.forms import PersonForm
from hub.lib import pnc
from hub.lib.text import hidden_characters_message
from hub.models import District, Offence, OffenceCategory, Person
from referrals.models import Referral, SupportSession


class ConditionSerializer(serializers.ModelSerializer):
    type = serializers.CharField(source="condition_type.key")
    type_label = serializers.CharField(source="condition_type.label")

    class Meta:
        model = Condition
        fields = [
            "id",
            "type",
            "type_label",
            "description",
            "amount",
            "hours",
            "due_date",
            "status",
        ]


class ReferralSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:referral_detail")
    provider = serializers.CharField(source="provider.name")
    case_reference = serializers.CharField(source="case.reference")
    person = serializers.SerializerMethodField()
    assigned_to = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = [
            "id",
            "url",
            "status",
            "source",
            "provider",
            "case_reference",
            "person",
            "due_date",
            "assigned_to",
            "created_at",
            "accepted_at",
            "closed_at",
            "return_reason",
        ]

    def get_person(self, referral) -> dict:
        person = referral.case.person
        return {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "date_of_birth": person.date_of_birth,
        }

    def get_assigned_to(self, referral) -> str | None:
        user = referral.assigned_to
        return None if user is None else (user.get_full_name() or user.get_username())


_DATETIME = serializers.DateTimeField()
_DATE = serializers.DateField()


def _when(field, value):
    return None if value is None else field.to_representation(value)


def referral_rows(rows, request) -> list[dict]:
    """ReferralSerializer's output for rows read with values() (api.views.ReferralList)."""
    base = request.build_absolute_uri("/api/v1/referrals/")
    out = []
    for row in rows:
        assignee = None
        if row["assigned_to__username"] is not None:
            full = f"{row['assigned_to__first_name']} {row['assigned_to__last_name']}".strip()
            assignee = full or row["assigned_to__username"]
        out.append(
            {
                "id": row["id"],
                "url": f"{base}{row['id']}/",
                "status": row["status"],
                "source": row["source"],
                "provider": row["provider__name"],
                "case_reference": row["case__reference"],
                "person": {
                    "first_name": row["case__person__first_name"],
                    "last_name": row["case__person__last_name"],
                    "date_of_birth": _when(_DATE, row["case__person__date_of_birth"]),
                },
                "due_date": _when(_DATE, row["due_date"]),
                "assigned_to": assignee,
                "created_at": _when(_DATETIME, row["created_at"]),
                "accepted_at": _when(_DATETIME, row["accepted_at"]),
                "closed_at": _when(_DATETIME, row["closed_at"]),
                "return_reason": row["return_reason"],
            }
        )
    return out


class ReferralDetailSerializer(ReferralSerializer):
    conditions = serializers.SerializerMethodField()
    reason = serializers.CharField()

    class Meta(ReferralSerializer.Meta):
        fields = [*ReferralSerializer.Meta.fields, "reason", "conditions"]

    def get_conditions(self, referral) -> list[dict]:
        conditions = referral.case.conditions.filter(provider_id=referral.provider_id)
        return ConditionSerializer(conditions.select_related("condition_type"), many=True).data


class ReferralFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Referral.Status.choices, required=False)
    created_from = serializers.DateField(required=False)
    created_to = serializers.DateField(required=False)

    def validate(self, attrs):
        start, end = attrs.get("created_from"), attrs.get("created_to")
        if start and end and start > end:
            raise serializers.ValidationError({"created_to": "Must be on or after created_from."})
        return attrs


class AcceptSerializer(serializers.Serializer):
    assigned_to = serializers.IntegerField(
        required=False, help_text="A caseworker of your organisation (default: you)"
    )


class ReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class SessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = SupportSession
        fields = [
            "id",
            "occurred_at",
            "duration_minutes",
            "kind",
            "attendance",
            "absence_reason_accepted",
            "notes",
            "next_steps",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]
        extra_kwargs = {
            "notes": {"max_length": 10000},
            "next_steps": {"max_length": 2000},
        }

    def validate_occurred_at(self, value):
        if value > timezone.now():
            raise serializers.ValidationError("The session date and time must be in the past.")
        if value.date() < dt.date(2000, 1, 1):
            raise serializers.ValidationError("The session date must be after 1 January 2000.")
        return value


class CaseSerializer(serializers.ModelSerializer):
    conditions = ConditionSerializer(many=True, read_only=True)
    outcome = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "reference",
            "status",
            "outcome",
            "caution_date",
            "outcome_date",
            "court_outcome",
            "conditions",
        ]


def _name(value: str, label: str) -> str:
    """As the person form: right-to-left overrides and other hidden characters are refused."""
    problem = hidden_characters_message(label, value)
    if problem:
        raise serializers.ValidationError(problem)
    return value.strip()


class PersonSerializer(serializers.ModelSerializer):
    district = serializers.SlugRelatedField(
        slug_field="name",
        queryset=District.objects.filter(active=True),
        required=False,
        allow_null=True,
    )

    class Meta:
        model = Person
        # The same fields as the page's form (hub.forms.PersonForm), and the record's id.
        fields = ["id", *PersonForm.Meta.fields]
        read_only_fields = ["id"]
        extra_kwargs = {"date_of_birth": {"required": True, "allow_null": False}}

    def validate_first_name(self, value):
        return _name(value, "First name")

    def validate_last_name(self, value):
        return _name(value, "Last name")

    def validate_pnc_id(self, value):
        value = (value or "").strip()
        if not value:
            return None
        try:
            return pnc.normalise(value)
        except pnc.InvalidPNC as error:
            raise serializers.ValidationError(str(error)) from error

    def validate_date_of_birth(self, value):
        today = timezone.localdate()
        if value > today:
            raise serializers.ValidationError("Date of birth must be in the past")
        if value < today.replace(year=today.year - 120):
            raise serializers.ValidationError("Date of birth must be within the last 120 years")
        return value


class OffenceSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(
        slug_field="key", queryset=OffenceCategory.objects.filter(active=True)
    )
    district = serializers.SlugRelatedField(
        slug_field="name", queryset=District.objects.filter(active=True)
    )

    class Meta:
        model = Offence
        fields = [
            "id",
            "category",
            "description",
            "offence_date",
            "district",
            "gravity_score",
            "mode_of_trial",
            "domestic_abuse",
            "hate_crime",
            "victim_present",
        ]
        read_only_fields = ["id"]
        extra_kwargs = {
            "description": {"max_length": 5000},
            "gravity_score": {"required": False},
            "mode_of_trial": {"required": False},
        }

    def validate_offence_date(self, value):
        if value > timezone.localdate():
            raise serializers.ValidationError("Offence date must be today or in the past")
        if value < dt.date(1950, 1, 1):
            raise serializers.ValidationError("Offence date must be after 1950")
        return value

    def validate(self, attrs):
        category = attrs.get("category")
        if category is not None:
            attrs.setdefault("mode_of_trial", category.mode_of_trial)
            attrs.setdefault("gravity_score", category.default_gravity)
        return attrs
