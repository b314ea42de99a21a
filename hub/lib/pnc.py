"""Police National Computer ID (PNC ID): format and check letter. Framework-free.

A PNC ID is a year, a serial number and a check letter: `YY/NNNNNNNA` (the long form writes
the year with four digits, `YYYY/NNNNNNNA`, and the serial is often written without its
leading zeros, `16/123456A`). The check letter is the remainder of the nine-digit number
`YYNNNNNNN` (two-digit year, serial padded to seven digits) divided by 23, read in the
alphabet `ZABCDEFGHJKLMNPQRTUVWXY` (0 is Z; I, O and S are left out so as not to be read as
1, 0 and 5). Source: the Ministry of Justice person record service's PNC ID validator
(ministryofjustice/hmpps-person-record, `PNCIdValidator`).

The hub stores the short canonical form `YY/NNNNNNNA`, so that the same ID written either
way is one ID (duplicate checks, the unique constraint).
"""

from __future__ import annotations

import re

CHECK_LETTERS = "ZABCDEFGHJKLMNPQRTUVWXY"
MODULUS = len(CHECK_LETTERS)  # 23
SERIAL_DIGITS = 7
_PATTERN = re.compile(r"^(?P<year>\d{2}|\d{4})/(?P<serial>\d{1,7})(?P<check>[A-Z])$", re.ASCII)

FORMAT_MESSAGE = "Enter a PNC ID in the format year/number and check letter, like 16/0123456J"
CHECK_MESSAGE = "Enter a PNC ID whose check letter is right: check the number and the letter"


class InvalidPNC(ValueError):
    """The text is not a PNC ID; the message says why, in words a user can act on."""


def check_letter(year: int, serial: int) -> str:
    """The check letter of the PNC ID with this year (its last two digits count) and serial."""
    if not 0 <= serial < 10**SERIAL_DIGITS:
        raise InvalidPNC(FORMAT_MESSAGE)
    return CHECK_LETTERS[(year % 100 * 10**SERIAL_DIGITS + serial) % MODULUS]


def format_pnc(year: int, serial: int) -> str:
    """The canonical PNC ID for a year and serial, check letter included."""
    return f"{year % 100:02d}/{serial:0{SERIAL_DIGITS}d}{check_letter(year, serial)}"


def normalise(value: str) -> str:
    """The canonical form (`YY/NNNNNNNA`) of a PNC ID typed in any of its written forms, or
    InvalidPNC: a wrong shape, or a check letter that does not match the number."""
    match = _PATTERN.match(value.strip().upper())
    if match is None:
        raise InvalidPNC(FORMAT_MESSAGE)
    year, serial = int(match["year"]), int(match["serial"])
    if match["check"] != check_letter(year, serial):
        raise InvalidPNC(CHECK_MESSAGE)
    return format_pnc(year, serial)


def is_valid(value: str) -> bool:
    try:
        normalise(value)
    except InvalidPNC:
        return False
    return True
