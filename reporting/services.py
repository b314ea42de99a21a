"""Imports: historic cases and proven reoffence records, all or nothing.

Each import reads the whole file, checks every row (and the rows against each other and the
database), and writes only when no row is bad: in one transaction, in bulk (hub.bulk: COPY
on PostgreSQL), with one ImportBatch row recording who, when, which file and what was created. A bad
file raises ImportRejected with every bad row as `line N: reason` (the header is line 1).

Re-importing a file creates nothing new: cases are identified by case_ref (Case.reference),
reoffences by (person_ref, offence_date, proven_date, offence_category).

Decisions where the issue is silent:
- person_ref is the PNC ID, stripped and upper-cased; historic spreadsheets do not always use
  the modern format, so any non-empty value up to 20 characters is accepted.
- Imported people have no name in the file: they are stored as "Unknown (imported record)".
  A known person (same PNC ID) is reused; only a different date of birth is an error, other
  differences keep what the hub already holds.
- The file has no per-condition outcome, so the case outcome is applied to each condition
  (complied → complied on the outcome date, failed → not complied, withdrawn → ended,
  in progress → pending), due 16 weeks after the caution, like the default compliance period.
- caution_date is required for every row, withdrawn ones included: these are cautions given.
- No history rows are written for imported records: the ImportBatch is the record of their
  collection (and writing in bulk keeps 100,000 rows well inside a minute).
"""

import datetime as dt
import getpass
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO

from django.db import transaction
from django.utils import timezone

from cautions.models import (
    OUTCOME_OF_STATUS,
    Case,
    CaseStatus,
    Condition,
    CrimeOutcome,
    Outcome,
)
from cautions.rules import retention_review_date
from hub.bulk import bulk_insert
from hub.lib.csvimport import RowError, parse_choice, parse_date, read_csv
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
LOOKUP_CHUNK = 5000
MAX_REF_LENGTH = 20

Progress = Callable[[str], None]


class ImportRejected(Exception):
    """The file has bad rows; nothing was written. `errors` lists them as `line N: reason`."""

    def __init__(self, errors: list[str]):
        super().__init__(f"{len(errors)} problem(s) in the file; nothing was imported")
        self.errors = errors


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
        if self.linked:
            parts.append(f"{self.linked} reoffence records linked to people")
        return "; ".join(parts)


def _noop(_message: str) -> None:
    pass


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


def _read(source: IO, columns: list[str], progress: Progress):
    result = read_csv(source, columns, progress=lambda n: progress(f"read {n:,} rows"))
    if result.errors and not result.rows:
        raise ImportRejected(result.errors)
    return result


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


