"""The force's records system: people, offences and case status, with idempotent retries;
the OPCC's figures, suppressed as on the dashboard; throttling per token."""

import datetime as dt

import pytest
from django.core.cache import cache
from rest_framework.settings import api_settings

from hub.models import AccessLog, District, Offence, Person
from hub.roles import Role
from tests.api.conftest import bearer
from tests.cautions.factories import ActiveCaseFactory
from tests.factories import PersonFactory, make_user

pytestmark = pytest.mark.django_db


def person_body(**overrides):
    body = {
        "first_name": "Daniel",
        "last_name": "Hughes",
        "date_of_birth": "1990-04-12",
        "sex": "male",
        "pnc_id": "",
        "district": District.objects.first().name,
    }
    body.update(overrides)
    return body


def test_records_system_creates_a_person_once_with_an_idempotency_key(officer):
    client = bearer(officer)
    first = client.post("/api/v1/people/", person_body(), format="json", HTTP_IDEMPOTENCY_KEY="p-1")
    assert first.status_code == 201, first.json()
    again = client.post("/api/v1/people/", person_body(), format="json", HTTP_IDEMPOTENCY_KEY="p-1")
    assert again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert Person.objects.filter(last_name="Hughes").count() == 1
    assert Person.objects.get(pk=first.json()["id"]).created_by == officer


def test_a_likely_duplicate_is_409_with_its_candidates_unless_confirmed(officer):
    client = bearer(officer)
    held = PersonFactory(
        first_name="Daniel", last_name="Hughes", date_of_birth=dt.date(1990, 4, 12)
    )
    response = client.post("/api/v1/people/", person_body(first_name="DANIEL"), format="json")
    assert response.status_code == 409
    assert [c["id"] for c in response.json()["candidates"]] == [held.pk]
    confirmed = client.post(
        "/api/v1/people/", {**person_body(), "confirm_new": True}, format="json"
    )
    assert confirmed.status_code == 201
    assert Person.objects.filter(last_name="Hughes").count() == 2


def test_a_pnc_id_already_held_is_always_refused(officer):
    PersonFactory(pnc_id="16/0123456J")
    response = bearer(officer).post(
        "/api/v1/people/", {**person_body(pnc_id="16/123456j"), "confirm_new": True}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "pnc_id"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"date_of_birth": "2999-01-01"}, "date_of_birth"),
        ({"date_of_birth": "not a date"}, "date_of_birth"),
        ({"pnc_id": "123"}, "pnc_id"),
        ({"pnc_id": "16/0123456A"}, "pnc_id"),  # wrong check letter
        ({"last_name": "Hughes\u202e"}, "last_name"),  # right-to-left override
        ({"first_name": ""}, "first_name"),
        ({"district": "Atlantis"}, "district"),
    ],
)
def test_bad_people_are_400_naming_the_field(officer, overrides, field):
    response = bearer(officer).post("/api/v1/people/", person_body(**overrides), format="json")
    assert response.status_code == 400
    assert field in {e["field"] for e in response.json()["errors"]}


def test_update_a_person_and_record_an_offence(officer):
    person = PersonFactory()
    client = bearer(officer)
    updated = client.patch(f"/api/v1/people/{person.pk}/", {"phone": "01733 000000"}, format="json")
    assert updated.status_code == 200
    assert updated.json()["phone"] == "01733 000000"
    body = {
        "category": "shoplifting",
        "description": "Took a bottle of gin worth £18.",
        "offence_date": (dt.date.today() - dt.timedelta(days=3)).isoformat(),
        "district": person.district.name,
    }
    created = client.post(
        f"/api/v1/people/{person.pk}/offences/", body, format="json", HTTP_IDEMPOTENCY_KEY="o-1"
    )
    assert created.status_code == 201, created.json()
    client.post(
        f"/api/v1/people/{person.pk}/offences/", body, format="json", HTTP_IDEMPOTENCY_KEY="o-1"
    )
    offence = Offence.objects.get(person=person)
    assert offence.gravity_score == offence.category.default_gravity
    future = client.post(
        f"/api/v1/people/{person.pk}/offences/",
        {**body, "offence_date": "2999-01-01"},
        format="json",
    )
    assert future.status_code == 400
    assert future.json()["errors"][0]["field"] == "offence_date"


def test_reading_a_person_is_logged(officer):
    person = PersonFactory()
    assert bearer(officer).get(f"/api/v1/people/{person.pk}/").status_code == 200
    entry = AccessLog.objects.filter(user=officer).latest("at")
    assert entry.person_id == person.pk
    assert entry.description.startswith("API: read the person")


def test_people_and_cases_are_police_only():
    case = ActiveCaseFactory()
    for role in (Role.CASEWORKER, Role.ANALYST, Role.ADMINISTRATOR):
        client = bearer(make_user(role))
        assert client.post("/api/v1/people/", person_body(), format="json").status_code == 403
        assert client.get(f"/api/v1/people/{case.person_id}/").status_code == 403
        assert client.get(f"/api/v1/cases/{case.pk}/").status_code == 404


def test_case_status_and_outcome_for_the_records_system(officer):
    case = ActiveCaseFactory()
    response = bearer(officer).get(f"/api/v1/cases/{case.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["reference"] == case.reference
    assert data["status"] == case.status
    assert len(data["conditions"]) == case.conditions.count()
    assert bearer(officer).get("/api/v1/cases/99999999/").status_code == 404


def test_opcc_figures_are_suppressed_and_never_name_anyone(analyst):
    ActiveCaseFactory(offence__person=PersonFactory(last_name="Zzyzxqwv"))
    response = bearer(analyst).get("/api/v1/reports/reoffending/")
    assert response.status_code == 200, response.json()
    data = response.json()
    assert "headline" in data["tables"]
    assert data["min_cell"] == 5
    cells = [cell for t in data["tables"].values() for row in t["rows"] for cell in row]
    assert {"suppressed": True} in cells  # one caution: every small count is hidden
    assert "Zzyzxqwv" not in response.content.decode()
    assert bearer(make_user(Role.OFFICER)).get("/api/v1/reports/reoffending/").status_code == 403


def test_a_bad_report_date_is_400_naming_the_field(analyst):
    response = bearer(analyst).get("/api/v1/reports/reoffending/?date_from=2026-02-31")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "date_from"


@pytest.fixture
def two_a_minute(settings):
    rates = api_settings.DEFAULT_THROTTLE_RATES
    from api.throttling import TokenRateThrottle

    saved = TokenRateThrottle.THROTTLE_RATES
    TokenRateThrottle.THROTTLE_RATES = {**rates, "token": "2/min"}
    cache.clear()
    yield
    TokenRateThrottle.THROTTLE_RATES = saved
    cache.clear()


def test_each_token_is_throttled_on_its_own_with_retry_after(two_a_minute):
    worker = make_user(Role.CASEWORKER)
    first, second = bearer(worker), bearer(worker)
    assert [first.get("/api/v1/referrals/").status_code for _ in range(2)] == [200, 200]
    refused = first.get("/api/v1/referrals/")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["errors"][0]["message"]
    assert second.get("/api/v1/referrals/").status_code == 200
