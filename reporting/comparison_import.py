"""Importing the comparison pool (issue 19): people the force did not divert to the hub.

CSV columns COMPARISON_COLUMNS; codes as in the historic case import (reporting.services):
person_ref is the PNC ID (stripped, upper-cased, up to 20 characters), sex one of hub.Sex,
ethnicity a hub ethnicity code, district a district's name, offence_category a category key
(both without regard to case), gravity_score 1 to 4, dates YYYY-MM-DD; `disposal` is one of
charged, simple_caution, community_resolution, other. The force prepares the file (README):
for people charged, disposal_date is the date of a non-custodial court outcome, and people
given custody are left out.

The same rules as the other imports: the file is read one line at a time; every line is
checked (against itself, the file's earlier lines and the reference data) and the good ones
written in chunks (hub.bulk: COPY on PostgreSQL) inside one transaction with one
ComparisonBatch row; any bad line rolls everything back and ImportRejected names each as
`line N: reason`; a file over IMPORT_MAX_BYTES is refused before it is read; an empty file is
refused. Re-importing creates nothing new: a record is identified by (person_ref,
offence_date, offence_category, disposal_date), and one repeated within the file is created
once.

Decisions where the issue is silent:
- Only adults (18 or over on disposal_date), as cautions are for adults: the comparison is
  between like people.
- Each record is linked to the hub person holding its PNC ID, if any, like a national record
  (the comparison leaves out people with a hub caution through the link); nothing said to
  the uploader depends on the hub's people.
- The age at disposal is kept on the record (it survives anonymisation, as a case's age at
  caution does); the review date for retention is RETENTION_YEARS after disposal_date.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

from django.db import transaction
from django.utils import timezone

from cautions.rules import retention_review_date
from hub.bulk import bulk_insert
from hub.lib.csvimport import Problems, RowError, iter_csv, parse_choice, parse_date
from hub.lib.dates import age_on
from hub.models import ETHNICITY_CODES, District, OffenceCategory, Person, Sex
from reporting.models import ComparisonBatch, ComparisonRecord
from reporting.services import (
    CHUNK,
    LOOKUP_CHUNK,
    _gravity_score,
    _known,
    _operator,
    _person_ref,
    _refuse,
    check_size,
)

COMPARISON_COLUMNS = [
    "person_ref",
    "date_of_birth",
    "sex",
    "ethnicity",
    "district",
    "offence_category",
    "offence_date",
    "gravity_score",
    "disposal",
    "disposal_date",
]
# (rows read, bytes read, problems so far): the shape of the background import's progress.
ProgressCallback = Callable[[int, int, int], None]
PROGRESS_EVERY = 10_000


@dataclass
class ComparisonImportResult:
    batch: ComparisonBatch
    rows: int
    created: int
    already_present: int

    def summary(self) -> str:
        return (
            f"{self.rows} rows read; {self.created} comparison pool records created; "
            f"{self.already_present} already imported"
        )


def _parse(raw: dict, ref: dict, today: dt.date) -> tuple[dict | None, list[str]]:
    reasons: list[str] = []

    def check(fn, *args):
        try:
            return fn(*args)
        except RowError as error:
            reasons.append(str(error))
            return None

    values = {
        "person_ref": check(_person_ref, raw["person_ref"]),
        "date_of_birth": check(parse_date, raw["date_of_birth"], "date_of_birth"),
        "sex": check(parse_choice, raw["sex"].lower(), "sex", Sex.values),
        "ethnicity": check(
            parse_choice, raw["ethnicity"].upper(), "ethnicity", list(ETHNICITY_CODES)
        ),
        "district_id": check(_known, ref["districts"], raw["district"], "district", "district"),
        "offence_category_id": check(
            _known, ref["categories"], raw["offence_category"], "offence_category", "category"
        ),
        "offence_date": check(parse_date, raw["offence_date"], "offence_date"),
        "gravity_score": check(_gravity_score, raw["gravity_score"]),
        "disposal": check(
            parse_choice, raw["disposal"].lower(), "disposal", ComparisonRecord.Disposal.values
        ),
        "disposal_date": check(parse_date, raw["disposal_date"], "disposal_date"),
    }
    reasons += _date_problems(values, today)
    return (None, reasons) if reasons else (values, [])


def _date_problems(values: dict, today: dt.date) -> list[str]:
    offence, disposal, dob = (
        values["offence_date"],
        values["disposal_date"],
        values["date_of_birth"],
    )
    problems = []
    if offence and disposal and disposal < offence:
        problems.append("disposal_date is before offence_date")
    if disposal and disposal > today:
        problems.append("disposal_date is in the future")
    if dob and disposal:
        if dob >= disposal:
            problems.append("date_of_birth is not before disposal_date")
        elif age_on(dob, disposal) < 18:
            problems.append(
                "the person was under 18 on disposal_date (the comparison is of adults)"
            )
    return problems


def _key(values: dict) -> tuple:
    return (
        values["person_ref"],
        values["offence_date"],
        values["offence_category_id"],
        values["disposal_date"],
    )


class _Writer:
    """Writes new records in chunks; a record already held, or earlier in the file, once."""

    def __init__(self, batch: ComparisonBatch):
        self.batch = batch
        self.pending: dict[tuple, dict] = {}
        self.seen: set[tuple] = set()
        self.created = 0

    def add(self, values: dict) -> None:
        key = _key(values)
        if key not in self.seen and key not in self.pending:
            self.pending[key] = values
            if len(self.pending) >= CHUNK:
                self.flush()

    def flush(self) -> None:
        pending, self.pending = self.pending, {}
        if not pending:
            return
        self.seen.update(pending)
        refs = sorted({key[0] for key in pending})
        held: set[tuple] = set()
        person_ids: dict[str, int] = {}
        for start in range(0, len(refs), LOOKUP_CHUNK):
            chunk = refs[start : start + LOOKUP_CHUNK]
            held.update(
                ComparisonRecord.objects.filter(person_ref__in=chunk).values_list(
                    "person_ref", "offence_date", "offence_category_id", "disposal_date"
                )
            )
            person_ids.update(Person.objects.filter(pnc_id__in=chunk).values_list("pnc_id", "pk"))
        records = [
            values
            | {
                "batch_id": self.batch.pk,
                "person_id": person_ids.get(key[0]),
                "age_at_disposal": age_on(values["date_of_birth"], values["disposal_date"]),
                "retention_review_date": retention_review_date(values["disposal_date"]),
            }
            for key, values in pending.items()
            if key not in held
        ]
        bulk_insert(ComparisonRecord, records, returning=False)
        self.created += len(records)


class _SameBirthDate:
    """A person_ref's date of birth must be the same on every line of the file."""

    def __init__(self):
        self.first: dict[str, tuple[int, dt.date]] = {}

    def reason(self, line: int, values: dict) -> str | None:
        first_line, dob = self.first.setdefault(
            values["person_ref"], (line, values["date_of_birth"])
        )
        if dob != values["date_of_birth"]:
            return f"date_of_birth differs from line {first_line} for the same person_ref"
        return None


