"""Security headers and production configuration."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DEBUG": "False",
    "SECRET_KEY": "x7Kq2!vR9#mZp4@Lw8$Tn3^Yb6&Hc1*Jd5(Fg0)Se-Ua_Ix+Oy=Qk~Vr;Wt:Pl?Zs",
    "ALLOWED_HOSTS": "hub.example.police.uk,testserver",
    "DATABASE_URL": "sqlite:///:memory:",
}


def production(
    *args: str, code: str | None = None, extra_env: dict | None = None
) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"OTP_REQUIRED", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS"}
    }
    env.update(PRODUCTION_ENV)
    env.update(extra_env or {})
    command = [sys.executable, "-c", code] if code else [sys.executable, "manage.py", *args]
    return subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_check_deploy_reports_no_warnings():
    result = production("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


PRODUCTION_RESPONSE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
response = Client().get("/accounts/login/", secure=True)
plain = Client().get("/accounts/login/")
print(json.dumps({
    "status": response.status_code,
    "headers": dict(response.headers),
    "cookies": {name: dict(morsel) for name, morsel in response.cookies.items()},
    "plain_status": plain.status_code,
    "plain_location": plain.headers.get("Location", ""),
    "otp_required": settings.OTP_REQUIRED,
    "session_secure": settings.SESSION_COOKIE_SECURE,
    "session_httponly": settings.SESSION_COOKIE_HTTPONLY,
    "csrf_secure": settings.CSRF_COOKIE_SECURE,
}))
"""


def test_production_response_headers_and_cookies():
    result = production(
        code=f"import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'hub.settings')\n{PRODUCTION_RESPONSE}",
        # A fresh checkout has no collectstatic manifest; headers do not depend on it.
        extra_env={"STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout.strip().splitlines()[-1])
    headers = data["headers"]
    assert data["status"] == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    # HTTP is redirected to HTTPS.
    assert data["plain_status"] == 301
    assert data["plain_location"].startswith("https://")
    # Cookies: secure and HttpOnly (the CSRF cookie too: forms carry the token in the page).
    csrf = data["cookies"]["csrftoken"]
    assert csrf["secure"] is True
    assert csrf["httponly"] is True
    assert data["session_secure"] is True
    assert data["session_httponly"] is True
    # Two-factor authentication is required in production by default.
    assert data["otp_required"] is True


def test_content_security_policy_forbids_inline_code(as_user, officer):
    response = as_user(officer).get(reverse("hub:person_search"))
    policy = dict(
        part.strip().split(" ", 1)
        for part in response.headers["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert "unsafe" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_templates_have_no_inline_script_or_style():
    """CSP blocks inline code, so a template using it would break silently in the browser."""
    import re

    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
    style_attr = re.compile(r"\sstyle\s*=", re.IGNORECASE)
    style_tag = re.compile(r"<style[\s>]", re.IGNORECASE)
    handler_attr = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE)
    template_dirs = [ROOT / "templates"]
    import crispy_forms_gds

    template_dirs.append(Path(crispy_forms_gds.__file__).parent / "templates")
    problems = []
    for folder in template_dirs:
        for path in folder.rglob("*.html"):
            text = path.read_text()
            for name, pattern in [
                ("inline <script>", inline_script),
                ("style attribute", style_attr),
                ("<style> element", style_tag),
                ("event handler attribute", handler_attr),
            ]:
                if pattern.search(text):
                    problems.append(f"{path.relative_to(folder)}: {name}")
    assert not problems, "Inline code is blocked by the Content Security Policy:\n" + "\n".join(
        problems
    )


# Issue 17 point 16: pages with personal data, and the two-factor set-up page (which shows the
# secret), must not be kept by the browser or any cache on the way.
@pytest.mark.parametrize("role", ["officer", "sergeant", "caseworker", "analyst", "admin"])
def test_every_signed_in_page_is_not_stored(client, role):
    from tests.crosscutting.test_url_matrix import (
        API_PREFIX,
        EXPECTED,
        KWARGS,
        api_client,
        parse,
        url_names,
        users,
    )
    from tests.security.world import build_world

    world = build_world(users())
    client.force_login(world.users[role])
    token_client = api_client(world.users[role])
    checked, problems = 0, []
    for name, route in url_names():
        statuses = parse(EXPECTED[name].get)
        if statuses[role] != 200 or statuses["anon"] == 200:
            continue  # public pages (the API's schema and docs) are test_public_pages_...
        url = reverse(name, kwargs=KWARGS[name](world) if "<" in route else None)
        response = (token_client if route.startswith(API_PREFIX) else client).get(url)
        assert response.status_code == 200, url
        checked += 1
        if "no-store" not in response.get("Cache-Control", ""):
            problems.append(f"{url}: Cache-Control {response.get('Cache-Control')!r}")
    assert checked
    assert not problems, "\n".join(problems)


def test_two_factor_set_up_and_downloads_are_not_stored(as_user, officer, administrator):
    setup = as_user(officer).get(reverse("security:two_factor_setup"))
    assert "no-store" in setup["Cache-Control"]
    download = as_user(administrator).post(
        reverse("hub:audit_log"), {"justification": "Monthly lawfulness check"}
    )
    assert download["Content-Type"] == "text/csv"
    assert "no-store" in download["Cache-Control"]


def test_public_pages_may_be_cached_as_before(client):
    assert "no-store" not in client.get(reverse("accessibility")).get("Cache-Control", "")
