"""Merging a duplicate person into the record kept, and undoing it (issue 16 point 10)."""

import datetime as dt

import pytest
from django.urls import reverse

from cautions.models import Case
from hub.errors import InvalidTransition, NotAllowed, RuleViolation
from hub.models import AccessLog, Offence, Person
from records.models import MovedRow, PersonMerge
from records.services import MOVED_MODELS, person_merge, person_unmerge
from tests.cautions.factories import ActiveCaseFactory
from tests.factories import OffenceFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    """Two records of one Daniel Hughes: the kept one with a case, the duplicate with a case
    and a second offence, and no PNC ID on the kept record."""
    kept = PersonFactory(first_name="Daniel", last_name="Hughes", pnc_id=None)
    duplicate = PersonFactory(
        first_name="Daniel", last_name="Hughes", date_of_birth=kept.date_of_birth
    )
    ActiveCaseFactory(offence__person=kept)
    ActiveCaseFactory(offence__person=duplicate)
    OffenceFactory(person=duplicate)
    return kept, duplicate


def _merge(sergeant, pair, reason="Same person: same date of birth and address"):
    kept, duplicate = pair
    return person_merge(user=sergeant, kept=kept, merged=duplicate, reason=reason)


def test_merge_moves_cases_and_offences_and_points_the_duplicate(sergeant, pair):
    kept, duplicate = pair
    pnc_id = duplicate.pnc_id
    merge = _merge(sergeant, pair)
    assert Case.objects.filter(person=kept).count() == 2
    assert Offence.objects.filter(person=kept).count() == 3
    assert not Case.objects.filter(person=duplicate).exists()
    duplicate.refresh_from_db()
    kept.refresh_from_db()
    assert duplicate.merged_into == kept
    # The kept record had no PNC ID: the duplicate's moves with the merge.
    assert (kept.pnc_id, duplicate.pnc_id, merge.pnc_id_moved) == (pnc_id, None, pnc_id)
    assert merge.moves.count() == 3  # the duplicate's two offences and its case
    assert {m.model for m in merge.moves.all()} == {"hub.offence", "cautions.case"}
    last = duplicate.history.first()
    assert last.history_user == sergeant
    assert f"Merged into person {kept.pk}" in duplicate.history.all()[1].history_change_reason


def test_merge_never_rewrites_the_access_log(sergeant, officer, pair, as_user):
    _kept, duplicate = pair
    as_user(officer).get(reverse("hub:person_detail", args=[duplicate.pk]))
    before = list(AccessLog.objects.values_list("pk", "person_id"))
    _merge(sergeant, pair)
    assert list(AccessLog.objects.values_list("pk", "person_id")) == before


def test_undo_moves_back_exactly_what_moved(sergeant, pair):
    kept, duplicate = pair
    merge = _merge(sergeant, pair)
    added_since = OffenceFactory(person=kept)
    person_unmerge(user=sergeant, merge=merge, reason="Twins, not one person")
    kept.refresh_from_db()
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None
    assert Case.objects.filter(person=duplicate).count() == 1
    assert Offence.objects.filter(person=duplicate).count() == 2
    assert Offence.objects.get(pk=added_since.pk).person == kept
    assert kept.pnc_id is None
    assert duplicate.pnc_id == merge.pnc_id_moved
    merge.refresh_from_db()
    assert (merge.undone_by, merge.undo_reason) == (sergeant, "Twins, not one person")
    with pytest.raises(InvalidTransition, match="already undone"):
        person_unmerge(user=sergeant, merge=merge, reason="again")


def test_an_officer_without_the_permission_cannot_merge(officer, pair):
    with pytest.raises(NotAllowed):
        _merge(officer, pair)
    assert not PersonMerge.objects.exists()


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_merge_needs_a_reason(sergeant, pair, reason):
    with pytest.raises(RuleViolation) as error:
        _merge(sergeant, pair, reason=reason)
    assert error.value.field == "reason"


def test_a_record_cannot_be_merged_into_itself(sergeant, pair):
    kept, _ = pair
    with pytest.raises(RuleViolation):
        person_merge(user=sergeant, kept=kept, merged=kept, reason="x")


