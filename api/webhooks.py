"""Webhooks: events partners subscribe to (the pattern HMPPS "Refer and monitor an
intervention" uses: a small signed event says what changed; the partner calls the API back for
the detail, under its own token's rules).

- An organisation only ever receives events about its own referrals (a provider) or its own
  cases (the force: every case). The body names the event and the resource's API address,
  never a person.
- Each delivery is a background task (api.tasks.deliver_webhook) enqueued when the writing
  transaction commits; a failed attempt (no 2xx, a timeout, a refused address) is retried
  after WEBHOOK_RETRY_DELAYS, then given up; an administrator reads the log and redelivers.
- Signature: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">` with the
  subscription's secret, and `X-Hub-Timestamp` (seconds), so a receiver can refuse replays.
- Destinations: HTTPS to a public address only; the address is checked when registered and
  again, resolved, before every attempt (a name that later points inside is refused).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import json
import socket
import urllib.error
import urllib.request
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from api.models import WebhookDelivery, WebhookSubscription
from hub.errors import DomainError
from hub.models import Organisation

Event = WebhookSubscription.Event
Status = WebhookDelivery.Status


class WebhookError(DomainError):
    pass


# --- Destinations ---------------------------------------------------------------------------


def _loopback_allowed() -> bool:
    return settings.WEBHOOK_ALLOW_LOOPBACK


def check_destination(url: str) -> None:
    """Refuses a URL the hub must not call: not HTTPS, or resolving to a private, loopback,
    link-local or reserved address (plain HTTP to loopback only with WEBHOOK_ALLOW_LOOPBACK)."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise WebhookError("Enter the full address, starting https://", field="url")
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise WebhookError("That address's host name does not resolve.", field="url") from None
    addresses = {ipaddress.ip_address(info[4][0]) for info in infos}
    loopback = all(address.is_loopback for address in addresses)
    if loopback and _loopback_allowed():
        return
    if parts.scheme != "https":
        raise WebhookError("Webhooks are sent over HTTPS only.", field="url")
    if not all(address.is_global for address in addresses):
        raise WebhookError("That address is not on the public internet.", field="url")


# --- Subscriptions --------------------------------------------------------------------------


@transaction.atomic
def subscription_create(
    *, organisation, url: str, secret: str, events, actor
) -> WebhookSubscription:
    unknown = set(events) - set(Event.values)
    if not events or unknown:
        raise WebhookError("Choose at least one event from the list.", field="events")
    if len(secret) < 16:
        raise WebhookError("Use a shared secret of at least 16 characters.", field="secret")
    check_destination(url)
    return WebhookSubscription.objects.create(
        organisation=organisation, url=url, secret=secret, events=sorted(events), created_by=actor
    )


# --- Events ---------------------------------------------------------------------------------

REFERRAL_EVENTS = {
    "created": Event.REFERRAL_CREATED,
    "reopened": Event.REFERRAL_CREATED,
    "accepted": Event.REFERRAL_ACCEPTED,
    "returned": Event.REFERRAL_RETURNED,
    "completed": Event.REFERRAL_CLOSED,
    "withdrawn": Event.REFERRAL_CLOSED,
}


def _force_ids() -> list[int]:
    return list(
        Organisation.objects.filter(kind=Organisation.Kind.POLICE_FORCE).values_list(
            "pk", flat=True
        )
    )


def _api_url(path: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def referral_changed(referral, kind: str) -> None:
    """A referral event row was written: its provider and the force hear of it."""
    event_type = REFERRAL_EVENTS.get(kind)
    if event_type is None:
        return
    organisations = {referral.provider_id, *_force_ids()}
    emit(event_type, _api_url(f"/api/v1/referrals/{referral.pk}/"), organisations)


APPOINTMENT_EVENTS = {
    "appointment_booked": Event.APPOINTMENT_BOOKED,
    "appointment_missed": Event.APPOINTMENT_MISSED,
}


def appointment_changed(referral, event) -> None:
    """An appointment was booked or missed: the referral's provider and the force hear of it
    (the resource is the appointment; police read it without the place or reasons)."""
    event_type = APPOINTMENT_EVENTS.get(event.kind)
    appointment_id = (event.data or {}).get("appointment_id")
    if event_type is None or appointment_id is None:
        return
    organisations = {referral.provider_id, *_force_ids()}
    emit(event_type, _api_url(f"/api/v1/appointments/{appointment_id}/"), organisations)


def case_changed(case, *, conditions_varied: bool) -> None:
    """The force hears of its cases; a provider, of cases it holds a referral for."""
    if case.is_open and not conditions_varied:
        return
    event_type = Event.CONDITIONS_VARIED if case.is_open else Event.CASE_CLOSED
    providers = set(case.referrals.values_list("provider_id", flat=True))
    emit(event_type, _api_url(f"/api/v1/cases/{case.pk}/"), {*providers, *_force_ids()})


def emit(event_type: str, resource: str, organisation_ids: set[int]) -> list[WebhookDelivery]:
    """One delivery per active subscription of those organisations to this event, sent once
    the current transaction commits (nothing is sent for a write that rolls back)."""
    from api.tasks import deliver_webhook

    subscriptions = [
        subscription
        for subscription in WebhookSubscription.objects.filter(
            organisation_id__in=organisation_ids, active=True
        )
        if event_type in subscription.events
    ]
    if not subscriptions:
        return []
    event_id, now = uuid.uuid4(), timezone.now()
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            subscription=subscription,
            event_id=event_id,
            event_type=event_type,
            occurred_at=now,
            resource=resource,
            next_attempt_at=now,
        )
        for subscription in subscriptions
    )
    ids = [d.pk for d in WebhookDelivery.objects.filter(event_id=event_id)]
    transaction.on_commit(lambda: [deliver_webhook.enqueue(pk) for pk in ids])
    return deliveries


