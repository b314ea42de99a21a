"""Sending queued messages through GOV.UK Notify (issue 18).

Each message is claimed with a conditional UPDATE (pending -> sending, one row): of two workers
that pick the same row, exactly one gets it, so nothing is sent twice. On PostgreSQL the
candidates are also read with SKIP LOCKED so that workers do not queue behind each other.
The HTTP call runs outside any transaction; its outcome is written afterwards:

- 201: sent (Notify's id kept for delivery receipts);
- 400 (invalid number, recipient opted out at Notify, ...): permanent failure, shown to the
  caseworker;
- anything else (5xx, 429, timeouts, a refused key): tried again after NOTIFY_RETRY_DELAYS,
  given up after the last.
Without NOTIFY_API_KEY the message goes to the outbox instead (administrators read it).
Nothing goes to a person in quiet hours (notifications.due); staff messages are not held.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import Counter

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from notifications_python_client import NotificationsAPIClient
from notifications_python_client.errors import APIError

from notifications import due, reminders
from notifications.models import Channel, Message

logger = logging.getLogger(__name__)

BATCH = 100
# A claim older than this is a worker that died mid-send: its message goes back to pending.
STUCK_AFTER = dt.timedelta(minutes=10)
RATE_WINDOW = dt.timedelta(seconds=60)

SENT = "sent"
OUTBOX = "outbox"
RETRY = "retry"
FAILED = "failed"
CANCELLED = "cancelled"


def send_pending(*, now: dt.datetime | None = None) -> Counter:
    """Send every message whose time has come at `now` (the real clock when None) and return
    what happened to them. Safe to run in several processes at once."""
    now = now or timezone.now()
    release_stuck()
    client = _client()
    outcomes: Counter = Counter()
    while True:
        allowed = _rate_allowance()
        if allowed <= 0:
            time.sleep(1)  # the minute's allowance is used up: wait for the window to move
            continue
        ids = _candidates(now, min(BATCH, allowed))
        if not ids:
            return outcomes
        claimed = [pk for pk in ids if _claim(pk)]
        messages = list(Message.objects.filter(pk__in=claimed).order_by("next_attempt_at", "pk"))
        reasons = reminders.reasons_not_to_send(messages, now=now)
        for message in messages:
            outcomes[_deliver(message, reasons.get(message.pk, ""), client, now)] += 1


def release_stuck() -> int:
    cutoff = timezone.now() - STUCK_AFTER
    return Message.objects.filter(status=Message.Status.SENDING, updated_at__lt=cutoff).update(
        status=Message.Status.PENDING, updated_at=timezone.now()
    )


def _client() -> NotificationsAPIClient | None:
    if not settings.NOTIFY_API_KEY:
        return None
    return NotificationsAPIClient(
        settings.NOTIFY_API_KEY,
        base_url=settings.NOTIFY_BASE_URL,
        timeout=settings.NOTIFY_TIMEOUT_SECONDS,
    )


def _rate_allowance() -> int:
    """Messages still allowed in the last minute, across every worker (NOTIFY_RATE_PER_MINUTE)."""
    if not settings.NOTIFY_API_KEY:
        return BATCH  # the outbox is not Notify: no limit
    since = timezone.now() - RATE_WINDOW
    sent = Message.objects.filter(sent_at__gte=since).count()
    return settings.NOTIFY_RATE_PER_MINUTE - sent


def _candidates(now: dt.datetime, size: int) -> list[int]:
    pending = Message.objects.filter(status=Message.Status.PENDING, next_attempt_at__lte=now)
    if due.is_quiet(now):
        pending = pending.filter(user__isnull=False)  # people are not texted at night
    pending = pending.order_by("next_attempt_at", "pk")
    if connection.vendor != "postgresql":
        return list(pending.values_list("pk", flat=True)[:size])
    with transaction.atomic():
        # Rows another worker is reading are skipped; the claim below is what decides.
        locked = pending.select_for_update(skip_locked=True)
        return list(locked.values_list("pk", flat=True)[:size])


def _claim(pk: int) -> bool:
    """pending -> sending for this one row; False when another worker got there first."""
    return bool(
        Message.objects.filter(pk=pk, status=Message.Status.PENDING).update(
            status=Message.Status.SENDING, attempts=F("attempts") + 1, updated_at=timezone.now()
        )
    )


def _finish(pk: int, **fields) -> None:
    Message.objects.filter(pk=pk, status=Message.Status.SENDING).update(
        updated_at=timezone.now(), **fields
    )


def _deliver(
    message: Message, reason: str, client: NotificationsAPIClient | None, now: dt.datetime
) -> str:
    pk = message.pk
    if reason:
        _finish(pk, status=Message.Status.CANCELLED, error=reason)
        return CANCELLED
    if client is None:
        _finish(pk, status=Message.Status.OUTBOX)
        return OUTBOX
    try:
        response = _send(client, message)
    except APIError as error:
        return _failed(message, error, now)
    _finish(
        pk, status=Message.Status.SENT, notify_id=response["id"], sent_at=timezone.now(), error=""
    )
    return SENT


def _send(client: NotificationsAPIClient, message: Message) -> dict:
    if message.channel == Channel.SMS:
        return client.send_sms_notification(
            phone_number=message.recipient,
            template_id=settings.NOTIFY_TEMPLATE_SMS,
            personalisation={"body": message.body},
            reference=str(message.pk),
        )
    return client.send_email_notification(
        email_address=message.recipient,
        template_id=settings.NOTIFY_TEMPLATE_EMAIL,
        personalisation={"subject": message.subject, "body": message.body},
        reference=str(message.pk),
    )


def _error_text(error: APIError) -> str:
    detail = error.message
    if isinstance(detail, list):
        detail = "; ".join(str(e.get("message", e)) for e in detail if isinstance(e, dict))
    return f"{error.status_code}: {detail}"[:1000]


def _failed(message: Message, error: APIError, now: dt.datetime) -> str:
    text = _error_text(error)
    delays = settings.NOTIFY_RETRY_DELAYS
    if error.status_code == 400:
        _finish(message.pk, status=Message.Status.PERMANENT_FAILURE, error=text)
        logger.warning("Notify refused message %s: %s", message.pk, text)
        return FAILED
    if message.attempts > len(delays):
        _finish(
            message.pk,
            status=Message.Status.PERMANENT_FAILURE,
            error=f"Gave up after {message.attempts} attempts. {text}",
        )
        return FAILED
    retry_at = now + dt.timedelta(seconds=delays[message.attempts - 1])
    _finish(message.pk, status=Message.Status.PENDING, next_attempt_at=retry_at, error=text)
    return RETRY
