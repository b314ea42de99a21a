"""Possible duplicate people warned of before a person is added (issue 16 point 10)."""

import datetime as dt

import pytest
from django.urls import reverse

from hub.models import AccessLog, Person
from hub.selectors import person_possible_duplicates
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

DOB = dt.date(1994, 5, 12)


def _post(client, **changes):
    data = {
        "first_name": "Daniel",
        "last_name": "Hughes",
        "date_of_birth": DOB.isoformat(),
        "sex": "male",
        "ethnicity": "W1",
        "pnc_id": "",
        **changes,
    }
    return client.post(reverse("hub:person_create"), data)


@pytest.fixture
def daniel():
    return PersonFactory(
        first_name="Daniel", last_name="Hughes", date_of_birth=DOB, pnc_id="15/0100001Z"
    )


def test_same_name_and_date_of_birth_is_a_candidate(daniel):
    found = person_possible_duplicates(first_name="daniel", last_name="HUGHES", date_of_birth=DOB)
    assert found == [daniel]


@pytest.mark.parametrize(
    "keys",
    [
        {"first_name": "Daniel", "last_name": "Hughes", "date_of_birth": DOB.replace(day=13)},
        {"first_name": "Dan", "last_name": "Hughes", "date_of_birth": DOB},
        {"first_name": "Daniel", "last_name": "Hughes", "date_of_birth": None},
        {"first_name": "", "last_name": "", "date_of_birth": None, "pnc_id": "15/0100002A"},
    ],
)
def test_different_people_are_not_candidates(daniel, keys):
    assert person_possible_duplicates(**keys) == []


def test_same_pnc_id_is_a_candidate_whatever_the_name(daniel):
    assert person_possible_duplicates(first_name="Someone", pnc_id="15/0100001Z") == [daniel]


def test_a_likely_match_is_shown_before_anything_is_created(as_user, officer, daniel):
    response = _post(as_user(officer))
    assert response.status_code == 200
    assert Person.objects.count() == 1
    assert response.context["candidates"] == [daniel]
    content = response.content.decode()
    assert "may be the person you are adding" in content
    assert reverse("hub:person_detail", args=[daniel.pk]) in content  # "Use this record"
    assert "None of these is the person" in content
    assert 'value="Daniel"' in content  # what was typed is kept
    # Showing the candidate is a consultation of their record.
    entry = AccessLog.objects.get()
    assert (entry.person, entry.action) == (daniel, AccessLog.Action.CONSULTATION)
    assert "possible duplicate" in entry.description


def test_creating_anyway_records_the_choice(as_user, officer, daniel):
    client = as_user(officer)
    _post(client)
    response = _post(client, not_a_duplicate="on", shown=str(daniel.pk))
    assert response.status_code == 302
    created = Person.objects.exclude(pk=daniel.pk).get()
    first = created.history.get()
    assert first.history_change_reason == f"Duplicate warning: confirmed not person {daniel.pk}"
    assert first.history_user == officer


def test_ticking_without_having_seen_every_candidate_asks_again(as_user, officer, daniel):
    other = PersonFactory(first_name="Daniel", last_name="Hughes", date_of_birth=DOB)
    response = _post(as_user(officer), not_a_duplicate="on", shown=str(daniel.pk))
    assert response.status_code == 200
    assert set(response.context["candidates"]) == {daniel, other}
    assert Person.objects.count() == 2


def test_without_a_match_the_person_is_added_at_once(as_user, officer, daniel):
    response = _post(as_user(officer), first_name="Kelly")
    assert response.status_code == 302
    assert Person.objects.get(first_name="Kelly").history.get().history_change_reason is None


def test_same_pnc_id_cannot_be_added_anyway(as_user, officer, daniel):
    response = _post(
        as_user(officer),
        first_name="Other",
        pnc_id="2015/100001Z",
        not_a_duplicate="on",
        shown=str(daniel.pk),
    )
    assert response.status_code == 200
    assert Person.objects.count() == 1
    content = response.content.decode()
    assert "A person with this PNC ID is already recorded" in content
    assert "None of these is the person" not in content
    assert response.context["candidates"] == [daniel]


def test_a_pnc_id_with_a_wrong_check_letter_is_refused_at_the_field(as_user, officer):
    response = _post(as_user(officer), pnc_id="15/0100001A")
    assert response.status_code == 200
    assert "check letter" in response.context["form"].errors["pnc_id"][0]
    assert not Person.objects.exists()


def test_a_crafted_shown_list_is_ignored(as_user, officer, daniel):
    response = _post(
        as_user(officer), not_a_duplicate="on", shown="9" * 40 + ",x,-1,\u00b2"
    )  # ² is a digit to isdigit()
    assert response.status_code == 200
    assert Person.objects.count() == 1
