import hashlib
from functools import lru_cache
from urllib.parse import urlencode

from crispy_forms.utils import render_crispy_form
from django import template
from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.html import format_html

register = template.Library()

# Stand-ins for ids when a URL's shape is worked out (url_for): numbers no row has.
_ID_STAND_IN = 2_147_480_000


@lru_cache(maxsize=512)
def _url_parts(viewname: str, args: int, prefix: str, urlconf, root_urlconf) -> tuple[str, ...]:
    url = reverse(viewname, args=[_ID_STAND_IN + i for i in range(args)], urlconf=urlconf)
    parts = []
    for i in range(args):
        before, url = url.split(str(_ID_STAND_IN + i), 1)
        parts.append(before)
    parts.append(url)
    return tuple(parts)


def url_for(viewname: str, *ids) -> str:
    """What reverse(viewname, args=ids) returns for a URL whose arguments are ids (<int:...>),
    without reversing it again for each row of a list: the URL's shape is worked out once
    per process (and script prefix) and each call puts its ids in. Anything but non-negative
    ints goes to reverse() as usual. Holds URL patterns only, nothing of a request."""
    if not all(type(i) is int and i >= 0 for i in ids):
        return reverse(viewname, args=ids)
    parts = _url_parts(
        viewname, len(ids), get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF
    )
    return "".join(part + str(i) for part, i in zip(parts, ids, strict=False)) + parts[-1]


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


def _forget_urls(*, setting, **kwargs):
    if setting in {"ROOT_URLCONF", "STATIC_URL", "STATIC_ROOT", "STORAGES", "DEBUG"}:
        _url_parts.cache_clear()
        _static_url.cache_clear()


setting_changed.connect(_forget_urls)


@register.filter
def display_name(user) -> str:
    """A staff member's full name, or their user name; empty when there is no user
    (imported historic cases have no officer)."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def staff_name(first_name: str, last_name: str, username: str) -> str:
    """display_name from a user's columns (a values() row) rather than a User: what
    User.get_full_name() gives, or else the user name."""
    return f"{first_name} {last_name}".strip() or username


class DayMonthYear:
    """Dates as |date:"j M Y" writes them ("5 Mar 2025"; a datetime in local time), for a list
    that shows many: Django's date formatting parses the format and translates the month's
    name again for every value, a tenth of a millisecond per date cell. One instance per page
    (per request): it keeps the month names in the language of that request."""

    def __init__(self):
        self._months: dict[int, str] = {}

    def __call__(self, value) -> str:
        if value is None:
            return ""
        value = timezone.template_localtime(value)
        month = self._months.get(value.month)
        if month is None:
            month = self._months[value.month] = MONTHS_3[value.month].title()
        return f"{value.day} {month} {value.year:04d}"


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
