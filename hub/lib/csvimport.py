"""All-or-nothing CSV reading, one line at a time: framework-free helpers shared by the imports.

`iter_csv` reads a file as a stream (never the whole file in memory) and yields its good rows;
every problem is recorded as `line N: reason` (the header is line 1) in a `Problems`, which keeps
the first MAX_KEPT and counts the rest. The caller writes inside one transaction and rolls it
back when any line was bad.
"""

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO

# Problems kept to show (all are counted): enough to correct a file in a few rounds, few
# enough that a file of a million bad lines does not fill the memory or the page.
MAX_KEPT = 1000


class RowError(ValueError):
    """A problem with one value of a row; the message is shown after `line N: `."""


class Problems:
    """The bad lines of a file: every one counted, the first `limit` kept."""

    def __init__(self, limit: int | None = None):
        self.limit = MAX_KEPT if limit is None else limit
        self.total = 0
        self._kept: list[tuple[int, str]] = []

    def add(self, line: int, reason: str) -> None:
        self.total += 1
        if len(self._kept) < self.limit:
            self._kept.append((line, f"line {line}: {reason}"))

    def __bool__(self) -> bool:
        return self.total > 0

    @property
    def messages(self) -> list[str]:
        """The kept problems in line order (checks against other lines may come later)."""
        return [message for _line, message in sorted(self._kept, key=lambda kept: kept[0])]


@dataclass
class CsvResult:
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def error(self, line: int, reason: str) -> None:
        self.errors.append(f"line {line}: {reason}")


def _text_stream(source: IO) -> IO[str]:
    """A text stream over a path's file, a binary upload or a text stream; BOM tolerated."""
    if isinstance(source, io.TextIOBase):
        return source
    return io.TextIOWrapper(source, encoding="utf-8-sig", newline="")


def _header_problems(header: list[str], columns: list[str]) -> list[str]:
    missing = [name for name in columns if name not in header]
    extra = [name for name in header if name not in columns]
    duplicated = sorted({name for name in header if header.count(name) > 1})
    problems = []
    if missing:
        problems.append(f"missing columns: {', '.join(missing)}")
    if extra:
        problems.append(f"unexpected columns: {', '.join(extra)}")
    if duplicated:
        problems.append(f"repeated columns: {', '.join(duplicated)}")
    return problems


def iter_csv(
    source: IO,
    columns: list[str],
    problems: Problems,
    *,
    progress: Callable[[int], None] | None = None,
    progress_every: int = 10_000,
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line, {column: stripped value}) for each well-formed row of a CSV whose header
    names exactly `columns` (any order); blank lines are skipped. `progress(rows)` is called
    every `progress_every` rows (bad ones included) and once at the end.

    A header with missing, extra or repeated columns, a row with the wrong number of values or
    a NUL character, or a file that is not UTF-8 is recorded in `problems` (a bad header or
    encoding ends the reading).
    """
    reader = csv.reader(_text_stream(source))
    try:
        header = next(reader, None)
        if header is None:
            problems.add(1, "the file is empty: expected a header row")
            return
        header = [name.strip().lower() for name in header]
        for problem in _header_problems(header, columns):
            problems.add(1, problem)
        if problems:
            return
        width = len(header)
        read = 0
        for values in reader:
            line = reader.line_num
            if not values or all(not value.strip() for value in values):
                continue
            read += 1
            if progress and read % progress_every == 0:
                progress(read)
            problem = _row_problem(values, width)
            if problem:
                problems.add(line, problem)
                continue
            yield line, {name: value.strip() for name, value in zip(header, values, strict=True)}
        if progress:
            progress(read)
    except UnicodeDecodeError:
        problems.add(reader.line_num + 1, "the file is not UTF-8 text")
    except csv.Error as error:
        problems.add(reader.line_num, f"not valid CSV ({error})")


def read_csv(source: IO, columns: list[str], **kwargs) -> CsvResult:
    """The whole of a small file at once (iter_csv's rows in a list, with every problem)."""
    problems = Problems(limit=10**9)
    result = CsvResult(rows=list(iter_csv(source, columns, problems, **kwargs)))
    result.errors = problems.messages
    return result


def _row_problem(values: list[str], width: int) -> str | None:
    if len(values) != width:
        return f"expected {width} values, found {len(values)}"
    if any("\x00" in value for value in values):
        # PostgreSQL refuses NUL in text: name the line rather than fail on the write.
        return "contains a NUL character (\\x00)"
    return None


def parse_date(value: str, column: str) -> dt.date:
    """A YYYY-MM-DD date, or a RowError naming the column."""
    if not value:
        raise RowError(f"{column} is missing")
    try:
        if len(value) != 10:
            raise ValueError
        return dt.date.fromisoformat(value)
    except ValueError:
        raise RowError(f"{column} '{value}' is not a date in the form YYYY-MM-DD") from None


def parse_choice(value: str, column: str, choices) -> str:
    if value not in choices:
        if not value:
            raise RowError(f"{column} is missing")
        raise RowError(f"{column} '{value}' is not one of: {', '.join(sorted(choices))}")
    return value