def test_two_different_pnc_ids_are_not_merged(sergeant, pair):
    kept, duplicate = pair
    Person.objects.filter(pk=kept.pk).update(pnc_id="15/0100001Z")
    kept.refresh_from_db()
    with pytest.raises(RuleViolation, match="different PNC IDs"):
        person_merge(user=sergeant, kept=kept, merged=duplicate, reason="x")
    assert Case.objects.filter(person=duplicate).count() == 1


def test_a_merged_record_cannot_be_merged_again_nor_receive_a_merge(sergeant, pair):
    kept, duplicate = pair
    _merge(sergeant, pair)
    third = PersonFactory(pnc_id=None)
    duplicate.refresh_from_db()
    with pytest.raises(InvalidTransition, match="already merged"):
        person_merge(user=sergeant, kept=third, merged=duplicate, reason="x")
    with pytest.raises(InvalidTransition, match="already merged"):
        person_merge(user=sergeant, kept=duplicate, merged=third, reason="x")
    kept.refresh_from_db()
    with pytest.raises(InvalidTransition, match="Other records were merged"):
        person_merge(user=sergeant, kept=third, merged=kept, reason="x")


def test_an_anonymised_record_is_not_merged(sergeant, pair):
    kept, duplicate = pair
    Person.objects.filter(pk=duplicate.pk).update(
        anonymised_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC), pnc_id=None, date_of_birth=None
    )
    duplicate.refresh_from_db()
    with pytest.raises(InvalidTransition, match="anonymised"):
        person_merge(user=sergeant, kept=kept, merged=duplicate, reason="x")


def test_the_access_log_searched_by_either_person_finds_both(sergeant, officer, pair, as_user):
    from hub.selectors import access_log_filtered

    kept, duplicate = pair
    client = as_user(officer)
    client.get(reverse("hub:person_detail", args=[kept.pk]))
    client.get(reverse("hub:person_detail", args=[duplicate.pk]))
    assert access_log_filtered({"person": kept.pk}).count() == 1
    _merge(sergeant, pair)
    for pk in (kept.pk, duplicate.pk):
        found = set(access_log_filtered({"person": pk}).values_list("person_id", flat=True))
        assert found == {kept.pk, duplicate.pk}


def test_a_merged_record_is_hidden_from_search_and_duplicate_checks(
    sergeant, officer, pair, as_user
):
    from hub.selectors import person_possible_duplicates

    kept, _duplicate = pair
    _merge(sergeant, pair)
    response = as_user(officer).get(reverse("hub:person_search"), {"name": "Daniel Hughes"})
    assert list(response.context["page_obj"]) == [kept]
    found = person_possible_duplicates(
        first_name="Daniel", last_name="Hughes", date_of_birth=kept.date_of_birth
    )
    assert found == [kept]


def test_every_reference_to_a_person_is_moved_or_kept_on_purpose():
    """A new model pointing at a person must be added to records.services.MOVED_MODELS (it
    follows a merge) or here (it stays with the record it was written about)."""
    kept_on_purpose = {
        "hub.accesslog",  # never rewritten (DECISIONS)
        "hub.person",  # merged_into itself
        "records.personmerge",
        # Consent to reminders stays with the record it was given on: the number was confirmed
        # with the person on that record, and only one consent is current per person; after a
        # merge the caseworker records it again on the kept record (README, "Reminders").
        "notifications.contactconsent",
    }
    references = {
        relation.related_model._meta.label_lower
        # include_hidden: a reference with related_name="+" counts too
        for relation in Person._meta.get_fields(include_hidden=True)
        if relation.auto_created
        and not relation.concrete
        and not relation.related_model.__name__.startswith("Historical")
    }
    assert references == set(MOVED_MODELS) | kept_on_purpose


def test_moved_rows_are_unique_per_merge(sergeant, pair):
    merge = _merge(sergeant, pair)
    row = merge.moves.first()
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        MovedRow.objects.create(merge=merge, model=row.model, object_id=row.object_id)
