"""Writes to people and offences. Their history tables record who changed what and when."""

from django.db import transaction

from hub.models import Offence, Person


@transaction.atomic
def person_create(*, user, data: dict) -> Person:
    person = Person(created_by=user, **data)
    person._history_user = user
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
