"""The staff jobs of the scheduler (run_schedule): the scan once a UK day, the digest once a
day from 07:00, whatever the number of passes."""

import datetime as dt

import pytest
from django.utils import timezone

from hub.roles import Role
from notifications import schedule, staff_schedule
from notifications.models import Message
from notifications.staff_models import StaffNotification
from tests.cautions import factories as f
from tests.factories import make_user

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def test_both_jobs_are_registered():
    names = {entry.name: entry.how_often for entry in schedule.registered()}
    assert names["staff_notifications"] == schedule.DAILY
    assert names["staff_digest"] == schedule.EVERY_PASS


def test_passes_through_a_day_notify_once_and_send_one_digest():
    officer = make_user(Role.OFFICER, email="pc.jones@police.example")
    case = f.ActiveCaseFactory(officer=officer, conditions=0)
    f.ConditionFactory(case=case, due_date=TODAY + dt.timedelta(days=2))
    # Tomorrow's passes (rows are stamped with the real time, today: before tomorrow 07:00).
    day = TODAY + dt.timedelta(days=1)
    for hour, minute in [(0, 1), (0, 2), (6, 59), (7, 0), (7, 1), (12, 0)]:
        ran = schedule.run_pass(now=at(day, hour, minute))
        assert not any(str(v).startswith("failed") for v in ran.values()), ran
        if (hour, minute) == (6, 59):
            assert ran["staff_digest"] == "not yet"
            assert not Message.objects.exists()
    assert StaffNotification.objects.filter(user=officer).count() == 1
    [digest] = Message.objects.filter(user=officer)
    assert digest.kind == "staff_digest"
    assert "Condition due within 7 days: 1" in digest.body


def test_a_digest_job_run_twice_the_same_day_sends_once():
    officer = make_user(Role.OFFICER, email="pc.jones@police.example")
    StaffNotification.objects.create(
        user=officer, kind="referral_returned", text="x", link="/cases/1/", dedupe_key="k"
    )
    StaffNotification.objects.update(created_at=at(TODAY, 5))
    assert staff_schedule.digest_job(at(TODAY, 8)) == "1 digests queued"
    assert staff_schedule.digest_job(at(TODAY, 9)) == "done today"
    assert Message.objects.count() == 1
