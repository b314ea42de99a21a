"""Who may see and record a person's consent to reminders (issue 18).

- Police officers (cautions.view_case) for any person with a case they can see: the officer
  usually asks when the caution is given.
- A support provider's caseworkers (referrals.change_referral) for a person referred to their
  organisation: they book the appointments the reminders are about.
Both may record and withdraw (notifications.add_contactconsent). Anyone else, and an anonymised
or merged record, is a 404, so ids cannot be probed.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from cautions.models import Case
from hub.audit import note_subject
from hub.models import Person
from referrals.access import is_provider_staff, referrals_visible_to


def people_with_reminders_for(user):
    if not user.is_authenticated or not user.has_perm("notifications.view_contactconsent"):
        return Person.objects.none()
    if is_provider_staff(user):
        return Person.objects.filter(pk__in=referrals_visible_to(user).values("case__person_id"))
    return Person.objects.filter(pk__in=Case.objects.visible_to(user).values("person_id"))


def get_person_for_reminders(user, pk: int, *, write: bool = False) -> Person:
    person = get_object_or_404(people_with_reminders_for(user), pk=pk)
    if person.anonymised_at or person.merged_into_id:
        raise Http404
    if write and not user.has_perm("notifications.add_contactconsent"):
        raise Http404
    note_subject(person, person_id=person.pk)  # for hub.personal_data
    return person
