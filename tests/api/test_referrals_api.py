"""Providers' referrals through the API: the same isolation and rules as the pages."""

import datetime as dt
import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from hub.models import AccessLog
from hub.roles import Role
from referrals.models import Referral, SupportSession
from tests.api.conftest import bearer
from tests.factories import OrganisationFactory, make_user
from tests.referrals.factories import caseworker_of, in_progress_referral, new_referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_providers():
    a, b = OrganisationFactory(name="Outside Links"), OrganisationFactory(name="Change Grow Live")
    return {
        "a": (a, caseworker_of(a), [new_referral(a), in_progress_referral(a)]),
        "b": (b, caseworker_of(b), [new_referral(b)]),
    }


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def test_two_providers_see_disjoint_referrals_and_404_on_each_other(two_providers):
    _a, worker_a, mine = two_providers["a"]
    _b, worker_b, theirs = two_providers["b"]
    client_a, client_b = bearer(worker_a), bearer(worker_b)
    assert ids(client_a.get("/api/v1/referrals/")) == {r.pk for r in mine}
    assert ids(client_b.get("/api/v1/referrals/")) == {r.pk for r in theirs}
    for referral in theirs:
        for path in ("", "sessions/"):
            assert client_a.get(f"/api/v1/referrals/{referral.pk}/{path}").status_code == 404
        for action in ("accept", "return"):
            response = client_a.post(
                f"/api/v1/referrals/{referral.pk}/{action}/", {"reason": "x"}, format="json"
            )
            assert response.status_code == 404
    assert Referral.objects.get(pk=theirs[0].pk).status == "new"


def test_list_is_paginated_and_filtered_by_status_and_date(two_providers):
    _a, worker, (new, in_progress) = two_providers["a"]
    client = bearer(worker)
    page = client.get("/api/v1/referrals/").json()
    assert page["count"] == 2
    assert "next" in page
    assert "results" in page
    assert ids(client.get("/api/v1/referrals/?status=new")) == {new.pk}
    assert ids(client.get("/api/v1/referrals/?status=in_progress")) == {in_progress.pk}
    Referral.objects.filter(pk=new.pk).update(created_at=timezone.now() - dt.timedelta(days=10))
    day = (timezone.localdate() - dt.timedelta(days=10)).isoformat()
    assert ids(client.get(f"/api/v1/referrals/?created_from={day}&created_to={day}")) == {new.pk}
    assert client.get("/api/v1/referrals/?page_size=1").json()["next"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=lost", "status"),
        ("created_from=2026-13-01", "created_from"),
        ("created_from=2026-05-02&created_to=2026-05-01", "created_to"),
    ],
)
def test_bad_filters_are_400_naming_the_field(two_providers, query, field):
    client = bearer(two_providers["a"][1])
    response = client.get(f"/api/v1/referrals/?{query}")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field


