"""Which cases a user may see (404 otherwise) and change (403 if they may only read)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from cautions.models import Breach, Case, Condition

# What every case screen shows about the case (the caption, the person, the offence).
CASE_RELATED = ("person", "offence__category", "offence__district", "officer")


def get_case_for_user(user, pk: int, *, write: bool = False, queryset=None) -> Case:
    """`queryset`: the case with what the page shows loaded in the same query (a page that
    shows more of the case, such as cautions.selectors.case_page_queryset(), passes it here
    rather than loading the case twice). Visibility is applied to it here."""
    if queryset is None:
        queryset = Case.objects.select_related(*CASE_RELATED)
    case = get_object_or_404(queryset.visible_to(user), pk=pk)
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
