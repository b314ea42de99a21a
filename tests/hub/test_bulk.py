"""The bulk writer (hub.bulk): COPY on PostgreSQL, executemany elsewhere. Run on both."""

import datetime as dt

import psycopg
import pytest
from django.db import IntegrityError, connection, transaction

from cautions.models import CaseEvent
from hub.bulk import Table, Writer, bulk_insert, model_defaults
from hub.models import District, Offence, OffenceCategory, Person
from tests.cautions import factories as f

pytestmark = pytest.mark.django_db

BORN = dt.date(1990, 2, 28)


def person_row(n: int, **values) -> dict:
    row = {
        "first_name": f"First {n}",
        "last_name": 'O\'Brien, "Tab"\there',  # quotes, a comma and a tab survive the trip
        "date_of_birth": BORN + dt.timedelta(days=n),
        "pnc_id": f"20/{n:07d}A",
        "district_id": None,
        "address": "",
    }
    return {**row, **values}


def test_bulk_insert_returns_each_rows_id_in_order_with_its_values_nulls_and_defaults():
    district = District.objects.first()
    rows = [person_row(n) for n in range(5)]
    rows[1]["district_id"] = district.pk
    rows[2]["pnc_id"] = None
    rows[3]["address"] = "\\N"  # COPY's own marker for NULL, as text

    ids = bulk_insert(Person, rows)

    assert len(ids) == len(set(ids)) == 5
    people = Person.objects.in_bulk(ids)
    for pk, row in zip(ids, rows, strict=True):
        person = people[pk]
        assert person.first_name == row["first_name"]
        assert person.last_name == 'O\'Brien, "Tab"\there'
        assert person.date_of_birth == row["date_of_birth"]
        assert person.pnc_id == row["pnc_id"]
        assert person.district_id == row["district_id"]
        assert person.address == row["address"]
        # Not given: the model's defaults, NULL where the field has none.
        assert (person.sex, person.ethnicity, person.email) == ("not_stated", "NS", "")
        assert person.created_by_id is None
        assert person.anonymised_at is None
    assert people[ids[2]].pnc_id is None
    assert people[ids[1]].district == district
    assert people[ids[3]].address == "\\N"
    # auto_now_add: now, once for the whole load.
    assert len({p.created_at for p in people.values()}) == 1
    assert people[ids[0]].created_at is not None


def test_bulk_insert_without_returning_writes_the_rows_and_returns_no_ids():
    assert bulk_insert(Person, [person_row(n) for n in range(3)], returning=False) == []
    assert Person.objects.filter(last_name__startswith="O'Brien").count() == 3
    assert bulk_insert(Person, []) == []


def test_bulk_insert_never_gives_again_the_id_of_a_deleted_row_and_moves_the_sequence_on():
    gone = Person.objects.create(first_name="Gone", last_name="Soon", date_of_birth=BORN)
    gone_pk = gone.pk
    gone.delete()

    ids = bulk_insert(Person, [person_row(n) for n in range(2)])

    assert min(ids) > gone_pk
    later = Person.objects.create(first_name="Later", last_name="One", date_of_birth=BORN)
    assert later.pk > max(ids)


def test_bulk_insert_refuses_a_field_the_model_does_not_have():
    with pytest.raises(ValueError, match="no fields"):
        bulk_insert(Person, [person_row(1, shoe_size=9)])
    assert not Person.objects.exists()


@pytest.mark.parametrize("background", [False, True])
def test_the_writer_writes_every_row_with_its_ids_nulls_dates_and_json(background):
    case = f.ActiveCaseFactory(conditions=0)
    person = Person.objects.create(first_name="A", last_name="B", date_of_birth=BORN)
    category = OffenceCategory.objects.get(key="theft")
    district = District.objects.first()
    table = Table(
        Offence,
        ["id", "person_id", "category_id", "description", "offence_date", "district_id",
         "gravity_score", "gravity_rationale", "mode_of_trial", "domestic_abuse", "hate_crime",
         "victim_present", "recorded_by_id", "created_at"],
    )  # fmt: skip
    at = dt.datetime(2024, 3, 31, 23, 30, tzinfo=dt.UTC)
    first = (Offence.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    rows = [
        (first + n, person.pk, category.pk, f"Line one\nline {n}", dt.date(2024, 2, 29), district.pk,
         2, "", category.mode_of_trial, n % 2 == 0, False, True, None, at)
        for n in range(3)
    ]  # fmt: skip
    events = Table(
        CaseEvent,
        ["case_id", "at", "actor_id", "kind", "from_status", "to_status", "reason", "data"],
    )
    data = {"reason": "Übergabe", "list": [1, None, "two"]}

    with Writer(background=background) as writer:
        writer.write(table, rows)
        writer.write(events, [(case.pk, at, None, "bulk_written", "active", "active", "", data)])

    written = Offence.objects.filter(pk__in=[row[0] for row in rows]).order_by("pk")
    assert [
        (o.description, o.offence_date, o.district_id, o.domestic_abuse, o.recorded_by_id)
        for o in written
    ] == [(f"Line one\nline {n}", dt.date(2024, 2, 29), district.pk, n % 2 == 0, None)
          for n in range(3)]  # fmt: skip
    assert {o.created_at for o in written} == {at}
    event = CaseEvent.objects.get(kind="bulk_written")
    assert (event.case_id, event.at, event.actor_id, event.data) == (case.pk, at, None, data)


def test_a_row_the_database_refuses_is_raised_to_the_caller():
    person = Person.objects.create(first_name="A", last_name="B", date_of_birth=BORN)
    category = OffenceCategory.objects.get(key="theft")
    columns = ["person_id", "category_id", "description", "offence_date", "district_id",
               "gravity_score", "mode_of_trial"]  # fmt: skip
    table = Table(Offence, columns, model_defaults(Offence, columns))
    district = District.objects.first()
    bad = [(person.pk, category.pk, "Gravity 9", BORN, district.pk, 9, category.mode_of_trial)]
    # The writer thread's error is psycopg's own; on SQLite, Django's.
    expected = (
        psycopg.errors.CheckViolation if connection.vendor == "postgresql" else IntegrityError
    )
    with pytest.raises(expected), transaction.atomic():
        write_all(table, bad)


def write_all(table, rows):
    writer = Writer(background=True)
    try:
        writer.write(table, rows)
    finally:
        writer.close()
