"""Webhooks: signed, retried on failure, sent by the worker, never across organisations."""

import datetime as dt
import hashlib
import hmac
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from api import webhooks
from api.models import WebhookDelivery, WebhookSubscription
from hub.models import Organisation
from referrals import services
from tests.api.receiver import start
from tests.factories import make_user
from tests.referrals.factories import caseworker_of, new_referral

pytestmark = pytest.mark.django_db
SECRET = "a-shared-secret-of-some-length"


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    state, server = start()
    yield state
    server.shutdown()


def subscribe(organisation, url, events=("referral.accepted",)):
    return webhooks.subscription_create(
        organisation=organisation, url=url, secret=SECRET, events=list(events), actor=None
    )


def accept(referral):
    worker = caseworker_of(referral.provider)
    return services.referral_accept(referral=referral, actor=worker, assignee=worker)


# The worker closes its database connections between tasks, as in production: these tests run
# it for real, so they commit (transaction=True) rather than run inside the test's transaction.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_provider_hears_of_its_own_referral_signed_and_naming_no_person(receiver):
    referral = new_referral()
    subscribe(referral.provider, receiver.url)
    accept(referral)
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    [request] = receiver.requests
    body = json.loads(request.body)
    assert body["type"] == "referral.accepted"
    assert body["resource"].endswith(f"/api/v1/referrals/{referral.pk}/")
    assert set(body) == {"id", "type", "occurred_at", "resource"}
    timestamp = request.headers["X-Hub-Timestamp"]
    expected = hmac.new(SECRET.encode(), f"{timestamp}.".encode() + request.body, hashlib.sha256)
    assert request.headers["X-Hub-Signature-256"] == f"sha256={expected.hexdigest()}"
    person = referral.case.person
    assert person.last_name.encode() not in request.body
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "delivered"
    assert delivery.attempts == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_never_across_organisations(receiver):
    mine, other = new_referral(), new_referral()
    subscribe(other.provider, receiver.url)
    accept(mine)
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


def test_the_force_hears_of_every_referral(receiver):
    referral = new_referral()
    force = Organisation.objects.filter(kind=Organisation.Kind.POLICE_FORCE).first()
    force = force or Organisation.objects.create(name="Cambs", kind=Organisation.Kind.POLICE_FORCE)
    subscribe(force, receiver.url)
    accept(referral)
    assert WebhookDelivery.objects.get().subscription.organisation == force


def test_unsubscribed_events_are_not_sent(receiver):
    referral = new_referral()
    subscribe(referral.provider, receiver.url, events=["referral.returned"])
    accept(referral)
    assert not WebhookDelivery.objects.exists()


def test_retried_on_500_with_backoff_then_delivered(receiver, settings):
    settings.WEBHOOK_RETRY_DELAYS = [30, 120]
    receiver.statuses = [500, 503]
    referral = new_referral()
    subscribe(referral.provider, receiver.url)
    accept(referral)
    delivery = WebhookDelivery.objects.get()
    now = timezone.now()
    first = webhooks.attempt(delivery.pk, now=now)
    assert (first.status, first.attempts, first.last_status_code) == ("pending", 1, 500)
    assert first.next_attempt_at == now + dt.timedelta(seconds=30)
    assert webhooks.attempt(delivery.pk, now=now + dt.timedelta(seconds=29)) is None  # not due
    second = webhooks.attempt(delivery.pk, now=now + dt.timedelta(seconds=30))
    assert (second.status, second.attempts) == ("pending", 2)
    assert second.next_attempt_at == now + dt.timedelta(seconds=30 + 120)
    third = webhooks.attempt(delivery.pk, now=now + dt.timedelta(seconds=150))
    assert (third.status, third.attempts) == ("delivered", 3)
    assert len(receiver.requests) == 3
    assert webhooks.attempt(delivery.pk, now=now + dt.timedelta(days=1)) is None  # sent once


