"""{% filter_toggle form %} (hub/templatetags/filter_toggle): a list page's filters behind a
"Filter (n applied)" toggle, with the applied filters listed (issue 22)."""

import pytest
from django import forms
from django.template import Context, Template, TemplateSyntaxError


class ListFilterForm(forms.Form):
    name = forms.CharField(required=False, label="Person's name")
    status = forms.ChoiceField(
        required=False, choices=[("", "Any status"), ("active", "Caution given")]
    )
    page_kind = forms.CharField(required=False, widget=forms.HiddenInput)
    due_before = forms.DateField(required=False, label="Due on or before")


def render(form) -> str:
    source = "{% load filter_toggle %}{% filter_toggle form %}<form>[fields]</form>{% endfilter_toggle %}"
    return Template(source).render(Context({"form": form}))


def test_nothing_applied_says_filter_and_lists_nothing():
    html = render(ListFilterForm({"status": "", "name": ""}))
    assert '<span class="govuk-details__summary-text">Filter</span>' in html
    assert "Applied filters" not in html
    assert '<div class="govuk-details__text"><form>[fields]</form></div>' in html
    assert "<details" in html
    assert " open>" not in html  # closed: hub.css and js/init.js show it on a larger screen


def test_applied_filters_are_counted_and_listed_by_label_and_choice_label():
    html = render(ListFilterForm({"status": "active", "name": "Marsh", "page_kind": "new"}))
    assert "Filter (2 applied)" in html
    assert "<li>Person&#x27;s name: Marsh</li>" in html
    assert "<li>Status: Caution given</li>" in html
    # A hidden field (the referrals list's status tab) is not a filter chosen here.
    assert "new" not in html.split("</details>")[1]


def test_one_applied_filter():
    assert "Filter (1 applied)" in render(ListFilterForm({"name": "Marsh"}))


def test_values_are_escaped():
    html = render(ListFilterForm({"name": "<script>"}))
    assert "<li>Person&#x27;s name: &lt;script&gt;</li>" in html
    assert "<script>" not in html


def test_a_filter_in_error_is_open_so_the_error_summary_leads_to_it():
    form = ListFilterForm({"due_before": "31/02/2026"})
    assert not form.is_valid()
    html = render(form)
    assert "data-oh-filter-toggle open>" in html
    assert "<li>Due on or before: 31/02/2026</li>" in html


def test_an_unbound_form_applies_nothing():
    assert "Applied filters" not in render(ListFilterForm())


def test_the_tag_takes_the_form():
    with pytest.raises(TemplateSyntaxError):
        Template("{% load filter_toggle %}{% filter_toggle %}x{% endfilter_toggle %}")
