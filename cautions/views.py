"""Case pages. Transition endpoints call exactly one service, put its domain error back on the
form (which re-renders with what the user typed) and redirect to the case page on success."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cautions import exports, forms, panels, selectors, services
from cautions.access import get_breach_for_user, get_case_for_user, get_condition_for_user
from cautions.filters import CaseFilter
from cautions.history import recorded_history
from cautions.models import Case, CautionSignature, RuleSettings, VictimViews
from cautions.proposal_forms import AuthorisationDecisionForm
from hub.audit import log_access
from hub.lib.urls import url_for
from hub.models import AccessLog, Offence
from hub.paging import CappedPaginator
from hub.personal_data import no_personal_data, personal_data
from hub.versions import version_required
from hub.views import querystring_without_page

S = Case.Status
PAGE_SIZE = 25


def _case_url(case: Case) -> str:
    return reverse("cautions:case_detail", args=[case.pk])


def _apply(form, action: Callable[[], object]) -> bool:
    """Run the service; on a domain error put it on the form and return False. A stale
    version refreshes the hidden field so that resubmitting (after checking) works."""
    try:
        action()
    except services.StaleVersion as error:
        form.data = form.data.copy()
        form.data["expected_version"] = error.current_version
        form.add_error(None, error.message)
        return False
    except services.CautionError as error:
        field = error.field if error.field in form.fields else None
        form.add_error(field, error.message)
        return False
    return True


def _form_page(
    request,
    case: Case,
    form,
    *,
    title: str,
    template: str = "cautions/form.html",
    **extra,
) -> HttpResponse:
    return render(
        request,
        template,
        {
            "form": form,
            "case": case,
            "page_title": title,
            "caption": f"{case.reference}: {case.person.full_name}",
            "back_url": _case_url(case),
            **extra,
        },
    )


# ---------------------------------------------------------------------------- lists


@personal_data("cautions.case", "Viewed the worklist", many=True)
@require_GET
@permission_required("cautions.view_case", raise_exception=True)
def worklist(request: HttpRequest) -> HttpResponse:
    context = selectors.worklist(request.user)
    # What apps above cautions show at the top (referrals: people not engaging with support).
    context["panels"] = panels.panels_for("worklist", user=request.user)
    return render(request, "cautions/worklist.html", context)


@personal_data("cautions.case", "Viewed the case list", many=True)
@require_GET
@permission_required("cautions.view_case", raise_exception=True)
def case_list(request: HttpRequest) -> HttpResponse:
    visible = Case.objects.visible_to(request.user)
    filterset = CaseFilter(request.GET or None, queryset=selectors.case_list(visible))
    # Counted up to COUNT_CAP ("1,000+"): a count of every case in the force cost more than
    # the page at 1,000,000 people (hub.paging).
    page_obj = CappedPaginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for case in page_obj:
        case.status_colour = selectors.status_colour(case.status)
    return render(
        request,
        "cautions/case_list.html",
        {
            "filter": filterset,
            "page_obj": page_obj,
            "querystring_without_page": querystring_without_page(request),
        },
    )


@personal_data("cautions.case", "Opened the case list download", many=True)
@permission_required("cautions.view_case", raise_exception=True)
def case_list_export(request: HttpRequest) -> HttpResponse:
    """The case list with its current filters (carried in the address) as CSV, after the user
    says why: a disclosure, logged with its reason and recipient before the file is sent."""
    visible = Case.objects.visible_to(request.user)
    filterset = CaseFilter(request.GET or None, queryset=selectors.case_list(visible))
    form = forms.CaseListExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        log_access(
            request,
            action=AccessLog.Action.DISCLOSURE,
            object_type="cautions.case",
            description="Downloaded the case list (CSV)"
            + (f" filtered by {request.GET.urlencode()}" if request.GET else ""),
            justification=form.cleaned_data["justification"],
            recipient=form.cleaned_data["recipient"],
        )
        response = HttpResponse(
            "".join(exports.case_list_lines(filterset.qs)), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="cases-{selectors.today().isoformat()}.csv"'
        )
        return response
    return render(
        request,
        "cautions/case_list_export.html",
        {"form": form, "count": filterset.qs.count(), "querystring": request.GET.urlencode()},
    )


# ---------------------------------------------------------------------------- case page


def _case_support(case: Case, user) -> dict:
    # The section is made of what apps above cautions contribute (referrals: the case's
    # referrals to support providers).
    return {
        **selectors.case_header(case, user),
        "panels": panels.panels_for("case_support", case=case, user=user),
    }


# The case page is in sections (MoJ sub-navigation): the overview has what an officer acts on
# (status, next action, summary, conditions, breach); the assessment, the support and the
# history each have their own page, so no page reads and renders the whole case.
# section: (title, URL name, what the section reads of the case)
CASE_SECTIONS = {
    "overview": ("Overview", "cautions:case_detail", selectors.case_overview),
    "assessment": ("Assessment", "cautions:case_assessment", selectors.case_assessment),
    "support": ("Support", "cautions:case_support", _case_support),
    "history": ("History", "cautions:case_history", selectors.case_history),
}


@personal_data("cautions.case", "Viewed case")
@require_GET
@permission_required("cautions.view_case", raise_exception=True)
def case_detail(request: HttpRequest, pk: int, section: str = "overview") -> HttpResponse:
    """One section of the case page: the access check, the consultation logged, the case's
    header and sub-navigation, and what the section reads of the case."""
    case = get_case_for_user(request.user, pk, prepared=selectors.CASE_PAGE_CASE)
    title, _, read = CASE_SECTIONS[section]
    log_access(
        request,
        action=AccessLog.Action.CONSULTATION,
        obj=case,
        person=case.person,
        description=f"Viewed case {case.reference}"
        + ("" if section == "overview" else f": {title.lower()}"),
    )
    context = read(case, request.user)
    context["section_title"] = "" if section == "overview" else title
    context["sections"] = [
        {"label": label, "url": url_for(name, case.pk), "current": key == section}
        for key, (label, name, _) in CASE_SECTIONS.items()
    ]
    return render(request, f"cautions/case_{section}.html", context)


@no_personal_data("a button: starts a case and redirects to it")
@require_POST
@permission_required("cautions.add_case", raise_exception=True)
def case_start(request: HttpRequest) -> HttpResponse:
    form = forms.StartCaseForm(request.POST)
    if not form.is_valid():
        return HttpResponse("Choose an offence", status=400)
    offence = get_object_or_404(Offence, pk=form.cleaned_data["offence"])
    try:
        case = services.case_start(offence=offence, actor=request.user)
    except services.CautionError as error:
        messages.error(request, error.message)
        return redirect("hub:person_detail", pk=offence.person_id)
    messages.success(request, f"Case {case.reference} started: check eligibility next")
    return redirect(case)


@personal_data("cautions.case", "Printed the caution document", action=AccessLog.Action.DISCLOSURE)
@require_GET
@permission_required("cautions.print_caution", raise_exception=True)
def caution_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The caution document for the person to sign: once the conditions are authorised (before
    the caution is given), and reprinted after it (showing any variation)."""
    case = get_case_for_user(request.user, pk)
    if case.caution_date is None and case.status != S.AUTHORISED:
        messages.error(
            request, "The caution document can be printed once its conditions are authorised"
        )
        return redirect(case)
    log_access(
        request,
        action=AccessLog.Action.DISCLOSURE,
        obj=case,
        person=case.person,
        description=f"Printed the caution document for {case.reference}",
        # Not the name: the log must not keep identifying text after anonymisation.
        recipient="The cautioned person (document for signature)",
    )
    return render(request, "cautions/caution_document.html", selectors.print_document(case))


