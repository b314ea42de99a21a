"""The cached rendering of GET filter forms (hub_tags.filter_form, hub.filter_form_cache)
shows what was asked, and to each user what is theirs."""

import django_filters
import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.template import Context, Template

from hub import filter_form_cache
from hub.forms import gds_helper
from hub.models import District
from reporting.forms import DashboardFilterForm
from tests.factories import OrganisationFactory
from tests.referrals.factories import caseworker_of

pytestmark = pytest.mark.django_db

TEMPLATE = Template("{% load hub_tags %}{% filter_form form %}")


def render(data=None) -> str:
    return TEMPLATE.render(Context({"form": DashboardFilterForm(data)}))


def test_the_cached_form_is_the_form_as_crispy_renders_it():
    first = render({"date_from": "2025-04-01"})
    again = render({"date_from": "2025-04-01"})
    assert again == first
    # An ISO date in the link (as links were written before the GOV.UK date input) fills
    # the three boxes.
    assert 'name="date_from_day" value="1"' in first
    assert 'name="date_from_month" value="4"' in first
    assert 'name="date_from_year" value="2025"' in first
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
    assert 'name="date_from_year" value="2019"' in other
    assert 'name="date_from_year" value="2025"' not in other


def test_a_form_with_errors_shows_its_errors_every_time():
    bad = {"as_of": "2999-01-01"}
    for _ in range(2):
        html = render(bad)
        assert "Enter a date that is not in the future" in html


# A filter whose choices depend on who is looking: the caseworkers of the user's own
# organisation. Cached by class and values alone, one provider's page would show the
# first provider's staff names.
class AssignedToForm(forms.Form):
    assigned_to = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(), required=False, empty_label="Anyone"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = (
            get_user_model()
            .objects.filter(profile__organisation_id=user.profile.organisation_id)
            .order_by("username")
        )
        self.helper = gds_helper("assigned_to", submit="Apply")
        self.helper.form_method = "get"


class ColleagueChoiceForm(forms.Form):
    """The same with the choices given as a list."""

    colleague = forms.ChoiceField(required=False, choices=[])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["colleague"].choices = [
            (u.pk, u.username)
            for u in get_user_model().objects.filter(
                profile__organisation_id=user.profile.organisation_id
            )
        ]
        self.helper = gds_helper("colleague", submit="Apply")
        self.helper.form_method = "get"


@pytest.fixture
def two_providers():
    links, fenland = OrganisationFactory(), OrganisationFactory()
    return {
        "links": [caseworker_of(links, username=f"links-worker-{n}") for n in (1, 2)],
        "fenland": [caseworker_of(fenland, username=f"fenland-worker-{n}") for n in (1, 2)],
    }


@pytest.mark.parametrize("form_class", [AssignedToForm, ColleagueChoiceForm])
@pytest.mark.parametrize("data", [None, {}])
def test_a_form_whose_choices_depend_on_the_user_shows_each_user_their_own(
    two_providers, form_class, data
):
    # Links first, then Fenland, then Links again (served from the cache by then).
    for provider, other in (("links", "fenland"), ("fenland", "links"), ("links", "fenland")):
        user = two_providers[provider][0]
        html = TEMPLATE.render(Context({"form": form_class(data, user=user)}))
        for colleague in two_providers[provider]:
            assert colleague.username in html
        for stranger in two_providers[other]:
            assert stranger.username not in html


def test_a_form_rendered_before_is_served_from_the_cache(django_assert_num_queries):
    first = render({"date_from": "2025-04-01"})
    # No query: the district, offence and condition type choices come with the cached HTML.
    with django_assert_num_queries(0):
        assert render({"date_from": "2025-04-01"}) == first


def test_a_change_to_the_form_is_a_change_of_key():
    form = DashboardFilterForm(None)
    again = DashboardFilterForm(None)
    assert filter_form_cache.cache_key(form) == filter_form_cache.cache_key(again)
    again.fields["district"].label = "Area"
    assert filter_form_cache.cache_key(form) != filter_form_cache.cache_key(again)
    again = DashboardFilterForm(None)
    again.fields["district"].queryset = District.objects.filter(active=True)
    assert filter_form_cache.cache_key(form) != filter_form_cache.cache_key(again)
    again = DashboardFilterForm(None)
    again.helper.label_size = "m"
    assert filter_form_cache.cache_key(form) != filter_form_cache.cache_key(again)


def test_what_the_key_cannot_describe_fails_loudly(rf):
    form = DashboardFilterForm(None)
    form.request = rf.get("/dashboard/")  # whatever the form might read of it
    with pytest.raises(ImproperlyConfigured, match=r"WSGIRequest at form\.request"):
        TEMPLATE.render(Context({"form": form}))


def test_a_row_kept_on_the_form_is_part_of_the_key(two_providers):
    first, second = two_providers["links"]
    form, other = DashboardFilterForm(None), DashboardFilterForm(None)
    form.user, other.user = first, second
    assert filter_form_cache.cache_key(form) != filter_form_cache.cache_key(other)


def test_a_filter_with_choices_read_from_the_request_is_refused(rf):
    from referrals.filters import ReferralFilter
    from referrals.models import Referral

    class ByCaseworker(ReferralFilter):
        # Built into the inbox's form class once per process, the first caseworker's
        # colleagues would be offered to every provider's staff.
        caseworker = django_filters.ModelChoiceFilter(
            field_name="assigned_to",
            queryset=lambda request: get_user_model().objects.filter(
                profile__organisation_id=request.user.profile.organisation_id
            ),
        )

    with pytest.raises(ImproperlyConfigured, match=r"ByCaseworker\.caseworker"):
        ByCaseworker(None, queryset=Referral.objects.none(), request=rf.get("/"))
