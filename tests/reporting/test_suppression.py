"""Suppression as the dashboard's tables apply it (reporting.exports over
reporting.disclosure): hidden figures are the "[c]" marker, never the number."""

import pytest

from reporting.exports import (
    SUPPRESSED,
    Suppressed,
    dashboard_tables,
    json_value,
    mask_compliance,
    mask_figures,
)
from reporting.selectors import cohort_figures, compliance_figures


def figures(complete, reoffenders, pending=0):
    return cohort_figures(
        people=complete + pending,
        complete=complete,
        reoffenders=reoffenders,
        reoffences=reoffenders,
    )


def group(label, complete, reoffenders, pending=0, complied=None, failed=0):
    complied = complete if complied is None else complied
    return {
        "group": label,
        "label": label,
        **figures(complete, reoffenders, pending),
        "compliance": compliance_figures(
            cautions=complied + failed, complied=complied, failed=failed
        ),
    }


def report_of(groups):
    """A report whose force total is the sum of its groups (every dimension the same)."""
    complete = sum(g["cohort_size"] for g in groups)
    total = group(
        "all",
        complete,
        sum(g["reoffenders"] for g in groups),
        sum(g["pending_follow_up"] for g in groups),
        sum(g["compliance"]["complied"] for g in groups),
        sum(g["compliance"]["failed"] for g in groups),
    )
    from reporting.selectors import DIMENSIONS

    return {
        **total,
        "cautions_given": total["compliance"]["cautions"],
        "compliance": total["compliance"],
        "time_to_first_reoffence": {"km": [], "people": 0, "events": 0, "median_days": None},
        "breakdowns": {dimension: groups for dimension, _ in DIMENSIONS},
    }


def test_large_cells_are_shown():
    out = mask_figures(figures(40, 10, pending=6), set())
    assert (out["cohort_size"], out["reoffenders"], out["binary_rate"]) == (40, 10, 0.25)


def test_hidden_reoffenders_hide_every_figure_made_from_them():
    out = mask_figures(figures(40, 2), {"reoffenders"})
    for key in [
        "reoffenders",
        "reoffences",
        "binary_rate",
        "binary_rate_ci95",
        "reoffences_per_offender",
        "reoffences_per_reoffender",
    ]:
        assert isinstance(out[key], Suppressed)
        assert out[key] == "[c]"
    assert out["cohort_size"] == 40


def test_hidden_failures_hide_the_compliance_rate():
    out = mask_compliance({"cautions": 30, "complied": 27, "failed": 3, "rate": 0.9}, {"failed"})
    assert (out["failed"], out["rate"], out["complied"]) == ("[c]", "[c]", 27)


def test_json_marks_a_hidden_figure():
    assert json_value(SUPPRESSED) == {"suppressed": True}
    assert json_value(0.25) == 0.25


@pytest.mark.parametrize(("small", "shown"), [(4, False), (5, True)])
def test_a_table_hides_a_small_group_and_a_second_one_so_the_total_does_not_give_it(small, shown):
    groups = [group("A", 40, 20), group("B", 30, 15), group("C", small, 0)]
    table = dashboard_tables(report_of(groups), 5)["breakdown-district"]
    rows = {row[0]: row for row in table.display_rows}
    # Column 5: people measured.
    assert (rows["C"][5] == str(small)) is shown
    hidden = [label for label, row in rows.items() if row[5] == "[c]"]
    assert hidden == ([] if shown else ["B", "C"])  # B (30) is the next smallest
