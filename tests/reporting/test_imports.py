"""Imports: all or nothing with line numbers, idempotent, linking reoffences to people."""

import io

import pytest
from django.core.management import CommandError, call_command

from cautions.models import Case, Condition
from hub.models import ImportBatch, Person, ReoffenceRecord
from reporting.services import ImportRejected, import_cases, import_reoffences
from tests.cautions.helpers import masks_out_of_step

pytestmark = pytest.mark.django_db

CASE_HEADER = (
    "case_ref,person_ref,date_of_birth,sex,ethnicity,district,offence_category,offence_date,"
    "gravity_score,caution_date,condition_types,outcome,outcome_date"
)
GOOD_CASES = [
    "H-1,16/111111A,1990-01-01,male,W1,Cambridge,theft,2016-08-01,2,2016-08-31,housing;apology_letter,complied,2016-12-01",
    "H-2,16/222222B,1980-05-05,female,B1,Fenland,shoplifting,2016-09-01,2,2016-09-10,debt,failed,2016-12-20",
    "H-3,16/111111A,1990-01-01,male,W1,Cambridge,theft,2016-10-01,2,2016-10-10,debt,in_progress,",
    "H-4,16/333333C,1970-02-02,not_stated,NS,Peterborough,public_order,2017-01-01,1,2017-01-02,apology_letter,withdrawn,2017-01-05",
]
REOFFENCE_HEADER = "person_ref,offence_date,proven_date,offence_category,disposal"


def csv_file(header, rows):
    return io.BytesIO(("\n".join([header, *rows]) + "\n").encode())


def cases(rows, header=CASE_HEADER):
    return import_cases(source=csv_file(header, rows), file_name="cases.csv")


def reoffences(rows, header=REOFFENCE_HEADER):
    return import_reoffences(source=csv_file(header, rows), file_name="reoffences.csv")


def test_good_case_file_creates_people_cases_and_conditions():
    result = cases(GOOD_CASES)
    assert (result.created, result.people_created, result.conditions_created) == (4, 3, 5)
    case = Case.objects.get(reference="H-1")
    assert case.source == Case.Source.IMPORT
    assert case.status == Case.Status.COMPLIED
    assert case.age_at_caution == 26
    assert str(case.outcome_date) == "2016-12-01"
    assert Case.objects.get(reference="H-2").status == Case.Status.FAILED
    active = Case.objects.get(reference="H-3")
    assert (active.status, active.outcome_date) == (Case.Status.ACTIVE, None)
    assert Case.objects.get(reference="H-4").status == Case.Status.WITHDRAWN
    assert Person.objects.get(pnc_id="16/111111A").cases.count() == 2
    assert set(case.conditions.values_list("condition_type__key", "status")) == {
        ("housing", Condition.Status.COMPLIED),
        ("apology_letter", Condition.Status.COMPLIED),
    }
    batch = ImportBatch.objects.get()
    assert (batch.kind, batch.rows_in_file, batch.rows_created) == ("cases", 4, 4)
    # Written in bulk (COPY on PostgreSQL): the triggers keep the report masks.
    assert case.condition_types_mask != 0
    assert masks_out_of_step() == []


def test_reimport_creates_nothing_new():
    cases(GOOD_CASES)
    again = cases(GOOD_CASES)
    assert (again.created, again.already_present, again.people_created) == (0, 4, 0)
    assert Case.objects.count() == 4
    assert Person.objects.count() == 3