def import_cases(
    *,
    source: IO,
    file_name: str,
    user=None,
    via: str = ImportBatch.Via.COMMAND,
    progress: Progress = _noop,
) -> ImportResult:
    """Import historic cases (CASE_COLUMNS) as Person, Offence, Case (source=import), Condition.

    All or nothing; raises ImportRejected. Cases whose case_ref is already held are left as
    they are (counted as already imported). Unlinked reoffence records of the file's people
    are linked to them.
    """
    today = timezone.localdate()
    parsed = _read(source, CASE_COLUMNS, progress)
    errors = list(parsed.errors)
    ref = {
        "districts": {name.lower(): pk for pk, name in District.objects.values_list("pk", "name")},
        "categories": {c.key: c for c in OffenceCategory.objects.all()},
        "condition_types": dict(ConditionType.objects.values_list("key", "pk")),
    }
    rows: list[_CaseRow] = []
    bad_lines: dict[int, list[str]] = {}
    first_line_of_ref: dict[str, int] = {}
    first_person_row: dict[str, _CaseRow] = {}
    for line, raw in parsed.rows:
        row, reasons = _parse_case_row(line, raw, ref, today)
        if row is not None:
            if row.case_ref in first_line_of_ref:
                reasons.append(
                    f"case_ref '{row.case_ref}' is also on line {first_line_of_ref[row.case_ref]}"
                )
            else:
                first_line_of_ref[row.case_ref] = line
            earlier = first_person_row.setdefault(row.person_ref, row)
            if earlier.date_of_birth != row.date_of_birth:
                reasons.append(
                    f"date_of_birth differs from line {earlier.line} for the same person_ref"
                )
        if reasons:
            bad_lines[line] = reasons
        else:
            rows.append(row)
    progress(f"checked {len(parsed.rows):,} rows")

    # Against the database: known people (date of birth must match) and cases already held.
    people: dict[str, tuple[int, dt.date | None]] = {}
    for chunk in _chunks(list(first_person_row)):
        for pnc, pk, dob in Person.objects.filter(pnc_id__in=chunk).values_list(
            "pnc_id", "pk", "date_of_birth"
        ):
            people[pnc] = (pk, dob)
    held: set[str] = set()
    for chunk in _chunks([row.case_ref for row in rows]):
        held.update(Case.objects.filter(reference__in=chunk).values_list("reference", flat=True))
    for row in rows:
        known = people.get(row.person_ref)
        if known and known[1] != row.date_of_birth:
            bad_lines.setdefault(row.line, []).append(
                "date_of_birth does not match the person already held with this person_ref"
            )
    errors.extend(f"line {line}: {'; '.join(bad_lines[line])}" for line in sorted(bad_lines))
    if errors:
        raise ImportRejected(sorted(errors, key=_line_number))

    new_rows = [row for row in rows if row.case_ref not in held]
    with transaction.atomic():
        # People are created from their first row, and only when they have a new case.
        needed = {row.person_ref for row in new_rows}
        new_people = [
            {
                "first_name": "Unknown",
                "last_name": "(imported record)",
                "pnc_id": row.person_ref,
                "date_of_birth": row.date_of_birth,
                "sex": row.sex,
                "ethnicity": row.ethnicity,
                "district_id": row.district_id,
            }
            for person_ref, row in first_person_row.items()
            if person_ref in needed and person_ref not in people
        ]
        new_person_ids = bulk_insert(Person, new_people)
        person_ids = {pnc: pk for pnc, (pk, _dob) in people.items()}
        person_ids.update(
            {values["pnc_id"]: pk for values, pk in zip(new_people, new_person_ids, strict=True)}
        )
        progress(f"created {len(new_people):,} people")

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
                for row in new_rows
            ],
        )
        progress(f"created {len(offence_ids):,} offences")

        deadlines = [
            row.caution_date + dt.timedelta(weeks=IMPORTED_COMPLIANCE_WEEKS) for row in new_rows
        ]
        case_ids = bulk_insert(
            Case,
            [
                {
                    "reference": row.case_ref,
                    "person_id": person_ids[row.person_ref],
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
                for row, offence_id, deadline in zip(new_rows, offence_ids, deadlines, strict=True)
            ],
        )
        progress(f"created {len(case_ids):,} cases")

        conditions = [
            {
                "case_id": case_id,
                "condition_type_id": type_id,
                "description": "Imported historic condition",
                "due_date": deadline,
                "status": CONDITION_STATUS_OF_OUTCOME[row.outcome],
                "complied_on": row.outcome_date if row.outcome == Outcome.COMPLIED else None,
            }
            for row, case_id, deadline in zip(new_rows, case_ids, deadlines, strict=True)
            for type_id in row.condition_type_ids
        ]
        bulk_insert(Condition, conditions, returning=False)
        progress(f"created {len(conditions):,} conditions")

        linked = link_reoffence_records(person_refs=list(needed))
        batch = ImportBatch.objects.create(
            kind=ImportBatch.Kind.CASES,
            via=via,
            file_name=file_name[:255],
            imported_by=user,
            operator="" if user else _operator(),
            rows_in_file=len(parsed.rows),
            rows_created=len(case_ids),
            rows_already_present=len(rows) - len(new_rows),
            people_created=len(new_people),
            conditions_created=len(conditions),
        )
    return ImportResult(
        batch=batch,
        rows=len(parsed.rows),
        created=len(case_ids),
        already_present=len(rows) - len(new_rows),
        people_created=len(new_people),
        conditions_created=len(conditions),
        linked=linked,
    )


def _line_number(error: str) -> int:
    try:
        return int(error.split(":", 1)[0].removeprefix("line "))
    except ValueError:
        return 0


# -- Reoffences ------------------------------------------------------------------------------


def import_reoffences(
    *,
    source: IO,
    file_name: str,
    user=None,
    via: str = ImportBatch.Via.COMMAND,
    progress: Progress = _noop,
) -> ImportResult:
    """Import proven reoffences (REOFFENCE_COLUMNS) from a police national records extract.

    All or nothing; raises ImportRejected. A record already held (same person_ref, offence
    date, proven date and category), or repeated within the file, is created once. Each new
    record is linked to the hub person with that PNC ID, if there is one.
    """
    today = timezone.localdate()
    parsed = _read(source, REOFFENCE_COLUMNS, progress)
    errors = list(parsed.errors)
    keys: dict[tuple, dict] = {}
    rows_ok = 0
    for line, raw in parsed.rows:
        reasons: list[str] = []
        values: dict = {}
        for column, parse in (
            ("person_ref", lambda v: _person_ref(v)),
            ("offence_date", lambda v: parse_date(v, "offence_date")),
            ("proven_date", lambda v: parse_date(v, "proven_date")),
            (
                "disposal",
                lambda v: parse_choice(v.lower(), "disposal", ReoffenceRecord.Disposal.values),
            ),
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
            errors.append(f"line {line}: {'; '.join(reasons)}")
            continue
        rows_ok += 1
        key = (values["person_ref"], offence_date, proven_date, category)
        keys.setdefault(key, {**values, "offence_category": category})
    if errors:
        raise ImportRejected(sorted(errors, key=_line_number))
    progress(f"checked {len(parsed.rows):,} rows")

    refs = sorted({key[0] for key in keys})
    held: set[tuple] = set()
    person_ids: dict[str, int] = {}
    for chunk in _chunks(refs):
        held.update(
            ReoffenceRecord.objects.filter(person_ref__in=chunk).values_list(
                "person_ref", "offence_date", "proven_date", "offence_category"
            )
        )
        person_ids.update(Person.objects.filter(pnc_id__in=chunk).values_list("pnc_id", "pk"))
    new_keys = [key for key in keys if key not in held]
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            kind=ImportBatch.Kind.REOFFENCES,
            via=via,
            file_name=file_name[:255],
            imported_by=user,
            operator="" if user else _operator(),
            rows_in_file=len(parsed.rows),
            rows_created=len(new_keys),
            rows_already_present=rows_ok - len(new_keys),
        )
        records = [
            {
                "person_ref": key[0],
                "person_id": person_ids.get(key[0]),
                "offence_date": key[1],
                "proven_date": key[2],
                "offence_category": key[3],
                "disposal": keys[key]["disposal"],
                "batch_id": batch.pk,
            }
            for key in new_keys
        ]
        bulk_insert(ReoffenceRecord, records, returning=False)
        progress(f"created {len(records):,} reoffence records")
    return ImportResult(
        batch=batch,
        rows=len(parsed.rows),
        created=len(records),
        already_present=rows_ok - len(new_keys),
        linked=sum(1 for record in records if record["person_id"]),
    )
