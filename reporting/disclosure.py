"""Statistical disclosure control for every published figure (pure: no database, no Django).

The rules, as official statistics apply them (README, "Disclosure control"):
1. Primary suppression: a count of people from 1 to k - 1 (k = REPORT_MIN_CELL) is hidden;
   0 is shown. Counts that are not printed but follow from printed ones (non-reoffenders =
   people measured - reoffenders; cautions still running or withdrawn = cautions - complied -
   failed) are counts like any other.
2. Group outcome: a group of fewer than MIN_GROUP people (measured, or with a compliance
   outcome) whose outcome is all one way (0% or 100%) hides both parts of the outcome.
3. Complementary (secondary) suppression: a table is a set of cells tied by published sums
   ("lines": the parts of a row add up to its total; a column adds up to the force total). No
   line may have exactly one hidden cell, and no hidden cell may be determined by the lines at
   all (checked by linear algebra over the hidden cells); the smallest non-zero cell of such a
   line is hidden too, until neither happens.
4. Figures computed from a hidden count (rates, intervals, per-offender figures) are hidden.
5. Whole months: figures are published only for windows of whole calendar months that have
   ended, as at the last day of a month (`whole_months`), so that two sets of figures never
   differ by one day's cautions, nor by the people whose follow-up ended on one day.

`protect` is the engine for any table (cells and lines); `suppress_grid` applies it to a plain
two-way table with totals; `suppress_rows` to the dashboard's tables (exports.py).
"""

import calendar
import datetime as dt
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

# A group with every member on one side of an outcome is shown only from this many people
# (rule 2): "all 12 complied" is a statement about a group, "all 7 reoffended" about people.
MIN_GROUP = 10

Cell = Hashable


@dataclass(frozen=True)
class Line:
    """A published sum: the parts add up to the total."""

    total: Cell
    parts: tuple[Cell, ...]

    @property
    def cells(self) -> tuple[Cell, ...]:
        return (self.total, *self.parts)


def primary(value: int, k: int) -> bool:
    """Rule 1: a count of 1 to k - 1 people is hidden (0 is shown)."""
    return 0 < value < k


def _determined(hidden: list[Cell], lines: Sequence[Line]) -> set[Cell]:
    """The hidden cells whose value the lines fix, whatever the others: those that are zero in
    every solution of the homogeneous system (the lines over the hidden cells)."""
    index = {cell: i for i, cell in enumerate(hidden)}
    rows = []
    for line in lines:
        row = [Fraction(0)] * len(hidden)
        for cell, sign in ((line.total, -1), *((part, 1) for part in line.parts)):
            if cell in index:
                row[index[cell]] += sign
        if any(row):
            rows.append(row)
    # Reduced row echelon form; the null space is spanned by one vector per free column.
    pivots: list[int] = []
    r = 0
    for col in range(len(hidden)):
        pivot = next((i for i in range(r, len(rows)) if rows[i][col] != 0), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        lead = rows[r][col]
        rows[r] = [x / lead for x in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][col] != 0:
                factor = rows[i][col]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[r], strict=True)]
        pivots.append(col)
        r += 1
    free = [col for col in range(len(hidden)) if col not in pivots]
    # A pivot cell is free to vary iff some free column appears in its row; free cells vary.
    determined = set()
    for i, col in enumerate(pivots):
        if not any(rows[i][f] != 0 for f in free):
            determined.add(hidden[col])
    return determined


def _exposed(hidden: set[Cell], lines: Sequence[Line], order: dict) -> tuple[Line, Cell] | None:
    """A line with exactly one hidden cell, or one holding a hidden cell the lines determine."""
    for line in lines:
        inside = [cell for cell in line.cells if cell in hidden]
        if len(inside) == 1:
            return line, inside[0]
    for cell in sorted(_determined(sorted(hidden, key=order.__getitem__), lines), key=order.get):
        return next(line for line in lines if cell in line.cells), cell
    return None


