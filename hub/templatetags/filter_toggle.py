"""{% filter_toggle form %}...{% endfilter_toggle %}: a list page's filters behind a toggle.

On a phone the filters would fill the first screen before any row of the list (issue 22), so
they sit in a <details> whose summary says how many are applied, "Filter (2 applied)", with
the applied filters listed under it, always visible. A <details> opens and closes without
JavaScript; on a larger screen hub.css shows its content whatever its state and js/init.js
opens it, so the filters stay in view there as before. What the tag encloses is the form.

    {% filter_toggle filter.form %}<form method="get">...</form>{% endfilter_toggle %}

It is open when a filter is in error. Hidden fields (the referrals list's status tab) are not filters a person chose here, so they
are neither counted nor listed.
"""

from django import template
from django.template.base import FilterExpression, NodeList
from django.utils.html import format_html, format_html_join

register = template.Library()

TOGGLE = (
    '<details class="govuk-details oh-filter-toggle" data-oh-filter-toggle{}>'
    '<summary class="govuk-details__summary oh-filter-toggle__summary">'
    '<span class="govuk-details__summary-text">{}</span></summary>'
    '<div class="govuk-details__text">{}</div></details>{}'
)
APPLIED = (
    '<div class="oh-applied-filters"><p class="govuk-body-s govuk-!-margin-bottom-1" id="{}">'
    "<strong>Applied filters</strong></p>"
    '<ul class="govuk-list govuk-body-s" aria-labelledby="{}">{}</ul></div>'
)


def _shown(field, value) -> str:
    """The value as the person chose it: a choice's label rather than its key."""
    choices = getattr(field.field, "choices", None)
    if choices is not None:
        for key, label in choices:
            if str(getattr(key, "value", key)) == str(value):
                return str(label)
    return str(value)


def applied_filters(form) -> list[tuple[str, str]]:
    """(label, value) for each visible field with something in it."""
    applied = []
    for field in form:
        if field.is_hidden:
            continue
        value = field.value()
        values = value if isinstance(value, list | tuple) else [value]
        values = [v for v in values if v not in (None, "")]
        if values:
            applied.append((str(field.label), ", ".join(_shown(field, v) for v in values)))
    return applied


class FilterToggleNode(template.Node):
    def __init__(self, form: FilterExpression, nodelist: NodeList):
        self.form = form
        self.nodelist = nodelist

    def render(self, context) -> str:
        form = self.form.resolve(context)
        applied = applied_filters(form) if form is not None else []
        summary = f"Filter ({len(applied)} applied)" if applied else "Filter"
        listed = ""
        if applied:
            list_id = f"applied-filters-{form.prefix or 'list'}"
            items = format_html_join("", "<li>{}: {}</li>", applied)
            listed = format_html(APPLIED, list_id, list_id, items)
        # A filter in error stays open, so that the error summary's link leads to the field.
        is_open = " open" if form is not None and form.errors else ""
        return format_html(TOGGLE, is_open, summary, self.nodelist.render(context), listed)


@register.tag
def filter_toggle(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% filter_toggle form %} takes the filter form")
    nodelist = parser.parse(("endfilter_toggle",))
    parser.delete_first_token()
    return FilterToggleNode(parser.compile_filter(bits[1]), nodelist)
