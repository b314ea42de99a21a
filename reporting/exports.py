"""Turning a report into tables: disclosure control, the dashboard's tables, CSV rows.

Every figure the dashboard shows or exports goes through reporting.disclosure (the rules are
there and in the README, "Disclosure control"): the force total first, as a table of its own,
then each table of groups or quarters with the force total as its column totals, so a hidden
cell can be worked out neither from its row nor from its column. A hidden figure shows as
SUPPRESSED_MARK ("[c]", as ONS publishes), in CSV too, and as {"suppressed": true} in JSON.
The survival curve is shown only for at least REPORT_MIN_CELL people.
The management command's report is for the force's own analysts and is not suppressed.
"""

import datetime as dt
from dataclasses import dataclass, field

from reporting import disclosure
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
COMPLIANCE_COLUMNS = ["cautions", "complied", "failed", "rate"]
SUPPRESSED_MARK = "[c]"
SUPPRESSED_KEY = (
    "[c] confidential: hidden to protect privacy. A figure is hidden when it describes fewer "
    "than {k} people, when it would show the outcome for everyone in a group of fewer than "
    f"{disclosure.MIN_GROUP}, or when it would let another hidden figure be worked out from "
    "the totals."
)


class Suppressed(str):
    """A value hidden by disclosure control; renders as SUPPRESSED_MARK."""

    __slots__ = ()


SUPPRESSED = Suppressed(SUPPRESSED_MARK)


def suppressed_key(k: int) -> str:
    return SUPPRESSED_KEY.format(k=k)


def json_value(value):
    """A figure for JSON: a hidden one is {"suppressed": true} (DECISIONS, API)."""
    return {"suppressed": True} if isinstance(value, Suppressed) else value


def mask_figures(figures: dict, hidden_counts: set[str]) -> dict:
    """A copy of a cohort-figures dict with the figures disclosure control hides replaced."""
    hidden = disclosure.hidden_figures(hidden_counts)
    out = dict(figures)
    for key in FIGURE_COLUMNS:
        if key in hidden:
            out[key] = SUPPRESSED
    if "people" in out and hidden & {"cohort_size", "pending_follow_up"}:
        out["people"] = SUPPRESSED
    return out


def mask_compliance(compliance: dict, hidden_counts: set[str]) -> dict:
    hidden = disclosure.hidden_figures(hidden_counts)
    out = dict(compliance)
    for key in ("cautions", "complied", "failed"):
        if key in hidden:
            out[key] = SUPPRESSED
    if "compliance_rate" in hidden:
        out["rate"] = SUPPRESSED
    return out


def headline_compliance(report: dict) -> dict:
    return dict(report["compliance"], cautions=report["cautions_given"])


def headline_hidden(report: dict, k: int, inherited: frozenset[str] = frozenset()) -> set[str]:
    """The counts hidden in the total of the report (a table of one row); `inherited`: those
    hidden in the row of this group in the report's parent (see group_hidden)."""
    counts = disclosure.row_counts(report, headline_compliance(report))
    return disclosure.suppress_rows([counts], k, also_hide=[set(inherited)])[0]


def group_hidden(
    parent: dict, dimension: str, group: str, k: int, inherited: frozenset[str] = frozenset()
) -> frozenset[str]:
    """The counts hidden in one group's row of a breakdown of `parent` (whose total hides
    `inherited` from its own parents).

    A dashboard filtered to that group publishes the row's figures again as its total: it
    must hide them too, or filtering to the group a complementary suppression chose would
    give the hidden cell away (total minus the group's figures)."""
    groups = parent["breakdowns"][dimension]
    keys = [entry["group"] for entry in groups]
    if group not in keys:
        return frozenset()
    counts = [disclosure.row_counts(entry, entry["compliance"]) for entry in groups]
    total = disclosure.row_counts(parent, headline_compliance(parent))
    hidden = disclosure.suppress_rows(
        counts, k, total=total, total_hidden=headline_hidden(parent, k, inherited)
    )
    return frozenset(hidden[keys.index(group)])


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

    @property
    def page(self) -> "PageTable":
        """The table as the page shows it (PageTable); the CSV keeps every column."""
        return PageTable.of(self)


# The columns of a group table shown on the page, so that it fits 1280 px and stacks on a
# phone: (heading, index in Table.rows or "ci" for the interval of columns 10 and 11, is a rate).
PAGE_COLUMNS = (
    ("Cautions given", 1, False),
    ("Compliance rate", 4, True),
    ("People measured", 5, False),
    ("Pending follow-up", 6, False),
    ("Reoffending rate", 9, True),
    ("95% interval", "ci", True),
)


def _interval_text(low, high) -> str:
    if isinstance(low, Suppressed) or isinstance(high, Suppressed):
        return SUPPRESSED_MARK
    if low is None or high is None:
        return NOT_AVAILABLE
    return f"{format_rate(low)} to {format_rate(high)}"


