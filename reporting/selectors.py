"""The proven reoffending measure and compliance, counted in the database.

Definitions: ../shared/DOMAIN.md, "Exact definitions used by Offender Hub". One SQL statement
(reporting.report_sql, which also lists the decisions taken where the definitions are silent)
returns only aggregated rows: the figures per window and per breakdown group, the compliance
counts, and per-day event/censoring counts for the Kaplan-Meier curve. Python turns those few
numbers into rates, Wilson intervals and the survival curve (hub/lib/stats.py). No case is
loaded. The computed report is cached (below, "cached report").
"""

import datetime as dt
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from django.db.models import Count

from cautions.models import EligibilityAssessment
from hub.db_router import reporting_database
from hub.lib import stats
from hub.lib.dates import add_months
from hub.models import (
    ConditionType,
    District,
    ImportBatch,
    NeedPathway,
    OffenceCategory,
    Sex,
)
from hub.models.people import ETHNICITY_GROUPS, NOT_STATED_GROUP
from reporting.data_version import data_version
from reporting.report_sql import AGE_BANDS, AGE_NOT_RECORDED, ReportFilters, report_statement

ETHNICITY_GROUP_ORDER = [*ETHNICITY_GROUPS.values(), NOT_STATED_GROUP]

# (key, heading) in the order the dashboard shows them.
DIMENSIONS = [
    ("condition_type", "Condition type"),
    ("need_pathway", "Need pathway"),
    ("offence_category", "Offence category"),
    ("district", "District"),
    ("age_band", "Age band at index date"),
    ("sex", "Sex"),
    ("ethnicity_group", "Ethnicity group"),
]


def _run(windows, as_of, filters):
    """Run the statement on the reporting database: the read replica when
    REPORTING_DATABASE_URL is set (hub.db_router), else the primary. Raw SQL bypasses the
    router, so the alias is chosen here."""
    connection = connections[reporting_database()]
    query, params = report_statement(windows, as_of, filters, connection.vendor)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The CTEs are materialised without statistics, so PostgreSQL guesses 200 rows
            # for each and picks nested loops over them, which are quadratic with 100,000
            # people; hash joins are linear. Enough memory to sort and hash in RAM, and no
            # JIT (its compile time costs more than it saves at this size). A plan made for
            # this run's dates, even when the statement is prepared (hub/settings.py makes
            # prepared page queries use one generic plan).
            cursor.execute(
                "SELECT set_config('enable_nestloop', 'off', true), "
                "set_config('work_mem', '64MB', true), set_config('jit', 'off', true), "
                "set_config('plan_cache_mode', 'force_custom_plan', true)"
            )
        cursor.execute(query, params)
        return cursor.fetchall()


def cohort_figures(*, people: int, complete: int, reoffenders: int, reoffences: int) -> dict:
    """The cohort figures of DOMAIN.md from four counts (people = complete + pending)."""
    ci = stats.wilson_interval(reoffenders, complete)
    return {
        "people": people,
        "cohort_size": complete,
        "pending_follow_up": people - complete,
        "reoffenders": reoffenders,
        "reoffences": reoffences,
        "binary_rate": stats.ratio(reoffenders, complete),
        "binary_rate_ci95": list(ci) if ci else None,
        "reoffences_per_offender": stats.ratio(reoffences, complete),
        "reoffences_per_reoffender": stats.ratio(reoffences, reoffenders),
    }


def compliance_figures(*, cautions: int, complied: int, failed: int) -> dict:
    return {
        "cautions": cautions,
        "complied": complied,
        "failed": failed,
        "rate": stats.ratio(complied, complied + failed),
    }


