"""Reporting's reactions to changes in the core (connected in reporting.apps)."""

from django.db.models import Q

from reporting.models import ComparisonRecord


def scrub_comparison_records(sender, person, **kwargs) -> None:
    """Anonymising a person (hub.signals.person_anonymising, sent while the PNC ID is still
    there): link their comparison pool records to them, as national records are linked, and
    blank what identifies them (PNC ID, date of birth). The link and the age at disposal stay,
    so the comparison counts the same people before and after."""
    match = Q(person=person)
    if person.pnc_id:
        match |= Q(person_ref=person.pnc_id)
    ComparisonRecord.objects.filter(match).update(
        person=person, person_ref=None, date_of_birth=None
    )
