"""When a reminder is due (issue 18; DECISIONS.md "Notifications"). Pure functions: the clock
is a parameter, nothing here reads the database.

- Quiet hours: nothing goes to a person between 21:00 and 08:00 UK time; it waits until 08:00.
- An appointment's day-before reminder is due at 08:00 on the day before (the first run after
  it sends it). Booked less than 24 hours ahead: due at booking, or at 08:00 if booked in quiet
  hours. It is not sent once the appointment has started.
- The optional two-hours-before reminder is due two hours before, unless that falls in quiet
  hours (then none: an 08:00 message for a 09:00 appointment would be the day-before's twin),
  or the appointment was booked less than two hours ahead.
- A condition's reminder is due at 08:00 seven days before its due date, until that date.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")
QUIET_FROM = dt.time(21, 0)
QUIET_UNTIL = dt.time(8, 0)
SENDING_STARTS = QUIET_UNTIL
TWO_HOURS = dt.timedelta(hours=2)
SHORT_NOTICE = dt.timedelta(hours=24)
CONDITION_DAYS_BEFORE = 7


def _local(at: dt.datetime) -> dt.datetime:
    if at.tzinfo is None:
        raise ValueError("Times must be timezone-aware")
    return at.astimezone(UK)


def _at_local(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=UK)


def is_quiet(at: dt.datetime) -> bool:
    """Whether `at` falls between 21:00 and 08:00 UK time (21:00 quiet, 08:00 not)."""
    local = _local(at).time()
    return local >= QUIET_FROM or local < QUIET_UNTIL


def next_sendable(at: dt.datetime) -> dt.datetime:
    """`at` itself outside quiet hours; otherwise the 08:00 that ends them."""
    if not is_quiet(at):
        return at
    local = _local(at)
    day = local.date() if local.time() < QUIET_UNTIL else local.date() + dt.timedelta(days=1)
    return _at_local(day, SENDING_STARTS)


def day_before_due(*, starts_at: dt.datetime, booked_at: dt.datetime) -> dt.datetime | None:
    """When the day-before reminder of an appointment is due, or None if it is never sent."""
    if starts_at - booked_at < SHORT_NOTICE:
        due = next_sendable(booked_at)
    else:
        due = _at_local(_local(starts_at).date() - dt.timedelta(days=1), SENDING_STARTS)
    return due if due < starts_at else None


def two_hours_before_due(*, starts_at: dt.datetime, booked_at: dt.datetime) -> dt.datetime | None:
    due = starts_at - TWO_HOURS
    if booked_at > due or is_quiet(due):
        return None
    return due


def condition_due(*, due_date: dt.date) -> dt.datetime:
    return _at_local(due_date - dt.timedelta(days=CONDITION_DAYS_BEFORE), SENDING_STARTS)


def appointment_reminder_is_current(*, now: dt.datetime, starts_at: dt.datetime) -> bool:
    """A reminder of an appointment that has started is no use."""
    return now < starts_at


def condition_reminder_is_current(*, now: dt.datetime, due_date: dt.date) -> bool:
    return _local(now).date() < due_date