def _group_labels() -> dict[str, list[tuple[str, str, str]]]:
    """Every possible group of each dimension in display order: (SQL group, key, label).

    The SQL groups reference tables by id; the report shows their stable keys.
    """

    def rows(model, key_field):
        return [
            (str(pk), key, label)
            for pk, key, label in model.objects.values_list(
                "pk", key_field, "label" if key_field != "name" else "name"
            )
        ]

    return {
        "condition_type": rows(ConditionType, "key"),
        "need_pathway": rows(NeedPathway, "key"),
        "offence_category": rows(OffenceCategory, "key"),
        "district": rows(District, "name"),
        "age_band": [
            *((band, band, band) for band, _ in AGE_BANDS),
            (AGE_NOT_RECORDED,) * 3,
        ],
        "sex": [(key, key, label) for key, label in Sex.choices],
        "ethnicity_group": [(group, group, group) for group in ETHNICITY_GROUP_ORDER],
    }


def last_reoffence_import() -> dt.datetime | None:
    """When reoffence records were last imported: the figures are complete up to then.

    A batch with no rows (accepted before empty files were refused) says nothing about the
    data, so it does not count."""
    return (
        ImportBatch.objects.filter(kind=ImportBatch.Kind.REOFFENCES, rows_in_file__gt=0)
        .order_by("-imported_at")
        .values_list("imported_at", flat=True)
        .first()
    )


def quarter_windows(date_from: dt.date, date_to: dt.date) -> list[tuple[dt.date, dt.date]]:
    """3-month windows from date_from (the last one cut at date_to)."""
    windows = []
    start = date_from
    step = 0
    while start <= date_to:
        step += 1
        end = min(add_months(date_from, 3 * step) - dt.timedelta(days=1), date_to)
        windows.append((start, end))
        start = add_months(date_from, 3 * step)
    return windows


class _Sums:
    """The seven additive counts of a group, summed over the rows that make it up."""

    FIELDS = ("cautions", "complied", "failed", "people", "complete", "reoffenders", "reoffences")

    def __init__(self):
        self.values = [0] * 7

    def add(self, values) -> None:
        self.values = [a + int(b or 0) for a, b in zip(self.values, values, strict=True)]

    def figures(self) -> dict:
        people, complete, reoffenders, reoffences = self.values[3:]
        return cohort_figures(
            people=people, complete=complete, reoffenders=reoffenders, reoffences=reoffences
        )

    def compliance(self) -> dict:
        cautions, complied, failed, *_ = self.values
        return compliance_figures(cautions=cautions, complied=complied, failed=failed)


def reoffending_report(
    *,
    date_from: dt.date,
    date_to: dt.date,
    as_of: dt.date,
    filters: ReportFilters | None = None,
    quarters: bool = False,
    all_groups: bool = False,
    last_import: dt.datetime | None = None,
) -> dict:
    """The report of issue 5 (keys as in its JSON), plus `quarters` when asked for.

    Queries: one for the figures (plus one set_config on PostgreSQL), one for the last
    reoffence import, one per table of group labels: a fixed number whatever the data.
    `all_groups` lists every group of a dimension, those without anyone included.
    """
    filters = filters or ReportFilters()
    windows = [(date_from, date_to)]
    if quarters:
        windows += quarter_windows(date_from, date_to)
    labels = _group_labels()
    rows = _run(windows, as_of, filters)

    headline = _Sums()
    groups: dict[tuple[str, str], _Sums] = {}
    window_sums: dict[int, _Sums] = {}
    km_counts = []
    for kind, group, n, *values in rows:
        if kind == "k":
            km_counts.append((int(n), int(values[3] or 0), int(values[4] or 0)))
        elif kind == "h":
            headline.add(values)
        elif kind == "w":
            window_sums.setdefault(int(n), _Sums()).add(values)
        else:  # a dimension of DIMENSIONS
            groups.setdefault((kind, str(group)), _Sums()).add(values)

    km = stats.kaplan_meier(km_counts)
    compliance = headline.compliance()
    report = {
        "from": date_from.isoformat(),
        "to": date_to.isoformat(),
        "as_of": as_of.isoformat(),
        **headline.figures(),
        "cautions_given": compliance["cautions"],
        "compliance": {k: compliance[k] for k in ("complied", "failed", "rate")},
        "time_to_first_reoffence": {
            "km": [[t, survival] for t, survival in km],
            "median_days": stats.km_median(km),
            "people": sum(events + censored for _t, events, censored in km_counts),
            "events": sum(events for _t, events, _censored in km_counts),
        },
        "breakdowns": {},
    }
    for dimension, _heading in DIMENSIONS:
        entries = []
        for sql_group, key, label in labels[dimension]:
            sums = groups.get((dimension, sql_group))
            if sums is None and not all_groups:
                continue
            sums = sums or _Sums()
            entries.append(
                {
                    "group": key,
                    "label": str(label),
                    **sums.figures(),
                    "compliance": sums.compliance(),
                }
            )
        report["breakdowns"][dimension] = entries
    if quarters:
        report["quarters"] = []
        for wid, (start, end) in enumerate(windows[1:], start=1):
            sums = window_sums.get(wid) or _Sums()
            report["quarters"].append(
                {
                    "from": start.isoformat(),
                    "to": end.isoformat(),
                    **sums.figures(),
                    "compliance": sums.compliance(),
                }
            )
    last_import = last_import or last_reoffence_import()
    report["reoffences_imported_at"] = last_import.isoformat() if last_import else None
    return report


