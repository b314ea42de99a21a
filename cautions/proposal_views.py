"""The officer's proposal of conditions, for the authorising officer to decide on; the victim
told of the outcome."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from cautions import forms, selectors, services, victim_requests
from cautions.access import get_case_for_user
from cautions.models import RuleSettings
from cautions.proposal_forms import ProposalForm, SignatureForm, VictimInformedForm
from cautions.views import _apply, _condition_specs, _form_page
from hub.models import ConditionType
from hub.personal_data import personal_data


def _condition_initial(spec: services.ConditionSpec) -> dict:
    return {
        "condition_type": spec.condition_type,
        "description": spec.description,
        "due_date": spec.due_date,
        "provider": spec.provider,
        "amount": spec.amount,
        "hours": spec.hours,
    }


def _suggestions(proposal, victim_types, need_types) -> list[dict]:
    """The conditions the form opens with: the current proposal's (to change it), or else the
    victim's requested action (its description pre-filled) and then the needs' suggestions."""
    if proposal is not None:
        return [
            _condition_initial(s)
            for s in services.specs_from_snapshot(proposal["proposal"].conditions)
        ]
    rows = [{"condition_type": t.pk, "description": t.request} for t in victim_types]
    rows += [{"condition_type": t.pk} for t in need_types if t not in victim_types]
    return rows[: forms.ConditionFormSet.max_num]


@personal_data("cautions.case", "Opened the proposal of conditions (victim's views, needs)")
@permission_required("cautions.change_case", raise_exception=True)
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk, write=True, prepared=selectors.CASE_PAGE_CASE)
    page = selectors.case_assessment(case, request.user)
    victim_views = page["victim_views"]
    requested = victim_views.requested_action if victim_views else ""
    victim_types = list(
        ConditionType.objects.filter(
            key__in=victim_requests.suggested_types(requested), retired=False
        )
    )
    for ctype in victim_types:
        ctype.request = f"As the victim asked: {requested}"
    form = ProposalForm(
        request.POST or None,
        initial={"expected_version": case.version},
        requested_action=requested,
        prefix="proposal",
    )
    formset = forms.ConditionFormSet(
        request.POST or None,
        initial=_suggestions(page["proposal"], victim_types, page["suggested_types"]) or None,
        prefix="conditions",
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        if _apply(
            form,
            lambda: services.conditions_propose(
                case=case,
                actor=request.user,
                conditions=_condition_specs(formset),
                victim_action_included=data["victim_action_included"],
                victim_action_omitted_reason=data["victim_action_omitted_reason"],
                expected_version=data["expected_version"],
            ),
        ):
            messages.success(request, "Conditions proposed: send the case for authorisation")
            return redirect(case)
    return render(
        request,
        "cautions/propose.html",
        {
            **page,
            "form": form,
            "formset": formset,
            "has_errors": bool(form.errors or any(formset.errors) or formset.non_form_errors()),
            "rules": RuleSettings.load(),
            "victim_suggested": victim_types,
            # Proposing now withdraws the authorisation of the current set.
            "replaces_authorisation": case.status == case.Status.AUTHORISED,
        },
    )


@personal_data("cautions.case", "Opened the form to record that the victim was told")
@permission_required("cautions.change_case", raise_exception=True)
def victim_informed(request: HttpRequest, pk: int) -> HttpResponse:
    """Victims' Code: when and how the victim was told of the outcome or a breach decision."""
    case = get_case_for_user(request.user, pk, write=True)
    form = VictimInformedForm(
        request.POST or None,
        initial={"expected_version": case.version, "informed_on": selectors.today()},
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _apply(
            form,
            lambda: services.victim_informed_record(
                case=case,
                actor=request.user,
                subject=form.cleaned_data["subject"],
                method=form.cleaned_data["method"],
                informed_at=form.informed_at(),
                notes=form.cleaned_data["notes"],
                expected_version=form.cleaned_data["expected_version"],
            ),
        )
    ):
        messages.success(request, "Recorded that the victim was told")
        return redirect(case)
    return _form_page(
        request,
        case,
        form,
        title="Record that the victim was told",
        intro="The Victims' Code: the victim is told of the outcome, and of any decision on a "
        "breach of the conditions.",
    )


@personal_data("cautions.case", "Opened the form to record the signed caution document")
@permission_required("cautions.change_case", raise_exception=True)
def signature(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that the person signed the printed document (who saw it, when and where)."""
    case = get_case_for_user(request.user, pk, write=True)
    form = SignatureForm(
        request.POST or None,
        initial={"expected_version": case.version, "signed_on": selectors.today()},
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _apply(
            form,
            lambda: services.caution_signature_record(
                case=case,
                actor=request.user,
                signed_at=form.signed_at(),
                signed_place=form.cleaned_data["signed_place"],
                expected_version=form.cleaned_data["expected_version"],
            ),
        )
    ):
        messages.success(request, "Recorded that the document was signed")
        return redirect(case)
    return _form_page(
        request,
        case,
        form,
        title="Record that the caution document was signed",
        intro="Print the document for signature first. Record here when and where the person "
        "signed it in your presence.",
    )
