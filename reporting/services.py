"""Imports: historic cases and proven reoffence records, all or nothing.

Each import reads the file one line at a time (hub.lib.csvimport.iter_csv: never the whole file
in memory), checks every row (and the rows against each other and the database) and writes the
good ones in chunks of CHUNK rows in bulk (hub.bulk: COPY on PostgreSQL), all inside one
transaction with one ImportBatch row recording who, when, which file and what was created. Once
a bad line is found nothing more is written, the rest of the file is still checked, and the
transaction is rolled back: ImportRejected names every bad line as `line N: reason` (the header
is line 1; the first MAX_KEPT are kept, all are counted). A file over IMPORT_MAX_BYTES is
refused before it is read.

Re-importing a file creates nothing new: cases are identified by case_ref (Case.reference),
reoffences by (person_ref, offence_date, proven_date, offence_category).

Decisions where the issue is silent:
- person_ref is the PNC ID, stripped and upper-cased; historic spreadsheets do not always use
  the modern format, so any non-empty value up to 20 characters is accepted.
- Imported people have no name in the file: they are stored as "Unknown (imported record)".
- An import tells its uploader nothing about people the hub holds (issue 17 point 4): no
  message about a line depends on the database's people, and the summary has no count of
  records linked to people. An imported case joins only a person created by an earlier import
  with the same PNC ID and date of birth; a PNC ID held by anyone else (a person in the
  workflow, or an imported one with another date of birth) gives the case a person of its own
  without the PNC ID, the PNC ID kept on the case (Case.imported_person_ref), until a police
  user matches it to the person (match_imported_cases, logged). Reoffence records still link
  to people by PNC ID automatically: that is how proven reoffending is counted.
- The file has no per-condition outcome, so the case outcome is applied to each condition
  (complied → complied on the outcome date, failed → not complied, withdrawn → ended,
  in progress → pending), due 16 weeks after the caution, like the default compliance period.
- caution_date is required for every row, withdrawn ones included: these are cautions given.
- No history rows are written for imported records: the ImportBatch is the record of their
  collection (and writing in bulk keeps 100,000 rows well inside a minute).
"""

import datetime as dt
import getpass
import io
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO

from django.conf import settings
from django.db import connection, transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from cautions.models import (
    OUTCOME_OF_STATUS,
    Case,
    CaseStatus,
    Condition,
    CrimeOutcome,
    Outcome,
)
from cautions.rules import is_workflow_reference, retention_review_date
from hub.bulk import bulk_insert
from hub.lib.csvimport import Problems, RowError, iter_csv, parse_choice, parse_date
from hub.lib.dates import age_on
from hub.models import (
    ETHNICITY_CODES,
    ConditionType,
    District,
    ImportBatch,
    Offence,
    OffenceCategory,
    Person,
    ReoffenceRecord,
    Sex,
)
from hub.records import link_reoffence_records

CASE_COLUMNS = [
    "case_ref",
    "person_ref",
    "date_of_birth",
    "sex",
    "ethnicity",
    "district",
    "offence_category",
    "offence_date",
    "gravity_score",
    "caution_date",
    "condition_types",
    "outcome",
    "outcome_date",
]
# Looked up once: the enum's `values` builds a new list on each call (5 s in 1,000,000 rows).
DISPOSALS = frozenset(ReoffenceRecord.Disposal.values)
REOFFENCE_COLUMNS = ["person_ref", "offence_date", "proven_date", "offence_category", "disposal"]

# The four reporting outcomes mapped back onto case statuses (the inverse of OUTCOME_OF_STATUS
# for imported cases: a failure recorded without the decision that followed is "failed").
STATUS_OF_OUTCOME = {
    Outcome.IN_PROGRESS: CaseStatus.ACTIVE,
    Outcome.COMPLIED: CaseStatus.COMPLIED,
    Outcome.FAILED: CaseStatus.FAILED,
    Outcome.WITHDRAWN: CaseStatus.WITHDRAWN,
}
assert all(OUTCOME_OF_STATUS[status] == outcome for outcome, status in STATUS_OF_OUTCOME.items())

