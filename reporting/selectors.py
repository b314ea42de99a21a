"""The proven reoffending measure and compliance, counted in the database.

Definitions: ../shared/DOMAIN.md, "Exact definitions used by Offender Hub". One SQL statement
(portable: CTEs, a window function, UNION ALL; it runs on SQLite and PostgreSQL) returns only
aggregated rows: the figures per window and per breakdown group, the compliance counts, and
per-day event/censoring counts for the Kaplan-Meier curve. Python turns those few numbers into
rates, Wilson intervals and the survival curve (hub/lib/stats.py). No case is loaded.

Decisions where the definitions are silent:
- Several cautions on a person's index date: the one recorded first (lowest id) is the index
  caution whose attributes the breakdowns use.
- Filters (district, offence category, condition type) select people by their index caution's
  attributes, like the breakdowns, so a filtered headline equals that breakdown's row.
  Compliance, which counts cautions rather than people, uses each caution's own attributes.
- Need pathway of a caution: the pathways of its needs assessment and of its conditions'
  types (imported historic cases have conditions but no needs assessment).
- Age band: `Case.age_at_caution` (the age on the caution date, kept through anonymisation);
  a caution without it is in the band "Not recorded".
- A reoffence record counts through its link to the person; a record not yet linked counts
  when its PNC ID is the person's current PNC ID, so cases recorded after the reoffence
  import count straight away.
- "Cautions given" are cases with a caution date in the window, whatever their status since
  (a caution withdrawn after it was given was given).
"""

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction

from cautions.models import OUTCOME_OF_STATUS, Outcome
from hub.db_router import reporting_database
from hub.lib import stats
from hub.lib.dates import add_months
from hub.models import (
    ConditionType,
    District,
    NeedPathway,
    OffenceCategory,
    Sex,
)
from hub.models.people import ETHNICITY_GROUPS, NOT_STATED_GROUP
from reporting.models import ImportBatch

FOLLOW_UP_MONTHS = 12
WAITING_MONTHS = 6
PROVEN_BY_MONTHS = FOLLOW_UP_MONTHS + WAITING_MONTHS

AGE_BANDS = [("18-24", 25), ("25-34", 35), ("35-49", 50), ("50+", None)]
AGE_NOT_RECORDED = "Not recorded"
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

COMPLIED_STATUSES = sorted(s for s, o in OUTCOME_OF_STATUS.items() if o == Outcome.COMPLIED)
FAILED_STATUSES = sorted(s for s, o in OUTCOME_OF_STATUS.items() if o == Outcome.FAILED)


@dataclass(frozen=True)
class ReportFilters:
    district_id: int | None = None
    category_id: int | None = None
    condition_type_id: int | None = None

    def __bool__(self) -> bool:
        return any((self.district_id, self.category_id, self.condition_type_id))


def add_months_sql_function(value: str | None, months: int) -> str | None:
    """SQLite's oh_add_months(date, n), registered on each connection (reporting.apps)."""
    if value is None:
        return None
    return add_months(dt.date.fromisoformat(value[:10]), int(months)).isoformat()


class _Dialect:
    def __init__(self, vendor: str):
        self.postgres = vendor == "postgresql"

    def add_months(self, expr: str, months: int) -> str:
        if self.postgres:
            # PostgreSQL keeps the day of month and clamps to the month's end, like add_months.
            return f"(({expr}) + interval '{int(months)} months')::date"
        return f"oh_add_months({expr}, {int(months)})"

    def days(self, later: str, earlier: str) -> str:
        if self.postgres:
            return f"(({later}) - ({earlier}))"
        return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"

    def param(self, value: dt.date):
        return value if self.postgres else value.isoformat()


def _quoted(values) -> str:
    # Fixed status keys from the code, never user input.
    return ", ".join(f"'{value}'" for value in values)


def _filter_sql(filters: ReportFilters, alias: str, params: dict) -> str:
    clauses = []
    if filters.district_id:
        clauses.append(f"{alias}.district_id = %(f_district)s")
        params["f_district"] = filters.district_id
    if filters.category_id:
        clauses.append(f"{alias}.category_id = %(f_category)s")
        params["f_category"] = filters.category_id
    if filters.condition_type_id:
        clauses.append(
            "EXISTS (SELECT 1 FROM cautions_condition fc "
            f"WHERE fc.case_id = {alias}.case_id AND fc.condition_type_id = %(f_ctype)s)"
        )
        params["f_ctype"] = filters.condition_type_id
    return "".join(f" AND {clause}" for clause in clauses)


def _age_band_sql(column: str) -> str:
    parts = [f"WHEN {column} IS NULL THEN '{AGE_NOT_RECORDED}'"]
    parts += [f"WHEN {column} < {upper} THEN '{band}'" for band, upper in AGE_BANDS if upper]
    return f"CASE {' '.join(parts)} ELSE '{AGE_BANDS[-1][0]}' END"


