"""The OPCC dashboard (aggregates only), its CSV downloads, and the import page.

Nothing here reads a person: the dashboard and its downloads show counts from
reporting.selectors, suppressed by reporting.exports, so an analyst never sees a name, PNC ID
or date of birth. Downloads are disclosures and are logged (hub.audit.log_access).
"""

import datetime as dt
from dataclasses import dataclass
from functools import cache, cached_property, partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Min
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from cautions.models import Case
from hub.audit import log_access
from hub.lib import csvexport
from hub.models import AccessLog, ImportBatch
from hub.personal_data import no_personal_data
from reporting.exports import (
    dashboard_tables,
    format_rate,
    nearly_eligible_rows,
    suppress_compliance,
    suppress_figures,
)
from reporting.forms import DashboardFilterForm, ExportForm, ImportForm, default_window
from reporting.selectors import (
    ReportFilters,
    cached_report,
    last_reoffence_import,
    nearly_eligible_counts,
    report_cache_key,
)
from reporting.services import ImportRejected, import_cases, import_reoffences

# Errors shown on the upload page; the command line prints them all.
MAX_ERRORS_SHOWN = 200


@dataclass
class DashboardData:
    form: DashboardFilterForm
    # The report's arguments; None when the filters are not valid.
    arguments: dict | None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    as_of: dt.date | None = None
    last_import: dt.datetime | None = None
    # Names the cached report; the template caches the tables rendered from it under it.
    report_key: str = ""

    @cached_property
    def report(self) -> dict | None:
        """Read (or computed) on first use only: while the dashboard's rendered figures are
        cached under report_key, the page needs neither the report nor its tables."""
        if self.arguments is None:
            return None
        return cached_report(self.report_key, **self.arguments)


def _dashboard_data(request: HttpRequest) -> DashboardData:
    """Parse the filters and fill in the defaults (a fixed number of queries: the first
    caution date, the last import and the data version; the report's own when it is read and
    the data changed since it was last cached)."""
    form = DashboardFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return DashboardData(form=form, arguments=None)
    data = form.cleaned_data if request.GET else {}
    today = timezone.localdate()
    date_from, date_to = data.get("date_from"), data.get("date_to")
    if not (date_from and date_to):
        first = Case.objects.aggregate(first=Min("caution_date"))["first"]
        default_from, default_to = default_window(first, today)
        date_from, date_to = date_from or default_from, date_to or default_to
        if date_to < date_from:
            date_from = date_to
    last_import = last_reoffence_import()
    # Reoffending is only known up to the last extract: by default the figures are as at
    # that date, so nobody counts as followed up beyond the data.
    as_of = data.get("as_of") or (
        min(today, timezone.localtime(last_import).date()) if last_import else today
    )
    filters = ReportFilters(
        district_id=getattr(data.get("district"), "pk", None),
        category_id=getattr(data.get("offence_category"), "pk", None),
        condition_type_id=getattr(data.get("condition_type"), "pk", None),
    )
    arguments = {
        "date_from": date_from,
        "date_to": date_to,
        "as_of": as_of,
        "filters": filters,
        "quarters": True,
        "last_import": last_import,
    }
    key = report_cache_key(**arguments)
    return DashboardData(form, arguments, date_from, date_to, as_of, last_import, key)


def _chart_data(report: dict, tables: dict, k: int) -> dict:
    """Numbers for the charts; suppressed values are null (a gap in the line)."""

    def number(value):
        return value if isinstance(value, int | float) and not isinstance(value, str) else None

    quarters = []
    for quarter in report["quarters"]:
        figures = suppress_figures(quarter, k)
        compliance = suppress_compliance(quarter["compliance"], k)
        quarters.append(
            {
                "label": f"{quarter['from']} to {quarter['to']}",
                "compliance": number(compliance["rate"]),
                "reoffending": number(figures["binary_rate"]),
            }
        )
    return {
        "quarters": quarters,
        "baseline": settings.REOFFENDING_BASELINE,
        "km": [[row[0], row[1]] for row in tables["km"].rows],
    }


def _figures(report: dict, k: int) -> dict:
    """What the dashboard's figures show, suppressed below k people."""
    tables = dashboard_tables(report, k)
    compliance = dict(report["compliance"], cautions=report["cautions_given"])
    headline = suppress_figures(report, k)
    ci = headline["binary_rate_ci95"]
    return {
        "headline": headline,
        "headline_ci": (
            f"{format_rate(ci[0])} to {format_rate(ci[1])}" if isinstance(ci, list) else ""
        ),
        "headline_compliance": suppress_compliance(compliance, k),
        "km_shown": bool(tables["km"].rows),
        "median_days": report["time_to_first_reoffence"]["median_days"],
        "tables": tables,
        "breakdown_tables": [t for key, t in tables.items() if key.startswith("breakdown-")],
        "chart_data": _chart_data(report, tables, k),
    }


