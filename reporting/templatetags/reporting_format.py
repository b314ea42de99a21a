"""Figures as people read them: counts with separators, fractions as percentages, and
suppressed cells as their words ("fewer than 5")."""

from django import template

from reporting.exports import format_count, format_rate

register = template.Library()


@register.filter
def count(value) -> str:
    return format_count(value)


@register.filter
def percent(value) -> str:
    return format_rate(value)


@register.filter
def points(value) -> str:
    """A difference of two rates in percentage points, signed ("+3.4 points")."""
    if isinstance(value, str):  # Suppressed is a str
        return str(value)
    if value is None:
        return "not available"
    return f"{value * 100:+.1f} points"