def _ethnicity_group_sql(column: str) -> str:
    whens = " ".join(
        f"WHEN '{prefix}' THEN '{group}'" for prefix, group in ETHNICITY_GROUPS.items()
    )
    return f"CASE SUBSTR({column}, 1, 1) {whens} ELSE '{NOT_STATED_GROUP}' END"


def _report_sql(
    windows: list[tuple[dt.date, dt.date]],
    as_of: dt.date,
    filters: ReportFilters,
    vendor: str,
) -> tuple[str, dict]:
    """The whole report as one statement over CTEs.

    given:      cautions given in each window, with the attributes the report groups by and
                the ends of the follow-up (index + 12 months) and waiting (+ 18 months);
    ranked:     each person's cautions in a window, rn = 1 for the index caution (earliest);
    idx:        the index cautions matching the filters (people are selected by them);
    hits:       reoffence records with index < offence_date <= index + 12 months;
    hit_counts: per person: reoffences proven by index + 18 months, and the first offence
                proven by then and by as_of (the event of the survival curve);
    facts:      one row per caution matching the filters, with its person's figures when it
                is their index caution (the filters are the same test on the same caution);
    case_types: the distinct condition types of window 0's cautions;
    case_items: those types ('ct') and the distinct need pathways ('np') of each caution (its
                types' pathways and its needs assessment's), joined to facts once for both
                many-to-many breakdowns (hash joins and aggregates: each table read once).

    Rows returned (kind, g1..g5, n, then 7 sums: cautions, complied, failed, people,
    complete, reoffenders, reoffences):
    'g'  window 0 grouped by category, district, age band, sex and ethnicity group at once:
         a few thousand rows at most, rolled up in Python into the headline and those five
         breakdowns (every sum is additive over disjoint groups);
    'ct' / 'np' window 0 by condition type / need pathway (many-to-many, one GROUP BY);
    'w'  the other windows (quarters);
    'k'  per day t (in n): people with their first reoffence at t, people censored at t.
    """
    sql = _Dialect(vendor)
    params: dict = {"as_of": sql.param(as_of)}
    values = []
    for wid, (start, end) in enumerate(windows):
        values.append(f"({wid}, %(w{wid}_from)s, %(w{wid}_to)s)")
        params[f"w{wid}_from"] = sql.param(start)
        params[f"w{wid}_to"] = sql.param(end)
    person_filters = _filter_sql(filters, "r", params)
    caution_filters = _filter_sql(filters, "r", params)
    complied = f"CASE WHEN r.status IN ({_quoted(COMPLIED_STATUSES)}) THEN 1 ELSE 0 END"
    failed = f"CASE WHEN r.status IN ({_quoted(FAILED_STATUSES)}) THEN 1 ELSE 0 END"
    complete = "r.rn = 1 AND r.end18 <= %(as_of)s"
    # Read more than once: computed once. PostgreSQL does that for any CTE read twice; saying
    # so keeps it so. (SQLite 3.35+ knows the word too, but older SQLite would not.)
    materialized = "MATERIALIZED " if sql.postgres else ""
    ctes = f"""
WITH windows (wid, wfrom, wto) AS (VALUES {", ".join(values)}),
given AS (
  SELECT w.wid, c.id AS case_id, c.person_id, c.caution_date, c.status, c.age_at_caution,
         o.category_id, o.district_id, p.sex, p.ethnicity, p.pnc_id,
         {sql.add_months("c.caution_date", FOLLOW_UP_MONTHS)} AS end12,
         {sql.add_months("c.caution_date", PROVEN_BY_MONTHS)} AS end18
  FROM cautions_case c
  JOIN windows w ON c.caution_date >= w.wfrom AND c.caution_date <= w.wto
  JOIN hub_offence o ON o.id = c.offence_id
  JOIN hub_person p ON p.id = c.person_id
),
ranked AS {materialized}(
  SELECT g.*, ROW_NUMBER() OVER (
    PARTITION BY g.wid, g.person_id ORDER BY g.caution_date, g.case_id) AS rn
  FROM given g
),
idx AS {materialized}(
  SELECT r.wid, r.person_id, r.pnc_id, r.caution_date AS index_date, r.end12, r.end18,
         CASE WHEN r.end12 < %(as_of)s THEN r.end12 ELSE %(as_of)s END AS km_end,
         CASE WHEN r.end18 < %(as_of)s THEN r.end18 ELSE %(as_of)s END AS proven_end
  FROM ranked r WHERE r.rn = 1{person_filters}
),
hits AS (
  SELECT i.wid, i.person_id, x.offence_date, x.proven_date, i.end18, i.km_end, i.proven_end
  FROM idx i JOIN reporting_reoffencerecord x ON x.person_id = i.person_id
  WHERE x.offence_date > i.index_date AND x.offence_date <= i.end12
  UNION ALL
  SELECT i.wid, i.person_id, x.offence_date, x.proven_date, i.end18, i.km_end, i.proven_end
  FROM idx i JOIN reporting_reoffencerecord x
    ON x.person_ref = i.pnc_id AND x.person_id IS NULL
  WHERE x.offence_date > i.index_date AND x.offence_date <= i.end12
),
hit_counts AS (
  SELECT h.wid, h.person_id,
         SUM(CASE WHEN h.proven_date <= h.end18 THEN 1 ELSE 0 END) AS reoffences,
         MIN(CASE WHEN h.offence_date <= h.km_end AND h.proven_date <= h.proven_end
                  THEN h.offence_date END) AS first_event
  FROM hits h GROUP BY h.wid, h.person_id
),
facts AS {materialized}(
  SELECT r.wid, r.case_id, r.category_id, r.district_id,
         {_age_band_sql("r.age_at_caution")} AS age_band,
         r.sex, {_ethnicity_group_sql("r.ethnicity")} AS ethnicity_group,
         {complied} AS complied, {failed} AS failed,
         CASE WHEN r.rn = 1 THEN 1 ELSE 0 END AS person,
         CASE WHEN {complete} THEN 1 ELSE 0 END AS complete,
         CASE WHEN {complete} AND h.reoffences > 0 THEN 1 ELSE 0 END AS reoffender,
         CASE WHEN {complete} THEN COALESCE(h.reoffences, 0) ELSE 0 END AS reoffences,
         h.first_event, r.caution_date AS index_date,
         CASE WHEN r.end12 < %(as_of)s THEN r.end12 ELSE %(as_of)s END AS km_end
  FROM ranked r
  LEFT JOIN hit_counts h ON r.rn = 1 AND h.wid = r.wid AND h.person_id = r.person_id
  WHERE 1 = 1{caution_filters}
),
case_types AS {materialized}(
  SELECT cc.case_id, cc.condition_type_id AS type_id
  FROM cautions_condition cc
  WHERE cc.case_id IN (SELECT f.case_id FROM facts f WHERE f.wid = 0)
  GROUP BY cc.case_id, cc.condition_type_id
),
case_items AS (
  SELECT ct.case_id, 'ct' AS kind, ct.type_id AS item FROM case_types ct
  UNION ALL
  SELECT x.case_id, 'np', x.pathway_id
  FROM (
    SELECT ct.case_id, t.pathway_id
    FROM case_types ct JOIN hub_conditiontype t ON t.id = ct.type_id
    WHERE t.pathway_id IS NOT NULL
    UNION
    SELECT n.case_id, n.pathway_id FROM cautions_needassessment n
  ) x
)"""
    sums = (
        "COUNT(*), SUM(f.complied), SUM(f.failed), SUM(f.person), SUM(f.complete), "
        "SUM(f.reoffender), SUM(f.reoffences)"
    )
    text = "CAST({} AS VARCHAR(100))"
    selects = [
        f"SELECT 'g', {text.format('f.category_id')}, {text.format('f.district_id')}, "
        f"f.age_band, f.sex, f.ethnicity_group, 0, {sums} FROM facts f WHERE f.wid = 0 "
        "GROUP BY f.category_id, f.district_id, f.age_band, f.sex, f.ethnicity_group",
        f"SELECT d.kind, {text.format('d.item')}, '', '', '', '', 0, {sums} "
        "FROM facts f JOIN case_items d ON d.case_id = f.case_id WHERE f.wid = 0 "
        "GROUP BY d.kind, d.item",
    ]
    if len(windows) > 1:
        selects.append(
            f"SELECT 'w', '', '', '', '', '', f.wid, {sums} FROM facts f WHERE f.wid > 0 "
            "GROUP BY f.wid"
        )
    event_day = sql.days("f.first_event", "f.index_date")
    censor_day = sql.days("f.km_end", "f.index_date")
    selects.append(
        "SELECT 'k', '', '', '', '', '', k.t, 0, 0, 0, SUM(k.event), SUM(1 - k.event), 0, 0 "
        f"FROM (SELECT CASE WHEN f.first_event IS NOT NULL THEN {event_day} "
        f"WHEN {censor_day} < 0 THEN 0 ELSE {censor_day} END AS t, "
        "CASE WHEN f.first_event IS NOT NULL THEN 1 ELSE 0 END AS event "
        "FROM facts f WHERE f.wid = 0 AND f.person = 1) k GROUP BY k.t"
    )
    return ctes + "\n" + "\nUNION ALL\n".join(selects), params


