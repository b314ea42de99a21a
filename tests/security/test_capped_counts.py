"""Capped list counts (hub.paging) under crafted input: a page number past the cap, or no
number at all, shows the last reachable page (never an error, never rows past the cap), and a
provider's counts never include another provider's referrals, whatever the filters."""

import pytest
from django.urls import reverse

from tests.factories import OrganisationFactory
from tests.referrals.factories import caseworker_of, new_referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def capped(monkeypatch):
    monkeypatch.setattr("hub.paging.COUNT_CAP", 2)


@pytest.mark.parametrize("page", ["3", "999999", "-1", "last", "2%00"])
def test_a_page_past_the_cap_shows_the_last_reachable_page(capped, as_user, page):
    links = OrganisationFactory()
    for _ in range(3):
        new_referral(links)
    response = as_user(caseworker_of(links)).get(reverse("referrals:inbox"), {"page": page})
    assert response.status_code == 200
    page_obj = response.context["page_obj"]
    assert page_obj.paginator.num_pages == 1  # two rows reachable, 25 a page
    assert len(page_obj.object_list) == 2


def test_another_providers_referrals_never_reach_the_counts(capped, as_user):
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    new_referral(mine)
    for _ in range(3):
        new_referral(theirs)
    client = as_user(caseworker_of(mine))
    for params in ({}, {"assigned": "unassigned"}, {"sort": "name"}, {"status": "completed"}):
        response = client.get(reverse("referrals:inbox"), params)
        counts = {t["status"]: t["count"] for t in response.context["tabs"]}
        assert str(counts["new"]) == "1"
        assert "2+" not in response.content.decode()
