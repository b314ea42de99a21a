"""Which cases a user may see (404 otherwise) and change (403 if they may only read)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from cautions.models import Breach, Case, Condition
from cautions.querysets import sees_cases
from hub.prepared import PreparedQuery

# What every case screen shows about the case (the caption, the person, the offence).
CASE_RELATED = ("person", "offence__category", "offence__district", "officer")


def get_case_for_user(
    user, pk: int, *, write: bool = False, prepared: PreparedQuery | None = None
) -> Case:
    """`prepared`: the case by its id with what the page shows loaded in the same query (a
    page that shows more of the case, such as cautions.selectors.CASE_PAGE_CASE, passes it
    here rather than loading the case twice). Visibility is applied here."""
    if prepared is None:
        case = get_object_or_404(Case.objects.select_related(*CASE_RELATED).visible_to(user), pk=pk)
    else:
        found = prepared(pk) if sees_cases(user) else []
        if not found:
            raise Http404("No case found")
        case = found[0]
    if write and not user.has_perm("cautions.change_case"):
        raise PermissionDenied
    return case


def get_condition_for_user(user, case_pk: int, pk: int, *, write: bool = False) -> Condition:
    case = get_case_for_user(user, case_pk, write=write)
    condition = get_object_or_404(
        Condition.objects.select_related("condition_type", "provider"), case=case, pk=pk
    )
    condition.case = case
    return condition


def get_breach_for_user(user, case_pk: int, pk: int, *, write: bool = False) -> Breach:
    case = get_case_for_user(user, case_pk, write=write)
    breach = get_object_or_404(
        Breach.objects.select_related("condition__condition_type", "recorded_by"), case=case, pk=pk
    )
    breach.case = case
    return breach
