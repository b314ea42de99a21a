"""GOV.UK components whose markup is written once, here.

{% summary_row %}: a row of a GOV.UK summary list (the list itself is the page's
`<dl class="govuk-summary-list">`). The key is a string or a variable; the value is what the
tag encloses, written with the template's usual tags and filters:

    {% summary_row "Date of birth" %}{{ person.date_of_birth|date:"j F Y" }}{% endsummary_row %}
    {% summary_row "Address" action_url=edit_url action_text="Change" %}...{% endsummary_row %}

With an action, a link follows the value, its hidden text naming the row for screen readers.
A tag rather than an included template, as hub_tags.badge: a page has up to fifteen rows, and
each {% include %} costs a template render of its own.
"""

from django import template
from django.template.base import FilterExpression, NodeList
from django.utils.html import format_html

register = template.Library()

ROW = (
    '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">{}</dt>'
    '<dd class="govuk-summary-list__value">{}</dd>{}</div>'
)
ACTION = (
    '<dd class="govuk-summary-list__actions"><a class="govuk-link" href="{}">{}'
    '<span class="govuk-visually-hidden"> {}</span></a></dd>'
)


class SummaryRowNode(template.Node):
    def __init__(self, key: FilterExpression, nodelist: NodeList, action: dict):
        self.key = key
        self.nodelist = nodelist
        self.action = action

    def render(self, context) -> str:
        key = self.key.resolve(context)
        action = ""
        if self.action:
            url = self.action["action_url"].resolve(context)
            text = self.action["action_text"].resolve(context)
            action = format_html(ACTION, url, text, str(key).lower())
        return format_html(ROW, key, self.nodelist.render(context), action)


@register.tag
def summary_row(parser, token):
    """{% summary_row key [action_url=... action_text=...] %}value{% endsummary_row %}"""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("summary_row needs the row's key")
    key = parser.compile_filter(bits[1])
    action = {}
    for bit in bits[2:]:
        name, sep, value = bit.partition("=")
        if not sep or name not in ("action_url", "action_text") or name in action:
            raise template.TemplateSyntaxError(f"summary_row: unexpected {bit!r}")
        action[name] = parser.compile_filter(value)
    if action and len(action) != 2:
        raise template.TemplateSyntaxError(
            "summary_row: an action needs action_url and action_text"
        )
    nodelist = parser.parse(("endsummary_row",))
    parser.delete_first_token()
    return SummaryRowNode(key, nodelist, action)
