"""The due rules (notifications.due): pure, the clock a parameter, UK time."""

import datetime as dt

import pytest

from notifications import due

UK = due.UK


def uk(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UK)


@pytest.mark.parametrize(
    ("at", "quiet"),
    [
        (uk(2026, 12, 3, 20, 59), False),
        (uk(2026, 12, 3, 21, 0), True),
        (uk(2026, 12, 4, 7, 59), True),
        (uk(2026, 12, 4, 8, 0), False),
        # Summer time: 07:30 BST is 06:30 UTC, still quiet; 08:00 BST is 07:00 UTC.
        (dt.datetime(2026, 7, 1, 6, 30, tzinfo=dt.UTC), True),
        (dt.datetime(2026, 7, 1, 7, 0, tzinfo=dt.UTC), False),
    ],
)
def test_quiet_hours_are_21_to_08_uk_time(at, quiet):
    assert due.is_quiet(at) is quiet


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        due.is_quiet(dt.datetime(2026, 12, 3, 12, 0))


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (uk(2026, 12, 3, 14, 0), uk(2026, 12, 3, 14, 0)),
        (uk(2026, 12, 3, 22, 30), uk(2026, 12, 4, 8, 0)),
        (uk(2026, 12, 4, 6, 0), uk(2026, 12, 4, 8, 0)),
    ],
)
def test_next_sendable_waits_for_eight(at, expected):
    assert due.next_sendable(at) == expected


def test_day_before_reminder_is_at_eight_the_day_before():
    starts = uk(2026, 12, 4, 10, 0)
    assert due.day_before_due(starts_at=starts, booked_at=uk(2026, 11, 20, 9, 0)) == uk(
        2026, 12, 3, 8, 0
    )


@pytest.mark.parametrize(
    ("booked_at", "expected"),
    [
        # 24 hours ahead exactly: the normal rule (08:00 the day before, already past: now).
        (uk(2026, 12, 3, 10, 0), uk(2026, 12, 3, 8, 0)),
        # Just under 24 hours ahead: at booking.
        (uk(2026, 12, 3, 10, 1), uk(2026, 12, 3, 10, 1)),
        # Booked in quiet hours: at 08:00.
        (uk(2026, 12, 3, 22, 0), uk(2026, 12, 4, 8, 0)),
    ],
)
def test_short_notice_bookings_are_reminded_at_booking_or_eight(booked_at, expected):
    starts = uk(2026, 12, 4, 10, 0)
    assert due.day_before_due(starts_at=starts, booked_at=booked_at) == expected


def test_no_day_before_reminder_when_eight_is_after_the_start():
    starts = uk(2026, 12, 4, 7, 30)
    assert due.day_before_due(starts_at=starts, booked_at=uk(2026, 12, 3, 22, 0)) is None


@pytest.mark.parametrize(
    ("starts_at", "booked_at", "expected"),
    [
        (uk(2026, 12, 4, 14, 0), uk(2026, 12, 1, 9, 0), uk(2026, 12, 4, 12, 0)),
        # Two hours before falls in quiet hours: none.
        (uk(2026, 12, 4, 9, 59), uk(2026, 12, 1, 9, 0), None),
        (uk(2026, 12, 4, 10, 0), uk(2026, 12, 1, 9, 0), uk(2026, 12, 4, 8, 0)),
        # Booked less than two hours ahead: none.
        (uk(2026, 12, 4, 14, 0), uk(2026, 12, 4, 12, 1), None),
        (uk(2026, 12, 4, 14, 0), uk(2026, 12, 4, 12, 0), uk(2026, 12, 4, 12, 0)),
    ],
)
def test_two_hours_before(starts_at, booked_at, expected):
    assert due.two_hours_before_due(starts_at=starts_at, booked_at=booked_at) == expected


def test_condition_reminder_is_at_eight_seven_days_before():
    assert due.condition_due(due_date=dt.date(2026, 12, 11)) == uk(2026, 12, 4, 8, 0)


@pytest.mark.parametrize(
    ("now", "current"),
    [(uk(2026, 12, 10, 23, 0), True), (uk(2026, 12, 11, 0, 0), False)],
)
def test_condition_reminder_expires_on_the_due_date(now, current):
    assert due.condition_reminder_is_current(now=now, due_date=dt.date(2026, 12, 11)) is current
