import hashlib
from functools import lru_cache
from urllib.parse import urlencode

from crispy_forms.utils import render_crispy_form
from django import template
from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.templatetags.static import static
from django.utils.html import format_html

from hub.lib.staff import staff_name
from hub.lib.urls import url_for

register = template.Library()


@register.simple_tag(name="url_for")
def url_for_tag(viewname: str, *ids) -> str:
    """{% url_for "cautions:case_detail" case.pk %}: {% url %} for id URLs in long lists."""
    return url_for(viewname, *ids)


@lru_cache(maxsize=256)
def _static_url(path: str) -> str:
    return static(path)


@register.simple_tag
def static_url(path: str) -> str:
    """{% static %}, remembered per process: a static file's URL (its hashed name in the
    manifest) is fixed while the process runs, and looking each up again cost a tenth of a
    millisecond per page."""
    return _static_url(path)


def _forget_static_urls(*, setting, **kwargs):
    if setting in {"STATIC_URL", "STATIC_ROOT", "STORAGES", "DEBUG"}:
        _static_url.cache_clear()


setting_changed.connect(_forget_static_urls)


@register.filter
def display_name(user) -> str:
    """A staff member's full name, or their user name; empty when there is no user
    (imported historic cases have no officer)."""
    if user is None:
        return ""
    return staff_name(user.first_name, user.last_name, user.get_username())


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
