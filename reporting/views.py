"""The OPCC dashboard (aggregates only), its CSV downloads, and matching imported cases
(the import pages are in reporting.import_views).

Nothing here reads a person: the dashboard and its downloads show counts from
reporting.selectors, suppressed by reporting.exports, so an analyst never sees a name, PNC ID
or date of birth. Downloads are disclosures and are logged (hub.audit.log_access).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from hub.access import get_person_for_user
from hub.audit import log_access
from hub.lib import csvexport
from hub.models import AccessLog
from hub.personal_data import no_personal_data, personal_data
from reporting import snapshots
from reporting.bundle import build_zip
from reporting.comparison_view import (
    MINIMUM_MATCHED,
    chart_frame,
    comparison_view,
    interval_text,
)
from reporting.dashboard import (
    DashboardData,
    dashboard_data,
    inherited_hidden,
    published_tables,
    snapshot_figures,
)
from reporting.exports import (
    SUPPRESSED_MARK,
    dashboard_tables,
    nearly_eligible_rows,
    suppressed_key,
)
from reporting.forms import ExportForm, MatchImportedForm
from reporting.matching import MatchError, match_imported_cases, unmatched_imported_cases
from reporting.selectors import nearly_eligible_counts

# The API (api.views) reads these from here.
__all__ = ["dashboard_data", "published_tables"]

# The dashboard's sections: (name, label, URL name). Each is its own page (the MoJ
# sub-navigation links them, keeping the filters), so no page holds every table.
SECTIONS = (
    ("summary", "Summary", "reporting:dashboard"),
    ("cohorts", "Cohorts", "reporting:cohorts"),
    ("breakdowns", "Breakdowns", "reporting:breakdowns"),
    ("comparison", "Comparison", "reporting:comparison"),
    ("downloads", "Downloads", "reporting:downloads"),
)


def _sections(current: str, querystring: str) -> list[dict]:
    suffix = f"?{querystring}" if querystring else ""
    return [
        {"name": name, "label": label, "url": reverse(url) + suffix, "current": name == current}
        for name, label, url in SECTIONS
    ]


def _comparison(data: DashboardData, k: int):
    snapshot = snapshots.read("comparison", data.comparison_arguments)
    return snapshot, comparison_view(snapshot.payload, k)


@no_personal_data("aggregates only, small cells suppressed")
@permission_required("reporting.view_dashboard", raise_exception=True)
def dashboard(request: HttpRequest, section: str = "summary") -> HttpResponse:
    """A section of the dashboard, from the report's snapshot: never computed here. Stale
    figures are shown with the time they were computed while the worker refreshes them;
    none yet, a page that reloads itself until they are there."""
    data = dashboard_data(request)
    k = settings.REPORT_MIN_CELL
    querystring = request.GET.urlencode()
    context = {
        "form": data.form,
        "section": section,
        "section_label": dict((name, label) for name, label, _url in SECTIONS)[section],
        "sections": _sections(section, querystring),
        "min_cell": k,
        "suppressed_key": suppressed_key(k),
        "baseline": settings.REOFFENDING_BASELINE,
        "figures_shown": False,
        "querystring": querystring,
    }
    if data.arguments is None:
        return render(request, "reporting/dashboard.html", context)
    snapshot = snapshots.read("dashboard", data.snapshot_arguments)
    context.update(
        dashboard=data,
        snapshot=snapshot,
        window_note=data.window_note,
        date_from=data.date_from,
        date_to=data.date_to,
        as_of=data.as_of,
        last_import=data.last_import,
        can_export=request.user.has_perm("reporting.export_aggregates"),
    )
    if section in ("summary", "comparison", "downloads"):
        # Read (and queued when stale) even while the main figures are computed: the two
        # computations wait together.
        comparison_snapshot, comparison = _comparison(data, k)
    if not snapshot.ready:
        return render(request, "reporting/computing.html", context)
    context.update(snapshot_figures(snapshot, k), report=snapshot.payload["report"])
    context["figures_shown"] = True
    if section in ("summary", "comparison", "downloads"):
        context.update(
            comparison=comparison,
            comparison_snapshot=comparison_snapshot,
            comparison_interval=(
                interval_text(comparison.rate) if comparison and comparison.rate else ""
            ),
            chart=chart_frame(comparison) if comparison and comparison.chart else None,
            minimum_matched=MINIMUM_MATCHED,
        )
    if section == "breakdowns":
        context["nearly_eligible"] = nearly_eligible_rows(
            nearly_eligible_counts(data.date_from, data.date_to), k
        )
    return render(request, f"reporting/dashboard_{section}.html", context)


@no_personal_data("aggregates only; asks the worker to compute the figures again")
@permission_required("reporting.view_dashboard", raise_exception=True)
@require_POST
def refresh(request: HttpRequest) -> HttpResponse:
    """An analyst's "compute these figures again" (queued once, however often it is pressed)."""
    data = dashboard_data(request)
    back = f"{reverse('reporting:dashboard')}?{request.GET.urlencode()}"
    if data.arguments is None:
        return redirect(back)
    queued = snapshots.request_refresh("dashboard", data.snapshot_arguments)
    snapshots.request_refresh("comparison", data.comparison_arguments)
    messages.info(
        request,
        "New figures are being computed. This page shows them once they are ready."
        if queued
        else "New figures were already being computed. This page shows them once they are ready.",
    )
    return redirect(back)


