"""The OpenAPI 3 schema is valid, and every documented operation answers as documented."""

import re

import pytest
import yaml
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from hub.roles import Role
from tests.api.conftest import bearer
from tests.factories import make_user
from tests.referrals.factories import in_progress_referral, started_appointment

pytestmark = pytest.mark.django_db


def schema() -> dict:
    response = APIClient().get("/api/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_schema_is_valid_openapi_3_and_covers_v1():
    document = schema()
    validate_schema(document)
    assert document["openapi"].startswith("3.")
    paths = set(document["paths"])
    assert "/api/v1/referrals/" in paths
    assert "/api/v1/referrals/{id}/" in paths
    assert "/api/v1/referrals/{id}/appointments/" in paths
    assert "/api/v1/appointments/{id}/attendance/" in paths
    assert all(path.startswith("/api/v1/") for path in paths)
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def test_docs_page_lists_every_endpoint_with_no_script_of_its_own():
    response = APIClient().get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/api/schema/" in html
    assert "/api/v1/referrals/{id}/accept/" in html
    assert "<script" not in html.split("</header>")[1].split("<footer")[0]  # no script of its own


def test_every_documented_operation_answers_with_a_documented_status():
    """Walks the schema: each GET is called with a token of a user who may use it (a
    caseworker for referrals, an officer for people and cases, an analyst for reports); each
    write with an empty body. The status must be one the schema lists (or a 4xx refusal of
    the empty body, which every write documents through its error format)."""
    referral = in_progress_referral()
    worker = referral.assigned_to
    appointment = started_appointment(referral)
    clients = {
        "referrals": bearer(worker),
        "appointments": bearer(worker),
        "people": bearer(make_user(Role.OFFICER)),
        "cases": bearer(make_user(Role.OFFICER)),
        "reports": bearer(make_user(Role.ANALYST)),
    }
    ids = {
        "referrals": referral.pk,
        "appointments": appointment.pk,
        "people": referral.case.person_id,
        "cases": referral.case_id,
    }
    problems = []
    for path, operations in schema()["paths"].items():
        resource = path.split("/")[3]
        url = re.sub(r"\{id\}", str(ids.get(resource, 1)), path)
        for method, operation in operations.items():
            documented = set(operation["responses"])
            response = getattr(clients[resource], method)(url, {}, format="json")
            status = str(response.status_code)
            if method == "get" and status not in documented:
                problems.append(f"GET {url}: {status} not in {sorted(documented)}")
            if method != "get" and not (status in documented or status in {"400", "409"}):
                problems.append(f"{method.upper()} {url}: {status} not in {sorted(documented)}")
            if response.status_code >= 500:
                problems.append(f"{method.upper()} {url}: server error")
            if response.status_code >= 400:
                assert response.json()["errors"], url
    assert not problems, problems
