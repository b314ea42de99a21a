"""Every table of the dashboard in one download: a zip of CSV files with notes.csv (one line
per table: its file, caption and what it counts) and README.txt (the window, the as-of date,
the definitions and the disclosure key). The tables are those published (suppressed)."""

import io
import zipfile

from hub.lib import csvexport
from reporting.exports import SUPPRESSED_MARK, Table

README = """Reoffending and compliance dashboard: every table
=================================================

Cautions given {date_from} to {date_to}, figures as at {as_of}.
Reoffence records imported up to: {imported}.

Compliance: the share of cautions whose conditions were complied with, out of those that ended
in compliance or failure.
Proven reoffending (Ministry of Justice measure): a person counts once, from their first caution
in the window; they reoffended if they committed an offence in the 12 months after it that was
proven within a further 6 months. People whose 18 months have not passed are pending follow-up.
Rates are fractions (0.2500 is 25%).

{key}

notes.csv lists every file with its caption.
"""


def _csv_bytes(rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csvexport.writer(out, lineterminator="\r\n")
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def build_zip(tables: list[Table], *, context: dict, key_text: str) -> bytes:
    """The zip's bytes: one CSV per table, notes.csv and README.txt."""
    buffer = io.BytesIO()
    notes = [["File", "Table", "Rows", "Has suppressed figures"]]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for table in tables:
            rows = table.csv_rows()
            name = f"{table.key}.csv"
            archive.writestr(name, _csv_bytes(rows))
            suppressed = any(cell == SUPPRESSED_MARK for row in rows for cell in row)
            notes.append([name, table.caption, len(rows) - 1, "yes" if suppressed else "no"])
        notes.append([])
        notes.append(["[c]", key_text])
        archive.writestr("notes.csv", _csv_bytes(notes))
        archive.writestr("README.txt", README.format(**context, key=key_text))
    return buffer.getvalue()
