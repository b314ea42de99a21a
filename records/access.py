"""Which people a records page may show: merges are police work on the person register
(get_person_for_user); subject access reaches any record, merged and anonymised ones too,
for the disclosure team only."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from hub.audit import note_subject
from hub.models import Person


def get_person_for_subject_access(user, pk: int) -> Person:
    if not user.has_perm("records.subject_access"):
        raise PermissionDenied
    person = get_object_or_404(Person.objects.select_related("district"), pk=pk)
    note_subject(person, person_id=person.pk)
    return person
