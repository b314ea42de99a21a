"""Disclosure control (reporting.disclosure): each rule on each side of its threshold, and
for random tables, no hidden cell can be worked out from what is published."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reporting.disclosure import (
    COUNTS,
    MIN_GROUP,
    hidden_figures,
    primary,
    row_counts,
    suppress_grid,
    suppress_rows,
)
from reporting.selectors import cohort_figures, compliance_figures

K = 5


def counts(*, cautions=40, complied=30, failed=10, cohort=40, reoffenders=10, pending=20):
    figures = cohort_figures(
        people=cohort + pending, complete=cohort, reoffenders=reoffenders, reoffences=reoffenders
    )
    return row_counts(
        figures, compliance_figures(cautions=cautions, complied=complied, failed=failed)
    )


@pytest.mark.parametrize(("value", "hidden"), [(0, False), (1, True), (4, True), (5, False)])
def test_primary_threshold_4_hidden_5_shown_0_shown(value, hidden):
    assert primary(value, K) is hidden


@pytest.mark.parametrize(("pending", "hidden"), [(4, True), (5, False)])
def test_a_single_row_hides_a_count_of_4_and_shows_5(pending, hidden):
    assert ("pending_follow_up" in suppress_rows([counts(pending=pending)], K)[0]) is hidden


@pytest.mark.parametrize(("reoffenders", "hidden"), [(36, True), (35, False)])
def test_complement_of_4_non_reoffenders_hides_the_reoffenders(reoffenders, hidden):
    # 40 measured: 36 reoffenders leave 4 who did not; 35 leave 5.
    out = suppress_rows([counts(reoffenders=reoffenders)], K)[0]
    assert ("reoffenders" in out) is hidden
    assert ("binary_rate" in hidden_figures(out)) is hidden


@pytest.mark.parametrize(
    ("cohort", "reoffenders", "hidden"),
    [
        (MIN_GROUP - 1, 0, True),  # 0% of 9
        (MIN_GROUP - 1, MIN_GROUP - 1, True),  # 100% of 9
        (MIN_GROUP, 0, False),  # 0% of 10
        (MIN_GROUP, MIN_GROUP, False),  # 100% of 10
        (MIN_GROUP - 1, 5, False),  # neither: the usual rules apply (4 did not: see below)
    ],
)
def test_all_or_nothing_outcome_of_a_small_group_is_hidden(cohort, reoffenders, hidden):
    out = suppress_rows([counts(cohort=cohort, reoffenders=reoffenders)], K)[0]
    assert ("reoffenders" in out) is (hidden or 0 < cohort - reoffenders < K)
    assert ("binary_rate" in hidden_figures(out)) is (hidden or 0 < cohort - reoffenders < K)


@pytest.mark.parametrize(
    ("complied", "failed", "hidden"),
    [(9, 0, True), (0, 9, True), (10, 0, False), (0, 10, False)],
)
def test_all_complied_or_all_failed_in_a_small_group_is_hidden(complied, failed, hidden):
    row = counts(cautions=complied + failed, complied=complied, failed=failed)
    out = suppress_rows([row], K)[0]
    assert ({"complied", "failed"} <= out) is hidden
    assert ("compliance_rate" in hidden_figures(out)) is hidden


def test_a_row_with_one_hidden_part_hides_a_second():
    # 30 cautions: 27 complied, 3 failed, none running: failed = 30 - 27 unless one more goes.
    out = suppress_rows([counts(cautions=30, complied=27, failed=3)], K)[0]
    assert "failed" in out
    assert out & {"complied", "cautions"}


def test_a_column_with_one_hidden_cell_hides_a_second_and_the_total_stays():
    rows = [
        counts(cohort=n, reoffenders=n // 2, pending=p) for n, p in [(40, 3), (20, 9), (30, 30)]
    ]
    total = {name: sum(row[name] for row in rows) for name in COUNTS}
    hidden = suppress_rows(rows, K, total=total, total_hidden=set())
    pending = [i for i, row in enumerate(hidden) if "pending_follow_up" in row]
    assert pending == [0, 1]  # 3 is primary; 9, the next smallest, is its complement


def test_a_hidden_force_total_is_hidden_in_every_table_and_protected_there():
    rows = [counts(pending=20), counts(pending=30)]
    total = {name: sum(row[name] for row in rows) for name in COUNTS}
    hidden = suppress_rows(rows, K, total=total, total_hidden={"pending_follow_up"})
    # The total is hidden, so its column must not show every part (they would add up to it).
    assert any("pending_follow_up" in row for row in hidden)


def test_every_hidden_count_hides_the_figures_made_from_it():
    assert hidden_figures({"reoffenders"}) >= {
        "reoffences",
        "binary_rate",
        "binary_rate_ci95",
        "reoffences_per_offender",
        "reoffences_per_reoffender",
    }
    assert "compliance_rate" in hidden_figures({"failed"})
    assert hidden_figures({"cohort_size"}) >= {"binary_rate", "reoffences_per_offender"}
    assert hidden_figures(set()) == set()


# ------------------------------------------------------------------ properties
def _lines_of_grid(m, n):
    rows = [((i, n), [(i, j) for j in range(n)]) for i in range(m + 1)]
    columns = [((m, j), [(i, j) for i in range(m)]) for j in range(n + 1)]
    return rows + columns


def _derivable(hidden, lines):
    """Hidden cells whose value the published sums fix: exact linear algebra, independent of
    the code under test (the unit vector of the cell lies in the row space)."""
    cells = sorted(hidden, key=repr)
    matrix = []
    for total, parts in lines:
        row = [Fraction(0)] * len(cells)
        for cell, sign in [(total, -1), *((p, 1) for p in parts)]:
            if cell in hidden:
                row[cells.index(cell)] += sign
        matrix.append(row)

    def rank(rows):
        rows = [list(r) for r in rows]
        rank_ = 0
        for col in range(len(cells)):
            pivot = next((i for i in range(rank_, len(rows)) if rows[i][col]), None)
            if pivot is None:
                continue
            rows[rank_], rows[pivot] = rows[pivot], rows[rank_]
            for i in range(len(rows)):
                if i != rank_ and rows[i][col]:
                    f = rows[i][col] / rows[rank_][col]
                    rows[i] = [a - f * b for a, b in zip(rows[i], rows[rank_], strict=True)]
            rank_ += 1
        return rank_

    base = rank(matrix)
    found = []
    for i, cell in enumerate(cells):
        unit = [Fraction(int(j == i)) for j in range(len(cells))]
        if rank([*matrix, unit]) == base:
            found.append(cell)
    return found


grids = st.integers(1, 5).flatmap(
    lambda m: st.integers(1, 5).flatmap(
        lambda n: st.lists(
            st.lists(st.integers(0, 30), min_size=n, max_size=n), min_size=m, max_size=m
        )
    )
)


@settings(max_examples=300, deadline=None)
@given(grids)
def test_random_grids_no_hidden_cell_is_derivable_from_the_margins(grid):
    m, n = len(grid), len(grid[0])
    hidden = suppress_grid(grid, K)
    lines = _lines_of_grid(m, n)
    for total, parts in lines:
        assert sum(cell in hidden for cell in [total, *parts]) != 1
    assert _derivable(hidden, lines) == []
    # Every small count is hidden.
    for i, row in enumerate(grid):
        for j, value in enumerate(row):
            if 0 < value < K:
                assert (i, j) in hidden


row_strategy = st.builds(
    lambda complied, failed, other, reoffenders, non, pending: {
        "cautions": complied + failed + other,
        "complied": complied,
        "failed": failed,
        "other": other,
        "cohort_size": reoffenders + non,
        "reoffenders": reoffenders,
        "non_reoffenders": non,
        "pending_follow_up": pending,
    },
    *[st.integers(0, 25)] * 6,
)


@settings(max_examples=150, deadline=None)
@given(st.lists(row_strategy, min_size=1, max_size=6))
def test_random_dashboard_tables_no_hidden_count_is_derivable(rows):
    total = {name: sum(row[name] for row in rows) for name in COUNTS}
    total_hidden = suppress_rows([total], K)[0]
    hidden_rows = suppress_rows(rows, K, total=total, total_hidden=total_hidden)
    hidden = {(r, name) for r, names in enumerate(hidden_rows) for name in names}
    hidden |= {("total", name) for name in total_hidden}
    lines = []
    for r in [*range(len(rows)), "total"]:
        lines.append(((r, "cautions"), [(r, "complied"), (r, "failed"), (r, "other")]))
        lines.append(((r, "cohort_size"), [(r, "reoffenders"), (r, "non_reoffenders")]))
    lines += [(("total", name), [(r, name) for r in range(len(rows))]) for name in COUNTS]
    for total_cell, parts in lines:
        assert sum(cell in hidden for cell in [total_cell, *parts]) != 1
    assert _derivable(hidden, lines) == []
    for r, row in enumerate(rows):
        for name in COUNTS:
            if 0 < row[name] < K:
                assert name in hidden_rows[r]


def test_a_cell_fixed_by_several_lines_together_is_protected_too():
    # Found by search: hiding cells only until no row or column has exactly one hidden cell
    # leaves (1, 0) = 3 determined by the sums of several lines together (a "bridge" between
    # two cycles of hidden cells). The algebraic check hides more.
    grid = [[3, 3, 6, 10, 10], [3, 8, 6, 20, 30], [5, 3, 0, 1, 20], [6, 2, 20, 3, 5]]
    greedy_only = {(0, 0), (0, 1), (0, 2), (1, 0), (1, 2), (2, 1), (2, 3), (3, 1), (3, 3)}
    assert _derivable(greedy_only, _lines_of_grid(4, 5))
    hidden = suppress_grid(grid, K)
    assert hidden > greedy_only
    assert _derivable(hidden, _lines_of_grid(4, 5)) == []


# ------------------------------------------------------------------ rule 5: whole months
def _d(text):
    import datetime as dt

    return dt.date.fromisoformat(text)


@pytest.mark.parametrize(
    ("asked", "published"),
    [
        # Already whole months: unchanged.
        (("2016-01-01", "2016-03-31", "2019-12-31"), ("2016-01-01", "2016-03-31", "2019-12-31")),
        # One day either side of a month's edge: the whole month, either way.
        (("2016-01-02", "2016-03-30", "2020-01-01"), ("2016-01-01", "2016-03-31", "2019-12-31")),
        (("2015-12-31", "2016-04-01", "2019-12-30"), ("2015-12-01", "2016-04-30", "2019-11-30")),
        # Leap year: February ends on the 29th.
        (("2016-02-29", "2016-02-29", "2016-02-29"), ("2016-02-01", "2016-02-29", "2016-02-29")),
        # The current month (today 2026-12-03) has not ended: up to 30 November.
        (("2026-01-15", "2026-12-02", "2026-12-02"), ("2026-01-01", "2026-11-30", "2026-11-30")),
    ],
)
def test_windows_are_whole_months_that_have_ended(asked, published):
    from reporting.disclosure import whole_months

    window = whole_months(*map(_d, asked), today=_d("2026-12-03"))
    assert (window.date_from, window.date_to, window.as_of) == tuple(map(_d, published))


@pytest.mark.parametrize(("start", "possible"), [("2026-11-30", True), ("2026-12-01", False)])
def test_a_window_needs_one_month_that_has_ended(start, possible):
    from reporting.disclosure import whole_months

    window = whole_months(_d(start), _d("2026-12-02"), _d("2026-12-02"), today=_d("2026-12-03"))
    assert (window is not None) is possible
