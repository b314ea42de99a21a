"""Calendar arithmetic used by the law's time limits and the reoffending measure."""

import calendar
import datetime as dt


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
