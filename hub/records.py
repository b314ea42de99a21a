"""National records of proven offences: linking them to the people the hub holds.

The import (reporting.services) stores each record with the PNC ID of the extract; a record
whose person the hub did not hold yet stays unlinked until someone with that PNC ID appears.
"""

from django.db.models import Exists, OuterRef, Subquery

from hub.models import Person, ReoffenceRecord

# PNC IDs per UPDATE: keeps the IN list well inside every database's parameter limit.
LOOKUP_CHUNK = 5000


def link_reoffence_records(*, person_refs: list[str] | None = None) -> int:
    """Link unlinked reoffence records to the hub person holding their PNC ID; one UPDATE.

    Called by the case import; the report also matches unlinked records by PNC ID, so a
    person recorded through the workflow after a reoffence import is counted straight away.
    Anonymisation (hub.services.person_anonymise) calls this before it blanks a PNC ID, so
    that the link survives.
    """
    records = ReoffenceRecord.objects.filter(person__isnull=True, person_ref__isnull=False)
    if person_refs is not None:
        if not person_refs:
            return 0
        total = 0
        for start in range(0, len(person_refs), LOOKUP_CHUNK):
            chunk = person_refs[start : start + LOOKUP_CHUNK]
            total += _link(records.filter(person_ref__in=chunk))
        return total
    return _link(records)


def _link(records) -> int:
    match = Person.objects.filter(pnc_id=OuterRef("person_ref"))
    return records.filter(Exists(match)).update(person=Subquery(match.values("pk")[:1]))