CONDITION_STATUS_OF_OUTCOME = {
    Outcome.IN_PROGRESS: Condition.Status.PENDING,
    Outcome.COMPLIED: Condition.Status.COMPLIED,
    Outcome.FAILED: Condition.Status.NOT_COMPLIED,
    Outcome.WITHDRAWN: Condition.Status.ENDED,
}
IMPORTED_COMPLIANCE_WEEKS = 16
IMPORTED_FIRST_NAME, IMPORTED_LAST_NAME = "Unknown", "(imported record)"
# A person an import created: its placeholder name, nobody's record, no case from the workflow.
# Only such a person is joined by a later import's cases with the same PNC ID and birth date.
_IMPORTED_PLACEHOLDER = ExpressionWrapper(
    Q(first_name=IMPORTED_FIRST_NAME, last_name=IMPORTED_LAST_NAME, created_by__isnull=True)
    & Q(~Exists(Case.objects.filter(person=OuterRef("pk")).exclude(source=Case.Source.IMPORT))),
    output_field=BooleanField(),
)
LOOKUP_CHUNK = 5000
# Rows written per round of inserts: bounds the memory an import holds at once.
CHUNK = 5000
MAX_REF_LENGTH = 20

# progress(rows_read, bytes_read, errors): called every PROGRESS_EVERY lines of the file (and
# once at its end) by every import kind, so that a job page or a command's bar can follow it.
Progress = Callable[[int, int, int], None]
PROGRESS_EVERY = 10_000
EMPTY_FILE = "line 2: the file has no rows after its header: nothing to import"


class ImportRejected(Exception):
    """The file has bad rows; nothing was written. `errors` lists them as `line N: reason`
    (the first csvimport.MAX_KEPT); `total` counts them all."""

    def __init__(self, errors: list[str], total: int | None = None):
        self.errors = errors
        self.total = len(errors) if total is None else total
        super().__init__(f"{self.total} problem(s) in the file; nothing was imported")

    @classmethod
    def of(cls, problems: Problems) -> "ImportRejected":
        return cls(problems.messages, problems.total)


def check_size(source: IO) -> None:
    """Refuse a file over settings.IMPORT_MAX_BYTES before reading it (a seekable file)."""
    limit = settings.IMPORT_MAX_BYTES
    try:
        size = os.fstat(source.fileno()).st_size
    except (AttributeError, OSError, io.UnsupportedOperation):
        position = source.tell()
        size = source.seek(0, io.SEEK_END)
        source.seek(position)
    if size > limit:
        raise ImportRejected([too_large_message(limit)])


def too_large_message(limit: int) -> str:
    return (
        f"The file is larger than the limit of {filesizeformat(limit)} ({limit:,} bytes): "
        "split it into smaller files and import each"
    )


@dataclass
class ImportResult:
    batch: ImportBatch
    rows: int
    created: int
    already_present: int
    people_created: int = 0
    conditions_created: int = 0
    linked: int = 0
    details: list[str] = field(default_factory=list)

    def summary(self) -> str:
        noun = "cases" if self.batch.kind == ImportBatch.Kind.CASES else "reoffence records"
        parts = [f"{self.rows} rows read", f"{self.created} {noun} created"]
        if self.batch.kind == ImportBatch.Kind.CASES:
            parts += [
                f"{self.people_created} people created",
                f"{self.conditions_created} conditions created",
            ]
        parts.append(f"{self.already_present} already imported")
        # No count of records linked to people: it would tell the uploader which PNC IDs the
        # hub holds.
        return "; ".join(parts)


def _reporter(
    progress: Progress | None, source: IO, problems: Problems
) -> Callable[[int], None] | None:
    """iter_csv's per-line callback turned into progress(rows, bytes, errors): the bytes are
    the binary source's position (read ahead by the text decoder's buffer: near enough for a
    percentage); a text stream reports none. Cheap: one tell() per PROGRESS_EVERY lines."""
    if progress is None:
        return None
    if isinstance(source, io.TextIOBase):
        return lambda rows: progress(rows, 0, problems.total)

    def report(rows: int) -> None:
        try:
            position = source.tell()
        except (OSError, ValueError):  # closed or unseekable stream: no position to report
            position = 0
        progress(rows, position, problems.total)

    return report


