import hashlib
from urllib.parse import urlencode

from crispy_forms.utils import render_crispy_form
from django import template
from django.conf import settings
from django.core.cache import cache
from django.utils.html import format_html

register = template.Library()


@register.filter
def display_name(user) -> str:
    """A staff member's full name, or their user name; empty when there is no user
    (imported historic cases have no officer)."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


@register.simple_tag
def badge(text, colour=""):
    """A GOV.UK tag. Status is shown in words, never by colour alone. A tag rather than an
    included template: pages show up to a few dozen, and each {% include %} costs a template
    render of its own."""
    if colour:
        return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', colour, text)
    return format_html('<strong class="govuk-tag">{}</strong>', text)


@register.simple_tag
def filter_form(form):
    """A GET filter form rendered by crispy-forms, cached by its class and submitted values.

    Rendering a crispy GOV.UK form costs 5-7 ms (a template per field, per widget), the
    largest part of a list page; the HTML depends only on the values submitted and the choices
    offered, so it is kept in the cache for REPORT_CACHE_SECONDS. Choices read from reference
    data (districts, offence categories) that an administrator edits show within that time,
    as the dashboard's figures do. A form with errors is never cached: it is rendered as is.
    Only for GET forms without a CSRF token (no per-user or per-session content)."""
    if form.is_bound and not form.is_valid():
        return render_crispy_form(form)
    data = form.data if form.is_bound else {}
    # request.GET (a QueryDict: several values a name) or a plain dict
    pairs = data.lists() if hasattr(data, "lists") else ((k, [v]) for k, v in data.items())
    values = urlencode(sorted(pairs), doseq=True)
    cls = type(form)
    digest = hashlib.sha256(values.encode()).hexdigest()
    key = f"filter-form:{cls.__module__}.{cls.__qualname__}:{digest}"
    html = cache.get(key)
    if html is None:
        html = render_crispy_form(form)
        cache.set(key, html, settings.REPORT_CACHE_SECONDS)
    return html  # crispy's SafeString, which the cache keeps as such
