"""The one scheduler entry (run_schedule) and send_due_notifications: idempotent, safe to run
twice or concurrently, daily jobs once a UK day, a hook list other apps add jobs to."""

import datetime as dt
import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from notifications import schedule
from notifications.due import UK
from notifications.models import Message, ScheduledJobRun
from tests.notifications.factories import booked_appointment, consenting

pytestmark = pytest.mark.django_db

WED_0830 = dt.datetime(2027, 2, 3, 8, 30, tzinfo=UK)


@pytest.fixture
def counted_job():
    calls = []
    schedule.register("test_daily", lambda now: calls.append(now) or "ok", how_often="daily")
    yield calls
    schedule._jobs.pop("test_daily", None)


def _run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_send_due_notifications_twice_sends_nothing_new(no_notify_key):
    appointment = booked_appointment(
        starts_at=dt.datetime(2027, 2, 4, 10, 0, tzinfo=UK),
        booked_at=dt.datetime(2027, 1, 20, 9, 0, tzinfo=UK),
    )
    consenting(appointment.referral.case.person)
    first = _run("send_due_notifications", "--now", WED_0830.isoformat())
    assert first.strip() == "1 reminders queued; 1 outbox"
    second = _run("send_due_notifications", "--now", WED_0830.isoformat())
    assert second.strip() == "0 reminders queued; nothing to send"
    assert Message.objects.get().status == "outbox"


def test_now_must_have_a_time_zone():
    with pytest.raises(CommandError, match="time zone"):
        _run("send_due_notifications", "--now", "2027-02-03T08:30")


def test_the_schedule_lists_its_jobs():
    out = _run("run_schedule", "--list")
    assert "send_due_notifications\tevery_pass" in out
    assert "sweep_compliance\tdaily" in out
    assert "retention_review\tdaily" in out


def test_daily_jobs_run_once_a_uk_day(counted_job, no_notify_key):
    out = _run("run_schedule", "--now", WED_0830.isoformat())
    assert "send_due_notifications: 0 reminders queued" in out
    assert "sweep_compliance:" in out
    assert "test_daily: ok" in out
    again = _run("run_schedule", "--now", (WED_0830 + dt.timedelta(hours=15)).isoformat())
    assert "test_daily" not in again
    assert "sweep_compliance" not in again
    # 00:30 UK time the next day (00:30 UTC in February) is a new day.
    _run("run_schedule", "--now", "2027-02-04T00:30:00+00:00")
    assert len(counted_job) == 2
    assert ScheduledJobRun.objects.filter(job="test_daily").count() == 2


def test_a_failed_daily_job_is_tried_again_next_pass(no_notify_key):
    attempts = []

    def flaky(now):
        attempts.append(now)
        if len(attempts) == 1:
            raise RuntimeError("database away")
        return "done"

    schedule.register("test_flaky", flaky, how_often="daily")
    try:
        assert schedule.run_pass(now=WED_0830)["test_flaky"] == "failed: database away"
        assert schedule.run_pass(now=WED_0830)["test_flaky"] == "done"
        assert "test_flaky" not in schedule.run_pass(now=WED_0830)
    finally:
        schedule._jobs.pop("test_flaky", None)
    assert ScheduledJobRun.objects.get(job="test_flaky").outcome == "done"


def test_loop_needs_a_positive_number_of_seconds():
    with pytest.raises(CommandError, match="at least 1"):
        _run("run_schedule", "--loop", "0")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_schedulers_at_once_run_a_daily_job_once(counted_job, no_notify_key):
    if connection.vendor != "postgresql":
        pytest.skip("two concurrent schedulers need PostgreSQL")
    barrier = threading.Barrier(2)

    def scheduler():
        try:
            barrier.wait()
            schedule.run_pass(now=WED_0830)
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(counted_job) == 1
