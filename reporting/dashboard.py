"""What the OPCC dashboard shows: its filters and defaults, and its figures after disclosure
control, from the report's snapshot (reporting.snapshots) the worker computes.

Nothing here reads a person. reporting.views renders it; the API (api.views) publishes the
same tables from `dashboard_data` and `published_tables`.
"""

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.db.models import Min
from django.http import HttpRequest
from django.utils import timezone

from cautions.models import Case
from hub.lib import stats
from reporting import snapshots
from reporting.disclosure import Window, last_month_end, whole_months
from reporting.exports import (
    Suppressed,
    dashboard_tables,
    format_rate,
    headline_compliance,
    headline_hidden,
    mask_compliance,
    mask_figures,
)
from reporting.forms import DashboardFilterForm, default_window
from reporting.published import chosen_groups, hidden_by_parents
from reporting.selectors import (
    ReportFilters,
    cached_report,
    last_reoffence_import,
    report_cache_key,
)


@dataclass
class DashboardData:
    form: DashboardFilterForm
    # The report's arguments (reporting.selectors.reoffending_report); None when the filters
    # are not valid.
    arguments: dict | None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    as_of: dt.date | None = None
    last_import: dt.datetime | None = None
    # Says how the window asked for was widened or narrowed to whole months (disclosure).
    window_note: str = ""

    @property
    def snapshot_arguments(self) -> dict:
        """The arguments of the dashboard's snapshot: the report's, and the threshold of
        disclosure control (it shapes which figures are hidden)."""
        return {**self.arguments, "min_cell": settings.REPORT_MIN_CELL}

    @property
    def comparison_arguments(self) -> dict:
        return {"date_from": self.date_from, "date_to": self.date_to, "as_of": self.as_of}

    @cached_property
    def report_key(self) -> str:
        return report_cache_key(**self.arguments)

    @cached_property
    def report(self) -> dict | None:
        """The report computed now (or from this process's cache): for the API, which answers
        with figures over the data as it is."""
        if self.arguments is None:
            return None
        return cached_report(self.report_key, **self.arguments)


def dashboard_data(request: HttpRequest) -> DashboardData:
    """Parse the filters and fill in the defaults (a fixed number of queries: the first
    caution date and the last import)."""
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
        "all_groups": False,
        "last_import": last_import,
    }
    return DashboardData(form, arguments, date_from, date_to, as_of, last_import, note)


def inherited_hidden(data: DashboardData, k: int) -> frozenset[str]:
    """Counts a filtered dashboard's total hides because its parents hide them
    (reporting.published.hidden_by_parents)."""
    if not data.form.is_bound or data.arguments is None:
        return frozenset()
    chosen = chosen_groups(data.arguments["filters"])
    return hidden_by_parents(data.arguments, chosen, k, {})


def published_tables(data: DashboardData) -> dict:
    """The dashboard's tables for `data`, computed now, as published (the API)."""
    k = settings.REPORT_MIN_CELL
    return dashboard_tables(data.report, k, inherited_hidden(data, k))


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


# Below this p-value a difference from the baseline is called statistically significant.
SIGNIFICANCE_LEVEL = 0.05


def against_baseline(headline: dict, baseline: float) -> dict | None:
    """The reoffending rate against the fixed baseline, in words, with the exact binomial
    test (hub.lib.stats.exact_binomial_p). None when the rate is hidden or not available:
    a test of a hidden figure would give it away."""
    rate, n, reoffenders = headline["binary_rate"], headline["cohort_size"], headline["reoffenders"]
    if any(isinstance(v, Suppressed) or v is None for v in (rate, n, reoffenders)):
        return None
    p = stats.exact_binomial_p(reoffenders, n, baseline)
    if p is None:
        return None
    direction = (
        "lower than" if rate < baseline else "higher than" if rate > baseline else "equal to"
    )
    significant = p < SIGNIFICANCE_LEVEL
    return {
        "direction": direction,
        "points": abs(rate - baseline) * 100,
        "p_value": p,
        "significant": significant,
        "words": (
            f"{format_rate(rate)} is {abs(rate - baseline) * 100:.1f} percentage points "
            f"{direction} the baseline of {format_rate(baseline)}. "
            + (
                f"The difference is statistically significant (exact binomial test, p = {p:.3f})."
                if significant
                else "The difference is not statistically significant: it could be chance "
                f"(exact binomial test, p = {p:.3f})."
            )
        ),
    }


def figures(report: dict, k: int, inherited: frozenset[str] = frozenset()) -> dict:
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
        "against_baseline": against_baseline(headline, settings.REOFFENDING_BASELINE),
        "km_shown": bool(tables["km"].rows),
        "median_days": report["time_to_first_reoffence"]["median_days"],
        "tables": tables,
        "breakdown_tables": [t for key, t in tables.items() if key.startswith("breakdown-")],
        "chart_data": _chart_data(tables),
    }


def snapshot_figures(snapshot: snapshots.Snapshot, k: int) -> dict:
    payload = snapshot.payload
    return figures(payload["report"], k, frozenset(payload["inherited_hidden"]))
