"""The cached rendering of GET filter forms (hub_tags.filter_form) shows what was asked."""

import pytest
from django.template import Context, Template

from reporting.forms import DashboardFilterForm

pytestmark = pytest.mark.django_db

TEMPLATE = Template("{% load hub_tags %}{% filter_form form %}")


def render(data=None) -> str:
    return TEMPLATE.render(Context({"form": DashboardFilterForm(data)}))


def test_the_cached_form_is_the_form_as_crispy_renders_it():
    first = render({"date_from": "2025-04-01"})
    again = render({"date_from": "2025-04-01"})
    assert again == first
    assert 'value="2025-04-01"' in first
    assert "&lt;" not in first  # HTML, not escaped text
    assert '<select name="district"' in first
    assert "csrfmiddlewaretoken" not in first  # nothing of one user's session is cached


def test_the_inbox_filter_form_carries_no_csrf_token():
    from referrals.filters import ReferralFilter
    from referrals.models import Referral

    html = TEMPLATE.render(
        Context({"form": ReferralFilter(None, queryset=Referral.objects.none()).form})
    )
    assert 'name="name"' in html
    assert "csrfmiddlewaretoken" not in html


def test_other_values_are_not_served_from_the_cache():
    render({"date_from": "2025-04-01"})
    other = render({"date_from": "2019-04-01"})
    assert 'value="2019-04-01"' in other
    assert 'value="2025-04-01"' not in other


def test_a_form_with_errors_shows_its_errors_every_time():
    bad = {"as_of": "2999-01-01"}
    for _ in range(2):
        html = render(bad)
        assert "Figures as at a date in the future are not possible" in html
