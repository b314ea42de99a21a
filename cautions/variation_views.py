"""Pages that correct a caution after it is given: vary a condition, add one, extend the
compliance period. Each calls one service (cautions.services.variation); its error comes back
at the field, with what was typed kept."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from cautions import services, variation_forms
from cautions.access import get_case_for_user, get_condition_for_user
from cautions.selectors import today
from cautions.views import _apply, _form_page
from hub.personal_data import personal_data

AGREEMENT_INTRO = (
    "A variation needs the person's agreement and a reason. It makes a new version of the "
    "caution document, which the person signs."
)


def _agreement(data: dict) -> dict:
    return {
        "reason": data["reason"],
        "consent_given": data["consent_given"],
        "agreed_on": data["agreed_on"],
        "expected_version": data["expected_version"],
    }


@personal_data("cautions.condition", "Opened a condition to vary it")
@permission_required("cautions.change_case", raise_exception=True)
def condition_vary(request: HttpRequest, case_pk: int, pk: int) -> HttpResponse:
    condition = get_condition_for_user(request.user, case_pk, pk, write=True)
    ctype = condition.condition_type
    form = variation_forms.ConditionVaryForm(
        request.POST or None,
        condition_type=ctype,
        initial={
            "expected_version": condition.version,
            "description": condition.description,
            "amount": condition.amount,
            "amount_reason": condition.amount_reason,
            "hours": condition.hours,
            "due_date": condition.due_date,
            "provider": condition.provider_id,
            "agreed_on": today(),
        },
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _apply(
            form,
            lambda: services.condition_vary(
                condition=condition,
                actor=request.user,
                description=d["description"],
                due_date=d["due_date"],
                provider=d.get("provider"),
                amount=d.get("amount", services.KEEP),
                amount_reason=d.get("amount_reason", services.KEEP),
                hours=d.get("hours", services.KEEP),
                **_agreement(d),
            ),
        ):
            messages.success(request, f"{ctype.label} varied: the person signs the new version")
            return redirect(condition.case)
    return _form_page(
        request,
        condition.case,
        form,
        title=f"Vary a condition: {ctype.label.lower()}",
        intro=f"Version {condition.content_version} of this condition, due "
        f"{condition.due_date:%-d %B %Y}. {AGREEMENT_INTRO}",
    )


@personal_data("cautions.case", "Opened the form to add a condition")
@permission_required("cautions.change_case", raise_exception=True)
def condition_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk, write=True)
    form = variation_forms.ConditionAddForm(
        request.POST or None,
        initial={
            "expected_version": case.version,
            "agreed_on": today(),
            "due_date": case.compliance_deadline,
        },
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        spec = services.ConditionSpec(
            condition_type=d["condition_type"],
            description=d["description"],
            due_date=d["due_date"],
            provider=d["provider"],
            amount=d["amount"],
            hours=d["hours"],
            amount_reason=d["amount_reason"],
        )
        if _apply(
            form,
            lambda: services.condition_add(
                case=case, actor=request.user, spec=spec, **_agreement(d)
            ),
        ):
            messages.success(request, "Condition added: the person signs the new version")
            return redirect(case)
    return _form_page(
        request,
        case,
        form,
        title="Add a condition",
        intro=f"The compliance period ends {case.compliance_deadline:%-d %B %Y}. "
        + AGREEMENT_INTRO,
    )


@personal_data("cautions.case", "Opened the form to extend the compliance period")
@permission_required("cautions.change_case", raise_exception=True)
def extend_period(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk, write=True)
    form = variation_forms.ExtendPeriodForm(
        request.POST or None,
        initial={
            "expected_version": case.version,
            "weeks": case.compliance_period_weeks,
            "agreed_on": today(),
        },
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _apply(
            form,
            lambda: services.case_extend_period(
                case=case, actor=request.user, weeks=d["weeks"], **_agreement(d)
            ),
        ):
            messages.success(
                request, "Compliance period extended: the person signs the new version"
            )
            return redirect(case)
    return _form_page(
        request,
        case,
        form,
        title="Extend the compliance period",
        intro=f"The caution was given on {case.caution_date:%-d %B %Y}; the compliance period "
        f"is {case.compliance_period_weeks} weeks and ends {case.compliance_deadline:%-d %B %Y}. "
        + AGREEMENT_INTRO,
    )
