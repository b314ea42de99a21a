"""{% panel p %}: renders a panel that another app contributed to a page (cautions.panels)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def panel(context, panel):
    """As {% include panel.template %}, with the panel's context added to the page's."""
    found = context.template.engine.get_template(panel.template)
    with context.push(**panel.context):
        return found.render(context)