def test_accept_and_return_go_through_the_services_with_events(two_providers):
    _provider, worker, (new, _in_progress) = two_providers["a"]
    client = bearer(worker)
    response = client.post(f"/api/v1/referrals/{new.pk}/accept/", {}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "accepted"
    assert new.events.filter(kind="accepted", actor=worker).exists()
    again = client.post(f"/api/v1/referrals/{new.pk}/return/", {"reason": ""}, format="json")
    assert again.status_code == 400
    assert again.json()["errors"][0]["field"] == "reason"
    returned = client.post(
        f"/api/v1/referrals/{new.pk}/return/", {"reason": "Caseload full"}, format="json"
    )
    assert returned.json()["status"] == "returned"
    # A transition the current state does not allow is a 409 with the reason, never a 500.
    late = client.post(f"/api/v1/referrals/{new.pk}/accept/", {}, format="json")
    assert late.status_code == 409
    assert late.json()["errors"][0]["message"]


def test_accept_refuses_someone_outside_the_organisation(two_providers):
    _a, worker, (new, _p) = two_providers["a"]
    outsider = two_providers["b"][1]
    response = bearer(worker).post(
        f"/api/v1/referrals/{new.pk}/accept/", {"assigned_to": outsider.pk}, format="json"
    )
    assert response.status_code == 400
    assert Referral.objects.get(pk=new.pk).status == "new"


def _session(**overrides):
    data = {
        "occurred_at": (timezone.now() - dt.timedelta(hours=2)).isoformat(),
        "duration_minutes": 45,
        "kind": "one_to_one",
        "attendance": "attended",
        "notes": "Discussed the tenancy.",
        "next_steps": "",
    }
    data.update(overrides)
    return data


def test_recording_a_session_with_an_idempotency_key_creates_it_once(two_providers):
    _a, worker, (_new, referral) = two_providers["a"]
    client = bearer(worker)
    before = SupportSession.objects.filter(referral=referral).count()
    body = _session()
    first = client.post(
        f"/api/v1/referrals/{referral.pk}/sessions/",
        body,
        format="json",
        HTTP_IDEMPOTENCY_KEY="sess-1",
    )
    assert first.status_code == 201, first.json()
    retry = client.post(
        f"/api/v1/referrals/{referral.pk}/sessions/",
        body,
        format="json",
        HTTP_IDEMPOTENCY_KEY="sess-1",
    )
    assert retry.status_code == 201
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert SupportSession.objects.filter(referral=referral).count() == before + 1
    other_body = client.post(
        f"/api/v1/referrals/{referral.pk}/sessions/",
        {**body, "duration_minutes": 30},
        format="json",
        HTTP_IDEMPOTENCY_KEY="sess-1",
    )
    assert other_body.status_code == 422
    assert SupportSession.objects.filter(referral=referral).count() == before + 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"occurred_at": "2999-01-01T10:00:00Z"}, "occurred_at"),
        ({"occurred_at": "1900-01-01T10:00:00Z"}, "occurred_at"),
        ({"kind": "seance"}, "kind"),
        ({"notes": "x" * 10001}, "notes"),
    ],
)
def test_bad_sessions_are_400_naming_the_field(two_providers, overrides, field):
    _a, worker, (_new, referral) = two_providers["a"]
    response = bearer(worker).post(
        f"/api/v1/referrals/{referral.pk}/sessions/", _session(**overrides), format="json"
    )
    assert response.status_code == 400
    assert field in {e["field"] for e in response.json()["errors"]}


def test_police_read_referrals_but_never_session_notes_and_cannot_act(two_providers):
    _a, _worker, (new, referral) = two_providers["a"]
    police = bearer(make_user(Role.OFFICER))
    assert police.get(f"/api/v1/referrals/{referral.pk}/").status_code == 200
    assert police.get(f"/api/v1/referrals/{referral.pk}/sessions/").status_code == 403
    assert police.post(f"/api/v1/referrals/{new.pk}/accept/", {}, format="json").status_code == 403
    assert (
        police.post(
            f"/api/v1/referrals/{referral.pk}/sessions/", _session(), format="json"
        ).status_code
        == 403
    )


def test_analysts_and_administrators_get_no_referrals(two_providers):
    for role in (Role.ANALYST, Role.ADMINISTRATOR):
        client = bearer(make_user(role))
        assert client.get("/api/v1/referrals/").status_code == 403
        referral = two_providers["a"][2][0]
        assert client.get(f"/api/v1/referrals/{referral.pk}/").status_code == 404


def test_reads_are_in_the_access_log(two_providers):
    _a, worker, (_new, referral) = two_providers["a"]
    client = bearer(worker)
    client.get(f"/api/v1/referrals/{referral.pk}/")
    entry = AccessLog.objects.filter(user=worker).latest("at")
    assert entry.person_id == referral.case.person_id
    assert entry.description.startswith("API: read the referral")
    client.get("/api/v1/referrals/?status=new")
    listed = AccessLog.objects.filter(user=worker).latest("at")
    assert listed.description == "API: listed referrals"
    assert "status=new" in listed.path


def test_the_list_s_fast_rows_are_exactly_what_the_serializer_writes(two_providers, rf):
    """api.views.ReferralList writes its rows from values() for speed: the same JSON."""
    from rest_framework.request import Request

    from api.serializers import ReferralSerializer

    _a, worker, referrals = two_providers["a"]
    response = bearer(worker).get("/api/v1/referrals/")
    request = Request(rf.get("/api/v1/referrals/", HTTP_HOST="testserver"))
    listed = {row["id"]: row for row in response.json()["results"]}
    for referral in referrals:
        expected = ReferralSerializer(referral, context={"request": request}).data
        assert listed[referral.pk] == json.loads(json.dumps(expected, cls=DjangoJSONEncoder))
