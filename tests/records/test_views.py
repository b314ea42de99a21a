"""Records pages: merging people (sergeants) and subject access (the disclosure team)."""

import json

import pytest
from django.urls import reverse

from hub.models import AccessLog, Person
from records.models import PersonMerge
from tests.cautions.factories import ActiveCaseFactory
from tests.factories import OffenceFactory, PersonFactory
from tests.referrals.factories import booked_appointment, in_progress_referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    kept = PersonFactory(first_name="Daniel", last_name="Hughes", pnc_id=None)
    duplicate = PersonFactory(
        first_name="Daniel", last_name="Hughes", date_of_birth=kept.date_of_birth
    )
    OffenceFactory(person=duplicate)
    return kept, duplicate


def _merge_url(person):
    return reverse("records:merge", args=[person.pk])


def test_sergeant_merges_after_seeing_both_records(as_user, sergeant, pair):
    kept, duplicate = pair
    client = as_user(sergeant)
    data = {"merged": duplicate.pk, "reason": "Same address and date of birth"}
    check = client.post(_merge_url(kept), data)
    assert check.status_code == 200
    assert check.templates[0].name == "records/merge_confirm.html"
    assert f"Merge person {duplicate.pk} into person {kept.pk}" in check.content.decode()
    assert not PersonMerge.objects.exists()
    # Comparing the two records is a consultation of each.
    assert set(AccessLog.objects.values_list("person_id", flat=True)) == {kept.pk, duplicate.pk}
    done = client.post(_merge_url(kept), {**data, "confirm": "True"})
    assert done.status_code == 302
    assert done["Location"] == reverse("hub:person_detail", args=[kept.pk])
    merge = PersonMerge.objects.get()
    assert (merge.kept, merge.merged, merge.merged_by) == (kept, duplicate, sergeant)
    entry = AccessLog.objects.get(action=AccessLog.Action.ALTERATION)
    assert entry.person == duplicate
    assert entry.justification == "Same address and date of birth"
    page = client.get(reverse("hub:person_detail", args=[kept.pk])).content.decode()
    assert "Records merged into this one" in page
    assert reverse("records:unmerge", args=[duplicate.pk]) in page
    merged_page = client.get(reverse("hub:person_detail", args=[duplicate.pk])).content.decode()
    assert "was a duplicate and was merged into" in merged_page


def test_sergeant_undoes_a_merge(as_user, sergeant, pair):
    kept, duplicate = pair
    client = as_user(sergeant)
    data = {"merged": duplicate.pk, "reason": "Same person", "confirm": "True"}
    client.post(_merge_url(kept), data)
    url = reverse("records:unmerge", args=[duplicate.pk])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200
    assert "reason" in refused.context["form"].errors
    done = client.post(url, {"reason": "Twins"})
    assert done.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None
    assert duplicate.offences.count() == 1
    assert client.get(url).status_code == 404  # nothing left to undo


