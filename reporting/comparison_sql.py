"""The matched comparison's two statements: one row per person of each group, with their
covariates at the index date and their outcome (built here, run by reporting.comparison).

Definitions: README, "Matched comparison", in the terms of ../shared/DOMAIN.md:
- Treated: people with a hub caution (recorded in the app or imported) given in [from, to],
  once each, at their first caution in the window (lowest case id on the day), as in the
  reoffending report. Their covariates: the case's age at caution, the person's sex and
  ethnicity, the index offence's district, category and gravity score.
- Comparison pool: people of the comparison import (reporting.ComparisonRecord) with a
  disposal dated in [from, to] who never had a hub caution (a caution recorded or imported for
  the person the record is linked to, for a person with its PNC ID, or an imported case held
  apart under that PNC ID), once each, at their first such disposal (lowest record id on the
  day); a person is their PNC ID, or their hub person once anonymised. Their covariates: the
  record's.
- prior_proven_offences: national records (hub.ReoffenceRecord) of the person proven before
  the index date. Outcome: records with index < offence_date <= index + 12 months and
  proven_date <= index + 18 months (the proven reoffending measure). Treated people's records
  are found as the report finds them (the link, else the current PNC ID); a pool person's by
  their PNC ID, or by the link once anonymised.

Each row: (id, complete, age, sex, ethnicity letter, district id, category id, gravity, prior,
reoffences). `id` is the person's hub id (treated) or their index record's id (pool): the
"person id" whose lowest value wins a tie in the matching.
"""

import datetime as dt

from reporting.report_sql import (
    FOLLOW_UP_MONTHS,
    PROVEN_BY_MONTHS,
    Dialect,
    last_date_complete_by,
)

COLUMNS = [
    "id",
    "complete",
    "age",
    "sex",
    "ethnicity",
    "district_id",
    "category_id",
    "gravity_score",
    "prior_proven_offences",
    "reoffences",
]


# A treated person's records: linked to them, or not linked and naming their PNC ID (as the
# reoffending report counts them).
TREATED_JOINS = [
    "x.person_id = t.id",
    "x.person_ref = t.pnc_id AND x.person_id IS NULL",
]
# A pool person's records: by PNC ID; once anonymised (no PNC ID), by the link.
POOL_JOINS = [
    "x.person_ref = t.person_ref",
    "x.person_id = t.person_id AND x.person_ref IS NULL AND t.person_ref IS NULL",
]


def _params(sql: Dialect, date_from: dt.date, date_to: dt.date, as_of: dt.date) -> dict:
    return {
        "w_from": sql.param(date_from),
        "w_to": sql.param(date_to),
        "complete_until": sql.param(last_date_complete_by(as_of, PROVEN_BY_MONTHS)),
    }


def _ends(sql: Dialect, index: str) -> str:
    """The end of the follow-up and of the waiting period, once per person rather than once
    per record."""
    return (
        f"{sql.add_months(index, FOLLOW_UP_MONTHS)} AS end12, "
        f"{sql.add_months(index, PROVEN_BY_MONTHS)} AS end18"
    )


def _counts_and_select(sql: Dialect, joins: list[str]) -> str:
    """The prior and outcome counts per person of `people` and the rows returned; each of
    `joins` finds some of a person `t`'s records `x` (UNION ALL: each join by an index, rather
    than one join on an expression over every record)."""
    hits = "\n    UNION ALL\n".join(
        f"""    SELECT t.id,
           CASE WHEN x.proven_date < t.index_date THEN 1 ELSE 0 END AS prior,
           CASE WHEN x.offence_date > t.index_date AND x.offence_date <= t.end12
                 AND x.proven_date <= t.end18 THEN 1 ELSE 0 END AS reoffence
    FROM people t JOIN reporting_reoffencerecord x ON {join}"""
        for join in joins
    )
    return f"""
counts AS (
  SELECT h.id, SUM(h.prior) AS prior, SUM(h.reoffence) AS reoffences
  FROM (
{hits}
  ) h
  GROUP BY h.id
)
SELECT t.id, CASE WHEN t.index_date <= %(complete_until)s THEN 1 ELSE 0 END AS complete,
       t.age, t.sex, SUBSTR(t.ethnicity, 1, 1), t.district_id, t.category_id, t.gravity_score,
       COALESCE(k.prior, 0), COALESCE(k.reoffences, 0)
FROM people t LEFT JOIN counts k ON k.id = t.id"""


def treated_statement(
    date_from: dt.date, date_to: dt.date, as_of: dt.date, vendor: str
) -> tuple[str, dict]:
    sql = Dialect(vendor)
    materialized = "MATERIALIZED " if sql.postgres else ""
    text = f"""
WITH people AS {materialized}(
  SELECT r.person_id AS id, r.caution_date AS index_date, r.age_at_caution AS age,
         p.sex, p.ethnicity, o.district_id, o.category_id, o.gravity_score, p.pnc_id,
         {_ends(sql, "r.caution_date")}
  FROM (
    SELECT c.person_id, c.caution_date, c.offence_id, c.age_at_caution,
           ROW_NUMBER() OVER (PARTITION BY c.person_id ORDER BY c.caution_date, c.id) AS rn
    FROM cautions_case c
    WHERE c.caution_date >= %(w_from)s AND c.caution_date <= %(w_to)s
  ) r
  JOIN hub_person p ON p.id = r.person_id
  JOIN hub_offence o ON o.id = r.offence_id
  WHERE r.rn = 1
),
{_counts_and_select(sql, TREATED_JOINS)}"""
    return text, _params(sql, date_from, date_to, as_of)


def pool_statement(
    date_from: dt.date, date_to: dt.date, as_of: dt.date, vendor: str
) -> tuple[str, dict]:
    sql = Dialect(vendor)
    materialized = "MATERIALIZED " if sql.postgres else ""
    # A person of the pool: their PNC ID, or their hub person once anonymised (no PNC ID).
    key = "COALESCE({0}.person_ref, '#' || CAST({0}.person_id AS VARCHAR(20)))"
    text = f"""
WITH ranked AS (
  SELECT r.id, {key.format("r")} AS person_key, r.person_ref, r.person_id,
         r.disposal_date AS index_date, r.age_at_disposal AS age, r.sex, r.ethnicity,
         r.district_id, r.offence_category_id AS category_id, r.gravity_score,
         ROW_NUMBER() OVER (
           PARTITION BY {key.format("r")} ORDER BY r.disposal_date, r.id
         ) AS rn
  FROM reporting_comparisonrecord r
  WHERE r.disposal_date >= %(w_from)s AND r.disposal_date <= %(w_to)s
),
people AS {materialized}(
  SELECT r.*, {_ends(sql, "r.index_date")} FROM ranked r
  WHERE r.rn = 1
    AND NOT EXISTS (
      SELECT 1 FROM cautions_case c
      WHERE c.person_id = r.person_id AND c.caution_date IS NOT NULL)
    AND NOT EXISTS (
      SELECT 1 FROM hub_person p JOIN cautions_case c ON c.person_id = p.id
      WHERE p.pnc_id = r.person_ref AND c.caution_date IS NOT NULL)
    AND NOT EXISTS (
      SELECT 1 FROM cautions_case c WHERE c.imported_person_ref = r.person_ref)
),
{_counts_and_select(sql, POOL_JOINS)}"""
    return text, _params(sql, date_from, date_to, as_of)
