"""hub.lib.stats against values worked out by hand (the arithmetic is in each test)."""

import math

import pytest

from hub.lib.stats import Z95, kaplan_meier, km_median, ratio, wilson_interval


def test_wilson_two_out_of_ten():
    # p = 0.2, n = 10, z² = 3.841458820694124
    # denominator = 1 + z²/n = 1.3841458820694124
    # centre = (0.2 + z²/20) / denominator = 0.3920729410347062 / 1.3841458820694124
    #        = 0.283261...
    # half = z / denominator * sqrt(0.2*0.8/10 + z²/400)
    #      = 1.416007... * sqrt(0.016 + 0.009603647051735) = 1.416007... * 0.160011...
    #      = 0.226577...
    # -> (0.05668, 0.50984), the textbook Wilson interval for 2/10.
    low, high = wilson_interval(2, 10)
    z2 = Z95**2
    denominator = 1 + z2 / 10
    centre = (0.2 + z2 / 20) / denominator
    half = Z95 / denominator * math.sqrt(0.016 + z2 / 400)
    assert low == pytest.approx(centre - half, abs=1e-12)
    assert high == pytest.approx(centre + half, abs=1e-12)
    assert low == pytest.approx(0.05668, abs=5e-5)
    assert high == pytest.approx(0.50984, abs=5e-5)


def test_wilson_no_successes_has_closed_form():
    # With x = 0: centre = half = z² / (2(n + z²)), so low = 0 and high = z² / (n + z²).
    # n = 10: 3.841458820694124 / 13.841458820694124 = 0.277533...
    low, high = wilson_interval(0, 10)
    assert low == pytest.approx(0.0, abs=1e-12)
    assert high == pytest.approx(3.841458820694124 / 13.841458820694124)
    assert high == pytest.approx(0.27753, abs=5e-5)


def test_wilson_all_successes_mirrors_none():
    low, high = wilson_interval(10, 10)
    assert high == pytest.approx(1.0)
    assert low == pytest.approx(1 - 3.841458820694124 / 13.841458820694124)


def test_wilson_empty_and_invalid():
    assert wilson_interval(0, 0) is None
    with pytest.raises(ValueError, match="between"):
        wilson_interval(3, 2)


def test_ratio_is_null_on_zero_denominator():
    assert ratio(1, 4) == 0.25
    assert ratio(0, 0) is None


def test_kaplan_meier_worked_example():
    # Six people: event at day 3; at day 5 one event and one censored; two events at day 8;
    # one censored at day 10.
    # t=3: at risk 6, S = 1 x (1 - 1/6) = 5/6; then 5 remain.
    # t=5: at risk 5 (the censored one is still at risk), S = 5/6 x (1 - 1/5) = 2/3;
    #      then 3 remain.
    # t=8: at risk 3, S = 2/3 x (1 - 2/3) = 2/9; then 1 remains, censored at 10 (no step).
    counts = [(5, 1, 1), (3, 1, 0), (8, 2, 0), (10, 0, 1)]
    steps = kaplan_meier(counts)
    assert [t for t, _ in steps] == [3, 5, 8]
    assert [s for _, s in steps] == pytest.approx([5 / 6, 2 / 3, 2 / 9])
    # Median: first event time with S <= 0.5 is day 8 (S(5) = 0.667 > 0.5).
    assert km_median(steps) == 8


def test_kaplan_meier_rows_for_the_same_day_are_added_and_exact_half_is_the_median():
    # Four people: events at days 1 and 2, two censored at day 3.
    # S(1) = 3/4; S(2) = 3/4 x (1 - 1/3) = 1/2 exactly -> median 2.
    steps = kaplan_meier([(1, 1, 0), (2, 1, 0), (3, 0, 1), (3, 0, 1)])
    assert steps == [(1, pytest.approx(0.75)), (2, pytest.approx(0.5))]
    assert km_median(steps) == 2


def test_kaplan_meier_without_events_has_no_steps_and_no_median():
    assert kaplan_meier([(365, 0, 4)]) == []
    assert kaplan_meier([]) == []
    assert km_median([(10, 0.9)]) is None


def test_kaplan_meier_with_no_censoring_equals_the_binary_rate():
    # 10 people, 3 events (days 20, 20, 100), 7 followed to day 365:
    # S = (1 - 2/10) x (1 - 1/8) = 0.8 x 0.875 = 0.7 = 1 - 3/10.
    steps = kaplan_meier([(20, 2, 0), (100, 1, 0), (365, 0, 7)])
    assert 1 - steps[-1][1] == pytest.approx(0.3)
