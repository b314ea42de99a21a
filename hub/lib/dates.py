"""Calendar arithmetic used by the law's time limits and the reoffending measure."""

import calendar
import datetime as dt

from django.utils import timezone
from django.utils.dates import MONTHS

# For messages built outside templates (rules, eligibility): the display format of
# hub/formats, without Django's date formatting.
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def long_date(date: dt.date) -> str:
    """3 December 2026: the one way dates are written for people."""
    return f"{date.day} {MONTH_NAMES[date.month - 1]} {date.year:04d}"


def add_months(date: dt.date, months: int) -> dt.date:
    """Add calendar months, keeping the day of month clamped to the month's last day.

    2017-01-31 + 1 month = 2017-02-28 (DOMAIN.md, "Calendar months").
    """
    month_index = date.month - 1 + months
    year = date.year + month_index // 12
    month = month_index % 12 + 1
    day = min(date.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


def age_on(date_of_birth: dt.date, on: dt.date) -> int:
    """Age in whole years on a date (a person born on 29 February turns a year older on 1 March)."""
    years = on.year - date_of_birth.year
    if (on.month, on.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


class DayMonthYear:
    """Dates as |date:"j F Y" writes them ("5 March 2025"; a datetime in local time), for a list
    that shows many: Django's date formatting parses the format and translates the month's
    name again for every value, a tenth of a millisecond per date cell. One instance per page
    (per request): it keeps the month names in the language of that request."""

    def __init__(self):
        self._months: dict[int, str] = {}

    def __call__(self, value) -> str:
        if value is None:
            return ""
        value = timezone.template_localtime(value)
        month = self._months.get(value.month)
        if month is None:
            month = self._months[value.month] = str(MONTHS[value.month])
        return f"{value.day} {month} {value.year:04d}"