@dataclass
class PageTable:
    """A dashboard table for the page: headings and rows of (heading, text, is a rate) cells.
    A suppressed figure is SUPPRESSED_MARK in every column, never a count in a rate column."""

    key: str
    caption: str
    columns: list[str]
    rows: list[list[tuple[str, str, bool]]]

    @classmethod
    def of(cls, table: "Table") -> "PageTable":
        if len(table.columns) != len(COMPLIANCE_HEADINGS) + len(COHORT_HEADINGS) + 1:
            # Not a table of groups (the survival curve): every column as it is.
            headings = table.columns
            rows = [
                [(headings[i], text, i in table.rate_columns) for i, text in enumerate(row)]
                for row in table.display_rows
            ]
            return cls(table.key, table.caption, list(headings), rows)
        headings = [table.columns[0], *(heading for heading, _i, _rate in PAGE_COLUMNS)]
        rows = []
        for raw in table.rows:
            cells = [(headings[0], str(raw[0]), False)]
            for heading, index, rate in PAGE_COLUMNS:
                if index == "ci":
                    text = _interval_text(raw[10], raw[11])
                else:
                    text = format_rate(raw[index]) if rate else format_count(raw[index])
                cells.append((heading, text, rate))
            rows.append(cells)
        return cls(table.key, table.caption, headings, rows)


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


def _group_rows(groups: list[dict], report: dict, k: int, total_hidden: set[str]) -> list[list]:
    """The cells of a table of groups (or quarters), protected with the force total."""
    counts = [disclosure.row_counts(group, group["compliance"]) for group in groups]
    total = disclosure.row_counts(report, headline_compliance(report))
    hidden = disclosure.suppress_rows(counts, k, total=total, total_hidden=total_hidden)
    return [
        [
            *_compliance_cells(mask_compliance(group["compliance"], row_hidden)),
            *_cohort_cells(mask_figures(group, row_hidden)),
        ]
        for group, row_hidden in zip(groups, hidden, strict=True)
    ]


def dashboard_tables(
    report: dict, k: int, inherited: frozenset[str] = frozenset()
) -> dict[str, Table]:
    """Every table of the dashboard, suppressed; the same tables are the CSV downloads.
    `inherited`: counts of the total hidden by the report's parents (group_hidden)."""
    # Compliance rate, reoffending rate and its interval (0: group, 1-3: cautions).
    rate_cols = {4, 9, 10, 11}
    headings = ["Group", *COMPLIANCE_HEADINGS, *COHORT_HEADINGS]
    tables: dict[str, Table] = {}

    total_hidden = headline_hidden(report, k, inherited)
    headline = Table("headline", "Headline figures", headings, rate_columns=rate_cols)
    headline.rows.append(
        [
            "All people in the window",
            *_compliance_cells(mask_compliance(headline_compliance(report), total_hidden)),
            *_cohort_cells(mask_figures(report, total_hidden)),
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
        shown = trimmed_quarters(report["quarters"])
        cells = _group_rows(shown, report, k, total_hidden)
        for quarter, row in zip(shown, cells, strict=True):
            quarters.rows.append([quarter_label(quarter["from"], quarter["to"]), *row])
        tables["quarters"] = quarters

    for dimension, heading in DIMENSIONS:
        table = Table(
            f"breakdown-{dimension}",
            f"By {heading.lower()}",
            [heading, *headings[1:]],
            rate_columns=rate_cols,
        )
        groups = report["breakdowns"][dimension]
        cells = _group_rows(groups, report, k, total_hidden)
        table.rows = [[group["label"], *row] for group, row in zip(groups, cells, strict=True)]
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


def _empty(period: dict) -> bool:
    return period["compliance"]["cautions"] == 0 and period["people"] == 0


def trimmed_quarters(quarters: list[dict]) -> list[dict]:
    """The quarters from the first to the last with any caution or person in them: a window
    wider than the data does not print empty periods before or after it. (Rows of zeros add
    nothing to the column totals, so disclosure control is the same without them.)"""
    first = next((i for i, q in enumerate(quarters) if not _empty(q)), len(quarters))
    last = next((i for i in range(len(quarters) - 1, -1, -1) if not _empty(quarters[i])), -1)
    return quarters[first : last + 1]


def quarter_label(start: str, end: str) -> str:
    """ "January to March 2024" for whole months; the dates otherwise (a window cut short)."""
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    if first.day != 1 or (last + dt.timedelta(days=1)).day != 1:
        return f"{first:%-d %B %Y} to {last:%-d %B %Y}"
    if first.year == last.year:
        return f"{first:%B} to {last:%B %Y}"
    return f"{first:%B %Y} to {last:%B %Y}"


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
    """The "nearly eligible" counts by rule, in the checklist's words; a count from 1 to k - 1
    is hidden ("[c]"). No total or other margin is published with them, so no hidden count can
    be worked out from the rest (disclosure control's complementary rule has nothing to add),
    and the window is whole months like every other figure."""
    from cautions.eligibility import RULE_TITLES

    return [
        (RULE_TITLES.get(key, key), SUPPRESSED if 0 < n < k else n)
        for key, n in sorted(counts.items(), key=lambda item: RULE_TITLES.get(item[0], item[0]))
    ]
