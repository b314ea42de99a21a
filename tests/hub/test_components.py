"""{% summary_row %} (hub_components): the one place a GOV.UK summary-list row is written."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
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


TEMPLATES = Path(settings.BASE_DIR) / "templates"


def _templates_containing(pattern: str) -> list[str]:
    found = re.compile(pattern)
    return sorted(
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if found.search(path.read_text())
    )


def test_summary_rows_are_written_by_the_tag_only():
    assert _templates_containing(r"govuk-summary-list__(row|key|value)") == []


def test_templates_read_what_may_be_done_and_never_compare_a_status():
    # The rules are in each app's actions.py and selectors (can_*, actions, show_*).
    assert _templates_containing(r"status\s*(==|!=)|status\s+(not\s+)?in\b") == []