def _run(windows, as_of, filters):
    """Run the statement on the reporting database: the read replica when
    REPORTING_DATABASE_URL is set (hub.db_router), else the primary. Raw SQL bypasses the
    router, so the alias is chosen here."""
    connection = connections[reporting_database()]
    query, params = _report_sql(windows, as_of, filters, connection.vendor)
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


def _empty_figures() -> dict:
    return cohort_figures(people=0, complete=0, reoffenders=0, reoffences=0)


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
    """When reoffence records were last imported: the figures are complete up to then."""
    return (
        ImportBatch.objects.filter(kind=ImportBatch.Kind.REOFFENCES)
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


# Which column of a 'g' row holds each rolled-up dimension.
_ROLLUP_COLUMN = {
    "offence_category": 0,
    "district": 1,
    "age_band": 2,
    "sex": 3,
    "ethnicity_group": 4,
}
_MANY_TO_MANY_KIND = {"ct": "condition_type", "np": "need_pathway"}


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
    rows = _run(windows, as_of, filters)

    headline = _Sums()
    groups: dict[tuple[str, str], _Sums] = {}
    window_sums: dict[int, _Sums] = {}
    km_counts = []
    for kind, g1, g2, g3, g4, g5, n, *values in rows:
        if kind == "k":
            km_counts.append((int(n), int(values[3] or 0), int(values[4] or 0)))
        elif kind == "g":
            headline.add(values)
            keys = (g1, g2, g3, g4, g5)
            for dimension, column in _ROLLUP_COLUMN.items():
                groups.setdefault((dimension, str(keys[column])), _Sums()).add(values)
        elif kind in _MANY_TO_MANY_KIND:
            groups.setdefault((_MANY_TO_MANY_KIND[kind], str(g1)), _Sums()).add(values)
        else:  # 'w'
            window_sums.setdefault(int(n), _Sums()).add(values)

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
    labels = _group_labels()
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
# query (below). Any change the version sees gives a new key, so nobody is shown figures
# older than the data; old entries simply expire.
#
# The data version is the highest id of: import batches (every import of cases or
# reoffences), cases (bulk loads and new cases), and the change history of cases, conditions,
# needs assessments and people (every change made through the app: simple_history writes a
# row per save and delete). Each is an index lookup, so the query costs well under a
# millisecond at 100,000 people, unlike max(updated_at) or count(*) which read every case.
# A change made outside the app without history (SQL by hand, a reference label renamed in
# the admin) is seen within REPORT_CACHE_SECONDS (default 10 minutes), the entries' lifetime.
_VERSION_SOURCES = (
    ("reporting_importbatch", "id"),
    ("cautions_case", "id"),
    ("cautions_historicalcase", "history_id"),
    ("cautions_historicalcondition", "history_id"),
    ("cautions_historicalneedassessment", "history_id"),
    ("hub_historicalperson", "history_id"),
)
REPORT_CACHE_PREFIX = "reporting:report:1"


def data_version() -> tuple:
    """What the report depends on, in one query of index lookups (see above)."""
    connection = connections[reporting_database()]
    quote = connection.ops.quote_name
    columns = ", ".join(
        f"(SELECT MAX({quote(column)}) FROM {quote(table)})" for table, column in _VERSION_SOURCES
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")
        return tuple(cursor.fetchone())


def cached_report_with_key(
    *,
    date_from: dt.date,
    date_to: dt.date,
    as_of: dt.date,
    filters: ReportFilters | None = None,
    quarters: bool = False,
    all_groups: bool = False,
    last_import: dt.datetime | None = None,
) -> tuple[str, dict]:
    """(cache key, report): reoffending_report(...) from the cache when nothing it depends on
    has changed. The key also names anything rendered from the report (the dashboard caches
    its tables under it).

    Queries: one (the data version) when cached; one more plus reoffending_report's when not.
    """
    filters = filters or ReportFilters()
    arguments = (date_from, date_to, as_of, filters, quarters, all_groups, last_import)
    digest = hashlib.sha256(repr((arguments, data_version())).encode()).hexdigest()
    key = f"{REPORT_CACHE_PREFIX}:{digest}"
    report = cache.get(key)
    if report is None:
        report = reoffending_report(
            date_from=date_from,
            date_to=date_to,
            as_of=as_of,
            filters=filters,
            quarters=quarters,
            all_groups=all_groups,
            last_import=last_import,
        )
        cache.set(key, report, settings.REPORT_CACHE_SECONDS)
    return key, report


def cached_reoffending_report(**kwargs) -> dict:
    """reoffending_report(...), from the cache when nothing it depends on has changed."""
    return cached_report_with_key(**kwargs)[1]