def protect(
    values: Mapping[Cell, int],
    lines: Iterable[Line],
    hide: Iterable[Cell],
    fixed: Mapping[Cell, bool] | None = None,
) -> set[Cell]:
    """The cells to hide: `hide` (primary) plus complementary cells, so that no hidden cell can
    be worked out from the lines and the shown cells.

    `fixed` cells are already published elsewhere (the force total, shared by every table):
    True means hidden there, False shown there; neither is changed here. Complementary cells
    are the smallest non-zero candidates of an exposed line (zero only when nothing else is
    left). If nothing can protect a line, every cell that is not fixed is hidden.
    """
    fixed = fixed or {}
    lines = [line for line in lines if line.parts]
    order = {cell: i for i, cell in enumerate(values)}
    hidden = {cell for cell in hide if fixed.get(cell, True)}
    hidden |= {cell for cell, is_hidden in fixed.items() if is_hidden}
    while (found := _exposed(hidden, lines, order)) is not None:
        line, _cell = found
        candidates = [cell for cell in line.cells if cell not in hidden and cell not in fixed]
        if not candidates:
            return hidden | {cell for cell in values if cell not in fixed}
        hidden.add(min(candidates, key=lambda cell: (values[cell] == 0, values[cell], order[cell])))
    return hidden


def suppress_grid(grid: Sequence[Sequence[int]], k: int) -> set[tuple[int, int]]:
    """A two-way table of counts with its row totals, column totals and grand total: which
    cells to hide. Cell (i, j) of the grid; (i, n) the total of row i; (m, j) of column j;
    (m, n) the grand total (m rows, n columns)."""
    m, n = len(grid), len(grid[0]) if grid else 0
    values: dict[tuple[int, int], int] = {}
    for i, row in enumerate(grid):
        for j, value in enumerate(row):
            values[i, j] = value
        values[i, n] = sum(row)
    for j in range(n + 1):
        values[m, j] = sum(values[i, j] for i in range(m))
    lines = [Line((i, n), tuple((i, j) for j in range(n))) for i in range(m + 1)]
    lines += [Line((m, j), tuple((i, j) for i in range(m))) for j in range(n + 1)]
    return protect(values, lines, [cell for cell, value in values.items() if primary(value, k)])


# ------------------------------------------------------------------ the dashboard's tables
# Every row of a dashboard table (a group, a quarter, or the force total) has these counts.
# "other" (cautions still running or withdrawn) and "non_reoffenders" are not printed, but
# anyone can work them out from the printed ones, so they are protected like the rest.
COMPLIANCE_PARTS = ("complied", "failed", "other")  # add up to "cautions"
COHORT_PARTS = ("reoffenders", "non_reoffenders")  # add up to "cohort_size"
COUNTS = ("cautions", *COMPLIANCE_PARTS, "cohort_size", *COHORT_PARTS, "pending_follow_up")
TOTAL = "total"


def _primary_cells(counts: Mapping[str, int], k: int) -> set[str]:
    """Rules 1 and 2 for one row."""
    hide = {name for name in COUNTS if primary(counts[name], k)}
    ended = counts["complied"] + counts["failed"]
    if 0 < ended < MIN_GROUP and 0 in (counts["complied"], counts["failed"]):
        hide |= {"complied", "failed"}
    if 0 < counts["cohort_size"] < MIN_GROUP and 0 in (
        counts["reoffenders"],
        counts["non_reoffenders"],
    ):
        hide |= set(COHORT_PARTS)
    return hide


