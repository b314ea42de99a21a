"""The matched comparison (issue 19): the hub's proven reoffending against similar people who
were not diverted, as the Justice Data Lab measures it. Indicative, and labelled so.

`comparison_report(date_from=, date_to=, as_of=)` returns the figures (exact: the command
prints them for analysts; the API and the dashboard publish `published_comparison` of them,
reporting.comparison_disclosure). Fewer than MINIMUM_MATCHED matched treated people raise
TooFewMatched; a propensity model that cannot be fitted raises ModelNotEstimable. Both are
ComparisonUnavailable, whose message says why in words.

Method (README, "Matched comparison"; definitions in reporting.comparison_sql):
1. Each group's people are read by one SQL statement, streamed into numpy arrays.
2. Only people whose follow-up is complete on as_of (index + 18 months) are compared; the
   others are counted as pending_follow_up. Treated people without a recorded age at caution
   cannot be matched and are counted apart (age_not_recorded).
3. hub.lib.psmatch: the logit of a propensity score from a logistic regression (statsmodels)
   of treatment on the covariates; 1:1 nearest neighbour matching on it with replacement
   within 0.2 standard deviations of the logit over both groups; ties to the lowest person id.
4. Balance: standardised mean differences before and after, each category level on its own.
5. The difference in one-year proven reoffending (treated minus matched comparison), with the
   Abadie-Imbens (2006) variance for matching with replacement.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import numpy as np
import pandas as pd
from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from django.utils import timezone

from hub.db_router import reporting_database
from hub.lib import psmatch
from hub.models import District, OffenceCategory
from reporting.comparison_sql import COLUMNS, pool_statement, treated_statement
from reporting.selectors import data_version, last_reoffence_import

# The Justice Data Lab's minimum size of a matched treatment group.
MINIMUM_MATCHED = 60
CALIPER_SD = 0.2
BALANCE_LIMIT = 0.1
FETCH_ROWS = 50_000
WORK_MEM = "256MB"

NUMERIC = ["age", "gravity_score", "prior_proven_offences"]
CATEGORICAL = ["sex", "ethnicity", "district", "offence_category"]

METHOD = {
    "propensity_model": (
        "logistic regression of treatment on age, sex, ethnicity group, district, offence "
        "category, gravity score and prior proven offences (statsmodels GLM, binomial, logit "
        "link; categories as indicators, the first level of each the reference)"
    ),
    "matching": (
        "1:1 nearest neighbour on the logit of the propensity score, with replacement, within "
        "a caliper of 0.2 standard deviations of the logit over treated and pool together; "
        "ties to the lowest person id"
    ),
    "balance": (
        "standardised mean difference: difference in means over the square root of the mean "
        "of the two groups' variances before matching; matched comparison people weighted by "
        "the number of times they were matched; flagged above 0.1"
    ),
    "variance": (
        "Abadie and Imbens (2006), 'Large sample properties of matching estimators for "
        "average treatment effects', Econometrica 74(1): 235-267: the variance of the "
        "matching estimator of the effect on the treated with replacement (M = 1), counting "
        "the reuse of comparison people, the conditional variance estimated from each "
        "comparison person's nearest other comparison person; normal 95% interval and "
        "two-sided p-value. It treats the propensity score as known (Abadie and Imbens 2016 "
        "adjust for its estimation, which usually narrows the interval for this estimand)"
    ),
    "reference": "Justice Data Lab methodology (Ministry of Justice), minimum 60 matched",
}

CAVEAT = (
    "Indicative only. People diverted to the hub are compared with people not diverted who "
    "were similar in what is recorded: age, sex, ethnicity group, district, offence category, "
    "gravity score and previous proven offences. Anything else that influenced who was "
    "diverted (motivation, circumstances, an officer's judgement) is not matched and can bias "
    "the difference. Reoffending is counted from the imported police national records only, "
    "so the figures are only as complete as those records."
)


class ComparisonUnavailable(Exception):
    """No estimate can be given; str() says why, for a reader."""


class TooFewMatched(ComparisonUnavailable):
    """Fewer than `minimum` treated people were matched (the Justice Data Lab's minimum)."""

    def __init__(self, matched: int, minimum: int = MINIMUM_MATCHED, *, treated: int | None = None):
        self.matched = matched
        self.minimum = minimum
        found = (
            f"Only {treated} treated people have complete follow-up"
            if treated is not None
            else f"Only {matched} treated people could be matched"
        )
        super().__init__(
            f"{found}: the comparison needs at least {minimum} matched treated people (the "
            "Justice Data Lab's minimum), so no estimate is given"
        )


class ModelNotEstimable(ComparisonUnavailable):
    """The propensity model cannot be fitted (perfect separation, collinear covariates)."""


def default_as_of() -> dt.date:
    """The date of the last reoffence import (as on the dashboard), else today."""
    last = last_reoffence_import()
    today = timezone.localdate()
    return min(today, timezone.localdate(last)) if last else today


# ------------------------------------------------------------------------------ cached
# Cached as the reoffending report is (reporting.selectors): keyed on the arguments and the
# data version, plus the comparison pool's own version (its newest import and record, and its
# size, which retention disposal lowers).
COMPARISON_CACHE_PREFIX = "reporting:comparison:1"


def _pool_version() -> tuple:
    with connections[reporting_database()].cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT MAX(id) FROM reporting_comparisonbatch), "
            "(SELECT MAX(id) FROM reporting_comparisonrecord), "
            "(SELECT COUNT(*) FROM reporting_comparisonrecord)"
        )
        return tuple(cursor.fetchone())