def test_bad_case_rows_are_all_reported_with_line_numbers_and_nothing_is_written():
    rows = [
        GOOD_CASES[0],
        "H-5,16/444444D,2001-01-01,male,W1,Cambridge,theft,2016-08-01,2,2016-08-31,housing,complied,2016-12-01",
        "H-6,16/555555E,1990-01-01,man,Z9,Nowhere,arson,2016-13-01,7,2016-08-31,flying,maybe,",
        "H-7,16/666666F,1990-01-01,male,W1,Cambridge,theft,2016-09-01,2,2016-08-31,housing,complied,",
        GOOD_CASES[0],
        "H-8,16/111111A,1991-01-01,male,W1,Cambridge,theft,2016-08-01,2,2016-08-31,housing,in_progress,",
        "H-10,16/777777G,1990-01-01,male,W1,Cambridge,theft,2016-08-01,2,2016-08-31,housing,in_progress,2016-09-01",
    ]
    with pytest.raises(ImportRejected) as rejected:
        cases(rows)
    errors = rejected.value.errors
    assert [e.split(":")[0] for e in errors] == [
        "line 3",
        "line 4",
        "line 5",
        "line 6",
        "line 7",
        "line 8",
    ]
    assert "under 18" in errors[0]
    for reason in [
        "sex 'man'",
        "ethnicity 'Z9'",
        "district 'Nowhere'",
        "'arson'",
        "offence_date",
        "gravity_score '7'",
        "unknown keys: flying",
        "outcome 'maybe'",
    ]:
        assert reason in errors[1]
    assert "caution_date is before offence_date" in errors[2]
    assert "outcome_date is required" in errors[2]
    assert "also on line 2" in errors[3]
    assert "date_of_birth differs from line 2" in errors[4]
    assert "outcome_date must be empty" in errors[5]
    assert Case.objects.count() == Person.objects.count() == ImportBatch.objects.count() == 0


def test_a_known_person_with_another_date_of_birth_is_kept_apart_not_an_error():
    # An error would tell the uploader the date of birth held (issue 17 point 4).
    cases(GOOD_CASES[:1])
    result = cases(
        [
            "H-9,16/111111A,1990-01-02,male,W1,Cambridge,theft,2016-08-01,2,2016-08-31,housing,complied,2016-12-01"
        ]
    )
    assert (result.created, result.people_created) == (1, 1)
    assert Case.objects.get(reference="H-9").imported_person_ref == "16/111111A"
    assert Person.objects.get(pnc_id="16/111111A").cases.count() == 1


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (CASE_HEADER + ",notes", "line 1: unexpected columns: notes"),
        (CASE_HEADER.replace(",outcome_date", ""), "line 1: missing columns: outcome_date"),
    ],
)
def test_extra_or_missing_columns_are_an_error(header, expected):
    with pytest.raises(ImportRejected) as rejected:
        import_cases(source=csv_file(header, []), file_name="x.csv")
    assert rejected.value.errors == [expected]


def test_columns_may_come_in_any_order():
    header = "disposal,offence_category,proven_date,offence_date,person_ref"
    result = reoffences(["caution,theft,2017-02-01,2017-01-01,16/1A"], header=header)
    assert result.created == 1


def test_wrong_number_of_values_is_reported():
    with pytest.raises(ImportRejected) as rejected:
        reoffences(["16/1A,2017-01-01,2017-02-01,theft"])
    assert rejected.value.errors == ["line 2: expected 5 values, found 4"]


def test_reoffences_import_links_to_known_people_and_is_idempotent():
    cases(GOOD_CASES[:1])
    rows = [
        "16/111111A,2017-01-01,2017-02-01,theft,conviction",
        "99/999999Z,2017-01-01,2017-02-01,Theft,caution",
        "99/999999Z,2017-01-01,2017-02-01,theft,caution",  # the same record twice in a file
    ]
    result = reoffences(rows)
    assert (result.created, result.already_present, result.linked) == (2, 1, 1)
    linked = ReoffenceRecord.objects.get(person_ref="16/111111A")
    assert linked.person.pnc_id == "16/111111A"
    assert ReoffenceRecord.objects.get(person_ref="99/999999Z").person is None
    again = reoffences(rows)
    assert (again.created, again.already_present) == (0, 3)
    assert ReoffenceRecord.objects.count() == 2
    assert ImportBatch.objects.filter(kind="reoffences").count() == 2


