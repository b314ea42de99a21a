"""Caseworkers' inbox and referral pages, and the officer's manual referral.

Transition views call exactly one service; a domain error goes back on the form, which
re-renders with what the user typed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from cautions.access import get_case_for_user
from cautions.models import Condition
from hub.audit import log_access
from hub.models import AccessLog
from hub.paging import CappedPaginator
from hub.personal_data import no_personal_data, personal_data
from hub.views import querystring_without_page
from referrals import actions, services
from referrals.access import (
    can_read_notes,
    get_referral_for_user,
    get_session_for_user,
    referrals_visible_to,
)
from referrals.filters import ReferralFilter
from referrals.forms import (
    AcceptForm,
    CloseForm,
    ManualReferralForm,
    ProgressReportForm,
    ReturnForm,
    SessionForm,
)
from referrals.models import ProgressReport, Referral
from referrals.selectors import (
    INBOX_TABS,
    inbox_rows,
    inbox_tab_counts,
    inbox_table_rows,
    referral_page,
)

PAGE_SIZE = 25


@personal_data("referrals.referral", "Viewed the referrals inbox", many=True)
@require_GET
@permission_required("referrals.change_referral", raise_exception=True)
def inbox(request: HttpRequest) -> HttpResponse:
    """The provider's referrals (own organisation only), one tab per status."""
    tab = request.GET.get("status") or Referral.Status.NEW
    if tab not in Referral.Status.values:
        tab = Referral.Status.NEW
    filterset = ReferralFilter(
        request.GET or None, queryset=referrals_visible_to(request.user), user=request.user
    )
    filtered = filterset.qs
    counts = inbox_tab_counts(filtered)
    in_tab = filtered.filter(status=tab)
    rows = inbox_rows(in_tab)
    if not filterset.form.is_valid() or not filterset.form.cleaned_data.get("sort"):
        rows = rows.order_by("due_date", "pk")
    # Known already for an open tab: saves counting it again.
    paginator = CappedPaginator(rows, PAGE_SIZE, counted=counts[tab], count_from=in_tab)
    page_obj = paginator.get_page(request.GET.get("page"))
    page_obj.object_list = inbox_table_rows(page_obj.object_list, today=timezone.localdate())
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("status", None)
    other_params = params.urlencode()
    tabs = [
        {
            "status": status,
            "label": label,
            "count": counts[status],
            "current": status == tab,
            "url": f"?status={status}" + (f"&{other_params}" if other_params else ""),
        }
        for status, label in INBOX_TABS
    ]
    return render(
        request,
        "referrals/inbox.html",
        {
            "filter": filterset,
            "tabs": tabs,
            "tab": tab,
            "tab_label": dict(INBOX_TABS)[tab],
            "page_obj": page_obj,
            "querystring_without_page": querystring_without_page(request),
        },
    )


@personal_data("referrals.referral", "Viewed referral")
@require_GET
@permission_required("referrals.view_referral", raise_exception=True)
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_referral_for_user(request.user, pk)
    with_notes = can_read_notes(request.user, referral)
    page = referral_page(referral, with_notes=with_notes)
    person = referral.case.person
    log_access(
        request,
        action=AccessLog.Action.CONSULTATION,
        obj=referral,
        person=person,
        description=f"Viewed referral to {referral.provider}",
    )
    if with_notes and page.sessions:
        log_access(
            request,
            action=AccessLog.Action.CONSULTATION,
            object_type="referrals.supportsession",
            object_id=",".join(str(s.pk) for s in page.sessions)[:50],
            person=person,
            description=f"Viewed the notes of {len(page.sessions)} support sessions",
        )
    now = timezone.now()
    for appointment in page.upcoming_appointments:
        appointment.links = actions.appointment_actions(
            referral, appointment, request.user, now=now
        )
    for session in page.sessions:
        session.can_correct = actions.can_correct_session(referral, session, request.user)
        session.can_edit = actions.can_edit_session(referral, session, request.user, now=now)
    return render(
        request,
        "referrals/referral_detail.html",
        {
            "referral": referral,
            "person": person,
            "page": page,
            "with_notes": with_notes,
            "can_act": actions.can_act(referral, request.user),
            "actions": actions.referral_actions(referral, request.user),
        },
    )


