"""Which cases a user may see (404 otherwise) and change (403 if they may only read)."""

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from cautions.models import Breach, Case, Condition
from hub.audit import note_subject
from hub.prepared import PreparedQuery

# What every case screen shows about the case (the caption, the person, the offence).
CASE_RELATED = ("person", "offence__category", "offence__district", "officer")


def get_case_for_user(
    user, pk: int, *, write: bool = False, prepared: PreparedQuery | None = None
) -> Case:
    """The case `pk` if `user` may see it (404 otherwise), and may change it when `write`
    (403 if they may only read).

    Which cases a user may see has one definition, CaseQuerySet.visible_to, and both reads go
    through it here: the plain one (the case with CASE_RELATED) filters by it; `prepared`, the
    case by its id with what the page shows loaded in the same query (a page that shows more
    of the case, such as cautions.selectors.CASE_PAGE_CASE, passes it here rather than loading
    the case twice), runs only when the user may see every case. Its SQL is built once for
    everyone, so it cannot carry a rule that depends on the user: a visible_to that filters
    rows fails here at once, until the prepared read is given the user's ids as arguments."""
    scope = Case.objects.visible_to(user)
    if scope.query.is_empty():
        found = []
    elif prepared is None:
        found = list(scope.select_related(*CASE_RELATED).filter(pk=pk))
    elif scope.query.has_filters():
        raise ImproperlyConfigured(
            "CaseQuerySet.visible_to filters rows: a prepared case read cannot apply it"
        )
    else:
        found = prepared(pk)
    if not found:
        raise Http404("No case found")
    if write and not user.has_perm("cautions.change_case"):
        raise PermissionDenied
    note_subject(found[0], person_id=found[0].person_id)  # for hub.personal_data
    return found[0]


def get_condition_for_user(user, case_pk: int, pk: int, *, write: bool = False) -> Condition:
    case = get_case_for_user(user, case_pk, write=write)
    condition = get_object_or_404(
        Condition.objects.select_related("condition_type", "provider"), case=case, pk=pk
    )
    condition.case = case
    note_subject(condition, person_id=case.person_id)
    return condition


def get_breach_for_user(user, case_pk: int, pk: int, *, write: bool = False) -> Breach:
    case = get_case_for_user(user, case_pk, write=write)
    breach = get_object_or_404(
        Breach.objects.select_related("condition__condition_type", "recorded_by"), case=case, pk=pk
    )
    breach.case = case
    note_subject(breach, person_id=case.person_id)
    return breach