def _chunks(items: list, size: int = LOOKUP_CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _person_ref(value: str) -> str:
    ref = value.strip().upper()
    if not ref:
        raise RowError("person_ref is missing")
    if len(ref) > MAX_REF_LENGTH:
        raise RowError(f"person_ref is longer than {MAX_REF_LENGTH} characters")
    return ref


def _operator() -> str:
    try:
        return getpass.getuser()[:100]
    except (KeyError, OSError):  # no login name (e.g. in a container)
        return ""


# -- Cases -----------------------------------------------------------------------------------


@dataclass
class _CaseRow:
    line: int
    case_ref: str
    person_ref: str
    date_of_birth: dt.date
    sex: str
    ethnicity: str
    district_id: int
    category: OffenceCategory
    offence_date: dt.date
    gravity_score: int
    caution_date: dt.date
    condition_type_ids: list[int]
    outcome: str
    outcome_date: dt.date | None


def _parse_case_row(
    line: int, raw: dict, ref: dict, today: dt.date
) -> tuple[_CaseRow | None, list]:
    reasons: list[str] = []

    def check(fn, *args):
        try:
            return fn(*args)
        except RowError as error:
            reasons.append(str(error))
            return None

    case_ref = check(_case_ref, raw["case_ref"])
    person_ref = check(_person_ref, raw["person_ref"])
    dob = check(parse_date, raw["date_of_birth"], "date_of_birth")
    sex = check(parse_choice, raw["sex"], "sex", Sex.values)
    ethnicity = check(parse_choice, raw["ethnicity"].upper(), "ethnicity", list(ETHNICITY_CODES))
    district_id = check(_known, ref["districts"], raw["district"], "district", "district")
    category = check(
        _known, ref["categories"], raw["offence_category"], "offence_category", "category"
    )
    offence_date = check(parse_date, raw["offence_date"], "offence_date")
    gravity = check(_gravity_score, raw["gravity_score"])
    caution_date = check(parse_date, raw["caution_date"], "caution_date")
    keys = check(_condition_type_keys, raw["condition_types"], ref["condition_types"])
    outcome = check(parse_choice, raw["outcome"], "outcome", Outcome.values)
    outcome_date = check(_outcome_date, outcome, raw["outcome_date"]) if outcome else None
    reasons += _case_date_problems(offence_date, caution_date, outcome_date, dob, today)
    if reasons:
        return None, reasons
    return (
        _CaseRow(
            line=line,
            case_ref=case_ref,
            person_ref=person_ref,
            date_of_birth=dob,
            sex=sex,
            ethnicity=ethnicity,
            district_id=district_id,
            category=category,
            offence_date=offence_date,
            gravity_score=gravity,
            caution_date=caution_date,
            condition_type_ids=[ref["condition_types"][key] for key in keys],
            outcome=outcome,
            outcome_date=outcome_date,
        ),
        [],
    )


def _case_ref(value: str) -> str:
    if not value:
        raise RowError("case_ref is missing")
    if len(value) > 40:
        raise RowError("case_ref is longer than 40 characters")
    if is_workflow_reference(value):
        raise RowError(
            f"case_ref '{value}' has the form reserved for cases started in the hub "
            "(CC-<year>-… or new-…): give historic cases another reference"
        )
    return value


def _known(known: dict, value: str, column: str, noun: str):
    """The reference row (or id) named by `value`, matched without regard to case."""
    found = known.get(value.lower())
    if found is None:
        raise RowError(
            f"{column} is missing" if not value else f"{column} '{value}' is not a known {noun}"
        )
    return found


def _gravity_score(value: str) -> int:
    try:
        gravity = int(value)
    except ValueError:
        gravity = None
    if gravity is None or not 1 <= gravity <= 4:
        raise RowError(f"gravity_score '{value}' is not a whole number from 1 to 4")
    return gravity


def _condition_type_keys(value: str, known: dict) -> list[str]:
    keys = [key.strip().lower() for key in value.split(";") if key.strip()]
    keys = list(dict.fromkeys(keys))
    unknown = [key for key in keys if key not in known]
    if not keys:
        raise RowError("condition_types is missing: a conditional caution has at least one")
    if unknown:
        raise RowError(f"condition_types has unknown keys: {', '.join(unknown)}")
    return keys


def _outcome_date(outcome: str, value: str) -> dt.date | None:
    if outcome == Outcome.IN_PROGRESS:
        if value:
            raise RowError("outcome_date must be empty when the outcome is in_progress")
        return None
    if not value:
        raise RowError(f"outcome_date is required when the outcome is {outcome}")
    return parse_date(value, "outcome_date")


def _case_date_problems(offence_date, caution_date, outcome_date, dob, today) -> list[str]:
    """The row's dates against each other and today (each date checked if it was read)."""
    problems = []
    if offence_date and caution_date and caution_date < offence_date:
        problems.append("caution_date is before offence_date")
    if caution_date and caution_date > today:
        problems.append("caution_date is in the future")
    if outcome_date and caution_date and outcome_date < caution_date:
        problems.append("outcome_date is before caution_date")
    if outcome_date and outcome_date > today:
        problems.append("outcome_date is in the future")
    if dob and caution_date:
        if dob >= caution_date:
            problems.append("date_of_birth is not before caution_date")
        elif age_on(dob, caution_date) < 18:
            problems.append("the person was under 18 on caution_date (cautions are for adults)")
    return problems


class _CaseWriter:
    """Writes the good rows of a case file in chunks, inside the import's transaction."""

    def __init__(self):
        self.pending: list[_CaseRow] = []
        self.people: dict[str, tuple[int, dt.date | None]] = {}  # PNC ID -> (id, birth)
        self.held_apart: set[str] = set()  # PNC IDs whose cases stay apart, to be matched
        self.apart_ids: dict[str, int] = {}  # their person of this import
        self.new_person_refs: list[str] = []
        self.created = self.already_present = self.conditions_created = 0
        self.people_created = 0

    def add(self, row: _CaseRow) -> None:
        self.pending.append(row)
        if len(self.pending) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        rows, self.pending = self.pending, []
        if not rows:
            return
        references = [row.case_ref for row in rows]
        held = {ref for (ref,) in _with_refs(Case, "reference", ("reference",), references)}
        new_rows = [row for row in rows if row.case_ref not in held]
        self.already_present += len(rows) - len(new_rows)
        self._find_people(new_rows)
        self._create_people(new_rows)
        self._create_cases(new_rows)

    def _find_people(self, rows: list[_CaseRow]) -> None:
        """The people of earlier imports the rows' cases may join: a person created by an
        import (no case from the workflow) with the same PNC ID and date of birth. Anyone else
        holding the PNC ID is left alone, and nothing about them is told (see module doc)."""
        unknown = {row.person_ref for row in rows} - self.people.keys() - self.held_apart
        for chunk in _chunks(sorted(unknown)):
            for pnc, pk, dob, imported in (
                Person.objects.filter(pnc_id__in=chunk)
                .annotate(imported=_IMPORTED_PLACEHOLDER)
                .values_list("pnc_id", "pk", "date_of_birth", "imported")
            ):
                if imported:
                    self.people[pnc] = (pk, dob)
                else:
                    self.held_apart.add(pnc)
        for row in rows:
            known = self.people.get(row.person_ref)
            if known and known[1] != row.date_of_birth:
                self.held_apart.add(row.person_ref)
                del self.people[row.person_ref]

    def _create_people(self, rows: list[_CaseRow]) -> None:
        """People are created from their first row with a new case; a PNC ID held by someone
        else gives a person of its own without it (the case keeps the PNC ID to be matched)."""
        first: dict[str, _CaseRow] = {}
        for row in rows:
            if row.person_ref not in self.people and row.person_ref not in self.apart_ids:
                first.setdefault(row.person_ref, row)
        new_people = [
            {
                "first_name": IMPORTED_FIRST_NAME,
                "last_name": IMPORTED_LAST_NAME,
                "pnc_id": None if person_ref in self.held_apart else person_ref,
                "date_of_birth": row.date_of_birth,
                "sex": row.sex,
                "ethnicity": row.ethnicity,
                "district_id": row.district_id,
            }
            for person_ref, row in first.items()
        ]
        ids = bulk_insert(Person, new_people)
        for (person_ref, row), pk in zip(first.items(), ids, strict=True):
            if person_ref in self.held_apart:
                self.apart_ids[person_ref] = pk
            else:
                self.people[person_ref] = (pk, row.date_of_birth)
                self.new_person_refs.append(person_ref)
        self.people_created += len(ids)

    def _person_id(self, person_ref: str) -> int:
        if person_ref in self.apart_ids:
            return self.apart_ids[person_ref]
        return self.people[person_ref][0]

    def _create_cases(self, rows: list[_CaseRow]) -> None:
        person_ids = {row.person_ref: self._person_id(row.person_ref) for row in rows}
        offence_ids = bulk_insert(
            Offence,
            [
                {
                    "person_id": person_ids[row.person_ref],
                    "category_id": row.category.pk,
                    "description": f"Imported historic case {row.case_ref}",
                    "offence_date": row.offence_date,
                    "district_id": row.district_id,
                    "gravity_score": row.gravity_score,
                    "mode_of_trial": row.category.mode_of_trial,
                }
                for row in rows
            ],
        )
        deadlines = [
            row.caution_date + dt.timedelta(weeks=IMPORTED_COMPLIANCE_WEEKS) for row in rows
        ]
        case_ids = bulk_insert(
            Case,
            [
                _case_values(row, person_ids[row.person_ref], offence_id, deadline)
                | (
                    {"imported_person_ref": row.person_ref}
                    if row.person_ref in self.held_apart
                    else {}
                )
                for row, offence_id, deadline in zip(rows, offence_ids, deadlines, strict=True)
            ],
        )
        conditions = [
            {
                "case_id": case_id,
                "condition_type_id": type_id,
                "description": "Imported historic condition",
                "due_date": deadline,
                "status": CONDITION_STATUS_OF_OUTCOME[row.outcome],
                "complied_on": row.outcome_date if row.outcome == Outcome.COMPLIED else None,
            }
            for row, case_id, deadline in zip(rows, case_ids, deadlines, strict=True)
            for type_id in row.condition_type_ids
        ]
        bulk_insert(Condition, conditions, returning=False)
        self.created += len(case_ids)
        self.conditions_created += len(conditions)


def _case_values(row: _CaseRow, person_id: int, offence_id: int, deadline: dt.date) -> dict:
    return {
        "reference": row.case_ref,
        "person_id": person_id,
        "offence_id": offence_id,
        "status": STATUS_OF_OUTCOME[row.outcome],
        "source": Case.Source.IMPORT,
        "caution_date": row.caution_date,
        # Cautions given: the Home Office outcome 3 (adult caution).
        "crime_outcome": CrimeOutcome.CAUTION,
        "age_at_caution": age_on(row.date_of_birth, row.caution_date),
        "compliance_period_weeks": IMPORTED_COMPLIANCE_WEEKS,
        "compliance_deadline": deadline,
        "outcome_date": row.outcome_date,
        "closure_reason": "Imported historic case" if row.outcome_date else "",
        "retention_review_date": (
            retention_review_date(row.outcome_date) if row.outcome_date else None
        ),
    }


class _CaseFileChecks:
    """Checks of a row against the file's earlier rows: what must be remembered per file is
    a line number per case_ref and a (line, date of birth) per person_ref, not the rows."""

    def __init__(self):
        self.line_of_ref: dict[str, int] = {}
        self.first_of_person: dict[str, tuple[int, dt.date]] = {}

    def reasons(self, row: _CaseRow) -> list[str]:
        reasons = []
        earlier_line = self.line_of_ref.setdefault(row.case_ref, row.line)
        if earlier_line != row.line:
            reasons.append(f"case_ref '{row.case_ref}' is also on line {earlier_line}")
        line, dob = self.first_of_person.setdefault(row.person_ref, (row.line, row.date_of_birth))
        if dob != row.date_of_birth:
            reasons.append(f"date_of_birth differs from line {line} for the same person_ref")
        return reasons


def _reference_data() -> dict:
    return {
        "districts": {name.lower(): pk for pk, name in District.objects.values_list("pk", "name")},
        "categories": {c.key: c for c in OffenceCategory.objects.all()},
        "condition_types": dict(ConditionType.objects.values_list("key", "pk")),
    }


def import_cases(
    *,
    source: IO,
    file_name: str,
    user=None,
    via: str = ImportBatch.Via.COMMAND,
    progress: Progress | None = None,
) -> ImportResult:
    """Import historic cases (CASE_COLUMNS) as Person, Offence, Case (source=import), Condition.

    All or nothing; raises ImportRejected. Cases whose case_ref is already held are left as
    they are (counted as already imported). Unlinked reoffence records of the file's people
    are linked to them.
    """
    check_size(source)
    today = timezone.localdate()
    ref = _reference_data()
    problems = Problems()
    checks = _CaseFileChecks()
    writer = _CaseWriter()
    rows = 0
    report = _reporter(progress, source, problems)
    with transaction.atomic():
        for line, raw in iter_csv(
            source, CASE_COLUMNS, problems, progress=report, progress_every=PROGRESS_EVERY
        ):
            rows += 1
            row, reasons = _parse_case_row(line, raw, ref, today)
            if row is not None:
                reasons += checks.reasons(row)
            if reasons:
                problems.add(line, "; ".join(reasons))
            elif not problems:
                writer.add(row)
        if not problems:
            writer.flush()
        _refuse(problems, rows)
        linked = link_reoffence_records(person_refs=writer.new_person_refs)
        batch = ImportBatch.objects.create(
            kind=ImportBatch.Kind.CASES,
            via=via,
            file_name=file_name[:255],
            imported_by=user,
            operator="" if user else _operator(),
            rows_in_file=rows,
            rows_created=writer.created,
            rows_already_present=writer.already_present,
            people_created=writer.people_created,
            conditions_created=writer.conditions_created,
        )
    return ImportResult(
        batch=batch,
        rows=rows,
        created=writer.created,
        already_present=writer.already_present,
        people_created=writer.people_created,
        conditions_created=writer.conditions_created,
        linked=linked,
    )


def _refuse(problems: Problems, rows: int) -> None:
    """Roll the import back (raised inside its transaction) when any line was bad, or when
    the file had no rows: an empty extract would record an import and move the dashboard's
    "figures as at" date forward with no new data."""
    if problems:
        raise ImportRejected.of(problems)
    if not rows:
        raise ImportRejected([EMPTY_FILE])


# -- Reoffences ------------------------------------------------------------------------------


def _parse_reoffence_row(raw: dict, today: dt.date) -> tuple[tuple | None, str, list[str]]:
    """(key, disposal, reasons): the key identifies a record (person_ref, offence date,
    proven date, category)."""
    reasons: list[str] = []
    values: dict = {}
    for column, parse in (
        ("person_ref", _person_ref),
        ("offence_date", lambda v: parse_date(v, "offence_date")),
        ("proven_date", lambda v: parse_date(v, "proven_date")),
        ("disposal", lambda v: parse_choice(v.lower(), "disposal", DISPOSALS)),
    ):
        try:
            values[column] = parse(raw[column])
        except RowError as error:
            reasons.append(str(error))
    category = raw["offence_category"].lower()
    if not category:
        reasons.append("offence_category is missing")
    elif len(category) > 50:
        reasons.append("offence_category is longer than 50 characters")
    offence_date, proven_date = values.get("offence_date"), values.get("proven_date")
    if offence_date and proven_date and proven_date < offence_date:
        reasons.append("proven_date is before offence_date")
    if proven_date and proven_date > today:
        reasons.append("proven_date is in the future")
    if reasons:
        return None, "", reasons
    return (values["person_ref"], offence_date, proven_date, category), values["disposal"], []


def _with_refs(model, ref_field: str, fields: tuple[str, ...], refs: list[str]) -> list[tuple]:
    """`fields` of the rows whose `ref_field` is one of `refs`. On PostgreSQL the refs go as
    one array parameter (`= ANY(%s)`) rather than one parameter each: with thousands of them
    an IN list cost 0.5 s a chunk to parse and plan, most of a 1,000,000-line import."""
    if connection.vendor != "postgresql":
        return list(model.objects.filter(**{f"{ref_field}__in": refs}).values_list(*fields))
    meta, quote = model._meta, connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name).column) for name in fields)
    where = quote(meta.get_field(ref_field).column)
    # The names are the model's own, quoted; the values go as a parameter.
    sql = f"SELECT {columns} FROM {quote(meta.db_table)} WHERE {where} = ANY(%s)"
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [refs],
        )
        return cursor.fetchall()


