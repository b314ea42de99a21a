"""`/healthz`: 200 with the database reachable, 503 otherwise, nothing else revealed."""

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_without_sign_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-store" in response["Cache-Control"]


def test_healthz_url_name():
    assert reverse("healthz") == "/healthz"


def test_healthz_is_503_when_the_database_is_unreachable(client, caplog):
    def refuse(execute, sql, params, many, context):
        # What the driver raises when the server is gone (the only thing mocked: the network).
        raise OperationalError("could not connect to server: Connection refused on db.internal")

    with connection.execute_wrapper(refuse):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.content == b"unavailable\n"
    # The reason is in the log for operators, without the driver's message (host names).
    assert "OperationalError" in caplog.text
    assert "db.internal" not in caplog.text


def test_healthz_only_answers_reads(client):
    assert client.post("/healthz").status_code == 405


def test_healthz_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/accessibility/").status_code == 301


def test_bench_trivial_view_is_absent_by_default(as_user, officer):
    assert as_user(officer).get("/bench/trivial").status_code == 404


def test_gunicorn_config_reads_workers_from_the_environment(monkeypatch):
    import runpy
    from pathlib import Path

    from django.conf import settings

    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    config = runpy.run_path(str(Path(settings.BASE_DIR) / "hub" / "gunicorn.conf.py"))
    assert config["workers"] == 3
    assert config["accesslog"] is None  # the app logs requests itself, as JSON
    assert config["wsgi_app"] == "hub.wsgi:application"
