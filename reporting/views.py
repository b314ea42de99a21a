"""The OPCC dashboard (aggregates only), its CSV downloads, and matching imported cases
(the import pages are in reporting.import_views).

Nothing here reads a person: the dashboard and its downloads show counts from
reporting.selectors, suppressed by reporting.exports, so an analyst never sees a name, PNC ID
or date of birth. Downloads are disclosures and are logged (hub.audit.log_access).
"""

import datetime as dt
from dataclasses import dataclass, replace
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
from hub.access import get_person_for_user
from hub.audit import log_access
from hub.lib import csvexport
from hub.models import AccessLog
from hub.personal_data import no_personal_data, personal_data
from reporting.disclosure import Window, last_month_end, whole_months
from reporting.exports import (
    SUPPRESSED_MARK,
    dashboard_tables,
    format_rate,
    group_hidden,
    headline_compliance,
    headline_hidden,
    mask_compliance,
    mask_figures,
    nearly_eligible_rows,
    suppressed_key,
)
from reporting.forms import (
    DashboardFilterForm,
    ExportForm,
    MatchImportedForm,
    default_window,
)
from reporting.matching import MatchError, match_imported_cases, unmatched_imported_cases
from reporting.selectors import (
    ReportFilters,
    cached_reoffending_report,
    cached_report,
    last_reoffence_import,
    nearly_eligible_counts,
    report_cache_key,
)


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
    # Says how the window asked for was widened or narrowed to whole months (disclosure).
    window_note: str = ""

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
    window = whole_months(date_from, date_to, as_of, today)
    if window is None and form.is_bound:
        form.add_error("date_from", _no_whole_month(today))
        return DashboardData(form=form, arguments=None)
    if window is None:  # the default window, when every caution is in the current month
        window = whole_months(last_month_end(today).replace(day=1), date_to, as_of, today)
    note = _window_note(window) if window.differs_from(date_from, date_to, as_of) else ""
    date_from, date_to, as_of = window.date_from, window.date_to, window.as_of
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
    return DashboardData(form, arguments, date_from, date_to, as_of, last_import, key, note)


# The API's report (api.views.ReoffendingReport) reads the same filters and defaults, and
# publishes the same tables (published_tables), suppressed the same way.
dashboard_data = _dashboard_data


def published_tables(data) -> dict:
    """The dashboard's tables for `data` (a DashboardData with figures), as published."""
    k = settings.REPORT_MIN_CELL
    return dashboard_tables(data.report, k, _inherited_hidden(data, k))


def _no_whole_month(today: dt.date) -> str:
    first = today.replace(day=1)
    return (
        f"Enter a start date before {first:%-d %B %Y}: figures are published only for "
        "whole months that have ended"
    )


def _window_note(window: Window) -> str:
    return (
        "Figures are published only for whole calendar months that have ended, as at the "
        "last day of a month, so that two sets of figures can never differ by one day's "
        f"cautions. These cover {window.date_from:%-d %B %Y} to {window.date_to:%-d %B %Y}, "
        f"as at {window.as_of:%-d %B %Y}."
    )


def _chart_data(tables: dict) -> dict:
    """Numbers for the charts, from the tables as published: suppressed values are null (a
    gap in the line)."""

    def number(value):
        return value if isinstance(value, int | float) and not isinstance(value, str) else None

    # Columns of a quarter's row: 0 the quarter, 4 the compliance rate, 9 the reoffending rate.
    quarters = [
        {"label": row[0], "compliance": number(row[4]), "reoffending": number(row[9])}
        for row in tables["quarters"].rows
    ]
    return {
        "quarters": quarters,
        "baseline": settings.REOFFENDING_BASELINE,
        "km": [[row[0], row[1]] for row in tables["km"].rows],
    }


# Each filter: the field of the form, of ReportFilters, the breakdown whose group it selects,
# and the attribute that is the group's key in that breakdown.
FILTER_GROUPS = (
    ("district", "district_id", "district", "name"),
    ("offence_category", "category_id", "offence_category", "key"),
    ("condition_type", "condition_type_id", "condition_type", "key"),
)


def _inherited_hidden(data: DashboardData, k: int) -> frozenset[str]:
    """Counts to hide in a filtered dashboard's total: those hidden in its group's row of
    each dashboard with one filter fewer (reporting.exports.group_hidden), as that dashboard
    publishes it: itself after its own parents, down to the unfiltered one. One more report
    per combination of fewer filters (from the cache when that dashboard was seen)."""
    if not data.form.is_bound or data.arguments is None:
        return frozenset()
    chosen = {
        attribute: (dimension, getattr(value, key))
        for field, attribute, dimension, key in FILTER_GROUPS
        if (value := data.form.cleaned_data.get(field)) is not None
    }
    return _hidden_by_parents(data.arguments, chosen, k, {})


def _hidden_by_parents(arguments: dict, chosen: dict, k: int, done: dict) -> frozenset[str]:
    """_inherited_hidden for the report of `arguments`, filtered by `chosen` ({ReportFilters
    attribute: (dimension, group key)}); `done` keeps each combination's answer."""
    names = frozenset(chosen)
    if names not in done:
        hidden: set[str] = set()
        for attribute, (dimension, group) in chosen.items():
            parent_arguments = {
                **arguments,
                "filters": replace(arguments["filters"], **{attribute: None}),
            }
            rest = {name: value for name, value in chosen.items() if name != attribute}
            parent_hidden = _hidden_by_parents(parent_arguments, rest, k, done)
            parent = cached_reoffending_report(**parent_arguments)
            hidden |= group_hidden(parent, dimension, group, k, parent_hidden)
        done[names] = frozenset(hidden)
    return done[names]


def _figures(report: dict, k: int, inherited: frozenset[str] = frozenset()) -> dict:
    """What the dashboard's figures show, after disclosure control (reporting.disclosure)."""
    tables = dashboard_tables(report, k, inherited)
    hidden = headline_hidden(report, k, inherited)
    headline = mask_figures(report, hidden)
    ci = headline["binary_rate_ci95"]
    return {
        "headline": headline,
        "headline_ci": (
            f"{format_rate(ci[0])} to {format_rate(ci[1])}" if isinstance(ci, list) else ""
        ),
        "headline_compliance": mask_compliance(headline_compliance(report), hidden),
        "km_shown": bool(tables["km"].rows),
        "median_days": report["time_to_first_reoffence"]["median_days"],
        "tables": tables,
        "breakdown_tables": [t for key, t in tables.items() if key.startswith("breakdown-")],
        "chart_data": _chart_data(tables),
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
        "suppressed_key": suppressed_key(k),
        "baseline": settings.REOFFENDING_BASELINE,
        "figures_shown": data.arguments is not None,
    }
    if data.arguments is not None:
        # The figures' HTML (tables and chart data) is cached under the report's key:
        # rendering it costs more than the rest of the page. Each figure is a callable, which
        # the template calls when it reads it: inside the cached fragment, so the report is
        # read and its tables made only when the fragment is not in the cache.
        figures = cache(lambda: _figures(data.report, k, _inherited_hidden(data, k)))
        context.update(
            {name: partial(_figure, figures, name) for name in FIGURE_NAMES},
            dashboard=data,
            figures=figures,
            km_empty_text=f"Not shown: the curve needs at least {k} people.",
            window_note=data.window_note,
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
    tables = published_tables(data)
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
        if any(cell == SUPPRESSED_MARK for row in chosen.csv_rows() for cell in row):
            writer.writerow([suppressed_key(settings.REPORT_MIN_CELL)])
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