def test_cases_imported_later_link_earlier_reoffence_records():
    reoffences(["16/222222B,2017-01-01,2017-02-01,theft,conviction"])
    result = cases(GOOD_CASES[1:2])
    assert result.linked == 1
    assert ReoffenceRecord.objects.get().person.pnc_id == "16/222222B"


def test_bad_reoffence_rows():
    rows = [
        ",2017-01-01,2017-02-01,theft,conviction",
        "16/1A,2017-02-01,2017-01-01,theft,fine",
        "16/1A,2017-02-01,2099-01-01,,caution",
    ]
    with pytest.raises(ImportRejected) as rejected:
        reoffences(rows)
    assert rejected.value.errors == [
        "line 2: person_ref is missing",
        "line 3: disposal 'fine' is not one of: caution, conviction; proven_date is before offence_date",
        "line 4: offence_category is missing; proven_date is in the future",
    ]
    assert ReoffenceRecord.objects.count() == 0


def test_commands_print_every_bad_line_and_exit_non_zero(tmp_path, capsys):
    path = tmp_path / "reoffences.csv"
    path.write_text(
        REOFFENCE_HEADER
        + "\n,2017-01-01,2017-02-01,theft,conviction\n16/1A,x,2017-02-01,theft,caution\n"
    )
    with pytest.raises(CommandError, match="2 bad row"):
        call_command("import_reoffences", str(path))
    err = capsys.readouterr().err
    assert "line 2: person_ref is missing" in err
    assert "line 3: offence_date 'x' is not a date" in err
    good = tmp_path / "cases.csv"
    good.write_text("\n".join([CASE_HEADER, *GOOD_CASES]) + "\n")
    out = io.StringIO()
    call_command("import_cases", str(good), stdout=out)
    assert "4 cases created" in out.getvalue()


def test_report_command_prints_the_json_keys():
    import json

    cases(GOOD_CASES)
    out = io.StringIO()
    call_command(
        "reoffending_report",
        "--from",
        "2016-01-01",
        "--to",
        "2016-12-31",
        "--as-of",
        "2020-01-01",
        "--format",
        "json",
        stdout=out,
    )
    data = json.loads(out.getvalue())
    for key in [
        "from",
        "to",
        "as_of",
        "cohort_size",
        "pending_follow_up",
        "reoffenders",
        "reoffences",
        "binary_rate",
        "binary_rate_ci95",
        "reoffences_per_offender",
        "reoffences_per_reoffender",
        "compliance",
        "time_to_first_reoffence",
        "breakdowns",
    ]:
        assert key in data
    assert set(data["compliance"]) == {"complied", "failed", "rate"}
    assert set(data["time_to_first_reoffence"]) >= {"km", "median_days"}
    assert set(data["breakdowns"]) == {
        "condition_type",
        "need_pathway",
        "offence_category",
        "district",
        "age_band",
        "sex",
        "ethnicity_group",
    }
    assert data["cohort_size"] == 2
    for fmt in ["csv", "table"]:
        call_command(
            "reoffending_report",
            "--from",
            "2016-01-01",
            "--to",
            "2016-12-31",
            "--format",
            fmt,
            stdout=io.StringIO(),
        )


@pytest.mark.parametrize(
    ("service", "header"),
    [(import_reoffences, REOFFENCE_HEADER), (import_cases, CASE_HEADER)],
)
@pytest.mark.parametrize("body", ["", "\n\n", ",,,,\n"])
def test_a_header_only_file_is_refused(service, header, body):
    with pytest.raises(ImportRejected) as rejected:
        service(source=io.BytesIO(f"{header}\n{body}".encode()), file_name="empty.csv")
    assert rejected.value.errors == [
        "line 2: the file has no rows after its header: nothing to import"
    ]
    assert ImportBatch.objects.count() == 0


def test_one_row_after_the_header_is_imported():
    result = reoffences(["16/1A,2017-01-01,2017-02-01,theft,conviction"])
    assert result.created == 1
