"""Sending through the real Notify client against the local stand-in (no mocking): sent once,
retried on 500/429/timeouts, given up on 400, quiet hours, two workers never send twice."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from notifications import sender
from notifications.due import UK
from notifications.models import Message
from notifications.outbox import queue_message
from tests.factories import make_user

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2027, 2, 3, 12, 0, tzinfo=UK)


def _queue(n=1, **overrides):
    return [
        queue_message(
            **{
                "channel": "sms",
                "recipient": "07700900123",
                "body": f"Reminder number {i}",
                "kind": "test",
                "dedupe_key": f"test:{i}",
                "not_before": NOON,
                **overrides,
            }
        )
        for i in range(n)
    ]


def test_sent_once_with_the_exact_text(notify, settings):
    (message,) = _queue()
    assert sender.send_pending(now=NOON) == {"sent": 1}
    (received,) = notify.sent("sms")
    assert received["phone_number"] == "07700900123"
    assert received["template_id"] == settings.NOTIFY_TEMPLATE_SMS
    assert received["personalisation"] == {"body": "Reminder number 0"}
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert message.notify_id == received["id"]
    assert message.attempts == 1
    assert message.sent_at is not None
    # The second run sends nothing new.
    assert sender.send_pending(now=NOON) == {}
    assert len(notify.sent()) == 1


def test_email_carries_subject_and_body(notify):
    _queue(channel="email", recipient="sam@example.com", subject="Reminder")
    sender.send_pending(now=NOON)
    (received,) = notify.sent("email")
    assert received["email_address"] == "sam@example.com"
    assert received["personalisation"] == {"subject": "Reminder", "body": "Reminder number 0"}


def test_not_sent_before_its_time(notify):
    _queue(not_before=NOON + dt.timedelta(minutes=1))
    assert sender.send_pending(now=NOON) == {}
    assert notify.sent() == []


@pytest.mark.parametrize("status", [500, 429, 503])
def test_temporary_failure_is_retried_with_backoff(notify, status):
    (message,) = _queue()
    notify.answer_next(status)
    assert sender.send_pending(now=NOON) == {"retry": 1}
    message.refresh_from_db()
    assert message.status == Message.Status.PENDING
    assert message.next_attempt_at == NOON + dt.timedelta(seconds=60)
    assert message.error.startswith(str(status))
    # Not again before the backoff has passed...
    assert sender.send_pending(now=NOON + dt.timedelta(seconds=59)) == {}
    # ...then sent.
    assert sender.send_pending(now=NOON + dt.timedelta(seconds=60)) == {"sent": 1}
    message.refresh_from_db()
    assert (message.status, message.attempts, message.error) == ("sent", 2, "")
    assert len(notify.sent()) == 1


def test_a_timeout_is_a_temporary_failure(notify):
    (message,) = _queue()
    notify.answer_next(201, delay=1.5)  # the client gives up after 1 second
    assert sender.send_pending(now=NOON) == {"retry": 1}
    message.refresh_from_db()
    assert message.status == Message.Status.PENDING
    assert message.error.startswith("503")


def test_given_up_after_the_last_retry(notify, settings):
    settings.NOTIFY_RETRY_DELAYS = [60]
    (message,) = _queue()
    notify.answer_next(500, times=2)
    sender.send_pending(now=NOON)
    assert sender.send_pending(now=NOON + dt.timedelta(seconds=60)) == {"failed": 1}
    message.refresh_from_db()
    assert message.status == Message.Status.PERMANENT_FAILURE
    assert message.error.startswith("Gave up after 2 attempts")


def test_permanent_failure_is_not_retried(notify):
    (message,) = _queue()
    notify.answer_next(400)
    assert sender.send_pending(now=NOON) == {"failed": 1}
    message.refresh_from_db()
    assert message.status == Message.Status.PERMANENT_FAILURE
    assert "Not a UK mobile number" in message.error
    assert sender.send_pending(now=NOON + dt.timedelta(days=1)) == {}


def test_a_wrong_key_is_refused_by_notify_and_retried(notify, settings):
    settings.NOTIFY_API_KEY = f"stub_key-{notify.service_id}-{'0' * 36}"
    _queue()
    assert sender.send_pending(now=NOON) == {"retry": 1}
    assert notify.sent() == []


def test_without_a_key_messages_go_to_the_outbox(no_notify_key):
    (message,) = _queue()
    assert sender.send_pending(now=NOON) == {"outbox": 1}
    message.refresh_from_db()
    assert message.status == Message.Status.OUTBOX
    assert message.sent_at is None


@pytest.mark.parametrize(
    ("hour", "minute", "sent"), [(20, 59, 1), (21, 0, 0), (7, 59, 0), (8, 0, 1)]
)
def test_nothing_goes_to_a_person_in_quiet_hours(notify, hour, minute, sent):
    now = dt.datetime(2027, 2, 4, hour, minute, tzinfo=UK)
    _queue(not_before=now - dt.timedelta(hours=1))
    assert sum(sender.send_pending(now=now).values()) == sent


def test_staff_emails_are_not_held_in_quiet_hours(notify):
    _queue(channel="email", recipient="officer@example.police.uk", user=make_user("Police officer"))
    assert sender.send_pending(now=dt.datetime(2027, 2, 4, 23, 0, tzinfo=UK)) == {"sent": 1}


def test_a_claim_left_by_a_dead_worker_is_released(notify):
    (message,) = _queue()
    stale = timezone.now() - sender.STUCK_AFTER - dt.timedelta(seconds=1)
    Message.objects.filter(pk=message.pk).update(status="sending", updated_at=stale)
    assert sender.send_pending(now=NOON) == {"sent": 1}


def test_the_rate_allowance_counts_every_worker_in_the_last_minute(notify, settings):
    settings.NOTIFY_RATE_PER_MINUTE = 5
    messages = _queue(3)
    Message.objects.filter(pk__in=[m.pk for m in messages]).update(
        status="sent", sent_at=timezone.now() - dt.timedelta(seconds=30)
    )
    assert sender._rate_allowance() == 2
    Message.objects.filter(pk=messages[0].pk).update(
        sent_at=timezone.now() - dt.timedelta(seconds=61)
    )
    assert sender._rate_allowance() == 3


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_never_send_the_same_message_twice(notify):
    if connection.vendor != "postgresql":
        pytest.skip("two concurrent workers need PostgreSQL")
    _queue(60)
    barrier = threading.Barrier(2)
    results = []

    def worker():
        try:
            barrier.wait()
            results.append(sender.send_pending(now=NOON))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    bodies = [n["personalisation"]["body"] for n in notify.sent()]
    assert len(bodies) == 60
    assert len(set(bodies)) == 60
    assert sum(r["sent"] for r in results) == 60
    assert Message.objects.filter(status="sent").count() == 60
