"""The service's own pages for 403, 404 and 500 (GOV.UK patterns), not bare responses."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from hub.views import server_error

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_the_styled_page_not_found(as_user, officer):
    response = as_user(officer).get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<title>Page not found \N{EN DASH} Offender Hub</title>" in html
    assert "If you typed the web address, check it is correct." in html
    assert "govuk-template" in html


def test_a_refusal_is_the_styled_permission_page(as_user, officer):
    response = as_user(officer).get(reverse("hub:audit_log"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "You do not have permission to see this page" in html
    assert "Primary navigation" in html  # the signed-in user's own page around it


def test_the_access_log_download_refusal_is_styled_too(as_user, admin_user_without_export):
    response = as_user(admin_user_without_export).post(reverse("hub:audit_log"), {"x": "1"})
    assert response.status_code == 403
    assert "You do not have permission to see this page" in response.content.decode()


@pytest.fixture
def admin_user_without_export(db):
    from django.contrib.auth.models import Permission

    from tests.factories import make_user

    user = make_user(None, username="viewer")
    user.user_permissions.add(
        Permission.objects.get(codename="view_accesslog", content_type__app_label="hub")
    )
    return user


def test_the_server_error_page_needs_no_request_context():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, there is a problem with the service \N{EN DASH} Offender Hub" in html
    assert "Try again later." in html


def test_a_crashing_view_shows_the_server_error_page(as_user, officer, settings):
    settings.ROOT_URLCONF = "tests.hub.crashing_urls"
    client = as_user(officer)
    client.raise_request_exception = False
    response = client.get("/crash/")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()
