"""Writes to people and offences, and anonymising a person. Their history tables record who
changed what and when."""

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from hub.models import Offence, Person, ReoffenceRecord
from hub.records import link_reoffence_records
from hub.signals import person_anonymising

ANONYMISED_NAME = "Anonymised"


@transaction.atomic
def person_create(*, user, data: dict, duplicates_dismissed: Sequence[int] = ()) -> Person:
    """Add a person. `duplicates_dismissed`: the ids of the possible duplicates the user was
    shown and confirmed this person is not (hub.selectors.person_possible_duplicates); the
    choice is kept as the reason on the person's first history row."""
    person = Person(created_by=user, **data)
    person._history_user = user
    if duplicates_dismissed:
        shown = ", ".join(str(pk) for pk in sorted(duplicates_dismissed))
        # The history's reason column holds 100 characters (django-simple-history).
        person._change_reason = f"Duplicate warning: confirmed not person {shown}"[:100]
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def person_update(*, user, person: Person, data: dict) -> Person:
    person = Person.objects.select_for_update().get(pk=person.pk)
    for field, value in data.items():
        setattr(person, field, value)
    person._history_user = user
    person.full_clean()
    person.save(update_fields=[*data.keys()])
    return person


@transaction.atomic
def offence_record(*, user, person: Person, data: dict) -> Offence:
    offence = Offence(person=person, recorded_by=user, **data)
    offence._history_user = user
    offence.full_clean()
    offence.save()
    return offence


@transaction.atomic
def person_anonymise(*, person: Person, user) -> Person:
    """Remove what identifies `person`; keep sex, ethnicity, district and every link.

    Runs inside the caller's transaction (the retention disposal, cautions/retention.py), which
    holds the person row locked. Sends `hub.signals.person_anonymising` first, while the PNC ID is
    still there, so that higher apps link or scrub their own records. The person's history
    rows (django-simple-history) are scrubbed too, or the names would survive in them.
    """
    person_anonymising.send(sender=Person, person=person, user=user)
    identifiers = {
        "first_name": ANONYMISED_NAME,
        "last_name": ANONYMISED_NAME,
        "date_of_birth": None,
        "pnc_id": None,
        "address": "",
        "phone": "",
        "email": "",
    }
    if person.pnc_id:
        # Reoffence records not yet linked are matched by PNC ID: link them before it goes.
        link_reoffence_records(person_refs=[person.pnc_id])
    Person.history.filter(id=person.pk).update(**identifiers)
    for field, value in identifiers.items():
        setattr(person, field, value)
    person.anonymised_at = timezone.now()
    person._history_user = user
    person.save(update_fields=[*identifiers, "anonymised_at"])
    # The link (person FK) stays, so reports still count these records.
    ReoffenceRecord.objects.filter(person=person).update(person_ref=None)
    return person
