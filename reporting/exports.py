"""Turning a report into tables: small-cell suppression, the dashboard's tables, CSV rows.

Suppression (DOMAIN.md: cells describing fewer than REPORT_MIN_CELL people show "fewer than
5", never the figure), applied to every figure the dashboard shows or exports, the headline
included (with filters, the headline is itself a small group):
- a count of people (cohort, pending follow-up, reoffenders, cautions, complied, failed) from
  1 to REPORT_MIN_CELL - 1 is suppressed; 0 is shown;
- reoffenders are also suppressed when the non-reoffenders (cohort - reoffenders) are that
  few, since the cohort is shown beside them;
- a figure derived from a suppressed count (reoffences, rates, interval) is suppressed with it;
- the survival curve is shown only for at least REPORT_MIN_CELL people.
The management command's report is for the force's own analysts and is not suppressed.
"""

from dataclasses import dataclass, field

from reporting.selectors import DIMENSIONS

FIGURE_COLUMNS = [
    "cohort_size",
    "pending_follow_up",
    "reoffenders",
    "reoffences",
    "binary_rate",
    "binary_rate_ci95",
    "reoffences_per_offender",
    "reoffences_per_reoffender",
]


class Suppressed(str):
    """A value hidden by small-cell suppression; renders as its text ("fewer than 5")."""

    __slots__ = ()


def suppressed(k: int) -> Suppressed:
    return Suppressed(f"fewer than {k}")


def _small(value, k: int) -> bool:
    return isinstance(value, int) and 0 < value < k


def suppress_figures(figures: dict, k: int) -> dict:
    """A copy of a cohort-figures dict with small cells replaced by Suppressed."""
    out = dict(figures)
    hidden = suppressed(k)
    for key in ("people", "cohort_size", "pending_follow_up"):
        if _small(figures.get(key), k):
            out[key] = hidden
    reoffenders = figures["reoffenders"]
    cohort = figures["cohort_size"]
    if _small(cohort, k) or _small(reoffenders, k) or _small(cohort - reoffenders, k):
        for key in FIGURE_COLUMNS[2:]:
            out[key] = hidden
    return out


def suppress_compliance(compliance: dict, k: int) -> dict:
    out = dict(compliance)
    hidden = suppressed(k)
    for key in ("cautions", "complied", "failed"):
        if _small(compliance.get(key), k):
            out[key] = hidden
    if _small(compliance["complied"], k) or _small(compliance["failed"], k):
        out["rate"] = hidden
    return out


NOT_AVAILABLE = "not available"


def format_count(value) -> str:
    if isinstance(value, str):  # Suppressed is a str
        return str(value)
    if value is None:
        return NOT_AVAILABLE
    if isinstance(value, float):
        return f"{value:,.2f}"
    return f"{value:,}"


def format_rate(value) -> str:
    if isinstance(value, str):  # Suppressed is a str
        return str(value)
    if value is None:
        return NOT_AVAILABLE
    return f"{value * 100:.1f}%"


@dataclass
class Table:
    key: str
    caption: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    # Which columns are fractions (shown as percentages on the page).
    rate_columns: set[int] = field(default_factory=set)

    @property
    def display_rows(self) -> list[list[str]]:
        """Every cell as text; the first column is the row's heading."""
        return [
            [
                cell
                if i == 0
                else (format_rate(cell) if i in self.rate_columns else format_count(cell))
                for i, cell in enumerate(row)
            ]
            for row in self.rows
        ]

    def csv_rows(self) -> list[list]:
        return [self.columns, *([csv_value(cell) for cell in row] for row in self.rows)]


def _ci(value):
    if isinstance(value, list):
        return value
    return [value, value]


COHORT_HEADINGS = [
    "People measured (follow-up complete)",
    "Pending follow-up",
    "Reoffenders",
    "Proven reoffences",
    "Reoffending rate",
    "95% interval: low",
    "95% interval: high",
    "Reoffences per offender",
    "Reoffences per reoffender",
]
COMPLIANCE_HEADINGS = ["Cautions given", "Complied", "Failed", "Compliance rate"]


def _cohort_cells(figures: dict) -> list:
    low, high = _ci(figures["binary_rate_ci95"])
    return [
        figures["cohort_size"],
        figures["pending_follow_up"],
        figures["reoffenders"],
        figures["reoffences"],
        figures["binary_rate"],
        low,
        high,
        figures["reoffences_per_offender"],
        figures["reoffences_per_reoffender"],
    ]


