"""seed_demo books appointments (issue 18): one within the next 24 hours, a few over the
coming weeks, one missed; running it again books nothing more."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from demo.appointments import soon_slot
from referrals.models import Appointment

pytestmark = pytest.mark.django_db


def test_seed_demo_books_soon_later_and_missed_and_is_idempotent(settings):
    settings.DEBUG = True  # the test runner turns DEBUG off
    call_command("seed_demo")
    now = timezone.now()
    booked = Appointment.objects.booked()
    assert booked.filter(starts_at__gt=now, starts_at__lte=now + dt.timedelta(hours=24)).exists()
    assert booked.filter(starts_at__gt=now + dt.timedelta(days=6)).count() >= 3
    missed = Appointment.objects.missed().get()
    assert missed.starts_at < now
    assert missed.session is not None
    # Two providers' caseworkers have appointments.
    assert booked.values("referral__provider").distinct().count() == 2
    count = Appointment.objects.count()
    call_command("seed_demo")
    assert Appointment.objects.count() == count


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        ("07:59", "10:00 today"),
        ("08:00", "10:00 today"),
        ("08:01", "14:00 today"),
        ("13:59", "16:00 today"),
        ("14:00", "16:00 today"),
        ("14:01", "10:00 tomorrow"),
        ("23:30", "10:00 tomorrow"),
    ],
)
def test_the_soon_slot_is_daytime_at_least_two_hours_ahead_and_within_a_day(now, expected):
    today = timezone.localdate()
    hour, minute = map(int, now.split(":"))
    at = timezone.make_aware(dt.datetime.combine(today, dt.time(hour, minute)))
    slot = soon_slot(at)
    time, day = expected.split()
    assert slot.strftime("%H:%M") == time
    assert slot.date() == today + dt.timedelta(days=1 if day == "tomorrow" else 0)
    assert dt.timedelta(hours=2) <= slot - at <= dt.timedelta(hours=24)
