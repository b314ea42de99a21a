"""Propensity score matching, framework-free (numpy, pandas, statsmodels): the statistics of
the matched comparison (reporting.comparison; README, "Matched comparison").

- `fit_logit`: the logit of the propensity score from a logistic regression of treatment on
  the covariates (categories as indicators, the first level of each left out as reference).
  The people are grouped by their covariate pattern first and the model is fitted to the
  patterns' counts (a binomial GLM): the same maximum likelihood estimate as one row per
  person, from a matrix of the patterns (usually far fewer than the people, so it stays small
  at a million people), and people with the same covariates get exactly the same logit, so
  that ties are ties.
- `match_nearest`: 1:1 nearest neighbour on the logit, with replacement, within a caliper;
  ties go to the lowest person id.
- `att_difference`: the difference in mean outcome (treated minus matched comparison) with
  the Abadie and Imbens (2006) variance for matching estimators with replacement.
- `smd`: standardised mean differences before and after matching.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy.stats import norm
from statsmodels.tools.sm_exceptions import PerfectSeparationWarning

# A coefficient beyond this (a factor of e^25 in the odds) means the model ran away: the
# groups are (quasi-)separated even when statsmodels did not say so.
RUNAWAY_COEFFICIENT = 25.0
# Logits are rounded to this many decimals, so that equal covariates give equal values.
LOGIT_DECIMALS = 10


class ModelNotEstimable(ValueError):
    """The propensity model cannot be fitted; the message says why, for a reader."""


def design(frame: pd.DataFrame, numeric: list[str], categorical: list[str]):
    """(matrix, column names): the numeric columns as they are and one indicator per level of
    each categorical column but its first (sorted), the reference; no constant. Levels absent
    from the data have no column."""
    parts = [frame[numeric].to_numpy(dtype=float)]
    columns = list(numeric)
    for name in categorical:
        codes, levels = pd.factorize(frame[name], sort=True)
        for level_code in range(1, len(levels)):
            parts.append((codes == level_code).astype(float)[:, None])
            columns.append(f"{name}:{levels[level_code]}")
    return np.hstack(parts), columns


def _separating_columns(
    matrix: np.ndarray, n_treated: np.ndarray, n_pool: np.ndarray, columns: list[str]
) -> list[str]:
    """Indicators present in one group only: each alone separates the groups."""
    found = []
    for i, name in enumerate(columns):
        if ":" not in name:
            continue
        present = matrix[:, i] > 0
        in_treated, in_pool = bool(n_treated[present].sum()), bool(n_pool[present].sum())
        if in_treated != in_pool:
            found.append(f"{name} ({'only treated' if in_treated else 'only comparison pool'})")
    return found


def fit_logit(
    frame: pd.DataFrame, treated: np.ndarray, numeric: list[str], categorical: list[str]
) -> np.ndarray:
    """The fitted logit of the propensity score of each row of `frame` (rounded to
    LOGIT_DECIMALS), `treated` being 1 for the treated and 0 for the pool.

    The rows are grouped by covariate pattern and the model fitted to the patterns' counts.
    Raises ModelNotEstimable when a covariate separates the groups or the covariates are
    collinear (a singular information matrix)."""
    keys = numeric + categorical
    pattern = frame.groupby(keys, sort=False, observed=True, dropna=False).ngroup().to_numpy()
    n_patterns = int(pattern.max()) + 1 if len(pattern) else 0
    first = np.full(n_patterns, len(pattern))
    np.minimum.at(first, pattern, np.arange(len(pattern)))
    n_treated = np.bincount(pattern, weights=treated, minlength=n_patterns)
    n_pool = np.bincount(pattern, minlength=n_patterns) - n_treated
    matrix, columns = design(frame.iloc[first], numeric, categorical)
    separating = _separating_columns(matrix, n_treated, n_pool, columns)
    if separating:
        raise ModelNotEstimable(
            "The propensity model cannot be fitted: perfect separation, a covariate level is "
            f"found in one group only: {', '.join(separating[:10])}"
        )
    exog = np.hstack([np.ones((n_patterns, 1)), matrix])
    gram = exog.T @ (exog * (n_treated + n_pool)[:, None])
    if np.linalg.matrix_rank(gram) < exog.shape[1]:
        raise ModelNotEstimable(
            "The propensity model cannot be fitted: the covariates are collinear (a singular "
            "matrix), for example a covariate with the same value for everyone"
        )
    params = _fit(np.column_stack([n_treated, n_pool]), exog)
    return np.round(exog @ params, LOGIT_DECIMALS)[pattern]


def _fit(endog: np.ndarray, exog: np.ndarray) -> np.ndarray:
    # statsmodels' PerfectSeparationWarning is not used: on grouped counts it also fires when
    # the fit reproduces every pattern's proportion (a saturated model, e.g. identical groups),
    # which is not separation. Separation shows as coefficients running away instead.
    # A runaway fit overflows exp(): that is the separation reported below, not a warning.
    with warnings.catch_warnings(), np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", PerfectSeparationWarning)
        try:
            result = sm.GLM(endog, exog, family=sm.families.Binomial()).fit(
                maxiter=100, wls_method="qr"
            )
        except (np.linalg.LinAlgError, ValueError) as error:
            raise ModelNotEstimable(f"The propensity model cannot be fitted: {error}") from None
    params = np.asarray(result.params)
    if not np.all(np.isfinite(params)) or np.max(np.abs(params)) > RUNAWAY_COEFFICIENT:
        raise ModelNotEstimable(
            "The propensity model cannot be fitted: the covariates (nearly) separate the "
            "treated from the comparison pool (perfect separation)"
        )
    if not result.converged:
        raise ModelNotEstimable("The propensity model cannot be fitted: it did not converge")
    return params


@dataclass(frozen=True)
class Matches:
    control: np.ndarray  # per treated person: the index of their match in the controls, or -1
    caliper: float

    @property
    def matched(self) -> np.ndarray:
        return self.control >= 0

    def uses(self, n_controls: int) -> np.ndarray:
        """How many times each control was matched (K_M(i) of Abadie and Imbens)."""
        chosen = self.control[self.matched]
        return np.bincount(chosen, minlength=n_controls)


def _nearest(values: np.ndarray, first_ids: np.ndarray, targets: np.ndarray):
    """For each target, the position in the sorted distinct `values` of the nearest, ties to
    the lower id of `first_ids`, and the distance."""
    j = np.searchsorted(values, targets, side="left")
    below = np.clip(j - 1, 0, len(values) - 1)
    above = np.clip(j, 0, len(values) - 1)
    d_below = np.where(j > 0, targets - values[below], np.inf)
    d_above = np.where(j < len(values), values[above] - targets, np.inf)
    take_above = (d_above < d_below) | (
        (d_above == d_below) & (first_ids[above] < first_ids[below])
    )
    return np.where(take_above, above, below), np.minimum(d_below, d_above)


def match_nearest(
    treated_logit: np.ndarray,
    control_logit: np.ndarray,
    control_ids: np.ndarray,
    caliper: float,
) -> Matches:
    """1:1 nearest neighbour on the logit with replacement, within `caliper`; of controls
    equally near, the one with the lowest id."""
    if len(control_logit) == 0:
        return Matches(np.full(len(treated_logit), -1), caliper)
    order = np.lexsort((control_ids, control_logit))
    sorted_logit = control_logit[order]
    # Distinct values, each with its first (lowest id) control.
    starts = np.flatnonzero(np.r_[True, sorted_logit[1:] != sorted_logit[:-1]])
    values, first = sorted_logit[starts], order[starts]
    position, distance = _nearest(values, control_ids[first], treated_logit)
    control = np.where(distance <= caliper, first[position], -1)
    return Matches(control, caliper)


def _control_variance(logit: np.ndarray, ids: np.ndarray, outcome: np.ndarray) -> np.ndarray:
    """sigma^2(X_i, 0) of each control, estimated from its nearest other control on the logit
    (J = 1 in Abadie and Imbens 2006, eq. 14): (Y_i - Y_l)^2 / 2; ties to the lower id."""
    n = len(logit)
    if n < 2:
        return np.zeros(n)
    order = np.lexsort((ids, logit))
    s_logit, s_y, s_id = logit[order], outcome[order], ids[order]
    d_prev = np.r_[np.inf, np.diff(s_logit)]
    d_next = np.r_[np.diff(s_logit), np.inf]
    prev_y, next_y = np.r_[s_y[:1], s_y[:-1]], np.r_[s_y[1:], s_y[-1:]]
    prev_id, next_id = np.r_[s_id[:1], s_id[:-1]], np.r_[s_id[1:], s_id[-1:]]
    take_next = (d_next < d_prev) | ((d_next == d_prev) & (next_id < prev_id))
    neighbour_y = np.where(take_next, next_y, prev_y)
    variance = np.empty(n)
    variance[order] = (s_y - neighbour_y) ** 2 / 2
    return variance


def _p_value(difference: float, se: float) -> float:
    """Two-sided, normal. se = 0: every matched pair has the same difference."""
    if se > 0:
        return float(2 * norm.sf(abs(difference) / se))
    return 1.0 if difference == 0 else 0.0


@dataclass(frozen=True)
class Estimate:
    treated: float
    comparison: float
    difference: float
    se: float
    ci_low: float
    ci_high: float
    p_value: float


def att_difference(
    treated_y: np.ndarray,
    control_y: np.ndarray,
    matches: Matches,
    control_logit: np.ndarray,
    control_ids: np.ndarray,
) -> Estimate:
    """Mean outcome of the matched treated minus that of their matches, with the Abadie and
    Imbens (2006) variance of the matching estimator of the effect on the treated, with
    replacement and M = 1: V = (1/N1^2) [sum over matched treated of (Y_i - Y_m(i) - tau)^2
    + sum over controls of K_i (K_i - 1) sigma^2_i], the second term counting the reuse of
    controls. 95% normal interval and two-sided p-value."""
    matched = matches.matched
    y1 = treated_y[matched].astype(float)
    y0 = control_y[matches.control[matched]].astype(float)
    n1 = len(y1)
    tau = float(np.mean(y1 - y0))
    uses = matches.uses(len(control_y)).astype(float)
    reused = uses > 1
    # Each reused control's nearest other control is sought among all the controls.
    sigma2 = _control_variance(control_logit, control_ids, control_y.astype(float))[reused]
    variance = (
        np.sum((y1 - y0 - tau) ** 2) + np.sum(uses[reused] * (uses[reused] - 1) * sigma2)
    ) / n1**2
    se = math.sqrt(max(variance, 0.0))
    z = norm.ppf(0.975)
    return Estimate(
        treated=float(np.mean(y1)),
        comparison=float(np.mean(y0)),
        difference=tau,
        se=se,
        ci_low=float(tau - z * se),
        ci_high=float(tau + z * se),
        p_value=_p_value(tau, se),
    )


def smd(
    treated_x: np.ndarray,
    control_x: np.ndarray,
    matched_treated_x: np.ndarray,
    matched_control_x: np.ndarray,
    control_weights: np.ndarray,
) -> tuple[float, float]:
    """(before, after): the difference in means over the square root of the mean of the two
    groups' variances before matching; after matching the controls are weighted by how many
    times they were matched. 0 when the covariate is constant in both groups before."""
    var_t = float(np.var(treated_x, ddof=1)) if len(treated_x) > 1 else 0.0
    var_c = float(np.var(control_x, ddof=1)) if len(control_x) > 1 else 0.0
    scale = math.sqrt((var_t + var_c) / 2)
    before = float(np.mean(treated_x) - np.mean(control_x))
    after = float(
        np.mean(matched_treated_x) - np.average(matched_control_x, weights=control_weights)
    )
    if scale == 0:
        return 0.0, 0.0
    return before / scale, after / scale
