"""Small-cell suppression: counts of 1 to REPORT_MIN_CELL - 1 people never appear."""

import pytest

from reporting.exports import Suppressed, suppress_compliance, suppress_figures
from reporting.selectors import cohort_figures


def figures(complete, reoffenders, pending=0):
    return cohort_figures(
        people=complete + pending,
        complete=complete,
        reoffenders=reoffenders,
        reoffences=reoffenders,
    )


def test_large_cells_are_shown():
    out = suppress_figures(figures(40, 10, pending=6), 5)
    assert out["cohort_size"] == 40
    assert out["reoffenders"] == 10
    assert out["binary_rate"] == 0.25
    assert out["pending_follow_up"] == 6


@pytest.mark.parametrize(
    ("complete", "reoffenders", "pending"),
    [(3, 0, 0), (40, 2, 0), (40, 37, 0)],  # small cohort; few reoffenders; few non-reoffenders
)
def test_small_cells_and_what_they_would_reveal_are_suppressed(complete, reoffenders, pending):
    out = suppress_figures(figures(complete, reoffenders, pending), 5)
    for key in ["reoffenders", "reoffences", "binary_rate", "binary_rate_ci95"]:
        assert isinstance(out[key], Suppressed)
        assert out[key] == "fewer than 5"


def test_zero_is_not_a_small_cell_and_pending_is_suppressed_on_its_own():
    out = suppress_figures(figures(20, 0, pending=2), 5)
    assert out["reoffenders"] == 0
    assert out["pending_follow_up"] == "fewer than 5"
    assert out["cohort_size"] == 20


def test_compliance_suppression():
    out = suppress_compliance({"cautions": 30, "complied": 27, "failed": 3, "rate": 0.9}, 5)
    assert out["failed"] == "fewer than 5"
    assert out["rate"] == "fewer than 5"
    assert out["complied"] == 27