def _published(data: DashboardData, k: int) -> dict:
    """The tables as the dashboard shows them: from its snapshot when there is one (stale or
    not: a download matches the page), else computed now."""
    snapshot = snapshots.read("dashboard", data.snapshot_arguments)
    if snapshot.ready:
        payload = snapshot.payload
        return dashboard_tables(payload["report"], k, frozenset(payload["inherited_hidden"]))
    return dashboard_tables(data.report, k, inherited_hidden(data, k))


def _log_download(request, data: DashboardData, object_id: str, what: str, form) -> None:
    log_access(
        request,
        action=AccessLog.Action.DISCLOSURE,
        object_type="reporting.dashboard",
        object_id=object_id,
        description=(
            f"Downloaded {what} for cautions given {data.date_from} to "
            f"{data.date_to}, as at {data.as_of} (aggregates, small cells suppressed)"
        ),
        justification=form.cleaned_data["justification"],
        recipient=form.cleaned_data["recipient"],
    )


def _imported(data: DashboardData) -> str:
    return timezone.localtime(data.last_import).date().isoformat() if data.last_import else ""


@no_personal_data("aggregates only; the download is logged as a disclosure")
@permission_required("reporting.export_aggregates", raise_exception=True)
def export(request: HttpRequest, table: str) -> HttpResponse:
    """A table of the dashboard as CSV, after the user says why (a logged disclosure)."""
    data = dashboard_data(request)
    if data.arguments is None:
        return redirect(f"{reverse('reporting:dashboard')}?{request.GET.urlencode()}")
    k = settings.REPORT_MIN_CELL
    tables = {each.key: each for each in _every_table(data, k)}
    if table not in tables:
        raise Http404("No such table")
    chosen = tables[table]
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _log_download(request, data, table, f"'{chosen.caption}'", form)
        imported = _imported(data)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="reoffending-{table}-{data.date_from}-{data.date_to}.csv"'
        )
        writer = csvexport.writer(response)
        for i, row in enumerate(chosen.csv_rows()):
            extra = (
                ["Figures as at", "Reoffence records imported up to"]
                if i == 0
                else [data.as_of.isoformat(), imported or "never"]
            )
            writer.writerow([*row, *extra])
        if any(cell == SUPPRESSED_MARK for row in chosen.csv_rows() for cell in row):
            writer.writerow([suppressed_key(k)])
        return response
    return _export_form(request, data, form, chosen.caption)


def _export_form(request, data: DashboardData, form, caption: str) -> HttpResponse:
    return render(
        request,
        "reporting/export.html",
        {
            "form": form,
            "caption": caption,
            "date_from": data.date_from,
            "date_to": data.date_to,
            "as_of": data.as_of,
            "querystring": request.GET.urlencode(),
        },
    )


def _every_table(data: DashboardData, k: int) -> list:
    tables = list(_published(data, k).values())
    snapshot = snapshots.read("comparison", data.comparison_arguments)
    tables += comparison_view(snapshot.payload, k).tables
    return tables


@no_personal_data("aggregates only; the download is logged as a disclosure")
@permission_required("reporting.export_aggregates", raise_exception=True)
def export_all(request: HttpRequest) -> HttpResponse:
    """Every table of the dashboard in one zip of CSV files with notes, after the user says
    why (one logged disclosure)."""
    data = dashboard_data(request)
    if data.arguments is None:
        return redirect(f"{reverse('reporting:downloads')}?{request.GET.urlencode()}")
    k = settings.REPORT_MIN_CELL
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        tables = _every_table(data, k)
        _log_download(request, data, "all", f"every table ({len(tables)})", form)
        context = {
            "date_from": data.date_from,
            "date_to": data.date_to,
            "as_of": data.as_of,
            "imported": _imported(data) or "never",
        }
        body = build_zip(tables, context=context, key_text=suppressed_key(k))
        response = HttpResponse(body, content_type="application/zip")
        response["Content-Disposition"] = (
            f'attachment; filename="reoffending-all-tables-{data.date_from}-{data.date_to}.zip"'
        )
        return response
    return _export_form(request, data, form, "Every table, with notes (zip of CSV files)")


@personal_data("hub.person", "Viewed imported historic cases carrying the person's PNC ID")
@permission_required("hub.change_person", raise_exception=True)
def match_imported(request: HttpRequest, pk: int) -> HttpResponse:
    """Match imported cases kept apart (their PNC ID is this person's) to the person."""
    person = get_person_for_user(request.user, pk, write=True)
    cases = list(unmatched_imported_cases(person).select_related("offence__category", "person"))
    form = MatchImportedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            matched = match_imported_cases(
                person=person,
                actor=request.user,
                case_ids=[int(value) for value in request.POST.getlist("case") if value.isdigit()],
            )
        except MatchError as error:
            form.add_error(None, error.message)
        else:
            references = ", ".join(case.reference for case in matched)
            log_access(
                request,
                action=AccessLog.Action.ALTERATION,
                obj=person,
                person=person,
                description=f"Matched imported historic cases to the person: {references}",
                justification=form.cleaned_data["reason"],
            )
            messages.success(request, f"Matched {len(matched)} imported case(s): {references}")
            return redirect("hub:person_detail", pk=person.pk)
    return render(
        request,
        "reporting/match_imported.html",
        {"form": form, "person": person, "cases": cases},
    )
