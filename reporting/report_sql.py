"""The reoffending report as one SQL statement (built here, run by reporting.selectors).

Definitions: ../shared/DOMAIN.md, "Exact definitions used by Offender Hub". The statement
(CTEs, window functions, UNION ALL; on PostgreSQL also GROUPING SETS) runs on SQLite and
PostgreSQL and returns only aggregated rows: the figures per window and per breakdown group,
the compliance counts, and per-day event/censoring counts for the Kaplan-Meier curve.

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
import itertools
from dataclasses import dataclass

from cautions.models import OUTCOME_OF_STATUS, Outcome
from cautions.report_masks import bit_or_sql, report_bit_sql
from hub.lib.dates import add_months
from hub.models.people import ETHNICITY_GROUPS, NOT_STATED_GROUP

FOLLOW_UP_MONTHS = 12
WAITING_MONTHS = 6
PROVEN_BY_MONTHS = FOLLOW_UP_MONTHS + WAITING_MONTHS

AGE_BANDS = [("18-24", 25), ("25-34", 35), ("35-49", 50), ("50+", None)]
AGE_NOT_RECORDED = "Not recorded"

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


class Dialect:
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

    def least(self, a: str, b: str) -> str:
        return f"LEAST({a}, {b})" if self.postgres else f"MIN({a}, {b})"

    def greatest(self, a: str, b: str) -> str:
        return f"GREATEST({a}, {b})" if self.postgres else f"MAX({a}, {b})"


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
    """The age band as its position in AGE_BANDS, or -1 for "Not recorded": a number per
    caution, named by _age_band_label_sql once the cautions are grouped."""
    parts = [f"WHEN {column} IS NULL THEN -1"]
    parts += [
        f"WHEN {column} < {upper} THEN {i}" for i, (_, upper) in enumerate(AGE_BANDS) if upper
    ]
    return f"CASE {' '.join(parts)} ELSE {len(AGE_BANDS) - 1} END"


def _age_band_label_sql(column: str) -> str:
    whens = " ".join(f"WHEN {i} THEN '{band}'" for i, (band, _) in enumerate(AGE_BANDS))
    return f"CASE {column} {whens} ELSE '{AGE_NOT_RECORDED}' END"


def _ethnicity_group_label_sql(column: str) -> str:
    """The ethnicity group of the first letter of an ethnicity code (hub.models.people)."""
    whens = " ".join(
        f"WHEN '{prefix}' THEN '{group}'" for prefix, group in ETHNICITY_GROUPS.items()
    )
    return f"CASE {column} {whens} ELSE '{NOT_STATED_GROUP}' END"


def last_date_complete_by(as_of: dt.date, months: int) -> dt.date:
    """The last index date d with d + `months` calendar months <= as_of.

    add_months never decreases as d grows, so "d + months <= as_of" is "d <= this date": one
    comparison per row instead of date arithmetic (clamping makes it more than
    as_of - months: from 2018-02-28, back 18 months is 2016-08-28, yet 2016-08-31 + 18
    months is 2018-02-28 too)."""
    day = add_months(as_of, -months)
    while add_months(day + dt.timedelta(days=1), months) <= as_of:
        day += dt.timedelta(days=1)
    return day


def _quarter_sql(column: str, starts: list[str]) -> str:
    """Which of the windows 1..n a date of window 0 is in, given the parameter names of the
    starts of windows 2..n: nested CASEs halving the range, so about log2(n) comparisons a
    row (a join on date ranges would be a nested loop over every window and caution)."""

    def pick(first: int, last: int) -> str:
        if first == last:
            return str(first)
        middle = (first + last + 1) // 2  # window `middle` starts at starts[middle - 2]
        return (
            f"CASE WHEN {column} < %({starts[middle - 2]})s THEN {pick(first, middle - 1)} "
            f"ELSE {pick(middle, last)} END"
        )

    return pick(1, len(starts) + 1)


def _groupings_sql(sql: Dialect, groupings: dict[str, list[str]], sums: list[str]) -> str:
    """CTEs named as `groupings`, each the sums of `facts` grouped by its columns.

    PostgreSQL makes them in one pass over the cautions (GROUPING SETS), so `facts` is
    neither stored nor read once per grouping; SQLite, which has no GROUPING SETS, groups the
    stored `facts` once per grouping. A grouping's first column must be in no other grouping:
    it tells the grouping's rows apart (GROUPING(column) = 0).
    """
    firsts = [columns[0] for columns in groupings.values()]
    if any(sum(first in columns for columns in groupings.values()) > 1 for first in firsts):
        raise ValueError("each grouping needs a first column of its own")
    sums_sql = ", ".join(sums)
    if not sql.postgres:
        return ",\n".join(
            f"{name} AS (SELECT {', '.join(f'f.{c}' for c in columns)}, {sums_sql} "
            f"FROM facts f GROUP BY {', '.join(f'f.{c}' for c in columns)})"
            for name, columns in groupings.items()
        )
    every_column = list(dict.fromkeys(c for columns in groupings.values() for c in columns))
    sets = ", ".join(f"({', '.join(f'f.{c}' for c in columns)})" for columns in groupings.values())
    flags = ", ".join(f"GROUPING(f.{first}) AS grouping_{first}" for first in firsts)
    return ",\n".join(
        [
            f"grouped AS MATERIALIZED (SELECT {flags}, "
            f"{', '.join(f'f.{c}' for c in every_column)}, {sums_sql} "
            f"FROM facts f GROUP BY GROUPING SETS ({sets}))",
            *(
                f"{name} AS (SELECT * FROM grouped WHERE grouping_{columns[0]} = 0)"
                for name, columns in groupings.items()
            ),
        ]
    )


def report_statement(
    windows: list[tuple[dt.date, dt.date]],
    as_of: dt.date,
    filters: ReportFilters,
    vendor: str,
) -> tuple[str, dict]:
    """The whole report as one statement over CTEs.

    windows[0] is the report's window; windows[1:] (the quarters, optional) must tile it: in
    order, each starting the day after the previous one ends, from its start to its end (as
    quarter_windows makes them). Each caution of window 0 is then in exactly one quarter, so
    one row per caution carries both its window 0 and its quarter figures, and the quarters
    cost one more window function, not a second pass over every caution.

    base:        cautions given in window 0, with the attributes the report groups by (among
                 them the masks of the case's condition types and assessed pathways, which
                 the database keeps: cautions.report_masks), their quarter (qid), and rn = 1
                 for the person's index caution in window 0 (rnq = 1 for their index caution
                 in the quarter). Ranked over every caution, before the filters and before
                 the joins (in the order of an index on PostgreSQL);
    records:     reoffence records with their person: the link, else the person whose
                 current PNC ID the record names;
    hit_counts:  per index caution (of window 0 or of its quarter), its person's reoffence
                 records with index < offence_date <= index + 12 months: those proven by
                 index + 18 months, and the first offence proven by then and by as_of (the
                 event of the survival curve), with the caution's rn and date. The figures
                 depend only on the index caution, so a caution that is the index of both
                 window 0 and its quarter is counted once for both. Only cautions the filters
                 keep (the same test as in facts; the others' figures would not be read);
    km_dates:    per index date of window 0 (a few thousand), its index people without an
                 event, who are censored: the people counted from base, less the events
                 counted from hit_counts (a few tens of thousands of rows), so the curve needs
                 no grouping of every caution;
    facts:       one row per caution of window 0 matching the filters, with its person's
                 figures when it is their index caution (the filters are the same test on the
                 same caution), once for window 0 and once for its quarter; and its masks;
    groups:      window 0's figures by category, district, age band, sex and ethnicity
                 group at once: a few thousand rows at most, rolled up into the headline and
                 those five breakdowns (every sum is additive over disjoint groups);
    mask_groups: window 0's figures per distinct pair of masks: a few thousand rows at
                 most, however many cautions (a type or pathway met twice in a case is in its
                 mask once);
    quarter_groups: the quarters' figures. These groupings of facts are made in one pass
                 on PostgreSQL (_groupings_sql);
    pathway_items: each pathway's bit, and the bits of the condition types on that
                 pathway: a pathway is a caution's when its pathways mask has the pathway's
                 bit or its types mask one of those types' bits (its conditions' pathways,
                 found once per mask group rather than once per condition, and from the
                 types' pathways as they are now).

    Rows returned (kind, group, n, then 7 sums: cautions, complied, failed, people,
    complete, reoffenders, reoffences), a few hundred in all:
    'h'  the headline (window 0);
    a dimension key of reporting.selectors.DIMENSIONS, with the group: its id for a table
         of groups (category, district, condition type, need pathway), else its label. The
         five of `groups` rolled up; condition type and need pathway: the sums of the mask
         groups that have the type (pathway), as the mask groups are disjoint;
    'w'  the quarters, n = 1, 2, ...;
    'k'  per day t (in n): people with their first reoffence at t (in people), from
         hit_counts; people censored at t (in complete), from km_dates: at
         min(index + 12 months, as_of) - index, or 0 when as_of is before the index.
    """
    sql = Dialect(vendor)
    (date_from, date_to), quarters = windows[0], windows[1:]
    params: dict = {
        "as_of": sql.param(as_of),
        "w_from": sql.param(date_from),
        "w_to": sql.param(date_to),
        # Follow-up complete: index + 18 months <= as_of, as one comparison (see the function).
        "complete_until": sql.param(last_date_complete_by(as_of, PROVEN_BY_MONTHS)),
    }
    if quarters:
        tiled = (
            quarters[0][0] == date_from
            and quarters[-1][1] == date_to
            and all(start <= end for start, end in quarters)
            and all(b[0] == a[1] + dt.timedelta(days=1) for a, b in itertools.pairwise(quarters))
        )
        if not tiled:
            raise ValueError("windows[1:] must tile windows[0]")
        for number, (start, _end) in enumerate(quarters[1:], start=2):
            params[f"q{number}_from"] = sql.param(start)
        qid = _quarter_sql("c.caution_date", [f"q{n}_from" for n in range(2, len(quarters) + 1)])
    else:
        qid = "0"
    filters_sql = _filter_sql(filters, "b", params)
    complied = f"CASE WHEN b.status IN ({_quoted(COMPLIED_STATUSES)}) THEN 1 ELSE 0 END"
    failed = f"CASE WHEN b.status IN ({_quoted(FAILED_STATUSES)}) THEN 1 ELSE 0 END"
    # Read more than once: computed once. PostgreSQL does that for any CTE read twice; saying
    # so keeps it so. (SQLite 3.35+ knows the word too, but older SQLite would not.)
    materialized = "MATERIALIZED " if sql.postgres else ""
    person_order = "PARTITION BY c.person_id ORDER BY c.caution_date, c.id"
    # The first caution of the person in its quarter: the first in window 0, or the first
    # after one in an earlier quarter (qid never decreases along the person's cautions). One
    # ordering for both, unlike a ranking per quarter and person.
    quarter_rank = (
        f", CASE WHEN LAG({qid}) OVER ({person_order}) = {qid} THEN 0 ELSE 1 END AS rnq"
        if quarters
        else ""
    )
    index_test = "(b.rn = 1 OR b.rnq = 1)" if quarters else "b.rn = 1"

    def figures(gate: str, prefix: str = "") -> str:
        complete = f"{gate} AND b.caution_date <= %(complete_until)s"
        return (
            f"CASE WHEN {gate} THEN 1 ELSE 0 END AS {prefix}person, "
            f"CASE WHEN {complete} THEN 1 ELSE 0 END AS {prefix}complete, "
            f"CASE WHEN {complete} AND h.reoffences > 0 THEN 1 ELSE 0 END AS {prefix}reoffender, "
            f"CASE WHEN {complete} THEN COALESCE(h.reoffences, 0) ELSE 0 END AS {prefix}reoffences"
        )

    event_day = sql.days("h.first_event", "h.caution_date")
    has_event = "h.rn = 1 AND h.first_event IS NOT NULL"
    # Censored at min(index + 12 months, as_of), or at 0 when as_of is before the index:
    # worked out per index date (a few thousand) rather than per person.
    end12 = sql.add_months("k.censored_from", FOLLOW_UP_MONTHS)
    censor_day = sql.greatest(sql.days(sql.least(end12, "%(as_of)s"), "k.censored_from"), "0")
    groupings = {
        # The attributes of the five breakdowns, rolled up from these groups.
        "groups": ["category_id", "district_id", "age_band", "sex", "ethnicity_code"],
        "mask_groups": ["types_mask", "pathways_mask"],
    }
    fact_sums = [
        "COUNT(*) AS cautions",
        *(
            f"SUM(f.{prefix}{column}) AS {prefix}{total}"
            for prefix in (["", "q"] if quarters else [""])
            for column, total in (
                ("person", "people"),
                ("complete", "complete"),
                ("reoffender", "reoffenders"),
                ("reoffences", "reoffences"),
            )
        ),
        "SUM(f.complied) AS complied",
        "SUM(f.failed) AS failed",
    ]
    if quarters:
        groupings["quarter_groups"] = ["qid"]
    ctes = f"""
WITH base AS {materialized}(
  SELECT r.case_id, r.person_id, r.caution_date, r.status, r.age_at_caution, r.qid, r.rn,
         {"r.rnq, " if quarters else ""}r.condition_types_mask, r.assessed_pathways_mask,
         o.category_id, o.district_id, p.sex, p.ethnicity
  FROM (
    -- Ranked before the joins: the cautions come in the ranking's order from an index
    -- (cautions.Case, case_person_report_idx), without a sort.
    SELECT c.id AS case_id, c.person_id, c.caution_date, c.status, c.age_at_caution,
           c.offence_id, c.condition_types_mask, c.assessed_pathways_mask, {qid} AS qid,
           ROW_NUMBER() OVER ({person_order}) AS rn{quarter_rank}
    FROM cautions_case c
    WHERE c.caution_date >= %(w_from)s AND c.caution_date <= %(w_to)s
  ) r
  JOIN hub_offence o ON o.id = r.offence_id
  JOIN hub_person p ON p.id = r.person_id
),
records AS (
  -- The PNC ID is unique (hub.Person): at most one person; the lookup, by its index, runs
  -- only for the few records not linked.
  SELECT COALESCE(
           x.person_id, (SELECT p.id FROM hub_person p WHERE p.pnc_id = x.person_ref)
         ) AS person_id,
         x.offence_date, x.proven_date
  FROM reporting_reoffencerecord x
),
hit_counts AS {materialized}(
  SELECT h.case_id, h.rn, h.caution_date,
         SUM(CASE WHEN h.proven_date <= h.end18 THEN 1 ELSE 0 END) AS reoffences,
         MIN(CASE WHEN h.proven_date <= h.end18 AND h.offence_date <= %(as_of)s
                   AND h.proven_date <= %(as_of)s
                  THEN h.offence_date END) AS first_event
  FROM (
    SELECT b.case_id, b.rn, b.caution_date, x.offence_date, x.proven_date,
           {sql.add_months("b.caution_date", PROVEN_BY_MONTHS)} AS end18
    FROM base b JOIN records x ON x.person_id = b.person_id
    WHERE {index_test} AND x.offence_date > b.caution_date
      AND x.offence_date <= {sql.add_months("b.caution_date", FOLLOW_UP_MONTHS)}{filters_sql}
  ) h
  GROUP BY h.case_id, h.rn, h.caution_date
),
km_dates AS (
  SELECT d.caution_date, SUM(d.n) AS censored
  FROM (
    SELECT b.caution_date, 1 AS n FROM base b WHERE b.rn = 1{filters_sql}
    UNION ALL
    SELECT h.caution_date, -1 AS n FROM hit_counts h WHERE {has_event}
  ) d
  GROUP BY d.caution_date
),
facts AS (
  SELECT b.qid, b.category_id, b.district_id,
         {_age_band_sql("b.age_at_caution")} AS age_band,
         b.sex, SUBSTR(b.ethnicity, 1, 1) AS ethnicity_code,
         {complied} AS complied, {failed} AS failed,
         {figures("b.rn = 1")},
         {figures("b.rnq = 1", "q") + "," if quarters else ""}
         b.condition_types_mask AS types_mask, b.assessed_pathways_mask AS pathways_mask
  FROM base b
  LEFT JOIN hit_counts h ON h.case_id = b.case_id
  WHERE 1 = 1{filters_sql}
),
{_groupings_sql(sql, groupings, fact_sums)},
pathway_items AS (
  -- Each pathway's bit, and the bits of the condition types on that pathway: a caution has
  -- a pathway when its needs assessment names it or one of its conditions' types is on it.
  SELECT p.id, {report_bit_sql("p")} AS bit,
         COALESCE({bit_or_sql(vendor, report_bit_sql("t"))}, 0) AS type_bits
  FROM hub_needpathway p LEFT JOIN hub_conditiontype t ON t.pathway_id = p.id
  GROUP BY p.id, p.report_bit
)"""

    def sums(alias: str) -> str:
        return ", ".join(
            f"SUM({alias}.{column})"
            for column in (
                "cautions",
                "complied",
                "failed",
                "people",
                "complete",
                "reoffenders",
                "reoffences",
            )
        )

    text = "CAST({} AS VARCHAR(100))"

    ethnicity_group = _ethnicity_group_label_sql("g.ethnicity_code")
    selects = [
        f"SELECT 'h', '', 0, {sums('g')} FROM groups g",
        *(
            f"SELECT '{dimension}', {text.format(group)}, 0, {sums('g')} FROM groups g "
            f"GROUP BY {group}"
            for dimension, group in (
                ("offence_category", "g.category_id"),
                ("district", "g.district_id"),
                ("age_band", _age_band_label_sql("g.age_band")),
                ("sex", "g.sex"),
                ("ethnicity_group", ethnicity_group),
            )
        ),
        # Joins on a bit test: nested loops over the mask groups (a few thousand) x the
        # condition types or pathways.
        f"SELECT 'condition_type', {text.format('t.id')}, 0, {sums('m')} "
        "FROM mask_groups m JOIN hub_conditiontype t "
        f"ON (m.types_mask & {report_bit_sql('t')}) <> 0 "
        "GROUP BY t.id",
        f"SELECT 'need_pathway', {text.format('p.id')}, 0, {sums('m')} "
        "FROM mask_groups m JOIN pathway_items p "
        "ON (m.pathways_mask & p.bit) <> 0 OR (m.types_mask & p.type_bits) <> 0 GROUP BY p.id",
    ]
    if quarters:
        selects.append(
            "SELECT 'w', '', q.qid, q.cautions, q.complied, q.failed, q.qpeople, q.qcomplete, "
            "q.qreoffenders, q.qreoffences FROM quarter_groups q"
        )
    selects.append(
        "SELECT 'k', '', k.t, 0, 0, 0, SUM(k.events), SUM(k.censored), 0, 0 FROM ("
        f"SELECT {event_day} AS t, COUNT(*) AS events, 0 AS censored FROM hit_counts h "
        f"WHERE {has_event} GROUP BY {event_day} "
        "UNION ALL "
        f"SELECT {censor_day} AS t, 0 AS events, k.censored FROM ("
        "SELECT d.caution_date AS censored_from, d.censored FROM km_dates d) k "
        "WHERE k.censored > 0) k GROUP BY k.t"
    )
    return ctes + "\n" + "\nUNION ALL\n".join(selects), params
