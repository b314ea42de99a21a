"""The matched comparison (reporting.comparison) as the dashboard publishes it: disclosure
control on its counts and rates, the difference in plain words, the balance table and its
chart. Pure: from the snapshot's payload (reporting.published.comparison_payload).

Small cells: every count of people from 1 to k - 1 is hidden; a rate is hidden when the
number of people it implies on either side of the outcome (reoffended, not) is from 1 to
k - 1, since rate x matched people gives that count back; the difference and its interval
are hidden with either rate. Balance figures (standardised mean differences) describe whole
groups and are published.
"""

from dataclasses import dataclass, field

from reporting.exports import SUPPRESSED, Suppressed, Table, format_count, format_rate

MINIMUM_MATCHED = 60
SMD_LIMIT = 0.1


def _count(value: int, k: int):
    return SUPPRESSED if 0 < value < k else value


def _rate_hidden(rate: float | None, n: int, k: int) -> bool:
    if rate is None or n <= 0:
        return False
    yes = round(rate * n)
    return 0 < yes < k or 0 < n - yes < k


@dataclass
class ComparisonView:
    available: bool
    too_few: dict | None = None
    # Why there is no estimate, when the model cannot be fitted.
    unavailable: str = ""
    counts: dict = field(default_factory=dict)
    rate: dict = field(default_factory=dict)
    unadjusted: dict = field(default_factory=dict)
    words: str = ""
    unadjusted_words: str = ""
    balance_ok: bool = True
    caveat: str = ""
    balance_table: Table | None = None
    counts_table: Table | None = None
    chart: list = field(default_factory=list)
    chart_max: float = 0.5

    @property
    def tables(self) -> list[Table]:
        return [t for t in (self.counts_table, self.balance_table) if t is not None]


def _difference_words(rate: dict) -> str:
    diff = rate["difference"]
    if isinstance(diff, Suppressed):
        return (
            "The difference is not shown: it would reveal a group of fewer people than the limit."
        )
    points = abs(diff) * 100
    direction = "fewer" if diff < 0 else "more"
    low, high = rate["ci_low"] * 100, rate["ci_high"] * 100
    if low <= 0 <= high:
        meaning = (
            "The interval includes no difference, so the hub's effect could be none at all "
            "(not statistically significant"
        )
    else:
        meaning = "The interval excludes no difference (statistically significant"
    return (
        f"Of every 100 people diverted, about {points:.0f} {direction} proved to reoffend "
        f"within a year than among similar people not diverted ({diff * 100:+.1f} percentage "
        f"points; 95% interval {low:+.1f} to {high:+.1f}). {meaning}, p = {rate['p_value']:.3f})."
    )


def _counts_table(report: dict, k: int) -> Table:
    treated, pool = report["treated"], report["comparison_pool"]
    table = Table(
        "comparison-counts",
        "Compared with similar people not diverted: who is counted",
        ["Group", "People"],
    )
    table.rows = [
        ["Diverted people with complete follow-up", _count(treated["n"], k)],
        ["Diverted people matched", _count(treated["matched"], k)],
        [
            "Left out: no similar person found (outside the caliper)",
            _count(treated["unmatched"], k),
        ],
        ["Left out: diverted, follow-up not complete", _count(treated["pending_follow_up"], k)],
        [
            "Left out: diverted, age not recorded",
            _count(treated.get("age_not_recorded", 0), k),
        ],
        ["People not diverted with complete follow-up", _count(pool["n"], k)],
        ["People not diverted used as matches", _count(pool["matched_unique"], k)],
        ["Left out: not diverted, follow-up not complete", _count(pool["pending_follow_up"], k)],
    ]
    return table


CHART_LEFT, CHART_RIGHT, CHART_TOP, ROW = 260, 590, 20, 22


def _x(value: float, scale: float) -> float:
    return round(CHART_LEFT + min(value, scale) / scale * (CHART_RIGHT - CHART_LEFT), 1)


def chart_frame(view: "ComparisonView") -> dict:
    """The chart's axis: its height, where the 0.1 line and the ticks fall."""
    height = CHART_TOP + len(view.chart) * ROW + 10
    ticks = [round(view.chart_max * i / 5, 2) for i in range(6)]
    return {
        "height": height,
        "bottom": height - 10,
        "left": CHART_LEFT,
        "right": CHART_RIGHT,
        "limit_x": _x(SMD_LIMIT, view.chart_max),
        "ticks": [{"value": t, "x": _x(t, view.chart_max)} for t in ticks],
    }


