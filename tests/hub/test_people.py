import datetime as dt

import pytest
from django.urls import reverse

from hub.models import AccessLog, Offence, Person
from tests.factories import OffenceFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_anonymous_user_is_sent_to_sign_in(client):
    response = client.get(reverse("hub:person_search"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_sign_in_page_is_public_and_titled(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b"Sign in to Offender Hub" in response.content


def test_search_finds_by_name_pnc_and_date_of_birth(as_user, officer):
    match = PersonFactory(
        first_name="Daniel",
        last_name="Hughes",
        pnc_id="15/0100001Z",
        date_of_birth=dt.date(1994, 5, 12),
    )
    PersonFactory(first_name="Kelly", last_name="Marsh")
    client = as_user(officer)
    for query in (
        {"name": "hughes"},
        {"pnc_id": "15/0100001z"},
        {"pnc_id": "2015/100001Z"},  # the long form, no leading zeros
        {"date_of_birth": "1994-05-12"},
        {"name": "Daniel Hughes"},
    ):
        response = client.get(reverse("hub:person_search"), query)
        assert response.status_code == 200
        assert list(response.context["page_obj"]) == [match], query


def test_search_with_no_match_says_so(as_user, officer):
    response = as_user(officer).get(reverse("hub:person_search"), {"name": "Nobody"})
    assert b"0 people found" in response.content


@pytest.mark.parametrize("rows", [1, 20])
def test_search_query_count_does_not_grow(as_user, officer, django_assert_max_num_queries, rows):
    PersonFactory.create_batch(rows, last_name="Smith")
    client = as_user(officer)
    # session, user, permissions (2), header profile and organisation (2), count, page of
    # people with districts, session save (3 with savepoints)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("hub:person_search"), {"name": "smith"})
    assert response.context["page_obj"].paginator.count == rows


def test_officer_creates_a_person(as_user, officer):
    response = as_user(officer).post(
        reverse("hub:person_create"),
        {
            "first_name": "Marcus",
            "last_name": "Green",
            "date_of_birth": "2001-02-27",
            "sex": "male",
            "ethnicity": "B1",
            "pnc_id": "19/100003m",
            "address": "",
            "phone": "",
            "email": "",
        },
    )
    person = Person.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("hub:person_detail", args=[person.pk])
    assert person.pnc_id == "19/0100003M"  # canonical: serial of seven digits
    assert person.created_by == officer
    assert person.history.get().history_user == officer


def test_invalid_person_re_renders_with_errors_and_saves_nothing(as_user, officer):
    PersonFactory(pnc_id="19/0100003M")
    response = as_user(officer).post(
        reverse("hub:person_create"),
        {
            "first_name": "",
            "last_name": "Green",
            "date_of_birth": "2999-01-01",
            "sex": "male",
            "ethnicity": "B1",
            "pnc_id": "19/100003M",
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert "Date of birth must be in the past" in content
    assert "A person with this PNC ID is already recorded" in content
    assert 'value="Green"' in content
    assert Person.objects.count() == 1


def test_person_page_shows_offences_and_logs_the_view(as_user, officer):
    offence = OffenceFactory(description="Took a bicycle from a station")
    client = as_user(officer)
    response = client.get(reverse("hub:person_detail", args=[offence.person.pk]))
    assert response.status_code == 200
    assert b"Took a bicycle from a station" in response.content
    entry = AccessLog.objects.get()
    assert entry.user == officer
    assert entry.person == offence.person
    assert entry.action == AccessLog.Action.CONSULTATION


@pytest.mark.parametrize("rows", [1, 20])
def test_person_page_query_count_does_not_grow(
    as_user, officer, django_assert_max_num_queries, rows
):
    person = PersonFactory()
    OffenceFactory.create_batch(rows, person=person)
    client = as_user(officer)
    # as search, with person, offences (joined), access log insert instead of count and page
    with django_assert_max_num_queries(12):
        response = client.get(reverse("hub:person_detail", args=[person.pk]))
    assert len(response.context["offences"]) == rows


def test_officer_records_an_offence_with_category_defaults(as_user, officer):
    person = PersonFactory()
    response = as_user(officer).post(
        reverse("hub:offence_create", args=[person.pk]),
        {
            "category": _category_id("drunk_disorderly"),
            "description": "Shouting in the street",
            "offence_date": (dt.date.today() - dt.timedelta(days=2)).isoformat(),
            "district": person.district_id,
        },
    )
    assert response.status_code == 302
    offence = Offence.objects.get()
    assert offence.gravity_score == 1
    assert offence.mode_of_trial == "summary"
    assert offence.recorded_by == officer
    assert offence.history.get().history_user == officer


def test_offence_in_the_future_is_refused(as_user, officer):
    person = PersonFactory()
    response = as_user(officer).post(
        reverse("hub:offence_create", args=[person.pk]),
        {
            "category": _category_id("theft"),
            "description": "Something",
            "offence_date": (dt.date.today() + dt.timedelta(days=1)).isoformat(),
            "district": person.district_id,
            "gravity_score": "2",
        },
    )
    assert response.status_code == 200
    assert b"Offence date must be today or in the past" in response.content
    assert b"Something" in response.content
    assert not Offence.objects.exists()


def test_person_change_keeps_history(as_user, officer):
    person = PersonFactory(phone="07700 900000")
    data = {
        f: getattr(person, f)
        for f in ["first_name", "last_name", "sex", "ethnicity", "pnc_id", "address", "email"]
    }
    data.update(
        date_of_birth=person.date_of_birth.isoformat(),
        phone="07700 911111",
        district=person.district_id,
    )
    response = as_user(officer).post(reverse("hub:person_edit", args=[person.pk]), data)
    assert response.status_code == 302
    latest = person.history.first()
    assert latest.phone == "07700 911111"
    assert latest.history_user == officer
    assert latest.prev_record.phone == "07700 900000"


def _category_id(key):
    from hub.models import OffenceCategory

    return OffenceCategory.objects.get(key=key).pk
