"""Request ids and the JSON request log: who (by id), what, how long; no personal data."""

import json
import logging

import pytest
from django.urls import reverse

from hub.observability import JsonFormatter, RequestIdFilter, request_id_var
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def json_lines(records) -> list[dict]:
    formatter, id_filter = JsonFormatter(), RequestIdFilter()
    lines = []
    for record in records:
        id_filter.filter(record)
        lines.append(formatter.format(record))
    return [json.loads(line) for line in lines]


def test_every_response_has_a_new_request_id(client):
    first = client.get(reverse("login"))["X-Request-ID"]
    second = client.get(reverse("login"))["X-Request-ID"]
    assert len(first) == 32
    assert first != second


def test_a_plain_upstream_request_id_is_kept(client):
    response = client.get(reverse("login"), headers={"X-Request-ID": "lb-7f3a9c21-0001"})
    assert response["X-Request-ID"] == "lb-7f3a9c21-0001"


@pytest.mark.parametrize("bad", ["short", "x" * 65, "abc def ghij", 'abcdefgh"}\n{"level'])
def test_an_unsafe_upstream_request_id_is_replaced(client, bad):
    response = client.get(reverse("login"), headers={"X-Request-ID": bad})
    assert response["X-Request-ID"] != bad
    assert len(response["X-Request-ID"]) == 32


def test_request_log_line_has_ids_route_status_and_timing(as_user, officer, caplog):
    caplog.set_level(logging.INFO, logger="hub.request")
    response = as_user(officer).get(reverse("hub:person_search"))

    [line] = json_lines(r for r in caplog.records if r.name == "hub.request")
    assert line["request_id"] == response["X-Request-ID"]
    assert line["user_id"] == officer.pk
    assert line["method"] == "GET"
    assert line["route"] == "hub:person_search"
    assert line["path"] == "/people/"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float)
    assert line["level"] == "INFO"


def test_logs_carry_no_personal_data(as_user, officer, caplog):
    """A name search and a 404 with personal data in the query string, logged as JSON."""
    caplog.set_level(logging.DEBUG)
    officer.first_name, officer.last_name = "Priyanka", "Shahbaz"
    officer.save()
    PersonFactory(first_name="Daniel", last_name="Zebedee", pnc_id="15/100001A")
    client = as_user(officer)
    client.get(reverse("hub:person_search"), {"name": "Zebedee", "pnc_id": "15/100001A"})
    client.get("/no-such-page/", {"name": "Zebedee"})

    output = "\n".join(json.dumps(line) for line in json_lines(caplog.records))
    assert '"status": 404' in output
    for personal in ("Zebedee", "15/100001A", "15%2F100001A", officer.username, "Shahbaz"):
        assert personal not in output


def test_health_checks_are_not_logged_when_healthy(client, caplog):
    caplog.set_level(logging.INFO, logger="hub.request")
    client.get("/healthz")
    assert not [r for r in caplog.records if r.name == "hub.request"]


def test_json_formatter_keeps_plain_extras_and_drops_objects():
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "hello %s", ("you",), None)
    record.status_code = 404
    record.request = object()
    token = request_id_var.set("abc123")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id_var.reset(token)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "hello you"
    assert line["status_code"] == 404
    assert line["request_id"] == "abc123"
    assert "request" not in line
