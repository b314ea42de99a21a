"""Disclosure control of the matched comparison (reporting.disclosure's rules, DECISIONS:
every published figure). The API and the dashboard publish `published_comparison(report)`;
the `comparison_report` command prints exact figures for the force's analysts (as
`reoffending_report` does).

Counts of people (the groups' sizes, the matched and unmatched, those pending follow-up, the
reoffenders behind each rate) from 1 to k - 1 are hidden, with the complementary cells that
would give them away (treated n = matched + unmatched; reoffenders + non-reoffenders = the
group). A rate, difference, interval, p-value or frequency computed from a hidden count is
hidden. A hidden figure is {"suppressed": true}. The standardised mean differences are
published: each is a difference of two group means scaled by their spread, which does not
give back a count of people.
"""

from __future__ import annotations

import copy

from django.conf import settings

from reporting.disclosure import Line, primary, protect

SUPPRESSED = {"suppressed": True}
# Published count -> (group, key) in the report.
_COUNTS = {
    "t_n": ("treated", "n"),
    "t_matched": ("treated", "matched"),
    "t_unmatched": ("treated", "unmatched"),
    "t_pending": ("treated", "pending_follow_up"),
    "t_no_age": ("treated", "age_not_recorded"),
    "c_n": ("comparison_pool", "n"),
    "c_matched_unique": ("comparison_pool", "matched_unique"),
    "c_pending": ("comparison_pool", "pending_follow_up"),
}


def _cells(report: dict) -> dict[str, int]:
    treated, pool, unadjusted = report["treated"], report["comparison_pool"], report["unadjusted"]
    cells = {name: report[group][key] for name, (group, key) in _COUNTS.items()}
    cells |= {
        "t_reoffenders": treated["reoffenders_matched"],
        "t_non_reoffenders": treated["matched"] - treated["reoffenders_matched"],
        # Matched comparison people counted once per match.
        "c_reoffenders": pool["reoffenders_matched"],
        "c_non_reoffenders": treated["matched"] - pool["reoffenders_matched"],
        "u_t_reoffenders": unadjusted["treated_reoffenders"],
        "u_t_non_reoffenders": treated["n"] - unadjusted["treated_reoffenders"],
        "u_c_reoffenders": unadjusted["comparison_reoffenders"],
        "u_c_non_reoffenders": pool["n"] - unadjusted["comparison_reoffenders"],
    }
    return cells


def _hidden(cells: dict[str, int], k: int) -> set[str]:
    lines = [
        Line("t_n", ("t_matched", "t_unmatched")),
        Line("t_matched", ("t_reoffenders", "t_non_reoffenders")),
        Line("t_matched", ("c_reoffenders", "c_non_reoffenders")),
        Line("t_n", ("u_t_reoffenders", "u_t_non_reoffenders")),
        Line("c_n", ("u_c_reoffenders", "u_c_non_reoffenders")),
    ]
    hide = [name for name, value in cells.items() if primary(value, k)]
    return protect(cells, lines, hide)


def published_comparison(report: dict, k: int | None = None) -> dict:
    """A copy of `report` with the figures that small cells would disclose replaced by
    {"suppressed": true}; the reoffender counts behind the rates are not published."""
    k = settings.REPORT_MIN_CELL if k is None else k
    hidden = _hidden(_cells(report), k)
    out = copy.deepcopy(report)
    for name, (group, key) in _COUNTS.items():
        if name in hidden:
            out[group][key] = SUPPRESSED
    for group in ("treated", "comparison_pool"):
        out[group].pop("reoffenders_matched", None)
    for key in ("treated_reoffenders", "comparison_reoffenders"):
        out["unadjusted"].pop(key, None)
    rate_hidden = {
        "treated": {"t_reoffenders", "t_non_reoffenders", "t_matched"} & hidden,
        "comparison": {"c_reoffenders", "c_non_reoffenders", "t_matched"} & hidden,
    }
    for side, sources in rate_hidden.items():
        if sources:
            out["rate"][side] = SUPPRESSED
            out["frequency_per_100"][side] = SUPPRESSED
    if any(rate_hidden.values()):
        for key in ("difference", "ci_low", "ci_high", "p_value", "standard_error"):
            out["rate"][key] = SUPPRESSED
    unadjusted_hidden = {
        "treated": {"u_t_reoffenders", "u_t_non_reoffenders", "t_n"} & hidden,
        "comparison": {"u_c_reoffenders", "u_c_non_reoffenders", "c_n"} & hidden,
    }
    for side, sources in unadjusted_hidden.items():
        if sources:
            out["unadjusted"][side] = SUPPRESSED
    if any(unadjusted_hidden.values()):
        out["unadjusted"]["difference"] = SUPPRESSED
    return out