def _balance(report: dict) -> tuple[Table, list, float]:
    table = Table(
        "comparison-balance",
        "Balance: standardised mean difference of each characteristic, before and after matching",
        ["Characteristic", "Before matching", "After matching", "Balanced (0.1 or less)"],
    )
    chart = []
    top = SMD_LIMIT
    for row in report["balance"]:
        before, after = row["smd_before"], row["smd_after"]
        ok = after is None or abs(after) <= SMD_LIMIT
        table.rows.append(
            [
                row["covariate"],
                f"{before:.3f}" if before is not None else "",
                f"{after:.3f}" if after is not None else "",
                "Yes" if ok else "No",
            ]
        )
        top = max(top, abs(before or 0), abs(after or 0))
        chart.append(
            {
                "label": row["covariate"],
                "before": abs(before or 0),
                "after": abs(after or 0),
                "ok": ok,
            }
        )
    scale = max(0.5, round(top + 0.05, 1))
    # SVG coordinates (CSP allows no inline style): labels from x 0, the axis from CHART_LEFT
    # to CHART_RIGHT, one row of ROW px each.
    for i, point in enumerate(chart):
        point["y"] = CHART_TOP + i * ROW + ROW / 2
        point["before_x"] = _x(point["before"], scale)
        point["after_x"] = _x(point["after"], scale)
    return table, chart, scale


def comparison_view(payload: dict | None, k: int) -> ComparisonView:
    """What the comparison section shows from a snapshot's payload."""
    if payload is None:
        return ComparisonView(available=False)
    if "too_few" in payload:
        return ComparisonView(available=True, too_few=payload["too_few"])
    if "unavailable" in payload:
        return ComparisonView(available=True, unavailable=payload["unavailable"])
    report = payload["comparison"]
    matched = report["treated"]["matched"]
    rate = dict(report["rate"])
    if _rate_hidden(rate["treated"], matched, k) or _rate_hidden(rate["comparison"], matched, k):
        rate.update(treated=SUPPRESSED, comparison=SUPPRESSED, difference=SUPPRESSED)
        rate.update(ci_low=SUPPRESSED, ci_high=SUPPRESSED, p_value=SUPPRESSED)
    unadjusted = dict(report["unadjusted"])
    treated_n, pool_n = report["treated"]["n"], report["comparison_pool"]["n"]
    if _rate_hidden(unadjusted["treated"], treated_n, k) or _rate_hidden(
        unadjusted["comparison"], pool_n, k
    ):
        unadjusted.update(treated=SUPPRESSED, comparison=SUPPRESSED, difference=SUPPRESSED)
    balance_table, chart, scale = _balance(report)
    unadjusted_words = (
        "Not shown: it would reveal a group of fewer people than the limit."
        if isinstance(unadjusted["difference"], Suppressed)
        else (
            f"Without matching, diverted people's rate was {format_rate(unadjusted['treated'])} "
            f"against {format_rate(unadjusted['comparison'])} for everyone not diverted "
            f"({unadjusted['difference'] * 100:+.1f} percentage points): that difference mixes "
            "the hub's effect with who was chosen for it."
        )
    )
    return ComparisonView(
        available=True,
        counts={
            "matched": format_count(_count(matched, k)),
            "unmatched": format_count(_count(report["treated"]["unmatched"], k)),
        },
        rate=rate,
        unadjusted=unadjusted,
        words=_difference_words(rate),
        unadjusted_words=unadjusted_words,
        balance_ok=report["balance_ok"],
        caveat=report["caveat"],
        balance_table=balance_table,
        counts_table=_counts_table(report, k),
        chart=chart,
        chart_max=scale,
    )


def interval_text(rate: dict) -> str:
    if isinstance(rate.get("ci_low"), Suppressed):
        return str(SUPPRESSED)
    return f"{rate['ci_low'] * 100:+.1f} to {rate['ci_high'] * 100:+.1f} percentage points"


__all__ = ["MINIMUM_MATCHED", "ComparisonView", "chart_frame", "comparison_view", "interval_text"]
