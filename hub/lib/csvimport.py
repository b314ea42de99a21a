"""All-or-nothing CSV reading: framework-free helpers shared by the imports.

A file is read whole and every problem is collected as `line N: reason` (the header is line 1)
before anything is written; the caller writes only when `errors` is empty.
"""

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO


class RowError(ValueError):
    """A problem with one value of a row; the message is shown after `line N: `."""


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


def read_csv(
    source: IO,
    columns: list[str],
    *,
    progress: Callable[[int], None] | None = None,
    progress_every: int = 10_000,
) -> CsvResult:
    """Read a CSV whose header must name exactly `columns` (any order).

    Returns the rows as (line, {column: stripped value}); blank lines are skipped. A header
    with missing or extra columns, a row with the wrong number of values, or a file that is
    not UTF-8 is reported in `errors`.
    """
    result = CsvResult()
    reader = csv.reader(_text_stream(source))
    try:
        header = next(reader, None)
        if header is None:
            result.error(1, "the file is empty: expected a header row")
            return result
        header = [name.strip().lower() for name in header]
        missing = [name for name in columns if name not in header]
        extra = [name for name in header if name not in columns]
        duplicated = sorted({name for name in header if header.count(name) > 1})
        if missing:
            result.error(1, f"missing columns: {', '.join(missing)}")
        if extra:
            result.error(1, f"unexpected columns: {', '.join(extra)}")
        if duplicated:
            result.error(1, f"repeated columns: {', '.join(duplicated)}")
        if result.errors:
            return result
        width = len(header)
        for values in reader:
            line = reader.line_num
            if not values or all(not value.strip() for value in values):
                continue
            if len(values) != width:
                result.error(line, f"expected {width} values, found {len(values)}")
                continue
            result.rows.append(
                (line, {name: value.strip() for name, value in zip(header, values, strict=True)})
            )
            if progress and len(result.rows) % progress_every == 0:
                progress(len(result.rows))
    except UnicodeDecodeError:
        result.error(reader.line_num + 1, "the file is not UTF-8 text")
    except csv.Error as error:
        result.error(reader.line_num, f"not valid CSV ({error})")
    return result


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
