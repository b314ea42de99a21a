from django import template

register = template.Library()


@register.filter
def label(key: str) -> str:
    """A data key as a column heading: "date_of_birth" -> "Date of birth"."""
    return str(key).replace("_", " ").capitalize()


@register.filter
def scalar_items(row: dict) -> list[tuple[str, object]]:
    """The plain values of a row (lists of related rows are shown as tables of their own)."""
    return [(key, value) for key, value in row.items() if not isinstance(value, list | dict)]
