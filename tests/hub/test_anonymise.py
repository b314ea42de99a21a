"""Anonymising a person (hub.services.person_anonymise): the signal goes first, and the
national records are linked by PNC ID before it goes, then lose their copy of it."""

import datetime as dt

import pytest

from hub.models import ImportBatch, Person, ReoffenceRecord
from hub.services import person_anonymise
from hub.signals import person_anonymising
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _record(batch, *, person_ref, person=None, offence_date=dt.date(2018, 3, 1)):
    return ReoffenceRecord.objects.create(
        person_ref=person_ref,
        person=person,
        offence_date=offence_date,
        proven_date=offence_date + dt.timedelta(days=30),
        offence_category="theft",
        disposal="conviction",
        batch=batch,
    )


@pytest.fixture
def batch():
    return ImportBatch.objects.create(
        kind="reoffences", via="command", file_name="pnc.csv", rows_in_file=2, rows_created=2
    )


@pytest.fixture
def seen():
    """What a receiver connected like a higher app's sees when the signal arrives."""
    calls = []

    def receiver(sender, *, person, user, **kwargs):
        stored = Person.objects.get(pk=person.pk)
        calls.append(
            {
                "sender": sender,
                "user": user,
                "pnc_id": person.pnc_id,
                "stored_pnc_id": stored.pnc_id,
                "stored_last_name": stored.last_name,
                "anonymised_at": stored.anonymised_at,
            }
        )

    person_anonymising.connect(receiver, dispatch_uid="test_anonymise.receiver")
    yield calls
    person_anonymising.disconnect(dispatch_uid="test_anonymise.receiver")


def test_the_signal_is_sent_first_with_the_pnc_id_still_present(administrator, seen):
    person = PersonFactory(pnc_id="19/654321K", last_name="Marchbanks")
    person_anonymise(person=person, user=administrator)
    assert seen == [
        {
            "sender": Person,
            "user": administrator,
            "pnc_id": "19/654321K",
            "stored_pnc_id": "19/654321K",
            "stored_last_name": "Marchbanks",
            "anonymised_at": None,
        }
    ]
    person.refresh_from_db()
    assert (person.pnc_id, person.last_name) == (None, "Anonymised")
    assert person.anonymised_at is not None


def test_records_are_linked_by_pnc_id_then_lose_it(administrator, batch):
    person = PersonFactory(pnc_id="19/654321K")
    someone_else = PersonFactory(pnc_id="19/111111A")
    linked = _record(batch, person_ref=person.pnc_id, person=person)
    unlinked = _record(batch, person_ref=person.pnc_id, offence_date=dt.date(2019, 5, 2))
    other = _record(batch, person_ref=someone_else.pnc_id)
    person_anonymise(person=person, user=administrator)
    for record in (linked, unlinked, other):
        record.refresh_from_db()
    assert (linked.person_id, linked.person_ref) == (person.pk, None)
    # Matched by the PNC ID before it was blanked: still counted for this person.
    assert (unlinked.person_id, unlinked.person_ref) == (person.pk, None)
    # Another person's record is left as it was.
    assert (other.person_id, other.person_ref) == (None, "19/111111A")


def test_a_failing_receiver_leaves_the_person_as_they_were(administrator, batch):
    person = PersonFactory(pnc_id="19/654321K", last_name="Marchbanks")
    record = _record(batch, person_ref=person.pnc_id)

    def refuse(sender, **kwargs):
        raise RuntimeError("receiver failed")

    person_anonymising.connect(refuse, dispatch_uid="test_anonymise.refuse")
    try:
        with pytest.raises(RuntimeError, match="receiver failed"):
            person_anonymise(person=person, user=administrator)
    finally:
        person_anonymising.disconnect(dispatch_uid="test_anonymise.refuse")
    person.refresh_from_db()
    record.refresh_from_db()
    assert (person.pnc_id, person.last_name, person.anonymised_at) == (
        "19/654321K",
        "Marchbanks",
        None,
    )
    assert (record.person_id, record.person_ref) == (None, "19/654321K")
