"""The GOV.UK date input (hub.datefields): three boxes, errors per part in the Design
System's words, what was typed kept, and old YYYY-MM-DD links still understood."""

import datetime as dt
import re

import pytest
from crispy_forms.utils import render_crispy_form
from django import forms
from django.utils import timezone

from hub.datefields import GDSDateField
from hub.forms import gds_helper


class OffenceDateForm(forms.Form):
    offence_date = GDSDateField(label="Date of offence", not_future=True)
    born = GDSDateField(label="Date of birth", past=True, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper("offence_date", "born")


def parts(name, day, month, year):
    return {f"{name}_day": day, f"{name}_month": month, f"{name}_year": year}


def errors(data):
    form = OffenceDateForm(data)
    form.is_valid()
    return form.errors.get("offence_date", [])


def test_three_parts_make_a_date():
    form = OffenceDateForm(parts("offence_date", "27", "3", "2025"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["offence_date"] == dt.date(2025, 3, 27)
    assert form.cleaned_data["born"] is None


def test_an_old_iso_link_still_works():
    form = OffenceDateForm({"offence_date": "2025-03-27"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["offence_date"] == dt.date(2025, 3, 27)


def test_the_parts_win_over_an_iso_value():
    form = OffenceDateForm(
        {"offence_date": "2020-01-01", **parts("offence_date", "2", "2", "2022")}
    )
    assert form.is_valid()
    assert form.cleaned_data["offence_date"] == dt.date(2022, 2, 2)


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter the date of offence"),
        ("27", "", "2025", "Date of offence must include a month"),
        ("", "", "2025", "Date of offence must include a day and month"),
        ("27", "3", "", "Date of offence must include a year"),
        ("31", "2", "2025", "Date of offence must be a real date"),
        ("27", "13", "2025", "Date of offence must be a real date"),
        ("x", "3", "2025", "Date of offence must be a real date"),
        ("27", "3", "25", "Date of offence year must include 4 numbers"),
        ("1", "1", "99999", "Date of offence year must include 4 numbers"),
    ],
)
def test_each_kind_of_mistake_is_named(day, month, year, message):
    assert errors(parts("offence_date", day, month, year)) == [message]


def test_a_bad_iso_value_is_an_error_not_a_crash():
    assert errors({"offence_date": "2025-02-30"}) == ["Date of offence must be a real date"]
    assert errors({"offence_date": "yesterday"}) == ["Date of offence must be a real date"]


def test_today_is_allowed_when_not_in_the_future_but_tomorrow_is_not():
    today = timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    assert errors(parts("offence_date", today.day, today.month, today.year)) == []
    assert errors(parts("offence_date", tomorrow.day, tomorrow.month, tomorrow.year)) == [
        "Date of offence must be today or in the past"
    ]


def test_in_the_past_means_before_today():
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    base = parts("offence_date", "1", "1", "2020")
    form = OffenceDateForm({**base, **parts("born", today.day, today.month, today.year)})
    assert form.errors["born"] == ["Date of birth must be in the past"]
    form = OffenceDateForm(
        {**base, **parts("born", yesterday.day, yesterday.month, yesterday.year)}
    )
    assert form.is_valid()


def _input(html, name):
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', html)[0]


def test_markup_is_the_gov_uk_date_input_and_keeps_what_was_typed():
    form = OffenceDateForm(parts("offence_date", "27", "", "2025"))
    assert not form.is_valid()
    html = render_crispy_form(form)
    assert '<fieldset class="govuk-fieldset" role="group"' in html
    assert "For example, 27 3 2025" in html
    day, month, year = (_input(html, f"offence_date_{p}") for p in ("day", "month", "year"))
    for box in (day, month, year):
        assert 'inputmode="numeric"' in box
        assert 'type="text"' in box
    assert 'value="27"' in day
    assert 'value="2025"' in year
    # Only the missing part is drawn in error.
    assert "govuk-input--error" in month
    assert "govuk-input--error" not in day
    assert "govuk-input--error" not in year
    for part in ("Day", "Month", "Year"):
        assert f">{part}</label>" in html


def test_an_empty_date_marks_every_part_and_a_wrong_day_only_the_day():
    html = render_crispy_form(OffenceDateForm(parts("offence_date", "", "", "")))
    for part in ("day", "month", "year"):
        assert "govuk-input--error" in _input(html, f"offence_date_{part}")
    html = render_crispy_form(OffenceDateForm(parts("offence_date", "31", "2", "20x5")))
    assert 'value="20x5"' in _input(html, "offence_date_year")
    assert "govuk-input--error" in _input(html, "offence_date_year")
    assert "govuk-input--error" not in _input(html, "offence_date_day")


def test_the_error_summary_links_to_the_first_part_in_error():
    from django.template import Context, Template

    form = OffenceDateForm(parts("offence_date", "", "", "2025"))
    form.is_valid()
    html = Template("{% load crispy_forms_gds %}{% error_summary form %}").render(
        Context({"form": form})
    )
    assert '<a href="#id_offence_date_0">Date of offence must include a day and month</a>' in html
    form = OffenceDateForm(parts("offence_date", "27", "", "2025"))
    form.is_valid()
    html = Template("{% load crispy_forms_gds %}{% error_summary form %}").render(
        Context({"form": form})
    )
    assert '<a href="#id_offence_date_1">Date of offence must include a month</a>' in html
    assert html.count("<li>") == 1


def test_a_field_with_its_own_hint_gets_the_example_too():
    field = GDSDateField(label="Due date", help_text="Leave empty to use the deadline")
    assert field.help_text == "Leave empty to use the deadline. For example, 27 3 2025"
