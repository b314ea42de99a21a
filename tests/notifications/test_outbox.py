"""queue_message: the one way to queue a message, idempotent on its dedupe key."""

import datetime as dt
import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from notifications.models import Message
from notifications.outbox import queue_message
from tests.factories import PersonFactory


def _queue(**overrides):
    values = {
        "channel": "sms",
        "recipient": "07700900123",
        "body": "Reminder: your appointment with Outside Links is tomorrow.",
        "kind": "appointment_day_before",
        "dedupe_key": "appointment:1:day_before:2026-12-04T10:00",
    }
    return queue_message(**{**values, **overrides})


@pytest.mark.django_db
def test_queues_a_pending_message_due_now():
    person = PersonFactory()
    before = timezone.now()
    message = _queue(person=person)
    assert message.status == Message.Status.PENDING
    assert message.person == person
    assert before <= message.next_attempt_at <= timezone.now()
    assert message.body == "Reminder: your appointment with Outside Links is tomorrow."


@pytest.mark.django_db
def test_not_before_sets_the_first_attempt():
    later = timezone.now() + dt.timedelta(hours=3)
    assert _queue(not_before=later).next_attempt_at == later


@pytest.mark.django_db
def test_a_repeat_returns_the_existing_message_unchanged():
    first = _queue()
    again = _queue(body="Different text", recipient="07700900999")
    assert again.pk == first.pk
    assert again.body == first.body
    assert again.recipient == "07700900123"
    assert Message.objects.count() == 1


@pytest.mark.django_db
def test_the_database_refuses_a_duplicate_key():
    _queue()
    with pytest.raises(IntegrityError), transaction.atomic():
        Message.objects.create(
            channel="sms",
            recipient="x",
            body="x",
            kind="x",
            dedupe_key="appointment:1:day_before:2026-12-04T10:00",
            next_attempt_at=timezone.now(),
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("bad", "error"),
    [({"channel": "fax"}, "Unknown channel"), ({"recipient": ""}, "needs a recipient")],
)
def test_refuses_an_unknown_channel_or_no_recipient(bad, error):
    with pytest.raises(ValueError, match=error):
        _queue(**bad)
    assert not Message.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_threads_queueing_the_same_key_make_one_message():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    barrier = threading.Barrier(2)
    ids = []

    def worker():
        try:
            barrier.wait()
            ids.append(_queue().pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(ids)) == 1
    assert Message.objects.count() == 1
