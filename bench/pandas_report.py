"""The reoffending report as an analyst would write it in pandas (bench/run compares with it).

Same definitions as reporting.selectors (../shared/DOMAIN.md, "Exact definitions"): cohort of
people cautioned in the window, index = earliest caution (lowest id on a tie), complete when
index + 18 months <= as_of, a reoffence counts when index < offence <= index + 12 months and
proven <= index + 18 months; compliance over cautions given; breakdowns by the index caution's
attributes; Kaplan-Meier time to first reoffence. A straightforward script: merges, groupbys,
vectorised date arithmetic, no tricks. `load` reads the rows once; `report` is what is timed.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

COMPLIED = {"complied"}
FAILED = {"failed", "failed_nfa", "prosecution_resumed"}
Z = 1.959963984540054


def load(connection) -> dict[str, pd.DataFrame]:
    def frame(sql: str) -> pd.DataFrame:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            columns = [c[0] for c in cursor.description]
            return pd.DataFrame(cursor.fetchall(), columns=columns)

    cases = frame(
        "SELECT c.id AS case_id, c.person_id, c.caution_date, c.status, c.age_at_caution, "
        "o.category_id, o.district_id, p.sex, p.ethnicity, p.pnc_id "
        "FROM cautions_case c JOIN hub_offence o ON o.id = c.offence_id "
        "JOIN hub_person p ON p.id = c.person_id WHERE c.caution_date IS NOT NULL"
    )
    cases["caution_date"] = pd.to_datetime(cases["caution_date"])
    reoffences = frame(
        "SELECT person_id, person_ref, offence_date, proven_date FROM reporting_reoffencerecord"
    )
    for column in ("offence_date", "proven_date"):
        reoffences[column] = pd.to_datetime(reoffences[column])
    conditions = frame("SELECT DISTINCT case_id, condition_type_id FROM cautions_condition")
    types = frame("SELECT id AS condition_type_id, pathway_id FROM hub_conditiontype")
    needs = frame("SELECT case_id, pathway_id FROM cautions_needassessment")
    return {
        "cases": cases,
        "reoffences": reoffences,
        "conditions": conditions,
        "types": types,
        "needs": needs,
    }


def _wilson(k: int, n: int):
    if n == 0:
        return None
    p = k / n
    denominator = 1 + Z * Z / n
    centre = (p + Z * Z / (2 * n)) / denominator
    half = Z / denominator * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    return [centre - half, centre + half]


def _age_band(age: pd.Series) -> pd.Series:
    bands = pd.cut(
        age, [0, 25, 35, 50, 200], right=False, labels=["18-24", "25-34", "35-49", "50+"]
    )
    return bands.astype(object).where(age.notna(), "Not recorded")


def _group(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    return frame.groupby(by).agg(
        people=("person", "sum"),
        cohort_size=("complete", "sum"),
        reoffenders=("reoffender", "sum"),
        reoffences=("reoffences_counted", "sum"),
        cautions=("case_id", "size"),
        complied=("complied", "sum"),
        failed=("failed", "sum"),
    )


def report(frames: dict, *, date_from: dt.date, date_to: dt.date, as_of: dt.date) -> dict:
    cases = frames["cases"]
    as_of_ts = pd.Timestamp(as_of)
    given = cases[
        (cases["caution_date"] >= pd.Timestamp(date_from))
        & (cases["caution_date"] <= pd.Timestamp(date_to))
    ].sort_values(["person_id", "caution_date", "case_id"])
    given = given.assign(
        person=~given.duplicated("person_id"),
        complied=given["status"].isin(COMPLIED),
        failed=given["status"].isin(FAILED),
    )
    idx = given[given["person"]].copy()
    # Calendar months, clamped to the month's end (DateOffset does that).
    idx["end12"] = idx["caution_date"] + pd.DateOffset(months=12)
    idx["end18"] = idx["caution_date"] + pd.DateOffset(months=18)
    idx["complete"] = idx["end18"] <= as_of_ts
    idx["km_end"] = idx["end12"].clip(upper=as_of_ts)
    idx["proven_end"] = idx["end18"].clip(upper=as_of_ts)

    reoffences = frames["reoffences"]
    linked = idx.merge(reoffences[reoffences["person_id"].notna()], on="person_id")
    unlinked = idx.merge(
        reoffences[reoffences["person_id"].isna()].drop(columns="person_id"),
        left_on="pnc_id",
        right_on="person_ref",
    )
    hits = pd.concat([linked, unlinked], ignore_index=True)
    hits = hits[
        (hits["offence_date"] > hits["caution_date"]) & (hits["offence_date"] <= hits["end12"])
    ]
    counted = hits[hits["proven_date"] <= hits["end18"]].groupby("person_id").size()
    events = hits[
        (hits["offence_date"] <= hits["km_end"]) & (hits["proven_date"] <= hits["proven_end"])
    ]
    first_event = events.groupby("person_id")["offence_date"].min()

    idx["reoffences"] = idx["person_id"].map(counted).fillna(0).astype(int)
    idx["first_event"] = idx["person_id"].map(first_event)
    idx["reoffender"] = idx["complete"] & (idx["reoffences"] > 0)
    idx["reoffences_counted"] = idx["reoffences"].where(idx["complete"], 0)

    facts = given.merge(
        idx[["case_id", "complete", "reoffender", "reoffences_counted"]], on="case_id", how="left"
    )
    for column in ("complete", "reoffender"):
        facts[column] = facts[column].eq(True)
    facts["reoffences_counted"] = facts["reoffences_counted"].fillna(0).astype(int)
    facts["age_band"] = _age_band(facts["age_at_caution"])
    facts["ethnicity_group"] = (
        facts["ethnicity"]
        .str[0]
        .map({"W": "White", "M": "Mixed", "A": "Asian", "B": "Black", "O": "Other"})
        .where(facts["ethnicity"] != "NS", "Not stated")
        .fillna("Not stated")
    )

    people = int(idx.shape[0])
    cohort = int(idx["complete"].sum())
    reoffenders = int(idx["reoffender"].sum())
    reoffences_total = int(idx["reoffences_counted"].sum())
    complied = int(given["complied"].sum())
    failed = int(given["failed"].sum())

    breakdowns = {
        dimension: _group(facts, dimension)
        for dimension in ("category_id", "district_id", "age_band", "sex", "ethnicity_group")
    }
    by_type = facts.merge(frames["conditions"], on="case_id")
    breakdowns["condition_type"] = _group(by_type, "condition_type_id")
    pathways = pd.concat(
        [
            frames["conditions"]
            .merge(frames["types"], on="condition_type_id")
            .dropna(subset=["pathway_id"])[["case_id", "pathway_id"]],
            frames["needs"],
        ]
    ).drop_duplicates()
    breakdowns["need_pathway"] = _group(facts.merge(pathways, on="case_id"), "pathway_id")
    for frame in breakdowns.values():
        frame["binary_rate"] = frame["reoffenders"] / frame["cohort_size"].where(
            frame["cohort_size"] > 0
        )
        frame["compliance_rate"] = frame["complied"] / (frame["complied"] + frame["failed"])

    # Kaplan-Meier over every cohort person.
    t = (idx["first_event"] - idx["caution_date"]).dt.days
    censor = (idx["km_end"] - idx["caution_date"]).dt.days.clip(lower=0)
    km_rows = pd.DataFrame(
        {"t": t.fillna(censor).astype(int), "event": idx["first_event"].notna().astype(int)}
    )
    per_t = km_rows.groupby("t")["event"].agg(events="sum", total="size").sort_index()
    at_risk = per_t["total"][::-1].cumsum()[::-1]
    survival = (1 - per_t["events"] / at_risk).cumprod()
    steps = survival[per_t["events"] > 0]
    below = steps[steps <= 0.5 + 1e-12]

    return {
        "people": people,
        "cohort_size": cohort,
        "pending_follow_up": people - cohort,
        "reoffenders": reoffenders,
        "reoffences": reoffences_total,
        "binary_rate": reoffenders / cohort if cohort else None,
        "binary_rate_ci95": _wilson(reoffenders, cohort),
        "cautions_given": int(given.shape[0]),
        "compliance": {
            "complied": complied,
            "failed": failed,
            "rate": complied / (complied + failed) if complied + failed else None,
        },
        "km": list(zip(steps.index.tolist(), steps.tolist(), strict=True)),
        "km_median_days": int(below.index[0]) if len(below) else None,
        "km_events": int(km_rows["event"].sum()),
        "breakdowns": breakdowns,
    }


def compare(sql_report: dict, pandas_report: dict) -> bool | str:
    """True when the headline, compliance and KM agree; otherwise what differs."""
    differences = [
        f"{key}: {sql_report[key]} vs {pandas_report[key]}"
        for key in ("people", "cohort_size", "reoffenders", "reoffences", "cautions_given")
        if sql_report[key] != pandas_report[key]
    ]
    differences += [
        f"compliance.{key}: {sql_report['compliance'][key]} vs {pandas_report['compliance'][key]}"
        for key in ("complied", "failed")
        if sql_report["compliance"][key] != pandas_report["compliance"][key]
    ]
    km = sql_report["time_to_first_reoffence"]
    if km["events"] != pandas_report["km_events"]:
        differences.append(f"km events: {km['events']} vs {pandas_report['km_events']}")
    if km["median_days"] != pandas_report["km_median_days"]:
        differences.append(f"km median: {km['median_days']} vs {pandas_report['km_median_days']}")
    return True if not differences else "; ".join(differences)
