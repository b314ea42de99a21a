"""The matched comparison's statistics (hub.lib.psmatch), without a database: the caliper on
both sides, ties to the lowest id, the Abadie-Imbens variance by hand, the SMD's denominator,
and the propensity model's refusals."""

import math

import numpy as np
import pandas as pd
import pytest

from hub.lib import psmatch


def test_caliper_is_inclusive_and_ties_go_to_the_lowest_id():
    controls = np.array([1.0, 1.0, 2.0])
    ids = np.array([30, 10, 20])
    matches = psmatch.match_nearest(np.array([1.0, 1.5, 2.5, 2.6]), controls, ids, 0.5)
    # 1.0: the two at 1.0, id 10 (index 1) wins; 1.5: equally near 1.0 (id 10) and 2.0
    # (id 20): id 10; 2.5: 0.5 from 2.0, inside (inclusive); 2.6: outside.
    assert matches.control.tolist() == [1, 1, 2, -1]
    assert matches.uses(3).tolist() == [0, 2, 1]


def test_att_difference_and_abadie_imbens_variance_by_hand():
    treated_y = np.array([1, 0, 1, 0])
    control_y = np.array([0, 1, 0])
    control_logit = np.array([0.0, 0.1, 1.0])
    ids = np.array([1, 2, 3])
    matches = psmatch.Matches(np.array([0, 0, 1, 2]), caliper=1.0)
    estimate = psmatch.att_difference(treated_y, control_y, matches, control_logit, ids)
    # Pairs: (1-0), (0-0), (1-1), (0-0): tau = 0.25.
    assert estimate.difference == pytest.approx(0.25)
    # Control 0 is used twice (K = 2): sigma^2 from its nearest other control (logit 0.1,
    # y = 1): (0 - 1)^2 / 2 = 0.5. V = [sum (d - tau)^2 + K(K-1) sigma^2] / N1^2
    #   = [(0.75^2 + 0.25^2 * 3) + 2 * 0.5] / 16.
    variance = ((0.75**2 + 3 * 0.25**2) + 2 * 0.5) / 16
    assert estimate.se == pytest.approx(math.sqrt(variance))
    assert estimate.ci_low == pytest.approx(0.25 - 1.959964 * math.sqrt(variance), abs=1e-6)
    assert 0 < estimate.p_value < 1


def test_smd_denominator_is_the_pooled_variance_before_matching():
    treated = np.array([1.0, 2.0, 3.0])
    control = np.array([2.0, 4.0, 6.0])
    before, after = psmatch.smd(treated, control, treated, np.array([2.0]), np.array([3]))
    scale = math.sqrt((1.0 + 4.0) / 2)
    assert before == pytest.approx((2.0 - 4.0) / scale)
    assert after == pytest.approx((2.0 - 2.0) / scale)


def _frame(n=200, seed=1):
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "age": rng.integers(18, 60, n),
            "sex": rng.choice(["male", "female"], n),
            "category": rng.choice(["theft", "shoplifting", "damage"], n),
        }
    )


def test_a_level_in_one_group_only_is_perfect_separation():
    frame = _frame()
    treated = (frame["category"] == "theft").to_numpy(float)
    with pytest.raises(psmatch.ModelNotEstimable, match=r"perfect separation.*category:theft"):
        psmatch.fit_logit(frame, treated, ["age"], ["sex", "category"])


def test_a_constant_covariate_is_a_singular_matrix():
    frame = _frame().assign(gravity=2)
    treated = np.r_[np.ones(100), np.zeros(100)]
    with pytest.raises(psmatch.ModelNotEstimable, match="collinear"):
        psmatch.fit_logit(frame, treated, ["age", "gravity"], ["sex"])


def test_a_numeric_covariate_separating_the_groups_is_refused():
    frame = _frame()
    treated = (frame["age"] < 35).to_numpy(float)
    with pytest.raises(psmatch.ModelNotEstimable, match="separate"):
        psmatch.fit_logit(frame, treated, ["age"], ["sex"])


def test_people_with_the_same_covariates_get_the_same_logit():
    frame = pd.concat([_frame(), _frame()], ignore_index=True)
    treated = np.r_[np.random.default_rng(2).integers(0, 2, 200), np.zeros(200)]
    logit = psmatch.fit_logit(frame, treated, ["age"], ["sex", "category"])
    assert np.array_equal(logit[:200], logit[200:])