def test_given_up_after_the_last_retry_then_redelivered_by_an_administrator(receiver, settings):
    settings.WEBHOOK_RETRY_DELAYS = [30]
    receiver.statuses = [500, 500]
    referral = new_referral()
    subscribe(referral.provider, receiver.url)
    accept(referral)
    delivery = WebhookDelivery.objects.get()
    now = timezone.now()
    webhooks.attempt(delivery.pk, now=now)
    failed = webhooks.attempt(delivery.pk, now=now + dt.timedelta(seconds=30))
    assert (failed.status, failed.attempts) == ("failed", 2)
    webhooks.redeliver(delivery=failed, actor=make_user(None))
    delivered = webhooks.attempt(delivery.pk, now=timezone.now() + dt.timedelta(seconds=1))
    assert delivered.status == "delivered"


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/hooks",  # not HTTPS
        "https://10.1.2.3/hooks",  # private
        "https://192.168.0.10/hooks",
        "https://169.254.169.254/latest/meta-data",  # cloud metadata, link-local
        "https://127.0.0.1/hooks",  # loopback, outside tests
        "https://[::1]/hooks",
        "https://0.0.0.0/hooks",
        "not a url",
    ],
)
def test_refuses_destinations_inside_the_network(url, settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = False
    with pytest.raises(webhooks.WebhookError):
        webhooks.check_destination(url)


def test_accepts_a_public_https_address(settings):
    webhooks.check_destination("https://8.8.8.8/hooks")


def test_a_delivery_to_an_address_now_refused_fails_without_sending(receiver, settings):
    referral = new_referral()
    subscribe(referral.provider, receiver.url)
    accept(referral)
    settings.WEBHOOK_ALLOW_LOOPBACK = False
    delivery = webhooks.attempt(WebhookDelivery.objects.get().pk)
    assert delivery.status == "pending"
    assert "HTTPS" in delivery.last_error
    assert receiver.requests == []


def test_subscription_needs_events_and_a_long_secret(receiver):
    organisation = new_referral().provider
    with pytest.raises(webhooks.WebhookError, match="event"):
        subscribe(organisation, receiver.url, events=["referral.eaten"])
    with pytest.raises(webhooks.WebhookError, match="16 characters"):
        webhooks.subscription_create(
            organisation=organisation,
            url=receiver.url,
            secret="short",
            events=["case.closed"],
            actor=None,
        )
    assert not WebhookSubscription.objects.exists()


def test_case_closed_and_conditions_varied_reach_the_provider_and_the_force(receiver):
    from cautions import services as caution_services

    referral = new_referral()
    case, condition = referral.case, referral.case.conditions.get(provider=referral.provider)
    force = Organisation.objects.create(
        name="Force for webhooks", kind=Organisation.Kind.POLICE_FORCE
    )
    outsider = new_referral().provider
    for organisation in (referral.provider, force, outsider):
        subscribe(organisation, receiver.url, events=["case.closed", "conditions.varied"])
    caution_services.condition_vary(
        condition=condition,
        actor=case.officer,
        reason="Wrong date typed",
        consent_given=True,
        agreed_on=timezone.localdate(),
        due_date=condition.due_date + dt.timedelta(days=7),
        description=condition.description,
        provider=referral.provider,
        expected_version=case.version,
    )
    varied = WebhookDelivery.objects.filter(event_type="conditions.varied")
    assert {d.subscription.organisation for d in varied} == {referral.provider, force}
    case.refresh_from_db()
    caution_services.case_withdraw(
        case=case,
        actor=case.officer,
        kind="error",
        reason="Entered in error",
        expected_version=case.version,
    )
    closed = WebhookDelivery.objects.filter(event_type="case.closed")
    assert {d.subscription.organisation for d in closed} == {referral.provider, force}
    assert all(d.resource.endswith(f"/api/v1/cases/{case.pk}/") for d in closed)
