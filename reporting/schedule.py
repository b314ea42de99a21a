"""Reporting's daily jobs on the one scheduler (notifications.schedule, `run_schedule`)."""

import datetime as dt

from django.utils import timezone

from notifications import schedule
from reporting.comparison_retention import comparison_records_dispose


def comparison_retention(now: dt.datetime) -> str:
    """The comparison pool's records whose retention review date has come are deleted (the
    pool is used in aggregate only; `comparison_retention` does the same by hand)."""
    on = timezone.localdate(now)
    count = comparison_records_dispose(on=on, operator="scheduler")
    return f"{count} comparison pool records disposed of (due on or before {on})"


def register() -> None:
    schedule.register("comparison_retention", comparison_retention, how_often=schedule.DAILY)
