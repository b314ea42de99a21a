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