# The keys of _figures(), each a name the dashboard's template reads (a test checks they agree).
FIGURE_NAMES = (
    "headline",
    "headline_ci",
    "headline_compliance",
    "km_shown",
    "median_days",
    "tables",
    "breakdown_tables",
    "chart_data",
)


def _figure(figures, name: str):
    return figures()[name]


@no_personal_data("aggregates only, small cells suppressed")
@permission_required("reporting.view_dashboard", raise_exception=True)
def dashboard(request: HttpRequest) -> HttpResponse:
    data = _dashboard_data(request)
    k = settings.REPORT_MIN_CELL
    context = {
        "form": data.form,
        "min_cell": k,
        "baseline": settings.REOFFENDING_BASELINE,
        "figures_shown": data.arguments is not None,
    }
    if data.arguments is not None:
        # The figures' HTML (tables and chart data) is cached under the report's key:
        # rendering it costs more than the rest of the page. Each figure is a callable, which
        # the template calls when it reads it: inside the cached fragment, so the report is
        # read and its tables made only when the fragment is not in the cache.
        figures = cache(lambda: _figures(data.report, k))
        context.update(
            {name: partial(_figure, figures, name) for name in FIGURE_NAMES},
            dashboard=data,
            figures=figures,
            km_empty_text=f"Not shown: the curve needs at least {k} people.",
            date_from=data.date_from,
            date_to=data.date_to,
            as_of=data.as_of,
            last_import=data.last_import,
            querystring=request.GET.urlencode(),
            report_key=data.report_key,
            report_cache_seconds=settings.REPORT_CACHE_SECONDS,
            can_export=request.user.has_perm("reporting.export_aggregates"),
            nearly_eligible=nearly_eligible_rows(
                nearly_eligible_counts(data.date_from, data.date_to), k
            ),
        )
    return render(request, "reporting/dashboard.html", context)


@no_personal_data("aggregates only; the download is logged as a disclosure")
@permission_required("reporting.export_aggregates", raise_exception=True)
def export(request: HttpRequest, table: str) -> HttpResponse:
    """A table of the dashboard as CSV, after the user says why (a logged disclosure)."""
    data = _dashboard_data(request)
    if data.report is None:
        return redirect(f"{reverse('reporting:dashboard')}?{request.GET.urlencode()}")
    tables = dashboard_tables(data.report, settings.REPORT_MIN_CELL)
    if table not in tables:
        raise Http404("No such table")
    chosen = tables[table]
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        log_access(
            request,
            action=AccessLog.Action.DISCLOSURE,
            object_type="reporting.dashboard",
            object_id=table,
            description=(
                f"Downloaded '{chosen.caption}' for cautions given {data.date_from} to "
                f"{data.date_to}, as at {data.as_of} (aggregates, small cells suppressed)"
            ),
            justification=form.cleaned_data["justification"],
            recipient=form.cleaned_data["recipient"],
        )
        imported = (
            timezone.localtime(data.last_import).date().isoformat() if data.last_import else ""
        )
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
        return response
    return render(
        request,
        "reporting/export.html",
        {
            "form": form,
            "table": chosen,
            "date_from": data.date_from,
            "date_to": data.date_to,
            "as_of": data.as_of,
            "querystring": request.GET.urlencode(),
        },
    )


@no_personal_data("uploads: import batches and the lines refused, no records shown")
@permission_required("reporting.import_data", raise_exception=True)
def import_data(request: HttpRequest) -> HttpResponse:
    """Upload a historic cases file or a reoffence extract; all or nothing, like the commands."""
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        service = (
            import_cases
            if form.cleaned_data["kind"] == ImportBatch.Kind.CASES
            else import_reoffences
        )
        upload = form.cleaned_data["file"]
        try:
            result = service(
                source=upload.file,
                file_name=upload.name,
                user=request.user,
                via=ImportBatch.Via.UPLOAD,
            )
        except ImportRejected as rejected:
            errors = rejected.errors
            form.add_error(
                "file",
                f"The file has {len(errors)} problem(s) and nothing was imported: "
                "correct every line listed below and upload it again",
            )
        else:
            messages.success(request, f"Imported {upload.name}: {result.summary()}")
            return redirect("reporting:import")
    batches = ImportBatch.objects.select_related("imported_by")[:20]
    return render(
        request,
        "reporting/import.html",
        {
            "form": form,
            "errors": errors[:MAX_ERRORS_SHOWN],
            "errors_hidden": max(0, len(errors) - MAX_ERRORS_SHOWN),
            "batches": batches,
        },
    )
