"""Which cases a user may see (404 otherwise) and change (403 if they may only read)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from cautions.models import Breach, Case, Condition


def get_case_for_user(user, pk: int, *, write: bool = False) -> Case:
    case = get_object_or_404(
        Case.objects.visible_to(user).select_related(
            "person", "offence__category", "offence__district", "officer"
        ),
        pk=pk,
    )
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