def suppress_rows(
    rows: Sequence[Mapping[str, int]],
    k: int,
    *,
    total: Mapping[str, int] | None = None,
    total_hidden: set[str] | None = None,
    also_hide: Sequence[set[str]] = (),
) -> list[set[str]]:
    """The names of the counts (COUNTS) to hide in each row of a table (`also_hide`: names
    hidden in a row whatever its counts, because another table hides them).

    Each row's parts add up to its totals; with `total` (the force total, published in its
    own table with `total_hidden` hidden), each column of the rows adds up to it too, however
    the groups overlap (a person with two condition types counts in both): treating every
    table as additive can only hide more.
    """
    values: dict[Cell, int] = {}
    lines: list[Line] = []
    hide: list[Cell] = []
    for r, counts in enumerate(rows):
        values.update({(r, name): counts[name] for name in COUNTS})
        lines.append(Line((r, "cautions"), tuple((r, p) for p in COMPLIANCE_PARTS)))
        lines.append(Line((r, "cohort_size"), tuple((r, p) for p in COHORT_PARTS)))
        hide += [(r, name) for name in _primary_cells(counts, k)]
        hide += [(r, name) for name in (also_hide[r] if r < len(also_hide) else ())]
    fixed: dict[Cell, bool] = {}
    if total is not None and rows:
        total_hidden = total_hidden or set()
        for name in COUNTS:
            values[TOTAL, name] = total[name]
            fixed[TOTAL, name] = name in total_hidden
            lines.append(Line((TOTAL, name), tuple((r, name) for r in range(len(rows)))))
    hidden = protect(values, lines, hide, fixed)
    return [{name for name in COUNTS if (r, name) in hidden} for r in range(len(rows))]


def row_counts(figures: Mapping, compliance: Mapping) -> dict[str, int]:
    """COUNTS from a report's cohort figures and compliance counts (reporting.selectors)."""
    return {
        "cautions": compliance["cautions"],
        "complied": compliance["complied"],
        "failed": compliance["failed"],
        "other": compliance["cautions"] - compliance["complied"] - compliance["failed"],
        "cohort_size": figures["cohort_size"],
        "reoffenders": figures["reoffenders"],
        "non_reoffenders": figures["cohort_size"] - figures["reoffenders"],
        "pending_follow_up": figures["pending_follow_up"],
    }


# Rule 4: each published figure and the counts it is computed from.
DERIVED_FROM = {
    "cautions": ("cautions",),
    "complied": ("complied",),
    "failed": ("failed",),
    "compliance_rate": ("complied", "failed"),
    "cohort_size": ("cohort_size",),
    "pending_follow_up": ("pending_follow_up",),
    "reoffenders": ("reoffenders",),
    "reoffences": ("reoffenders",),
    "binary_rate": ("reoffenders", "cohort_size"),
    "binary_rate_ci95": ("reoffenders", "cohort_size"),
    "reoffences_per_offender": ("reoffenders", "cohort_size"),
    "reoffences_per_reoffender": ("reoffenders",),
}


def hidden_figures(hidden_counts: set[str]) -> set[str]:
    """The published figures (DERIVED_FROM's keys) to hide when these counts are hidden."""
    return {
        figure
        for figure, sources in DERIVED_FROM.items()
        if any(source in hidden_counts for source in sources)
    }


# ------------------------------------------------------------------ rule 5: whole months
def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def last_month_end(today: dt.date) -> dt.date:
    """The last day of the last month that has ended."""
    return today.replace(day=1) - dt.timedelta(days=1)


@dataclass(frozen=True)
class Window:
    date_from: dt.date
    date_to: dt.date
    as_of: dt.date

    def differs_from(self, date_from: dt.date, date_to: dt.date, as_of: dt.date) -> bool:
        return (self.date_from, self.date_to, self.as_of) != (date_from, date_to, as_of)


def whole_months(
    date_from: dt.date, date_to: dt.date, as_of: dt.date, today: dt.date
) -> Window | None:
    """The window to publish for the one asked: from the first day of date_from's month to
    the last day of date_to's month, but not past the last month that has ended; figures as
    at the last day of a month (as_of itself when it is one, else the end of the month
    before). None when no whole month that has ended is left."""
    start = date_from.replace(day=1)
    end = min(month_end(date_to), last_month_end(today))
    if end < start:
        return None
    at = as_of if as_of == month_end(as_of) else last_month_end(as_of)
    return Window(start, end, min(at, last_month_end(today)))