class _ReoffenceWriter:
    """Writes new records in chunks; a record already held, or earlier in the file, once.

    A record of an earlier chunk is found by the next chunks' look-up (written in the same
    transaction), so no set of the file's keys is kept: at 1,000,000 lines it held 280 MB."""

    def __init__(self, batch: ImportBatch):
        self.batch = batch
        self.pending: dict[tuple, str] = {}
        self.created = self.linked = 0

    def add(self, key: tuple, disposal: str) -> None:
        if key in self.pending:
            return
        self.pending[key] = disposal
        if len(self.pending) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        pending, self.pending = self.pending, {}
        if not pending:
            return
        refs = sorted({key[0] for key in pending})
        held = set(
            _with_refs(
                ReoffenceRecord,
                "person_ref",
                ("person_ref", "offence_date", "proven_date", "offence_category"),
                refs,
            )
        )
        person_ids = dict(_with_refs(Person, "pnc_id", ("pnc_id", "id"), refs))
        records = [
            {
                "person_ref": key[0],
                "person_id": person_ids.get(key[0]),
                "offence_date": key[1],
                "proven_date": key[2],
                "offence_category": key[3],
                "disposal": disposal,
                "batch_id": self.batch.pk,
            }
            for key, disposal in pending.items()
            if key not in held
        ]
        bulk_insert(ReoffenceRecord, records, returning=False)
        self.created += len(records)
        self.linked += sum(1 for record in records if record["person_id"])


