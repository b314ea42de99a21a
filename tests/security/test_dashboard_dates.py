"""Issue 17 point 7: crafted dates on the dashboard are form errors, never 500s or long loops.

`date_from=0001-01-01` used to make 8,100 quarters, `date_to=9999-12-31` and
`as_of=0001-01-01` 500s. Every date is bounded by EARLIEST_REPORT_DATE and today; each side of
each bound is tested.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from reporting.forms import EARLIEST_REPORT_DATE, DashboardFilterForm, default_window

# The dashboard's figures are computed as the first request queues them (the worker's part).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_tasks")]

DASHBOARD = reverse("reporting:dashboard")
DAY = dt.timedelta(days=1)


def _today():
    return timezone.localdate()


def _valid(**dates) -> DashboardFilterForm:
    form = DashboardFilterForm({name: value.isoformat() for name, value in dates.items()})
    form.is_valid()
    return form


@pytest.mark.parametrize("field", ["date_from", "date_to", "as_of"])
def test_each_date_is_bounded_on_each_side(field):
    assert field not in _valid(**{field: EARLIEST_REPORT_DATE}).errors
    assert field not in _valid(**{field: _today()}).errors
    early = _valid(**{field: EARLIEST_REPORT_DATE - DAY}).errors[field]
    assert early == [f"Enter a date on or after {EARLIEST_REPORT_DATE:%-d %B %Y}"]
    late = _valid(**{field: _today() + DAY}).errors[field]
    assert late == ["Enter a date that is not in the future"]


@pytest.mark.parametrize(
    "query",
    [
        {"date_from": "0001-01-01"},
        {"date_to": "9999-12-31"},
        {"as_of": "0001-01-01"},
        {"as_of": "9999-12-31"},
        {"date_from": "2020-01-01", "date_to": "9999-01-01"},
        {"date_from": "10000-01-01"},
        {"date_to": "0000-00-00"},
    ],
)
def test_crafted_dates_are_form_errors_on_the_dashboard_and_downloads(as_user, analyst, query):
    client = as_user(analyst)
    response = client.get(DASHBOARD, query)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: " in page
    assert not response.context["figures_shown"]
    download = client.get(reverse("reporting:export", args=["headline"]), query)
    assert download.status_code == 302  # back to the dashboard, which shows the error


def test_the_default_window_starts_no_earlier_than_the_bound():
    today = _today()
    start, end = default_window(dt.date(1900, 1, 1), today)
    assert (start, end) == (EARLIEST_REPORT_DATE, today)
    assert default_window(dt.date(2016, 5, 5), today)[0] == dt.date(2016, 4, 1)


@pytest.mark.parametrize(
    ("option", "value", "refused"),
    [
        ("--from", "0001-01-01", True),
        ("--from", "1999-12-31", True),
        ("--from", "2000-01-01", False),
        ("--to", "9999-12-31", True),
        ("--as-of", "0001-01-01", True),
    ],
)
def test_the_report_command_has_the_same_bounds(option, value, refused):
    from django.core.management import CommandError, call_command

    arguments = {"--from": "2016-01-01", "--to": "2016-12-31", option: value}
    argv = [item for pair in arguments.items() for item in pair]
    if refused:
        with pytest.raises(CommandError, match="is not between 2000-01-01 and today"):
            call_command("reoffending_report", *argv, "--format", "json")
    else:
        call_command("reoffending_report", *argv, "--format", "json")
