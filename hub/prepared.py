"""Read queries whose SQL Django builds once per process, then runs with each call's values.

Django builds a queryset's SQL from scratch every time it is evaluated: for the case page that
was a third of its time (5 ms of 14 for 13 queries at 100,000 people, bench/RESULTS.md), more
than PostgreSQL took to run them. SQLAlchemy keeps compiled statements in a cache for the same
reason; this does it for the fixed-shape reads of the busiest pages.

    CONDITIONS = PreparedQuery(lambda case_id: Condition.objects.filter(case_id=case_id)...)
    conditions = CONDITIONS(case.pk)          # a list of model instances

How: the first call on a database builds the queryset with a stand-in value for each argument,
lets Django compile it, and notes where each stand-in sits among the SQL parameters. Every call
then runs that SQL with its own values in those places, and Django's own ModelIterable turns
the rows into model instances (select_related objects, deferred fields, annotations included).

What a prepared query may be: a queryset whose shape does not depend on the values passed
(ids and dates; a value derived from one, such as a date a week later, is an argument of its
own), evaluated as a whole list, without prefetch_related (prefetches are queries of
their own with a variable number of ids; the caller fetches the related rows by the same id
instead). Anything else (a `values()` query, a value that does not reach the SQL as a plain
parameter) fails loudly at the first call, which every test of the page makes.

What `build` reads besides its arguments is fixed at that first call, for the life of the
process: today's date, a setting, the clock. So every SQL parameter must be one of the call's
arguments, except code constants of the kinds that cannot be worked out at the first call by
accident:
- allowed: strings (choice values such as `Case.Status.ACTIVE`, `""`), booleans and None;
- refused: every date, datetime, time, Decimal, float, int (ids, counts, limits from settings)
  and any other value that is not an argument. The first call raises ImproperlyConfigured
  naming the value, its place among the parameters and the build function.
A string is allowed because the status and kind filters are written as strings; a string
worked out in `build` (from a setting, say) would not be caught: write it in the code. Slice
bounds (`[:WORKLIST_LIMIT]`) are written into the SQL text by Django, not passed as
parameters: they must be module constants. On PostgreSQL every parameter reaches the driver
as its Python value and is checked by type; on SQLite Django first turns dates, datetimes and
times into text, so the builder also watches those conversions while it compiles.

It leans on Django internals (the SQL compiler's state, ModelIterable), as of Django 5.2 LTS;
tests/hub/test_prepared.py checks the results against the plain queryset, so an upgrade that
changes them fails there.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router
from django.db.models import QuerySet
from django.db.models.query import ModelIterable

# Stand-ins for the arguments: negative ids no row has, inside the 32-bit range (Django turns a
# lookup on an out-of-range integer into "no rows" without any parameter), and dates in 1111.
_ID_STAND_IN = -1_987_654_300
_DATE_STAND_IN = dt.date(1111, 1, 1)


def _is_date(value) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _is_id(value) -> bool:
    # psycopg's typed integers (Int4, Int8) are ints too.
    return isinstance(value, int) and not isinstance(value, bool)


def _stand_in(position: int, value):
    if _is_date(value):
        return _DATE_STAND_IN + dt.timedelta(days=position)
    if _is_id(value):
        return _ID_STAND_IN - position
    raise ImproperlyConfigured("A prepared query takes ids and dates")


# Constants a prepared query's SQL may carry besides its arguments (see the module docstring).
_CONSTANT_TYPES = (str, bool, type(None))

# The backend conversions that turn a value into text on SQLite (the base backend's own
# behaviour), so that a date worked out in `build` no longer looks like one among the params.
_TEXT_ADAPTERS = (
    "adapt_datefield_value",
    "adapt_datetimefield_value",
    "adapt_timefield_value",
    "adapt_decimalfield_value",
)


class _WatchedOperations:
    """The connection's operations, noting each value the adapters above are given."""

    def __init__(self, ops, seen: list):
        self._ops = ops
        self._seen = seen

    def __getattr__(self, name):
        attribute = getattr(self._ops, name)
        if name not in _TEXT_ADAPTERS:
            return attribute

        def adapt(value, *args, **kwargs):
            self._seen.append(value)
            return attribute(value, *args, **kwargs)

        return adapt


def _describe(build) -> str:
    code = getattr(build, "__code__", None)
    where = f" ({code.co_filename}:{code.co_firstlineno})" if code else ""
    return f"{getattr(build, '__qualname__', repr(build))}{where}"


