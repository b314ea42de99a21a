import datetime as dt

from django import template
from django.utils.dateformat import format as date_format

register = template.Library()

LABELS = {"id": "Number", "pnc_id": "PNC ID", "person_ref": "PNC ID"}


@register.filter
def label(key: str) -> str:
    """A data key as a heading: "date_of_birth" -> "Date of birth"."""
    return LABELS.get(str(key), str(key).replace("_", " ").capitalize())


@register.filter
def readable(value):
    """An ISO date or time of the export's data as people read it ("12 May 1994",
    "3 December 2026, 15:16"); anything else as it is."""
    if not isinstance(value, str) or len(value) < 10 or value[4:5] != "-":
        return value
    try:
        if len(value) == 10:
            return date_format(dt.date.fromisoformat(value), "j F Y")
        return date_format(dt.datetime.fromisoformat(value), "j F Y, H:i")
    except ValueError:
        return value


@register.filter
def scalar_items(row: dict) -> list[tuple[str, object]]:
    """The plain values of a row (lists of related rows are shown as tables of their own)."""
    return [(key, value) for key, value in row.items() if not isinstance(value, list | dict)]
