"""One display format for dates ("3 December 2026") and times ("14:30") on every page."""

import datetime as dt
from pathlib import Path

from django.template import Context, Template
from django.utils import timezone, translation

from hub.lib.dates import DayMonthYear, long_date

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def render(text, **context):
    with translation.override("en-gb"):
        return Template(text).render(Context(context))


def test_dates_and_times_as_people_read_them():
    at = timezone.make_aware(dt.datetime(2026, 12, 3, 14, 30))
    assert render("{{ d|date }}", d=dt.date(2026, 12, 3)) == "3 December 2026"
    assert render("{{ d|date:'SHORT_DATE_FORMAT' }}", d=dt.date(2026, 12, 3)) == "3 December 2026"
    assert render("{{ t|time }}", t=dt.time(14, 30)) == "14:30"
    assert render("{{ at }}", at=at) == "3 December 2026, 14:30"
    assert render("{{ d }}", d=dt.date(2026, 3, 5)) == "5 March 2026"


def test_messages_built_in_python_use_the_same_format():
    assert long_date(dt.date(2026, 12, 3)) == "3 December 2026"
    assert DayMonthYear()(dt.date(2025, 2, 3)) == "3 February 2025"


def test_no_template_writes_a_short_month_or_a_numeric_date():
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        assert 'date:"j M' not in text, path
        assert "d/m/Y" not in text, path
        assert "Y-m-d" not in text, path
