"""People's names, with their rank, where pages used to show user names ("by officer1")."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from hub.lib.staff import staff_name, user_display_name
from hub.models import Rank
from hub.roles import Role
from tests.cautions.factories import CaseEventFactory, CaseFactory
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("rank", "shown"),
    [
        (Rank.SERGEANT, "Sgt Tom Baker"),
        (Rank.CONSTABLE, "PC Tom Baker"),
        (Rank.INSPECTOR, "Insp Tom Baker"),
        ("", "Tom Baker"),
    ],
)
def test_a_name_comes_after_the_rank(rank, shown):
    assert staff_name("Tom", "Baker", "tbaker", rank) == shown


def test_without_a_name_the_user_name_is_shown():
    assert staff_name("", "", "tbaker", Rank.SERGEANT) == "tbaker"


def test_rank_only_when_the_profile_was_fetched_never_a_query(django_assert_num_queries):
    make_user(Role.AUTHORISING_OFFICER, username="sgt", first_name="Tom", last_name="Baker")
    plain = get_user_model().objects.get(username="sgt")
    with_profile = get_user_model().objects.select_related("profile").get(username="sgt")
    with django_assert_num_queries(0):
        assert user_display_name(plain) == "Tom Baker"
        assert user_display_name(with_profile) == "Sgt Tom Baker"


def test_case_history_names_the_sergeant_with_rank(as_user, officer):
    sergeant = make_user(
        Role.AUTHORISING_OFFICER, username="sergeant9", first_name="Tom", last_name="Baker"
    )
    case = CaseFactory(officer=officer)
    CaseEventFactory(case=case, actor=sergeant, kind="authorised")
    response = as_user(officer).get(reverse("cautions:case_history", args=[case.pk]))
    html = response.content.decode()
    assert "Sgt Tom Baker" in html
    assert "sergeant9" not in html


def test_case_list_officer_filter_offers_names_not_user_names(as_user, officer):
    make_user(Role.OFFICER, username="pshah", first_name="Priya", last_name="Shah")
    response = as_user(officer).get(reverse("cautions:case_list"))
    html = response.content.decode()
    assert ">PC Priya Shah<" in html
    assert ">pshah<" not in html
