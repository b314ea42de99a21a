"""Which people a user may see. 404 for what they may not see (nothing leaks by guessing ids)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from hub.audit import note_subject
from hub.models import Person


def people_visible_to(user):
    # Police officers work across the force; nobody else sees the person register directly
    # (caseworkers see their referred people through their referrals, analysts see no one).
    if user.has_perm("hub.view_person"):
        return Person.objects.all()
    return Person.objects.none()


def get_person_for_user(user, pk: int, *, write: bool = False) -> Person:
    person = get_object_or_404(people_visible_to(user).select_related("district"), pk=pk)
    if write and not user.has_perm("hub.change_person"):
        raise PermissionDenied
    if write and (person.anonymised_at or person.merged_into_id):
        # Nothing is added to an anonymised record, nor to one merged into another (the
        # record kept is the one to change).
        raise Http404
    note_subject(person, person_id=person.pk)  # what a declared page shows (hub.personal_data)
    return person
