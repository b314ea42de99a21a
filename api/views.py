"""The API's endpoints, under /api/v1/. Each one goes through the same access helpers and
services as the pages (referrals.access, cautions.access, hub.services, referrals.services),
so the token's user sees and may do exactly what they would in the browser; reads of personal
data are declared with hub.personal_data in api/urls.py and so logged like page views."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api import serializers as s
from api.idempotency import idempotent
from cautions.access import get_case_for_user
from cautions.models import Case
from hub import services as hub_services
from hub.audit import note_subject
from hub.models import Person
from hub.selectors import person_possible_duplicates
from referrals import services as referral_services
from referrals.access import can_read_notes, get_referral_for_user, referrals_visible_to
from reporting import comparison
from reporting.comparison_disclosure import published_comparison
from reporting.disclosure import whole_months
from reporting.exports import json_value
from reporting.views import dashboard_data, published_tables


def _require(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


class ReferralList(generics.ListAPIView):
    """The referrals the token's user may see: a provider's caseworkers, their organisation's
    referrals; police, every referral (read-only)."""

    serializer_class = s.ReferralSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=[c[0] for c in s.Referral.Status.choices]),
            OpenApiParameter("created_from", str, description="YYYY-MM-DD, inclusive"),
            OpenApiParameter("created_to", str, description="YYYY-MM-DD, inclusive"),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    # The list is read as plain rows (values()) and written as dicts by `list_rows`, not through
    # ReferralSerializer: 50 model instances (and their case, person, provider and assignee)
    # per page cost 12 of the 18 ms a page took (bench/RESULTS.md, issue 14). The serializer
    # still describes the rows in the schema, and a test checks both give the same JSON.
    ROW_FIELDS = (
        "id",
        "status",
        "source",
        "provider__name",
        "case__reference",
        "case__person__first_name",
        "case__person__last_name",
        "case__person__date_of_birth",
        "due_date",
        "assigned_to__first_name",
        "assigned_to__last_name",
        "assigned_to__username",
        "created_at",
        "accepted_at",
        "closed_at",
        "return_reason",
    )

    def list(self, request, *args, **kwargs):
        # Count and page on the referral table alone (the joins would make the count read
        # every row of the organisation through them), then read the page's rows.
        found = self.get_queryset()
        page = self.paginate_queryset(found.only("pk"))
        ids = [referral.pk for referral in page]
        rows = {row["id"]: row for row in found.filter(pk__in=ids).values(*self.ROW_FIELDS)}
        return self.get_paginated_response(s.referral_rows([rows[pk] for pk in ids], request))

    def get_queryset(self):
        _require(self.request, "referrals.view_referral")
        filters = s.ReferralFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        found = referrals_visible_to(self.request.user)
        data = filters.validated_data
        if "status" in data:
            found = found.filter(status=data["status"])
        if "created_from" in data:
            found = found.filter(created_at__date__gte=data["created_from"])
        if "created_to" in data:
            found = found.filter(created_at__date__lte=data["created_to"])
        return found.order_by("-created_at", "-id")


class ReferralDetail(APIView):
    @extend_schema(responses=s.ReferralDetailSerializer)
    def get(self, request, pk: int):
        referral = get_referral_for_user(request.user, pk)
        return Response(s.ReferralDetailSerializer(referral, context={"request": request}).data)


class ReferralAccept(APIView):
    @extend_schema(request=s.AcceptSerializer, responses=s.ReferralDetailSerializer)
    def post(self, request, pk: int):
        referral = get_referral_for_user(request.user, pk, write=True)
        body = s.AcceptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        assignee = request.user
        if "assigned_to" in body.validated_data:
            assignee = (
                get_user_model().objects.filter(pk=body.validated_data["assigned_to"]).first()
            )
            if assignee is None:
                raise ValidationError({"assigned_to": "No such caseworker in your organisation."})
        referral = referral_services.referral_accept(
            referral=referral, actor=request.user, assignee=assignee
        )
        return Response(s.ReferralDetailSerializer(referral, context={"request": request}).data)


class ReferralReturn(APIView):
    @extend_schema(request=s.ReturnSerializer, responses=s.ReferralDetailSerializer)
    def post(self, request, pk: int):
        referral = get_referral_for_user(request.user, pk, write=True)
        body = s.ReturnSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        referral = referral_services.referral_return(
            referral=referral, actor=request.user, reason=body.validated_data["reason"]
        )
        return Response(s.ReferralDetailSerializer(referral, context={"request": request}).data)


class ReferralSessions(APIView):
    """A referral's support sessions (the notes only to the person's provider) and recording
    a new one (the provider's caseworkers)."""

    @extend_schema(responses=s.SessionSerializer(many=True))
    def get(self, request, pk: int):
        referral = get_referral_for_user(request.user, pk)
        if not can_read_notes(request.user, referral):
            raise PermissionDenied
        sessions = referral.sessions.order_by("-occurred_at", "-id")
        return Response(s.SessionSerializer(sessions, many=True).data)

    @extend_schema(request=s.SessionSerializer, responses={201: s.SessionSerializer})
    @idempotent
    def post(self, request, pk: int):
        referral = get_referral_for_user(request.user, pk, write=True)
        body = s.SessionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        session = referral_services.session_record(
            referral=referral, actor=request.user, data=body.validated_data
        )
        return Response(s.SessionSerializer(session).data, status=status.HTTP_201_CREATED)


class CaseDetail(APIView):
    """A case's status and outcome, for the force's records system."""

    @extend_schema(responses=s.CaseSerializer)
    def get(self, request, pk: int):
        case = get_case_for_user(request.user, pk)
        case = Case.objects.prefetch_related("conditions__condition_type").get(pk=case.pk)
        return Response(s.CaseSerializer(case).data)


class PersonCreate(APIView):
    """Create a person, as the force's records system. A likely duplicate (same PNC ID, or same
    name and date of birth) is refused with 409 and the candidates, unless `confirm_new` says
    the system checked and this is someone else; a PNC ID already held is always refused."""

    @extend_schema(request=s.PersonSerializer, responses={201: s.PersonSerializer})
    @idempotent
    def post(self, request):
        _require(request, "hub.add_person")
        body = s.PersonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        # The same check as the page's (hub.selectors.person_possible_duplicates).
        candidates = person_possible_duplicates(
            first_name=data["first_name"],
            last_name=data["last_name"],
            date_of_birth=data["date_of_birth"],
            pnc_id=data.get("pnc_id"),
        )
        same_pnc = data.get("pnc_id") and any(p.pnc_id == data["pnc_id"] for p in candidates)
        if candidates and (same_pnc or request.data.get("confirm_new") is not True):
            return Response(
                {
                    "errors": [
                        {
                            "field": "pnc_id" if same_pnc else None,
                            "message": "A person with these details may already be held.",
                        }
                    ],
                    "candidates": [
                        {"id": p.pk, "url": _person_url(request, p.pk)} for p in candidates
                    ],
                },
                status=status.HTTP_409_CONFLICT,
            )
        person = hub_services.person_create(user=request.user, data=data)
        return Response(s.PersonSerializer(person).data, status=status.HTTP_201_CREATED)


def _person_url(request, pk: int) -> str:
    return request.build_absolute_uri(f"/api/v1/people/{pk}/")


class PersonDetail(APIView):
    @extend_schema(responses=s.PersonSerializer)
    def get(self, request, pk: int):
        _require(request, "hub.view_person")
        person = get_object_or_404(
            Person.objects.current().filter(anonymised_at__isnull=True), pk=pk
        )
        note_subject(person, person_id=person.pk)
        return Response(s.PersonSerializer(person).data)

    @extend_schema(request=s.PersonSerializer, responses=s.PersonSerializer)
    def patch(self, request, pk: int):
        _require(request, "hub.change_person")
        person = get_object_or_404(
            Person.objects.current().filter(anonymised_at__isnull=True), pk=pk
        )
        body = s.PersonSerializer(person, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        person = hub_services.person_update(
            user=request.user, person=person, data=dict(body.validated_data)
        )
        return Response(s.PersonSerializer(person).data)


class OffenceCreate(APIView):
    @extend_schema(request=s.OffenceSerializer, responses={201: s.OffenceSerializer})
    @idempotent
    def post(self, request, pk: int):
        _require(request, "hub.add_offence")
        person = get_object_or_404(
            Person.objects.current().filter(anonymised_at__isnull=True), pk=pk
        )
        body = s.OffenceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        offence = hub_services.offence_record(
            user=request.user, person=person, data=dict(body.validated_data)
        )
        return Response(s.OffenceSerializer(offence).data, status=status.HTTP_201_CREATED)


class ReoffendingReport(APIView):
    """The dashboard's tables as JSON, suppressed exactly as on the dashboard (a suppressed
    figure is {"suppressed": true}); never a person. Same filters as the dashboard."""

    @extend_schema(
        parameters=[
            OpenApiParameter("date_from", str, description="YYYY-MM-DD"),
            OpenApiParameter("date_to", str, description="YYYY-MM-DD"),
            OpenApiParameter("as_of", str, description="YYYY-MM-DD"),
        ],
        responses={200: dict},
    )
    def get(self, request):
        _require(request, "reporting.view_dashboard")
        data = dashboard_data(request._request)
        if data.arguments is None:
            raise ValidationError({k: [str(e) for e in v] for k, v in data.form.errors.items()})
        tables = published_tables(data)
        return Response(
            {
                "date_from": data.date_from,
                "date_to": data.date_to,
                "as_of": data.as_of,
                "min_cell": settings.REPORT_MIN_CELL,
                "window_note": data.window_note,
                "tables": {
                    key: {
                        "caption": table.caption,
                        "columns": table.columns,
                        "rows": [[json_value(c) for c in row] for row in table.rows],
                    }
                    for key, table in tables.items()
                },
            }
        )


def _query_date(request, name: str, *, required: bool) -> dt.date | None:
    value = request.query_params.get(name, "").strip()
    if not value:
        if required:
            raise ValidationError({name: ["This parameter is required (YYYY-MM-DD)."]})
        return None
    try:
        if len(value) != 10:
            raise ValueError
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError(
            {name: [f"'{value[:20]}' is not a date in the form YYYY-MM-DD."]}
        ) from None


class ComparisonReport(APIView):
    """The matched comparison (issue 19), published as the dashboard publishes it: small cells
    suppressed ({"suppressed": true}), whole calendar months that have ended; never a person.
    Fewer than 60 matched treated people (or a model that cannot be fitted): 422 saying so."""

    @extend_schema(
        parameters=[
            OpenApiParameter("from", str, required=True, description="YYYY-MM-DD"),
            OpenApiParameter("to", str, required=True, description="YYYY-MM-DD"),
            OpenApiParameter(
                "as_of", str, description="YYYY-MM-DD; default: the last reoffence import"
            ),
        ],
        responses={200: dict, 400: dict, 422: dict},
    )
    def get(self, request):
        _require(request, "reporting.view_dashboard")
        date_from = _query_date(request, "from", required=True)
        date_to = _query_date(request, "to", required=True)
        as_of = _query_date(request, "as_of", required=False) or comparison.default_as_of()
        if date_to < date_from:
            raise ValidationError({"to": ["'to' is before 'from'."]})
        today = timezone.localdate()
        window = whole_months(date_from, date_to, as_of, today)
        if window is None:
            raise ValidationError({"from": ["No whole calendar month that has ended is left."]})
        try:
            report = comparison.cached_comparison_report(
                date_from=window.date_from, date_to=window.date_to, as_of=window.as_of
            )
        except comparison.ComparisonUnavailable as error:
            return Response(
                {
                    "errors": [{"field": None, "message": str(error)}],
                    "minimum_matched": comparison.MINIMUM_MATCHED,
                },
                status=status.HTTP_422_UNPROCESSABLE_ENTITY,
            )
        return Response(
            published_comparison(report)
            | {
                "min_cell": settings.REPORT_MIN_CELL,
                "window_note": (
                    "Published for whole calendar months that have ended."
                    if window.differs_from(date_from, date_to, as_of)
                    else ""
                ),
            }
        )