def _compliance_cells(compliance: dict) -> list:
    return [
        compliance["cautions"],
        compliance["complied"],
        compliance["failed"],
        compliance["rate"],
    ]


def dashboard_tables(report: dict, k: int) -> dict[str, Table]:
    """Every table of the dashboard, suppressed; the same tables are the CSV downloads."""
    # Compliance rate, reoffending rate and its interval (0: group, 1-3: cautions).
    rate_cols = {4, 9, 10, 11}
    headings = ["Group", *COMPLIANCE_HEADINGS, *COHORT_HEADINGS]
    tables: dict[str, Table] = {}

    headline = Table("headline", "Headline figures", headings, rate_columns=rate_cols)
    compliance = dict(report["compliance"], cautions=report["cautions_given"])
    headline.rows.append(
        [
            "All people in the window",
            *_compliance_cells(suppress_compliance(compliance, k)),
            *_cohort_cells(suppress_figures(report, k)),
        ]
    )
    tables["headline"] = headline

    if "quarters" in report:
        quarters = Table(
            "quarters",
            "Quarterly cohorts: compliance and proven reoffending",
            ["Quarter", *headings[1:]],
            rate_columns=rate_cols,
        )
        for quarter in report["quarters"]:
            quarters.rows.append(
                [
                    f"{quarter['from']} to {quarter['to']}",
                    *_compliance_cells(suppress_compliance(quarter["compliance"], k)),
                    *_cohort_cells(suppress_figures(quarter, k)),
                ]
            )
        tables["quarters"] = quarters

    for dimension, heading in DIMENSIONS:
        table = Table(
            f"breakdown-{dimension}",
            f"By {heading.lower()}",
            [heading, *headings[1:]],
            rate_columns=rate_cols,
        )
        for group in report["breakdowns"][dimension]:
            table.rows.append(
                [
                    group["label"],
                    *_compliance_cells(suppress_compliance(group["compliance"], k)),
                    *_cohort_cells(suppress_figures(group, k)),
                ]
            )
        tables[table.key] = table

    km = report["time_to_first_reoffence"]
    km_table = Table(
        "km",
        "Time to first proven reoffence: share not yet reoffended (Kaplan-Meier)",
        ["Days since the index caution", "Share not yet reoffended"],
        rate_columns={1},
    )
    if km["people"] >= k:
        km_table.rows = [[0, 1.0], *([day, survival] for day, survival in km["km"])]
    tables["km"] = km_table
    return tables


def csv_value(value):
    """Fractions to 4 places; suppressed cells and text as they are; None as empty."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}"
    return value


def report_rows(report: dict) -> list[list]:
    """The management command's CSV: headline, breakdown groups and the survival curve."""
    header = [
        "table",
        "group",
        "cautions_given",
        "complied",
        "failed",
        "compliance_rate",
        *(c for c in FIGURE_COLUMNS if c != "binary_rate_ci95"),
        "ci95_low",
        "ci95_high",
        "km_day",
        "km_survival",
    ]

    def line(table, group, compliance, figures):
        low, high = figures["binary_rate_ci95"] or [None, None]
        return [
            table,
            group,
            compliance["cautions"],
            compliance["complied"],
            compliance["failed"],
            compliance["rate"],
            *(figures[c] for c in FIGURE_COLUMNS if c != "binary_rate_ci95"),
            low,
            high,
            None,
            None,
        ]

    rows = [header]
    rows.append(
        line("all", "", dict(report["compliance"], cautions=report["cautions_given"]), report)
    )
    for dimension, _heading in DIMENSIONS:
        rows.extend(
            line(dimension, group["group"], group["compliance"], group)
            for group in report["breakdowns"][dimension]
        )
    blank = [None] * (len(header) - 4)
    rows.extend(
        ["time_to_first_reoffence", "", *blank, day, survival]
        for day, survival in report["time_to_first_reoffence"]["km"]
    )
    return [[csv_value(value) for value in row] for row in rows]


def nearly_eligible_rows(counts: dict[str, int], k: int) -> list[tuple[str, object]]:
    """The "nearly eligible" counts by rule, in the checklist's words, small cells suppressed
    ("fewer than k"). No total is published, so no suppressed cell can be worked out from it."""
    from cautions.eligibility import RULE_TITLES

    return [
        (RULE_TITLES.get(key, key), suppressed(k) if _small(n, k) else n)
        for key, n in sorted(counts.items(), key=lambda item: RULE_TITLES.get(item[0], item[0]))
    ]