# ------------------------------------------------------------------------------ cached report
# The dashboard (and its downloads) would otherwise recompute the whole report, with its
# quarterly cohorts, on every request: about 2 s at 100,000 people. The computed report is
# kept in the Django cache (settings.CACHES, CACHE_URL), keyed on everything it depends on:
# the arguments (window, as-of date, filters, quarters) and a data version read in one small
# query (data_version). Any change the version sees gives a new key, so nobody is shown figures
# older than the data; old entries simply expire.
#
# The data version is kept by the database as the data changes (reporting.data_version,
# docs/adr/0007): a count of the writes to each table the report reads, read in one query of
# a few rows whatever the size of the history. Every writer is counted (services, imports,
# the admin, SQL by hand), so no change waits for REPORT_CACHE_SECONDS to show.
REPORT_CACHE_PREFIX = "reporting:report:1"


def report_cache_key(
    *,
    date_from: dt.date,
    date_to: dt.date,
    as_of: dt.date,
    filters: ReportFilters | None = None,
    quarters: bool = False,
    all_groups: bool = False,
    last_import: dt.datetime | None = None,
) -> str:
    """The cache key of reoffending_report(...) with these arguments over the data as it is
    now (one query: the data version). It also names anything rendered from the report (the
    dashboard caches its tables under it)."""
    arguments = (date_from, date_to, as_of, filters or ReportFilters(), quarters, all_groups)
    digest = hashlib.sha256(repr(((*arguments, last_import), data_version())).encode())
    return f"{REPORT_CACHE_PREFIX}:{digest.hexdigest()}"


def cached_report(key: str, **arguments) -> dict:
    """reoffending_report(**arguments) from the cache under `key` (report_cache_key of the same
    arguments), computed and cached when it is not there."""
    report = cache.get(key)
    if report is None:
        report = reoffending_report(**arguments)
        cache.set(key, report, settings.REPORT_CACHE_SECONDS)
    return report


def cached_report_with_key(**arguments) -> tuple[str, dict]:
    """(cache key, report): reoffending_report(...) from the cache when nothing it depends on
    has changed.

    Queries: one (the data version) when cached; one plus reoffending_report's when not.
    """
    key = report_cache_key(**arguments)
    return key, cached_report(key, **arguments)


def cached_reoffending_report(**kwargs) -> dict:
    """reoffending_report(...), from the cache when nothing it depends on has changed."""
    return cached_report_with_key(**kwargs)[1]


def nearly_eligible_counts(date_from: dt.date, date_to: dt.date) -> dict[str, int]:
    """Cases whose eligibility check, made between the two dates, failed exactly one rule,
    counted by that rule (one query; a case checked twice counts once per rule)."""
    rows = (
        EligibilityAssessment.objects.filter(
            assessed_at__date__gte=date_from, assessed_at__date__lte=date_to
        )
        .exclude(single_failed_rule="")
        .values("single_failed_rule")
        .annotate(n=Count("case", distinct=True))
        .order_by("single_failed_rule")
    )
    return {row["single_failed_rule"]: row["n"] for row in rows}