# ---------------------------------------------------------------------------- assessment


@personal_data("cautions.case", "Opened the eligibility check")
@permission_required("cautions.change_case", raise_exception=True)
def eligibility(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk, write=True)
    # Prefilled from the hub's own records (and cross-checked again when the check runs).
    recorded = recorded_history(case.person_id, on=selectors.today(), exclude_case_id=case.pk)
    form = forms.EligibilityForm(
        request.POST or None,
        initial={"expected_version": case.version, "previous_history_count": recorded.count},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        holder = {}

        def run():
            holder["a"] = services.eligibility_assess(
                case=case,
                actor=request.user,
                planned_caution_date=data["planned_caution_date"],
                answers=data,
                expected_version=data["expected_version"],
            )

        if _apply(form, run):
            result = holder["a"]
            if result.result == "not_eligible":
                messages.error(request, "Not eligible: the case is closed. " + case.reference)
            else:
                messages.success(request, f"Eligibility checked: {result.get_result_display()}")
            return redirect(case)
    return _form_page(
        request,
        case,
        form,
        title="Check eligibility",
        intro_template="cautions/_eligibility_intro.html",
        recorded_history=recorded,
    )


@personal_data("cautions.case", "Opened the needs assessment")
@permission_required("cautions.change_case", raise_exception=True)
def needs(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk, write=True)
    pathways = forms.active_pathways()
    initial = {"expected_version": case.version}
    for need in case.needs.select_related("pathway"):
        initial[f"severity_{need.pathway.key}"] = need.severity
        initial[f"notes_{need.pathway.key}"] = need.notes
    form = forms.NeedsForm(request.POST or None, initial=initial, pathways=pathways)
    if (
        request.method == "POST"
        and form.is_valid()
        and _apply(
            form,
            lambda: services.needs_record(
                case=case,
                actor=request.user,
                needs=form.needs(),
                expected_version=form.cleaned_data["expected_version"],
            ),
        )
    ):
        messages.success(request, "Needs assessment saved")
        return redirect(case)
    return _form_page(
        request,
        case,
        form,
        title="Assess needs",
        intro="Record each need on the reducing-reoffending pathways. Needs suggest condition types.",
    )


@personal_data("cautions.case", "Opened the victim's views")
@permission_required("cautions.change_case", raise_exception=True)
def victim_views(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk, write=True)
    existing = VictimViews.objects.filter(case=case).first()
    initial = {"expected_version": case.version}
    if existing:
        initial |= {
            f: getattr(existing, f)
            for f in ("kind", "views", "efforts", "requested_action", "restorative_justice_consent")
        }
    form = forms.VictimViewsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _apply(
            form,
            lambda: services.victim_views_record(
                case=case,
                actor=request.user,
                kind=data["kind"],
                views=data["views"],
                efforts=data["efforts"],
                requested_action=data["requested_action"],
                restorative_justice_consent=data["restorative_justice_consent"],
                expected_version=data["expected_version"],
            ),
        ):
            messages.success(request, "The victim's views are recorded")
            return redirect(case)
    return _form_page(
        request,
        case,
        form,
        title="Record the victim's views",
        intro="Before conditions are set, reasonable efforts must be made to get the victim's "
        "views (Criminal Justice Act 2003 s.23ZA).",
    )


@no_personal_data("a button: sends the case for authorisation and redirects")
@require_POST
@permission_required("cautions.change_case", raise_exception=True)
@version_required
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk, write=True)
    try:
        services.case_submit_for_authorisation(
            case=case, actor=request.user, expected_version=request.POST.get("expected_version")
        )
    except services.CautionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Sent to an authorising officer")
    return redirect(case)