def test_an_unknown_person_number_is_a_field_error(as_user, sergeant, pair):
    kept, _ = pair
    response = as_user(sergeant).post(
        _merge_url(kept), {"merged": 2**62, "reason": "x", "confirm": "True"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["merged"] == ["There is no person with this number"]
    assert not PersonMerge.objects.exists()


def test_a_refused_merge_says_why_on_the_page(as_user, sergeant, pair):
    kept, _ = pair
    response = as_user(sergeant).post(
        _merge_url(kept), {"merged": kept.pk, "reason": "x", "confirm": "True"}
    )
    assert response.status_code == 200
    assert "cannot be merged into itself" in response.content.decode()


@pytest.mark.parametrize("role", ["officer", "caseworker", "analyst", "administrator"])
def test_only_sergeants_may_merge(request, as_user, pair, role):
    kept, duplicate = pair
    user = request.getfixturevalue(role)
    client = as_user(user)
    data = {"merged": duplicate.pk, "reason": "x", "confirm": "True"}
    assert client.get(_merge_url(kept)).status_code == 403
    assert client.post(_merge_url(kept), data).status_code == 403
    assert not PersonMerge.objects.exists()


def test_the_merge_button_shows_only_to_who_may_merge(as_user, officer, sergeant, pair):
    kept, _ = pair
    url = reverse("hub:person_detail", args=[kept.pk])
    assert "Merge a duplicate" not in as_user(officer).get(url).content.decode()
    assert "Merge a duplicate" in as_user(sergeant).get(url).content.decode()


# ------------------------------------------------------------------------- subject access


@pytest.fixture
def subject():
    """A person with a case, a referral with a session, and a merged duplicate."""
    referral = in_progress_referral(sessions=1)
    booked_appointment(referral, place="Room 4, Outside Links")
    person = referral.case.person
    duplicate = PersonFactory(pnc_id=None, merged_into=person)
    OffenceFactory(person=duplicate, description="An offence on the duplicate record")
    return person, duplicate


def _export(client, person, file_format="html", reference="SAR-2026-014"):
    return client.post(
        reverse("records:subject_access", args=[person.pk]),
        {"reference": reference, "file_format": file_format},
    )


def test_disclosure_team_finds_the_person_including_merged_records(as_user, disclosure, subject):
    person, _duplicate = subject
    response = as_user(disclosure).get(
        reverse("records:subject_access_search"), {"name": person.last_name}
    )
    assert response.status_code == 200
    assert person in list(response.context["page_obj"])


def test_the_readable_export_holds_everything_and_is_logged(as_user, disclosure, subject):
    person, _duplicate = subject
    response = _export(as_user(disclosure), person)
    assert response.status_code == 200
    page = response.content.decode()
    case = person.cases.get()
    assert case.reference in page
    assert "An offence on the duplicate record" in page  # merged records are the person's too
    assert "Support sessions" in page
    assert "Room 4, Outside Links" in page  # the appointments booked with the person
    assert "victim" in page  # what is withheld, and why
    entry = AccessLog.objects.get(action=AccessLog.Action.DISCLOSURE)
    assert entry.person == person
    assert entry.justification == "Subject access request SAR-2026-014"


def test_the_json_export_is_machine_readable(as_user, disclosure, subject, officer):
    person, duplicate = subject
    as_user(officer).get(reverse("hub:person_detail", args=[duplicate.pk]))
    response = _export(as_user(disclosure), person, file_format="json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert {p["id"] for p in data["people"]} == {person.pk, duplicate.pk}
    assert len(data["cases"]) == 1
    assert data["cases"][0]["referrals"][0]["sessions"]
    [appointment] = data["cases"][0]["referrals"][0]["appointments"]
    assert appointment["place"] == "Room 4, Outside Links"
    assert appointment["status"] == "booked"
    assert any(e["what"] == f"hub.person {duplicate.pk}" for e in data["access_log"])
    assert {"offences", "national_records", "withheld"} <= set(data)
    assert {v["person"] for v in data["record_history"]} == {person.pk, duplicate.pk}


def test_an_export_needs_the_request_reference(as_user, disclosure, subject):
    person, _ = subject
    response = _export(as_user(disclosure), person, reference="")
    assert response.status_code == 200
    assert "reference" in response.context["form"].errors
    assert not AccessLog.objects.filter(action=AccessLog.Action.DISCLOSURE).exists()


@pytest.mark.parametrize("role", ["officer", "sergeant", "caseworker", "analyst", "administrator"])
def test_only_the_disclosure_team_may_export(request, as_user, subject, role):
    person, _ = subject
    client = as_user(request.getfixturevalue(role))
    assert client.get(reverse("records:subject_access", args=[person.pk])).status_code == 403
    assert _export(client, person).status_code == 403
    assert client.get(reverse("records:subject_access_search")).status_code == 403
    assert not AccessLog.objects.filter(action=AccessLog.Action.DISCLOSURE).exists()


def test_a_crafted_id_is_not_found(as_user, disclosure):
    client = as_user(disclosure)
    for pk in (999999, 2**63 - 1):
        assert client.get(reverse("records:subject_access", args=[pk])).status_code == 404


def test_the_disclosure_team_reads_no_person_page(as_user, disclosure, subject):
    person, _ = subject
    client = as_user(disclosure)
    assert client.get(reverse("hub:person_detail", args=[person.pk])).status_code == 403
    assert client.get(reverse("hub:person_search")).status_code == 403


@pytest.mark.parametrize("rows", [1, 5])
def test_the_export_costs_the_same_queries_whatever_the_history(
    as_user, disclosure, django_assert_max_num_queries, rows
):
    person = PersonFactory()
    for _ in range(rows):
        ActiveCaseFactory(offence__person=person)
    client = as_user(disclosure)
    # 32, and two for reminders (consent, messages: issue 18).
    with django_assert_max_num_queries(34):
        assert _export(client, person).status_code == 200


def test_the_export_page_is_logged_with_the_person(as_user, disclosure, subject):
    person, _ = subject
    as_user(disclosure).get(reverse("records:subject_access", args=[person.pk]))
    entry = AccessLog.objects.get()
    assert (entry.person, entry.action) == (person, AccessLog.Action.CONSULTATION)


def test_merged_people_count_in_person_query(subject):
    person, duplicate = subject
    assert Person.objects.merge_family_ids(duplicate.pk) == {person.pk, duplicate.pk}
    assert Person.objects.merge_family_ids(person.pk) == {person.pk, duplicate.pk}