def comparison_cache_key(*, date_from: dt.date, date_to: dt.date, as_of: dt.date) -> str:
    arguments = (date_from, date_to, as_of, data_version(), _pool_version())
    return f"{COMPARISON_CACHE_PREFIX}:{hashlib.sha256(repr(arguments).encode()).hexdigest()}"


def cached_comparison_report(*, date_from: dt.date, date_to: dt.date, as_of: dt.date) -> dict:
    """comparison_report(...) from the cache when nothing it depends on has changed; raises
    as comparison_report does (the refusal is cached too)."""
    key = comparison_cache_key(date_from=date_from, date_to=date_to, as_of=as_of)
    cached = cache.get(key)
    if cached is None:
        try:
            cached = {
                "report": comparison_report(date_from=date_from, date_to=date_to, as_of=as_of)
            }
        except TooFewMatched as error:
            cached = {"too_few": (error.matched, str(error))}
        except ModelNotEstimable as error:
            cached = {"not_estimable": str(error)}
        cache.set(key, cached, settings.REPORT_CACHE_SECONDS)
    if "too_few" in cached:
        error = TooFewMatched(cached["too_few"][0])
        error.args = (cached["too_few"][1],)
        raise error
    if "not_estimable" in cached:
        raise ModelNotEstimable(cached["not_estimable"])
    return cached["report"]


def _read(statement: tuple[str, dict]) -> pd.DataFrame:
    """The statement's rows as a DataFrame: on PostgreSQL streamed as CSV (COPY TO STDOUT)
    into pandas' C parser; elsewhere fetched in chunks. No model instances either way."""
    text, params = statement
    alias = reporting_database()
    connection = connections[alias]
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(text, params)
            return _from_rows(cursor)
        # For this transaction only: the settings' force_generic_plan (for the pages'
        # prepared queries) would plan these for unknown dates (minutes instead of seconds);
        # the planner's costs (a million rows) trigger JIT compilation, which took longer than
        # the statement; the sorts and hashes of a million people fit in a larger work_mem.
        cursor.execute(
            "SELECT set_config('plan_cache_mode', 'force_custom_plan', true), "
            "set_config('jit', 'off', true), set_config('work_mem', %s, true)",
            [WORK_MEM],
        )
        data = io.BytesIO()
        # COPY takes no server-side parameters: psycopg binds these (dates) on the client.
        with cursor.cursor.copy(f"COPY ({text}) TO STDOUT WITH (FORMAT csv)", params) as copy:
            for block in copy:
                data.write(block)
    data.seek(0)
    frame = pd.read_csv(
        data, names=COLUMNS, header=None, dtype={"sex": str, "ethnicity": str}, na_filter=True
    )
    return frame if len(frame) else _empty()


def _empty() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype="int64") for name in COLUMNS})


def _from_rows(cursor) -> pd.DataFrame:
    chunks = []
    while rows := cursor.fetchmany(FETCH_ROWS):
        chunks.append(pd.DataFrame.from_records(rows, columns=COLUMNS))
    return pd.concat(chunks, ignore_index=True) if chunks else _empty()


def _labelled(frame: pd.DataFrame, districts: dict, categories: dict) -> pd.DataFrame:
    """Levels as stored: the district's name and the offence category's key."""
    frame = frame.copy()
    frame["district"] = frame["district_id"].map(districts).astype(str)
    frame["offence_category"] = frame["category_id"].map(categories).astype(str)
    frame["reoffender"] = (frame["reoffences"] > 0).astype(int)
    return frame


def _balance(treated: pd.DataFrame, pool: pd.DataFrame, matches, uses) -> list[dict]:
    matched_t = treated[matches.matched]
    # The matched comparison people once each, weighted by their number of matches.
    used = uses > 0
    rows = []

    def add(name: str, t, c, mt, mc_values) -> None:
        before, after = psmatch.smd(t, c, mt, mc_values, uses[used])
        rows.append(
            {"covariate": name, "smd_before": round(before, 4), "smd_after": round(after, 4)}
        )

    for name in NUMERIC:
        t, c = treated[name].to_numpy(float), pool[name].to_numpy(float)
        add(name, t, c, matched_t[name].to_numpy(float), c[used])
    for name in CATEGORICAL:
        for level in sorted(set(treated[name]) | set(pool[name])):
            t = (treated[name] == level).to_numpy(float)
            c = (pool[name] == level).to_numpy(float)
            add(f"{name}:{level}", t, c, (matched_t[name] == level).to_numpy(float), c[used])
    return rows


