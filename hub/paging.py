"""Counts that stop at a cap: a list's cost follows the page shown, not the history behind it.

A paginated list counted its rows on every view: at 1,000,000 people a provider's completed
referrals are 368,000 rows, a count that cost more than the page (bench/RESULTS.md, "National
scale: what grows with history"). Nobody pages through thousands of rows; past the cap the
list says "1,000+" and offers its first COUNT_CAP rows, and the filters narrow it.

- `capped_counts({key: queryset})`: several capped counts in one query (the inbox's tabs);
- `CappedPaginator`: a Paginator whose count stops at the cap (its last page is the cap's);
- `CappedCount`: a count as shown: "1,000+" past the cap, the number otherwise.

Each count reads at most COUNT_CAP + 1 rows: `SELECT COUNT(*) FROM (SELECT id ... LIMIT 1001)`,
without the list's ordering (an index read in any order will do) or its display columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet

COUNT_CAP = 1000


@dataclass(frozen=True)
class CappedCount:
    """A count of up to `cap` rows, and whether there were more."""

    value: int
    capped: bool
    cap: int

    @classmethod
    def of(cls, counted: int, cap: int) -> CappedCount:
        """From a count of at most cap + 1 rows (capped_counts, CappedPaginator)."""
        return cls(value=min(counted, cap), capped=counted > cap, cap=cap)

    def __str__(self) -> str:
        return f"{self.cap:,}+" if self.capped else str(self.value)

    @property
    def reachable(self) -> str:
        """The rows a capped list offers, as a number to read ("1,000")."""
        return f"{self.value:,}"

    def __bool__(self) -> bool:
        return self.value > 0


def _limited(queryset: QuerySet, cap: int) -> QuerySet:
    # The ids only, unordered: the count needs neither the display columns nor their joins,
    # nor a sort, and PostgreSQL stops reading at the limit.
    return queryset.order_by().values("pk")[: cap + 1]


def capped_counts(querysets: dict, *, cap: int | None = None) -> dict:
    """{key: CappedCount} for each queryset (all on one database), in one query."""
    if not querysets:
        return {}
    cap = cap or COUNT_CAP
    parts, params, alias = [], [], None
    for n, queryset in enumerate(querysets.values()):
        alias = queryset.db
        sql, query_params = _limited(queryset, cap).query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted_{n})")
        params.extend(query_params)
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return {key: CappedCount.of(counted, cap) for key, counted in zip(querysets, row, strict=True)}


class CappedPaginator(Paginator):
    """A Paginator over at most `cap` rows: `count` is the rows reachable (up to the cap),
    `counted` the CappedCount to show ("1,000+"). Pass `counted` when it is already known
    (the inbox's current tab), to save counting again, and `count_from` when the rows are
    read with joins the count does not need (a values() query keeps its joins: the inbox's
    rows join five tables, its referrals none)."""

    def __init__(
        self,
        object_list,
        per_page,
        *,
        cap: int | None = None,
        counted: CappedCount | None = None,
        count_from: QuerySet | None = None,
        **kwargs,
    ):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap or COUNT_CAP
        self.count_from = count_from
        if counted is not None:
            self.__dict__["counted"] = counted

    @cached_property
    def counted(self) -> CappedCount:
        rows = self.count_from if self.count_from is not None else self.object_list
        if isinstance(rows, QuerySet):
            found = _limited(rows, self.cap).count()
        else:
            found = len(rows[: self.cap + 1])
        return CappedCount.of(found, self.cap)

    @cached_property
    def count(self) -> int:
        return self.counted.value