@personal_data(
    "cautions.case",
    "Opened the authorisation decision (assessment, needs, victim's views, conditions)",
)
@permission_required("cautions.authorise_case", raise_exception=True)
def authorise(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk, write=True, prepared=selectors.CASE_PAGE_CASE)
    form = AuthorisationDecisionForm(
        request.POST or None, initial={"expected_version": case.version}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        decision = data["decision"]
        common = {
            "case": case,
            "actor": request.user,
            "expected_version": data["expected_version"],
        }

        def run():
            if decision == "authorise":
                services.case_authorise(
                    reason=data["reason"],
                    prosecutor_authority_ref=data["prosecutor_authority_ref"],
                    **common,
                )
            elif decision == "send_back":
                services.case_send_back(changes_requested=data["reason"], **common)
            else:
                services.case_decline(reason=data["reason"], **common)

        if _apply(form, run):
            messages.success(request, AUTHORISATION_MESSAGES[decision])
            return redirect(case)
    context = selectors.case_assessment(case, request.user)
    return _form_page(
        request,
        case,
        form,
        title="Decide on the caution and its conditions",
        intro_template="cautions/_authorisation_summary.html",
        **{k: context[k] for k in ("assessment", "needs", "victim_views", "proposal")},
    )


AUTHORISATION_MESSAGES = {
    "authorise": "Caution authorised with these conditions",
    "send_back": "Sent back to the officer with the changes you asked for",
    "decline": "Caution declined",
}


# ---------------------------------------------------------------------------- administration


def _condition_specs(formset) -> list[services.ConditionSpec]:
    return [
        services.ConditionSpec(
            condition_type=data["condition_type"],
            description=data["description"],
            due_date=data["due_date"],
            provider=data.get("provider"),
            amount=data.get("amount"),
            hours=data.get("hours"),
            amount_reason=data.get("amount_reason", ""),
        )
        for data in formset.cleaned_data
        if data and data.get("condition_type")
    ]


@personal_data("cautions.case", "Opened the form to give the caution")
@permission_required("cautions.change_case", raise_exception=True)
def administer(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk, write=True, prepared=selectors.CASE_PAGE_CASE)
    rules = RuleSettings.load()
    initial = {
        "expected_version": case.version,
        "compliance_period_weeks": rules.default_compliance_weeks,
        "caution_date": selectors.today(),
    }
    # Signed after it was printed for signature: the time and place recorded then.
    signature = CautionSignature.objects.filter(case=case).order_by("-signed_at", "-id").first()
    if signature is not None:
        signed = timezone.localtime(signature.signed_at)
        initial |= {
            "caution_date": signed.date(),
            "signed_time": signed.time().replace(second=0, microsecond=0),
            "signed_place": signature.signed_place,
            "document_signed": True,
        }
    form = forms.AdministerForm(
        request.POST or None,
        initial=initial,
        prefix="caution",
        summary_only=case.offence.mode_of_trial == "summary",
    )
    page = selectors.case_assessment(case, request.user)
    # The authorised conditions, as they were authorised: another set needs a fresh
    # authorisation (the service refuses it).
    proposal = page["proposal"]
    authorised = (
        [
            {
                "condition_type": spec.condition_type,
                "description": spec.description,
                "due_date": spec.due_date,
                "provider": spec.provider,
                "amount": spec.amount,
                "hours": spec.hours,
            }
            for spec in services.specs_from_snapshot(proposal["proposal"].conditions)
        ]
        if proposal and proposal["authorised"]
        else []
    )
    formset = forms.ConditionFormSet(
        request.POST or None, initial=authorised or None, prefix="conditions"
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        if _apply(
            form,
            lambda: services.caution_administer(
                case=case,
                actor=request.user,
                caution_date=data["caution_date"],
                signed_at=form.signed_at(),
                signed_place=data["signed_place"],
                admission_method=data["admission_method"],
                admitted=data["admitted"],
                effect_explained=data["effect_explained"],
                warned_of_prosecution=data["warned_of_prosecution"],
                consented=data["consented"],
                document_signed=data["document_signed"],
                conditions=_condition_specs(formset),
                compliance_period_weeks=data["compliance_period_weeks"],
                compliance_extension_reason=data["compliance_extension_reason"],
                provider_report_is_compliance=data["provider_report_is_compliance"],
                time_limit_acknowledged=data.get("time_limit_acknowledged", False),
                expected_version=data["expected_version"],
            ),
        ):
            messages.success(request, "Caution given: the prosecution is deferred")
            return redirect(case)
    warning = services.time_limit_warning(
        case.offence, selectors.today(), rules.default_compliance_weeks, rules
    )
    has_errors = bool(form.errors or any(formset.errors) or formset.non_form_errors())
    return render(
        request,
        "cautions/administer.html",
        {
            **page,
            "form": form,
            "formset": formset,
            "has_errors": has_errors,
            "rules": rules,
            "time_limit_warning": warning,
        },
    )


# ---------------------------------------------------------------------------- conditions


def _condition_form_view(request, case_pk, pk, form_class, *, title, run, success, **kwargs):
    condition = get_condition_for_user(request.user, case_pk, pk, write=True)
    initial = {"expected_version": condition.version, **kwargs.pop("initial", {})}
    if callable(initial.get("_from")):
        initial |= initial.pop("_from")(condition)
    form = form_class(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and _apply(form, lambda: run(condition, form.cleaned_data))
    ):
        messages.success(request, success)
        return redirect(condition.case)
    return _form_page(
        request,
        condition.case,
        form,
        title=title,
        intro=f"{condition.condition_type.label}: {condition.description} "
        f"(due {condition.due_date:%d/%m/%Y})",
    )


@personal_data("cautions.condition", "Opened a condition to mark it complied with")
@permission_required("cautions.change_case", raise_exception=True)
def condition_complied(request: HttpRequest, case_pk: int, pk: int) -> HttpResponse:
    return _condition_form_view(
        request,
        case_pk,
        pk,
        forms.ConditionCompliedForm,
        title="Mark a condition as complied with",
        initial={"complied_on": selectors.today()},
        run=lambda c, d: services.condition_mark_complied(
            condition=c,
            actor=request.user,
            complied_on=d["complied_on"],
            evidence=d["evidence"],
            expected_version=d["expected_version"],
        ),
        success="Condition marked as complied with",
    )


@personal_data("cautions.condition", "Opened a condition to record a failure")
@permission_required("cautions.change_case", raise_exception=True)
def condition_not_complied(request: HttpRequest, case_pk: int, pk: int) -> HttpResponse:
    return _condition_form_view(
        request,
        case_pk,
        pk,
        forms.ConditionNotCompliedForm,
        title="Record a failure to comply",
        run=lambda c, d: services.condition_mark_not_complied(
            condition=c,
            actor=request.user,
            details=d["details"],
            excuse_given=d["excuse_given"],
            expected_version=d["expected_version"],
        ),
        success="Breach recorded: an authorising officer must now decide it",
    )


@personal_data("cautions.condition", "Opened a condition to end it")
@permission_required("cautions.change_case", raise_exception=True)
def condition_end(request: HttpRequest, case_pk: int, pk: int) -> HttpResponse:
    condition = get_condition_for_user(request.user, case_pk, pk, write=True)
    form = forms.ReasonForm(
        request.POST or None,
        initial={"expected_version": condition.version},
        submit="End the condition",
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _apply(
            form,
            lambda: services.condition_end(
                condition=condition,
                actor=request.user,
                reason=d["reason"],
                expected_version=d["expected_version"],
            ),
        ):
            messages.success(request, "Condition ended")
            return redirect(condition.case)
    return _form_page(
        request,
        condition.case,
        form,
        title="End a condition",
        intro=f"{condition.condition_type.label}: {condition.description}. "
        "An ended condition is no longer required.",
    )


# ---------------------------------------------------------------------------- breach and outcome


@personal_data("cautions.breach", "Opened the breach decision")
@permission_required("cautions.decide_breach", raise_exception=True)
def breach_decide(request: HttpRequest, case_pk: int, pk: int) -> HttpResponse:
    breach = get_breach_for_user(request.user, case_pk, pk, write=True)
    case = breach.case
    form = forms.BreachDecisionForm(
        request.POST or None, initial={"expected_version": case.version}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _apply(
            form,
            lambda: services.breach_decide(
                breach=breach,
                actor=request.user,
                decision=d["decision"],
                reasonable_excuse=d["reasonable_excuse"],
                excuse_assessment=d["excuse_assessment"],
                reason=d["reason"],
                charge_date=d["charge_date"],
                new_due_date=d["new_due_date"],
                new_description=d["new_description"],
                consent_given=d["consent_given"],
                expected_version=d["expected_version"],
            ),
        ):
            messages.success(request, "Breach decision recorded")
            return redirect(case)
    return _form_page(
        request,
        case,
        form,
        title="Decide the breach",
        intro_template="cautions/_breach_summary.html",
        breach=breach,
    )


@personal_data("cautions.case", "Opened the form to record the court outcome")
@permission_required("cautions.change_case", raise_exception=True)
def court_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk, write=True)
    form = forms.CourtOutcomeForm(
        request.POST or None,
        initial={
            "expected_version": case.version,
            "kind": case.court_outcome_kind or None,
            "details": case.court_outcome,
            "court_outcome_date": case.court_outcome_date,
        },
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _apply(
            form,
            lambda: services.prosecution_record_court_outcome(
                case=case,
                actor=request.user,
                kind=d["kind"],
                details=d["details"],
                court_outcome_date=d["court_outcome_date"],
                expected_version=d["expected_version"],
            ),
        ):
            messages.success(request, "Court outcome recorded")
            return redirect(case)
    return _form_page(request, case, form, title="Record the court outcome")


@personal_data("cautions.case", "Opened the form to reopen a not-eligible assessment")
@permission_required("cautions.authorise_case", raise_exception=True)
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk, write=True)
    form = forms.ReopenAssessmentForm(
        request.POST or None, initial={"expected_version": case.version}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _apply(
            form,
            lambda: services.assessment_reopen(
                case=case,
                actor=request.user,
                reason=d["reason"],
                expected_version=d["expected_version"],
            ),
        ):
            messages.success(request, "Assessment reopened: check eligibility again")
            return redirect(case)
    return _form_page(
        request,
        case,
        form,
        title="Reopen the assessment",
        intro=f"This case was closed as not eligible. {case.closure_reason} "
        "Reopening it lets the officer check eligibility again; the earlier check stays in the "
        "case's history.",
    )


@personal_data("cautions.case", "Opened the form to withdraw the case")
@permission_required("cautions.change_case", raise_exception=True)
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk, write=True)
    form = forms.WithdrawForm(request.POST or None, initial={"expected_version": case.version})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _apply(
            form,
            lambda: services.case_withdraw(
                case=case,
                actor=request.user,
                kind=d["kind"],
                reason=d["reason"],
                expected_version=d["expected_version"],
            ),
        ):
            messages.success(request, "Case withdrawn")
            return redirect(case)
    return _form_page(
        request,
        case,
        form,
        title="Withdraw the case",
        intro="Withdraw a case recorded in error, when the person has died, or for another "
        "reason. Conditions still pending end.",
    )