def import_reoffences(
    *,
    source: IO,
    file_name: str,
    user=None,
    via: str = ImportBatch.Via.COMMAND,
    progress: Progress | None = None,
) -> ImportResult:
    """Import proven reoffences (REOFFENCE_COLUMNS) from a police national records extract.

    All or nothing; raises ImportRejected. A record already held (same person_ref, offence
    date, proven date and category), or repeated within the file, is created once. Each new
    record is linked to the hub person with that PNC ID, if there is one.
    """
    check_size(source)
    today = timezone.localdate()
    problems = Problems()
    rows = rows_ok = 0
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            kind=ImportBatch.Kind.REOFFENCES,
            via=via,
            file_name=file_name[:255],
            imported_by=user,
            operator="" if user else _operator(),
            rows_in_file=0,
            rows_created=0,
            rows_already_present=0,
        )
        writer = _ReoffenceWriter(batch)
        report = _reporter(progress, source, problems)
        for line, raw in iter_csv(
            source, REOFFENCE_COLUMNS, problems, progress=report, progress_every=PROGRESS_EVERY
        ):
            rows += 1
            key, disposal, reasons = _parse_reoffence_row(raw, today)
            if reasons:
                problems.add(line, "; ".join(reasons))
                continue
            rows_ok += 1
            if not problems:
                writer.add(key, disposal)
        if not problems:
            writer.flush()
        _refuse(problems, rows)
        batch.rows_in_file = rows
        batch.rows_created = writer.created
        batch.rows_already_present = rows_ok - writer.created
        batch.save(update_fields=["rows_in_file", "rows_created", "rows_already_present"])
    return ImportResult(
        batch=batch,
        rows=rows,
        created=writer.created,
        already_present=rows_ok - writer.created,
        linked=writer.linked,
    )