def comparison_report(
    *, date_from: dt.date, date_to: dt.date, as_of: dt.date | None = None
) -> dict:
    """The matched comparison for people treated (or disposed of) in [date_from, date_to],
    measured on `as_of` (default: the last reoffence import). Exact figures; raises
    TooFewMatched below MINIMUM_MATCHED matched treated, ModelNotEstimable when the
    propensity model cannot be fitted."""
    as_of = as_of or default_as_of()
    vendor = connections[reporting_database()].vendor
    districts = dict(District.objects.using(reporting_database()).values_list("pk", "name"))
    categories = dict(OffenceCategory.objects.using(reporting_database()).values_list("pk", "key"))
    treated_all = _labelled(
        _read(treated_statement(date_from, date_to, as_of, vendor)), districts, categories
    )
    pool_all = _labelled(
        _read(pool_statement(date_from, date_to, as_of, vendor)), districts, categories
    )
    treated_complete = treated_all[treated_all["complete"] == 1]
    no_age = treated_complete["age"].isna()
    treated = treated_complete[~no_age].reset_index(drop=True)
    pool = pool_all[pool_all["complete"] == 1].reset_index(drop=True)
    counts = {
        "treated_pending": int(len(treated_all) - len(treated_complete)),
        "pool_pending": int(len(pool_all) - len(pool)),
        "age_not_recorded": int(no_age.sum()),
    }
    if len(treated) < MINIMUM_MATCHED:
        raise TooFewMatched(0, treated=len(treated))
    if len(pool) == 0:
        raise TooFewMatched(0)
    return _estimate(treated, pool, counts, date_from, date_to, as_of)


def _estimate(treated, pool, counts, date_from, date_to, as_of) -> dict:
    both = pd.concat([treated, pool], ignore_index=True)
    is_treated = np.r_[np.ones(len(treated)), np.zeros(len(pool))]
    try:
        logit = psmatch.fit_logit(both, is_treated, NUMERIC, CATEGORICAL)
    except psmatch.ModelNotEstimable as error:
        raise ModelNotEstimable(str(error)) from None
    del both
    caliper = CALIPER_SD * float(np.std(logit, ddof=1))
    t_logit, c_logit = logit[: len(treated)], logit[len(treated) :]
    c_ids = pool["id"].to_numpy()
    matches = psmatch.match_nearest(t_logit, c_logit, c_ids, caliper)
    matched = int(matches.matched.sum())
    if matched < MINIMUM_MATCHED:
        raise TooFewMatched(matched)
    uses = matches.uses(len(pool))
    t_y, c_y = treated["reoffender"].to_numpy(), pool["reoffender"].to_numpy()
    estimate = psmatch.att_difference(t_y, c_y, matches, c_logit, c_ids)
    balance = _balance(treated, pool, matches, uses)
    t_freq = treated["reoffences"].to_numpy(float)[matches.matched]
    c_freq = pool["reoffences"].to_numpy(float)[matches.control[matches.matched]]
    return {
        "window": {
            "from": date_from.isoformat(),
            "to": date_to.isoformat(),
            "as_of": as_of.isoformat(),
        },
        "treated": {
            "n": len(treated),
            "matched": matched,
            "unmatched": len(treated) - matched,
            "pending_follow_up": counts["treated_pending"],
            "age_not_recorded": counts["age_not_recorded"],
            "reoffenders_matched": int(t_y[matches.matched].sum()),
        },
        "comparison_pool": {
            "n": len(pool),
            "matched_unique": int((uses > 0).sum()),
            "pending_follow_up": counts["pool_pending"],
            "reoffenders_matched": int(c_y[matches.control[matches.matched]].sum()),
        },
        "balance": balance,
        "balance_ok": all(abs(row["smd_after"]) <= BALANCE_LIMIT for row in balance),
        "rate": {
            "treated": estimate.treated,
            "comparison": estimate.comparison,
            "difference": estimate.difference,
            "ci_low": estimate.ci_low,
            "ci_high": estimate.ci_high,
            "p_value": estimate.p_value,
            "standard_error": estimate.se,
        },
        "unadjusted": {
            "treated": float(t_y.mean()),
            "comparison": float(c_y.mean()),
            "difference": float(t_y.mean() - c_y.mean()),
            "treated_reoffenders": int(t_y.sum()),
            "comparison_reoffenders": int(c_y.sum()),
        },
        "frequency_per_100": {
            "treated": 100 * float(t_freq.mean()),
            "comparison": 100 * float(c_freq.mean()),
        },
        "caliper": caliper,
        "minimum_matched": MINIMUM_MATCHED,
        "method": METHOD,
        "caveat": CAVEAT,
    }
