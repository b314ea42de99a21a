"""{% summary_row %} (hub_components): the one place a GOV.UK summary-list row is written."""

import datetime as dt

import pytest
from django.template import Context, Template, TemplateSyntaxError


def render(source: str, **context) -> str:
    return Template("{% load hub_components %}" + source).render(Context(context))


def test_a_row_with_a_written_key_and_a_value_made_of_template_markup():
    html = render(
        '{% summary_row "Date of birth" %}<b>{{ born|date:"j F Y" }}</b>{% endsummary_row %}',
        born=dt.date(1990, 5, 4),
    )
    assert html == (
        '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Date of birth'
        '</dt><dd class="govuk-summary-list__value"><b>4 May 1990</b></dd></div>'
    )


def test_keys_and_values_from_variables_are_escaped_once():
    html = render(
        "{% summary_row key %}{{ notes|linebreaksbr }}{% endsummary_row %}",
        key="Drugs & alcohol",
        notes="<script>\nx",
    )
    assert '<dt class="govuk-summary-list__key">Drugs &amp; alcohol</dt>' in html
    assert '<dd class="govuk-summary-list__value">&lt;script&gt;<br>x</dd>' in html


def test_a_row_with_an_action_names_the_row_for_screen_readers():
    html = render(
        '{% summary_row "Phone" action_url=url action_text="Change" %}0123{% endsummary_row %}',
        url="/people/4/edit/",
    )
    assert html.endswith(
        '<dd class="govuk-summary-list__value">0123</dd><dd class="govuk-summary-list__actions">'
        '<a class="govuk-link" href="/people/4/edit/">Change<span class="govuk-visually-hidden">'
        " phone</span></a></dd></div>"
    )


@pytest.mark.parametrize(
    "source",
    [
        "{% summary_row %}x{% endsummary_row %}",
        '{% summary_row "Phone" colour="red" %}x{% endsummary_row %}',
        '{% summary_row "Phone" action_url="/x/" %}x{% endsummary_row %}',
        '{% summary_row "Phone" %}x',
    ],
)
def test_a_malformed_row_is_an_error_when_the_template_is_read(source):
    with pytest.raises(TemplateSyntaxError):
        render(source)