def _form_page(request, form, *, title, referral, intro="", template="components/form_page.html"):
    return render(
        request,
        template,
        {
            "form": form,
            "page_title": title,
            "caption": referral.case.person.full_name,
            "intro": intro,
            "referral": referral,
            "back_url": reverse("referrals:detail", args=[referral.pk]),
        },
    )


def _done(request, referral, message):
    messages.success(request, message)
    return redirect("referrals:detail", pk=referral.pk)


@personal_data("referrals.referral", "Opened a referral to accept it")
@permission_required("referrals.change_referral", raise_exception=True)
def referral_accept(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_referral_for_user(request.user, pk, write=True)
    reassign = referral.status != Referral.Status.NEW
    form = AcceptForm(
        request.POST or None,
        organisation_id=referral.provider_id,
        initial={"assignee": referral.assigned_to_id or request.user.pk},
        submit="Change caseworker" if reassign else "Accept referral",
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_accept(
                referral=referral, actor=request.user, assignee=form.cleaned_data["assignee"]
            )
        except services.ReferralError as error:
            form.add_error(None, str(error))
        else:
            return _done(
                request, referral, "Caseworker changed" if reassign else "Referral accepted"
            )
    return _form_page(
        request,
        form,
        title="Change caseworker" if reassign else "Accept referral",
        referral=referral,
    )


@personal_data("referrals.referral", "Opened a referral to return it")
@permission_required("referrals.change_referral", raise_exception=True)
def referral_return(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_referral_for_user(request.user, pk, write=True)
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_return(
                referral=referral, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except services.ReferralError as error:
            form.add_error(None, str(error))
        else:
            return _done(request, referral, "Referral returned to the police")
    return _form_page(request, form, title="Return referral", referral=referral)


def _session_data(form) -> dict:
    data = dict(form.cleaned_data)
    data["pathways"] = list(data.get("pathways") or [])
    return data


@personal_data("referrals.referral", "Opened the form to record a session")
@permission_required("referrals.add_supportsession", raise_exception=True)
def session_create(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_referral_for_user(request.user, pk, write=True)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_record(referral=referral, actor=request.user, data=_session_data(form))
        except services.ReferralError as error:
            form.add_error(getattr(error, "field", None), str(error))
        else:
            return _done(request, referral, "Session recorded")
    return _form_page(request, form, title="Record a support session", referral=referral)


def _log_session_view(request, session):
    log_access(
        request,
        action=AccessLog.Action.CONSULTATION,
        obj=session,
        person=session.referral.case.person,
        description="Viewed support session notes",
    )


@personal_data("referrals.supportsession", "Viewed support session notes")
@permission_required("referrals.add_supportsession", raise_exception=True)
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_user(request.user, pk, write=True)
    referral = session.referral
    form = SessionForm(request.POST or None, initial=SessionForm.initial_from(session))
    if request.method == "POST" and form.is_valid():
        try:
            services.session_edit(session=session, actor=request.user, data=_session_data(form))
        except services.ReferralError as error:
            form.add_error(getattr(error, "field", None), str(error))
        else:
            return _done(request, referral, "Session changed")
    _log_session_view(request, session)
    return _form_page(
        request,
        form,
        title="Change support session",
        referral=referral,
        intro="You can change a session for 24 hours after recording it.",
    )


@personal_data("referrals.supportsession", "Viewed support session notes")
@permission_required("referrals.add_supportsession", raise_exception=True)
def session_correct(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_user(request.user, pk, write=True)
    referral = session.referral
    form = SessionForm(
        request.POST or None,
        initial=SessionForm.initial_from(session),
        with_reason=True,
        submit="Save correction",
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.session_correct(
                session=session,
                actor=request.user,
                data=_session_data(form),
                reason=form.cleaned_data["correction_reason"],
            )
        except services.ReferralError as error:
            form.add_error(getattr(error, "field", None), str(error))
        else:
            return _done(request, referral, "Correction recorded")
    _log_session_view(request, session)
    return _form_page(
        request,
        form,
        title="Correct a support session",
        referral=referral,
        intro=(
            "The original entry is kept as it is. Your correction is added to the record "
            "and replaces it in attendance counts."
        ),
    )


@personal_data("referrals.referral", "Opened the form to report progress")
@permission_required("referrals.change_referral", raise_exception=True)
def progress_create(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_referral_for_user(request.user, pk, write=True)
    conditions = Condition.objects.filter(
        case_id=referral.case_id,
        provider_id=referral.provider_id,
        status=Condition.Status.PENDING,
    ).select_related("condition_type")
    initial = {}
    if request.GET.get("kind") in ProgressReport.Kind.values:
        initial["kind"] = request.GET["kind"]
    form = ProgressReportForm(request.POST or None, conditions=conditions, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.progress_report(
                referral=referral,
                actor=request.user,
                kind=data["kind"],
                details=data["details"],
                condition=data.get("condition"),
                complied_on=data.get("complied_on"),
            )
        except services.ReferralError as error:
            form.add_error(None, str(error))
        else:
            if report.kind == ProgressReport.Kind.NOT_ENGAGING:
                message = "Report sent: the officer in charge will see a flag on their worklist"
            elif report.is_engaging:
                message = "Report sent: the officer in charge will see it on the case"
            elif report.applied_as_compliance:
                message = "Report sent: the condition is recorded as complied with"
            else:
                message = "Report sent: the officer in charge will confirm compliance"
            return _done(request, referral, message)
    return _form_page(request, form, title="Report progress to the police", referral=referral)


@personal_data("referrals.referral", "Opened the form to end support")
@permission_required("referrals.change_referral", raise_exception=True)
def referral_close(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_referral_for_user(request.user, pk, write=True)
    form = CloseForm(request.POST or None, pathways=services.pathways_worked_on(referral))
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_close(
                referral=referral,
                actor=request.user,
                outcomes=form.outcomes(),
                closing_note=form.cleaned_data["closing_note"],
            )
        except services.ReferralError as error:
            form.add_error(None, str(error))
        else:
            return _done(request, referral, "Support ended and summary sent to the police")
    return _form_page(
        request,
        form,
        title="End support",
        referral=referral,
        intro="Give the outcome for each pathway worked on in the sessions, and a closing note.",
    )


@personal_data("cautions.case", "Opened the form to refer to a support provider")
@permission_required("referrals.add_referral", raise_exception=True)
def referral_create(request: HttpRequest, case_pk: int) -> HttpResponse:
    """An officer refers the person on a case to a support provider by hand."""
    if not request.user.has_perm("cautions.view_case"):
        raise PermissionDenied
    case = get_case_for_user(request.user, case_pk)
    form = ManualReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = services.referral_create_manual(
                case=case,
                provider=data["provider"],
                actor=request.user,
                reason=data["reason"],
                due_date=data.get("due_date"),
                pathways=list(data["pathways"]),
            )
        except services.ReferralError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Referral made to {referral.provider}")
            return redirect("referrals:detail", pk=referral.pk)
    try:
        back_url = reverse("cautions:case_support", args=[case.pk])
    except NoReverseMatch:  # the case page's URL name belongs to the cautions app
        back_url = ""
    return render(
        request,
        "components/form_page.html",
        {
            "form": form,
            "page_title": "Refer to a support provider",
            "caption": f"{case.person.full_name}, case {case.reference}",
            "back_url": back_url,
        },
    )


@no_personal_data("a button: acknowledges a flag and redirects")
@require_POST
@permission_required("referrals.add_referral", raise_exception=True)
def flag_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    """The officer acknowledges a "not engaging" flag on their worklist."""
    report = get_object_or_404(
        ProgressReport.objects.select_related("referral"),
        pk=pk,
        referral__in=referrals_visible_to(request.user),
    )
    try:
        services.progress_flag_acknowledge(report=report, actor=request.user)
    except services.ReferralError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Flag acknowledged")
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect("home")
