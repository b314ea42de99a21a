from functools import lru_cache

from django import template
from django.core.signals import setting_changed
from django.templatetags.static import static
from django.utils.html import format_html

from hub import filter_form_cache
from hub.lib.staff import user_display_name
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
    """A staff member's full name (after their rank, "Sgt Tom Baker", when the profile was
    fetched with the user), or their user name; empty when there is no user (imported
    historic cases have no officer)."""
    return user_display_name(user)


@register.filter
def error_links(bound_field) -> list[tuple[str, str]]:
    """(id to link to, message) for each error of a field, for the GOV.UK error summary: a
    radio or checkbox group links to its first option; a date input to the first part in
    error (hub.datefields marks them), or to the day when the whole date is wrong."""
    widget = bound_field.field.widget
    auto_id = bound_field.auto_id
    if getattr(widget, "input_type", "") == "radio" or getattr(
        widget, "allow_multiple_selected", False
    ):
        return [(f"{auto_id}_1", str(error)) for error in bound_field.errors]
    subfields = getattr(bound_field.field, "fields", None)
    if subfields is None or not hasattr(widget, "widgets"):
        return [(auto_id, str(error)) for error in bound_field.errors]
    links = []
    for error in bound_field.errors:
        index = next(
            (i for i, sub in enumerate(subfields) if error in getattr(sub.widget, "errors", ())),
            0,
        )
        links.append((f"{auto_id}_{index}", str(error)))
    return links


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
    """A GET filter form rendered by crispy-forms, cached under everything that shapes its HTML
    (its class, the values submitted, its fields and their choices, its helper): see
    hub.filter_form_cache, which says what fails loudly and why it is worth caching."""
    return filter_form_cache.render(form)
