"""Administrators' webhook pages: add (with errors at the field), read the log, redeliver."""

import pytest
from django.urls import reverse
from django.utils import timezone

from api.models import WebhookDelivery, WebhookSubscription
from hub.roles import Role
from tests.factories import OrganisationFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(make_user(Role.ADMINISTRATOR))
    return client


def form(organisation, **overrides):
    data = {
        "organisation": organisation.pk,
        "url": "https://8.8.8.8/hub-events",
        "secret": "correct-horse-battery",
        "events": ["referral.created", "referral.accepted"],
    }
    data.update(overrides)
    return data


def test_an_administrator_adds_a_webhook(admin_client):
    provider = OrganisationFactory(name="Outside Links")
    response = admin_client.post(reverse("webhooks:list"), form(provider))
    assert response.status_code == 302
    subscription = WebhookSubscription.objects.get()
    assert subscription.organisation == provider
    assert subscription.events == ["referral.accepted", "referral.created"]
    page = admin_client.get(reverse("webhooks:list")).content.decode()
    assert "Outside Links" in page
    assert "https://8.8.8.8/hub-events" in page
    assert "correct-horse-battery" not in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"url": "https://10.0.0.5/hooks"}, "not on the public internet"),
        ({"url": "http://8.8.8.8/hooks"}, "HTTPS only"),
        ({"secret": "short"}, "at least 16 characters"),
        ({"events": []}, "Choose at least one event"),
    ],
)
def test_bad_webhooks_are_refused_at_the_field_keeping_what_was_typed(
    admin_client, overrides, message
):
    provider = OrganisationFactory()
    data = form(provider, **overrides)
    response = admin_client.post(reverse("webhooks:list"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert message in html
    assert data["url"] in html
    assert not WebhookSubscription.objects.exists()


def test_the_log_shows_deliveries_and_a_failed_one_is_sent_again(admin_client):
    subscription = WebhookSubscription.objects.create(
        organisation=OrganisationFactory(),
        url="https://8.8.8.8/h",
        secret="s" * 20,
        events=["case.closed"],
    )
    delivery = WebhookDelivery.objects.create(
        subscription=subscription,
        event_id="00000000-0000-0000-0000-0000000000aa",
        event_type="case.closed",
        occurred_at=timezone.now(),
        resource="https://hub/api/v1/cases/9/",
        status="failed",
        attempts=6,
        last_status_code=500,
        last_error="HTTP 500",
    )
    page = admin_client.get(reverse("webhooks:deliveries", args=[subscription.pk])).content.decode()
    assert "case.closed" in page
    assert "Failed" in page
    response = admin_client.post(reverse("webhooks:redeliver", args=[delivery.pk]))
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == "pending"
