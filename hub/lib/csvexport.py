"""Writing CSV that a spreadsheet cannot run: every CSV the app hands out goes through here.

A cell beginning with = + - @ (or a tab or carriage return, which some spreadsheets skip
before one of those) is read as a formula by Excel, LibreOffice and Google Sheets, and a
formula can fetch a web address with the sheet's contents or run a command (CSV injection).
Users type text that reaches exports (justifications, recipients, reasons) and administrators
name reference data (districts, offence categories) that reaches the report tables, so every
text cell is neutralised as OWASP recommends: prefixed with a single quote, which spreadsheets
show as text and do not display.

A text cell that is a plain number ("-3", "-0.25", "+4", "-1e3", "12.5%") is left alone: a
spreadsheet reads it as a number, never as a formula, and a figure keeps its sign. Numbers
(int, float, Decimal), dates, booleans and None are written as the csv module writes them.

    writer = csvexport.writer(response)        # as csv.writer(response, **options)
    writer.writerow(["=1+1", 42])              # '=1+1,42
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?")
_NOT_TEXT = (int, float, Decimal, dt.date, dt.time, bool, type(None))


def is_number(text: str) -> bool:
    return _NUMBER.fullmatch(text) is not None


def safe_cell(value):
    """The value to write for one cell: text that a spreadsheet would run gets a leading '."""
    if isinstance(value, _NOT_TEXT):
        return value
    text = value if isinstance(value, str) else str(value)
    if text.startswith(FORMULA_STARTS) and not is_number(text):
        return "'" + text
    return text


class SafeWriter:
    """csv.writer's writerow/writerows with every cell passed through safe_cell. writerow
    returns what the file's write returned (the line itself for a streaming echo)."""

    def __init__(self, file, **options):
        self._writer = csv.writer(file, **options)

    def writerow(self, row: Iterable):
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


def writer(file, **options) -> SafeWriter:
    return SafeWriter(file, **options)