# --- Sending --------------------------------------------------------------------------------


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps(
        {
            "id": str(delivery.event_id),
            "type": delivery.event_type,
            "occurred_at": delivery.occurred_at.isoformat(),
            "resource": delivery.resource,
        },
        separators=(",", ":"),
    ).encode()


def signature(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def _post(url: str, body: bytes, headers: dict) -> int:
    check_destination(url)
    # Only http(s) reaches here (check_destination), so B310's file:/custom schemes cannot.
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # nosec B310
    try:
        timeout = settings.WEBHOOK_TIMEOUT_SECONDS
        with urllib.request.urlopen(request, timeout=timeout) as response:  # nosec B310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def attempt(delivery_id: int, *, now: dt.datetime | None = None) -> WebhookDelivery | None:
    """One attempt at a pending delivery; returns it, or None when there is nothing to do
    (already delivered or given up, or not yet due: a second worker's copy of the task)."""
    now = now or timezone.now()
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("subscription")
            .filter(pk=delivery_id, status=Status.PENDING, next_attempt_at__lte=now)
            .first()
        )
        if delivery is None:
            return None
        # Claimed: a concurrent worker finds it not due until this attempt ends.
        delivery.next_attempt_at = now + dt.timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS * 3)
        delivery.save(update_fields=["next_attempt_at"])
    body = body_of(delivery)
    timestamp = str(int(now.timestamp()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "OffenderHub-Webhooks/1",
        "X-Hub-Event": delivery.event_type,
        "X-Hub-Delivery": str(delivery.event_id),
        "X-Hub-Timestamp": timestamp,
        "X-Hub-Signature-256": signature(delivery.subscription.secret, timestamp, body),
    }
    code, error = None, ""
    try:
        code = _post(delivery.subscription.url, body, headers)
    except WebhookError as refused:
        error = refused.message
    except (OSError, ValueError) as failure:
        error = str(failure)[:300] or failure.__class__.__name__
    return _record_attempt(delivery, code, error, now)


def _record_attempt(delivery: WebhookDelivery, code, error: str, now) -> WebhookDelivery:
    from api.tasks import deliver_webhook

    delivery.attempts += 1
    delivery.last_status_code = code
    delivery.last_error = error or ("" if code and 200 <= code < 300 else f"HTTP {code}")
    delays = settings.WEBHOOK_RETRY_DELAYS
    if code is not None and 200 <= code < 300:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = (
            Status.DELIVERED,
            now,
            None,
        )
    elif delivery.attempts > len(delays):
        delivery.status, delivery.next_attempt_at = Status.FAILED, None
    else:
        delivery.next_attempt_at = now + dt.timedelta(seconds=delays[delivery.attempts - 1])
    delivery.save()
    if delivery.status == Status.PENDING:
        deliver_webhook.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)
    return delivery


@transaction.atomic
def redeliver(*, delivery: WebhookDelivery, actor) -> WebhookDelivery:
    """An administrator sends a delivery again (after the partner fixed their end)."""
    from api.tasks import deliver_webhook

    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
    if delivery.status == Status.PENDING:
        raise WebhookError("That delivery is still being tried.")
    delivery.status, delivery.next_attempt_at, delivery.delivered_at = (
        Status.PENDING,
        timezone.now(),
        None,
    )
    delivery.save(update_fields=["status", "next_attempt_at", "delivered_at"])
    pk = delivery.pk
    transaction.on_commit(lambda: deliver_webhook.enqueue(pk))
    return delivery
