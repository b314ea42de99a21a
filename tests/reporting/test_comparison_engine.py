"""The matched comparison's engine (reporting.comparison) on synthetic data with a planted
effect and planted confounding (demo.comparison_synthetic)."""

import datetime as dt

import pytest

from demo.comparison_synthetic import build_comparison_data
from reporting.comparison import comparison_report

AS_OF = dt.date(2025, 12, 31)


@pytest.fixture
def planted(db):
    return build_comparison_data(treated=1500, pool=6000, effect=-0.10)


def test_matched_estimate_recovers_the_planted_effect(planted):
    report = comparison_report(date_from=planted.date_from, date_to=planted.date_to, as_of=AS_OF)
    rate = report["rate"]
    assert report["treated"]["n"] == 1500
    assert report["treated"]["matched"] + report["treated"]["unmatched"] == 1500
    assert rate["ci_low"] <= planted.effect <= rate["ci_high"]
    unadjusted = report["unadjusted"]["difference"]
    assert not rate["ci_low"] <= unadjusted <= rate["ci_high"]
    assert report["balance_ok"]
    assert all(abs(row["smd_after"]) <= 0.1 for row in report["balance"])
    assert any(abs(row["smd_before"]) > 0.1 for row in report["balance"])