def _refuse_constant(build, value, position: int | None) -> None:
    place = f"parameter {position} of its SQL" if position is not None else "its SQL"
    kind = type(value).__name__
    raise ImproperlyConfigured(
        f"Prepared query {_describe(build)}: {place} is the {kind} {value!r}, which is not one "
        "of the call's arguments. A value worked out in the build function (today's date, a "
        "setting) would be fixed at the first call for the life of the process: pass it as "
        "an argument. Only strings, booleans and None may be written in as constants."
    )


@dataclass(frozen=True)
class _Compiled:
    compiler: object
    converters: dict  # how each column's value is read back, by the backend and the field
    sql: str
    params: tuple
    # (parameter position, argument position, whether the database takes it as text: SQLite
    # is given dates as ISO strings)
    slots: tuple[tuple[int, int, bool], ...]


class _CompiledQuery:
    """What ModelIterable reads of a queryset, serving a copy of the compiled query."""

    def __init__(self, compiler, model, db):
        self._compiler = compiler
        self.query = self
        self.model = model
        self.db = db
        self._known_related_objects = {}

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        return self._compiler


class PreparedQuery:
    def __init__(self, build: Callable[..., QuerySet]):
        self._build = build
        self._model = None
        self._compiled: dict[tuple[str, str], _Compiled] = {}

    def __call__(self, *args: int | dt.date) -> list:
        if self._model is None:
            self._model = self._build(*args).model
        alias = router.db_for_read(self._model)
        connection = connections[alias]
        compiled = self._compiled.get((alias, connection.vendor))
        if compiled is None:
            compiled = self._compiled[alias, connection.vendor] = self._compile(alias, args)
        params = list(compiled.params)
        for position, argument, as_text in compiled.slots:
            params[position] = str(args[argument]) if as_text else args[argument]
        statement = compiled.sql, tuple(params)
        # A copy per call: the compiler keeps the connection, which is per thread.
        compiler = copy.copy(compiled.compiler)
        compiler.connection = connection
        compiler.as_sql = lambda *_args, **_kwargs: statement
        compiler.get_converters = lambda _expressions: compiled.converters
        return list(ModelIterable(_CompiledQuery(compiler, self._model, alias)))

    def _compile(self, alias: str, args: tuple) -> _Compiled:
        stand_ins = [_stand_in(i, value) for i, value in enumerate(args)]
        queryset = self._build(*stand_ins)
        if queryset._iterable_class is not ModelIterable or queryset._prefetch_related_lookups:
            raise ImproperlyConfigured(
                "A prepared query returns whole model instances, without prefetch_related"
            )
        if queryset.db != alias:
            raise ImproperlyConfigured("A prepared query reads from its model's database")
        compiler = queryset.query.get_compiler(using=alias)
        sql, params, adapted = _as_sql(compiler)
        as_given = {value: i for i, value in enumerate(stand_ins)}
        as_text = {str(value): i for i, value in enumerate(stand_ins)}
        slots = []
        for position, value in enumerate(params):
            if (_is_id(value) or _is_date(value)) and value in as_given:
                slots.append((position, as_given[value], False))
            elif isinstance(value, str) and value in as_text:
                slots.append((position, as_text[value], True))
            elif not isinstance(value, _CONSTANT_TYPES):
                _refuse_constant(self._build, value, position)
        # On SQLite a date is text by now: what the backend was given tells what it was.
        for value in adapted:
            if value is not None and not (_is_date(value) and value in as_given):
                _refuse_constant(self._build, value, None)
        if {argument for _, argument, _ in slots} != set(range(len(args))):
            raise ImproperlyConfigured(
                "Each argument of a prepared query must reach its SQL as a parameter"
            )
        converters = compiler.get_converters([s[0] for s in compiler.select[: compiler.col_count]])
        return _Compiled(compiler, converters, sql, tuple(params), tuple(slots))


def _as_sql(compiler) -> tuple[str, list, list]:
    """The compiler's SQL and parameters, and the values the backend turned into text."""
    connection = compiler.connection
    adapted: list = []
    ops = connection.ops
    # The connection is this thread's own: no other query runs on it meanwhile.
    connection.ops = _WatchedOperations(ops, adapted)
    try:
        sql, params = compiler.as_sql()
    finally:
        connection.ops = ops
    return sql, list(params), adapted
