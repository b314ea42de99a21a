"""Matching imported historic cases to a person held in the workflow: a deliberate act.

An import never attaches a case to a person the workflow holds (reporting.services): a case
whose PNC ID such a person holds is kept on a person of its own, the PNC ID kept on the case
(Case.imported_person_ref). A police user who may change the person matches them, giving a
reason; the view logs it in the access log and each case keeps a history row.
"""

from django.db import transaction

from cautions.models import Case
from hub.errors import DomainError
from hub.models import Offence, Person


class MatchError(DomainError):
    """Nothing to match; the message is shown to the user as it is."""


def unmatched_imported_cases(person: Person):
    """The imported cases kept apart that carry the person's PNC ID."""
    if not person.pnc_id:
        return Case.objects.none()
    return Case.objects.filter(
        source=Case.Source.IMPORT, imported_person_ref=person.pnc_id
    ).order_by("caution_date", "pk")


@transaction.atomic
def match_imported_cases(*, person: Person, actor, case_ids: list[int]) -> list[Case]:
    """Move the cases shown to the user (and their offences) to `person`. Only cases still
    unmatched and still carrying the person's PNC ID move; none left is a MatchError."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    cases = list(unmatched_imported_cases(person).filter(pk__in=case_ids).select_for_update())
    if not cases:
        raise MatchError("There are no imported cases to match to this person.")
    for case in cases:
        case.person = person
        case.imported_person_ref = None
        case.version += 1  # a form opened on the case before the match is now stale
        case._history_user = actor
        case.save(update_fields=["person", "imported_person_ref", "version", "updated_at"])
    Offence.objects.filter(pk__in=[case.offence_id for case in cases]).update(person=person)
    return cases
