"""The GOV.UK date input: one field for every date a user types (day, month and year boxes).

The browser's own date picker showed mm/dd/yyyy on an en-US browser, against hints in
another order; the GOV.UK pattern asks for three numbers in a fixed order and reports what is
wrong with each part. Errors follow the Design System's wording, naming the field by its
label ("Date of offence must include a month", "... must be a real date"). The part in error
is marked on the part's widget (`errors`, as crispy-forms-gds's renderer reads it), so that
only that box is drawn in error and the error summary links to it.

A date may also arrive as one `YYYY-MM-DD` value under the field's own name (links written
before this pattern, bookmarks, and clients that post ISO dates): it is taken when none of
the three parts is present.
"""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

PARTS = ("day", "month", "year")
EXAMPLE_HINT = "For example, 27 3 2025"
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_WIDTHS = {"day": 2, "month": 2, "year": 4}


class GDSDateWidget(forms.MultiWidget):
    template_name = "gds/widgets/date_input.html"

    def __init__(self, attrs=None):
        widgets = {
            part: forms.TextInput(
                attrs={
                    "class": f"govuk-input govuk-date-input__input govuk-input--width-{width}",
                    "inputmode": "numeric",
                }
            )
            for part, width in _WIDTHS.items()
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, str):
            value = _parse_iso(value)
        if isinstance(value, dt.datetime):
            value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subwidget, part in zip(context["widget"]["subwidgets"], PARTS, strict=True):
            subwidget["label"] = part.capitalize()
        return context

    def value_from_datadict(self, data, files, name):
        parts = super().value_from_datadict(data, files, name)
        whole = data.get(name)
        if not any(parts) and isinstance(whole, str) and whole.strip():
            match = _ISO.match(whole)
            # Not an ISO date: kept in the day box, so the user sees what was sent and why
            # it is refused.
            if match:
                return [str(int(match[3])), str(int(match[2])), match[1]]
            return [whole.strip(), "", ""]
        return parts

    def value_omitted_from_data(self, data, files, name):
        return name not in data and super().value_omitted_from_data(data, files, name)


def _parse_iso(text: str) -> dt.date | None:
    match = _ISO.match(text)
    if not match:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _sentence_name(label: str) -> str:
    """'Date of offence' -> 'date of offence' (an acronym such as 'PNC' is kept)."""
    if len(label) > 1 and label[1].islower():
        return label[0].lower() + label[1:]
    return label


class GDSDateField(forms.MultiValueField):
    """A date typed as day, month and year.

    `past=True`: the date must be before today; `not_future=True`: today or before.
    """

    widget = GDSDateWidget

    def __init__(self, *, past: bool = False, not_future: bool = False, **kwargs):
        self.past = past
        self.not_future = not_future
        hint = str(kwargs.get("help_text") or "")
        if "example" not in hint.lower():
            kwargs["help_text"] = f"{hint.rstrip('.')}. {EXAMPLE_HINT}" if hint else EXAMPLE_HINT
        for unused in ("input_formats", "localize"):
            kwargs.pop(unused, None)
        fields = tuple(forms.CharField(required=False) for _part in PARTS)
        super().__init__(fields, require_all_fields=False, **kwargs)

    @property
    def name(self) -> str:
        return self.label or "Date"

    def _refuse(self, message: str, code: str, parts=PARTS):
        """Mark the parts in error (all of them when the whole date is wrong) and refuse."""
        for field, part in zip(self.fields, PARTS, strict=True):
            field.widget.errors = [message] if part in parts and len(parts) < 3 else []
        raise ValidationError(message, code=code)

    def clean(self, value):
        for field in self.fields:
            field.widget.errors = []
        values = [str(v).strip() if v is not None else "" for v in (value or ["", "", ""])]
        values += [""] * (3 - len(values))
        day, month, year = values[:3]
        missing = [part for part, text in zip(PARTS, (day, month, year), strict=True) if not text]
        if len(missing) == 3:
            if self.required:
                self._refuse(f"Enter the {_sentence_name(self.name)}", "required")
            return None
        # Something that is not a number is reported before a missing part: "must include
        # a month" would send the user to fill a box when the day box is what is wrong.
        not_numbers = [
            part
            for part, text in zip(PARTS, (day, month, year), strict=True)
            if text and not (text.isascii() and text.isdigit())
        ]
        if not_numbers:
            self._refuse(f"{self.name} must be a real date", "invalid", not_numbers)
        if missing:
            self._refuse(
                f"{self.name} must include a {' and '.join(missing)}", "incomplete", missing
            )
        date = self._to_date(day, month, year)
        self._check_range(date)
        self.run_validators(date)
        return date

    def _to_date(self, day: str, month: str, year: str) -> dt.date:
        if len(year) != 4 or int(year) < 1:
            self._refuse(f"{self.name} year must include 4 numbers", "invalid", ["year"])
        if not 1 <= int(month) <= 12:
            self._refuse(f"{self.name} must be a real date", "invalid", ["month"])
        try:
            return dt.date(int(year), int(month), int(day))
        except ValueError:
            self._refuse(f"{self.name} must be a real date", "invalid", ["day"])
            raise  # not reached: _refuse raises

    def _check_range(self, date: dt.date) -> None:
        today = timezone.localdate()
        if self.past and date >= today:
            self._refuse(f"{self.name} must be in the past", "past")
        if self.not_future and date > today:
            self._refuse(f"{self.name} must be today or in the past", "not_future")

    def has_changed(self, initial, data):
        # Compared as typed (leading zeros aside), without cleaning: cleaning marks parts in
        # error, which changed_data, asked after validation, must not disturb.
        def typed(values):
            return [str(v if v is not None else "").strip().lstrip("0") for v in values]

        return typed(self.widget.decompress(initial)) != typed(data or ["", "", ""])