def _reference_data() -> dict:
    return {
        "districts": {name.lower(): pk for pk, name in District.objects.values_list("pk", "name")},
        "categories": dict(OffenceCategory.objects.values_list("key", "pk")),
    }


def _size(source: IO) -> int:
    """The file's size in bytes (0 when it cannot be told)."""
    try:
        position = source.tell()
        size = source.seek(0, io.SEEK_END)
        source.seek(position)
    except (AttributeError, OSError, ValueError):
        return 0
    return size


class _Progress:
    """Calls `progress(rows read, bytes read, problems)` every PROGRESS_EVERY rows."""

    def __init__(self, source: IO, progress: ProgressCallback | None, problems: Problems):
        self.source, self.progress, self.problems = source, progress, problems
        self.last = 0

    def bytes_read(self) -> int:
        # The reader's position in the file (it reads ahead in blocks); once the file is read
        # (and closed by the reader) the last known position.
        with contextlib.suppress(AttributeError, OSError, ValueError):
            self.last = max(self.last, self.source.tell())
        return self.last

    def __call__(self, rows: int, *, end: int | None = None) -> None:
        if self.progress and (end is not None or rows % PROGRESS_EVERY == 0):
            done = self.bytes_read() if end is None else max(end, self.bytes_read())
            self.progress(rows, done, self.problems.total)


def import_comparison(
    file: IO,
    *,
    uploaded_by=None,
    progress: ProgressCallback | None = None,
    file_name: str = "",
) -> ComparisonImportResult:
    """Import a comparison pool file (COMPARISON_COLUMNS), all or nothing.

    `file`: a binary file (or text stream); `file_name` (an import job's stored upload has a
    random name), else the file's `name`, is recorded. `uploaded_by`: the user
    (None from the command line: the operating-system account is recorded). `progress`:
    called with (rows read, bytes read, problems found) as the file is read, and at the end.
    Raises ImportRejected (reporting.services) naming the bad lines; nothing is written then.
    """
    check_size(file)
    size = _size(file)
    today = timezone.localdate()
    ref = _reference_data()
    problems = Problems()
    report = _Progress(file, progress, problems)
    same_birth = _SameBirthDate()
    rows = rows_ok = 0
    with transaction.atomic():
        batch = ComparisonBatch.objects.create(
            file_name=(file_name or str(getattr(file, "name", "") or "upload")).rsplit("/", 1)[-1][
                :255
            ],
            imported_by=uploaded_by,
            operator="" if uploaded_by else _operator(),
        )
        writer = _Writer(batch)
        for line, raw in iter_csv(file, COMPARISON_COLUMNS, problems):
            rows += 1
            report(rows)
            values, reasons = _parse(raw, ref, today)
            if values is not None and (reason := same_birth.reason(line, values)):
                reasons.append(reason)
            if reasons:
                problems.add(line, "; ".join(reasons))
                continue
            rows_ok += 1
            if not problems:
                writer.add(values)
        if not problems:
            writer.flush()
        report(rows, end=size)
        _refuse(problems, rows)
        batch.rows_in_file = rows
        batch.rows_created = writer.created
        batch.rows_already_present = rows_ok - writer.created
        batch.save(update_fields=["rows_in_file", "rows_created", "rows_already_present"])
    return ComparisonImportResult(
        batch=batch, rows=rows, created=writer.created, already_present=rows_ok - writer.created
    )
