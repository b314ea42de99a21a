"""The comparison pool import: all or nothing with `line N: reason`, idempotent, linked to
hub people by PNC ID, the size limit, progress for the background import."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from reporting.comparison_import import import_comparison
from reporting.models import ComparisonBatch, ComparisonRecord
from reporting.services import ImportRejected
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "person_ref,date_of_birth,sex,ethnicity,district,offence_category,offence_date,"
    "gravity_score,disposal,disposal_date"
)
GOOD = [
    "21/0000001A,1990-01-01,male,W1,Cambridge,theft,2023-01-05,2,charged,2023-03-01",
    "21/0000002B,1985-06-15,female,b1,fenland,Shoplifting,2023-02-01,1,simple_caution,2023-02-02",
    "21/0000001A,1990-01-01,male,W1,Cambridge,public_order,2023-05-01,1,community_resolution,2023-05-01",
    "21/0000003C,1970-12-31,not_stated,NS,Peterborough,criminal_damage,2023-06-01,3,other,2023-06-10",
]


def pool_file(rows, header=HEADER, name="pool.csv"):
    source = io.BytesIO(("\n".join([header, *rows]) + "\n").encode())
    source.name = name
    return source


def test_good_file_creates_one_record_a_line():
    result = import_comparison(pool_file(GOOD))
    assert (result.rows, result.created, result.already_present) == (4, 4, 0)
    record = ComparisonRecord.objects.get(person_ref="21/0000002B")
    assert (record.sex, record.ethnicity, record.district.name) == ("female", "B1", "Fenland")
    assert record.offence_category.key == "shoplifting"
    assert (record.age_at_disposal, record.disposal) == (37, "simple_caution")
    assert str(record.retention_review_date) == "2029-02-02"
    batch = ComparisonBatch.objects.get()
    assert (batch.file_name, batch.rows_in_file, batch.rows_created) == ("pool.csv", 4, 4)
    assert batch.operator  # from the command line: the operating-system account


def test_reimport_creates_nothing_new():
    import_comparison(pool_file(GOOD))
    again = import_comparison(pool_file(GOOD))
    assert (again.created, again.already_present) == (0, 4)
    assert ComparisonRecord.objects.count() == 4


def test_a_line_repeated_in_the_file_is_created_once():
    result = import_comparison(pool_file([GOOD[0], GOOD[0]]))
    assert (result.created, ComparisonRecord.objects.count()) == (1, 1)


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (",1990-01-01,male,W1,Cambridge,theft,2023-01-05,2,charged,2023-03-01",
         "person_ref is missing"),
        ("X,1990-13-01,male,W1,Cambridge,theft,2023-01-05,2,charged,2023-03-01",
         "date_of_birth '1990-13-01' is not a date"),
        ("X,1990-01-01,man,W1,Cambridge,theft,2023-01-05,2,charged,2023-03-01", "sex 'man'"),
        ("X,1990-01-01,male,Z9,Cambridge,theft,2023-01-05,2,charged,2023-03-01",
         "ethnicity 'Z9'"),
        ("X,1990-01-01,male,W1,Atlantis,theft,2023-01-05,2,charged,2023-03-01",
         "district 'Atlantis' is not a known district"),
        ("X,1990-01-01,male,W1,Cambridge,piracy,2023-01-05,2,charged,2023-03-01",
         "offence_category 'piracy' is not a known category"),
        ("X,1990-01-01,male,W1,Cambridge,theft,2023-01-05,5,charged,2023-03-01",
         "gravity_score '5' is not a whole number from 1 to 4"),
        ("X,1990-01-01,male,W1,Cambridge,theft,2023-01-05,2,custody,2023-03-01",
         "disposal 'custody' is not one of"),
        ("X,1990-01-01,male,W1,Cambridge,theft,2023-01-05,2,charged,2023-01-01",
         "disposal_date is before offence_date"),
        ("X,1990-01-01,male,W1,Cambridge,theft,2023-01-05,2,charged,2099-01-01",
         "disposal_date is in the future"),
        ("X,2010-01-01,male,W1,Cambridge,theft,2023-01-05,2,charged,2023-03-01",
         "under 18 on disposal_date"),
    ],
)  # fmt: skip
def test_a_bad_line_is_named_and_nothing_is_written(row, reason):
    with pytest.raises(ImportRejected) as rejected:
        import_comparison(pool_file([GOOD[0], row]))
    assert rejected.value.errors[0].startswith("line 3: ")
    assert reason in rejected.value.errors[0]
    assert not ComparisonRecord.objects.exists()
    assert not ComparisonBatch.objects.exists()


def test_an_adult_of_exactly_18_is_accepted():
    import_comparison(
        pool_file(["X1,2005-03-01,male,W1,Cambridge,theft,2023-01-05,2,charged,2023-03-01"])
    )
    assert ComparisonRecord.objects.get().age_at_disposal == 18


def test_the_same_person_with_two_birth_dates_is_refused():
    with pytest.raises(ImportRejected) as rejected:
        import_comparison(pool_file([GOOD[0], GOOD[2].replace("1990-01-01", "1990-01-02")]))
    assert rejected.value.errors == [
        "line 3: date_of_birth differs from line 2 for the same person_ref"
    ]


def test_missing_columns_and_empty_files_are_refused():
    with pytest.raises(ImportRejected) as rejected:
        import_comparison(pool_file(GOOD, header=HEADER.replace(",disposal_date", "")))
    assert "missing columns: disposal_date" in rejected.value.errors[0]
    with pytest.raises(ImportRejected):
        import_comparison(pool_file([]))


def test_a_file_over_the_limit_is_refused_before_reading():
    with override_settings(IMPORT_MAX_BYTES=100), pytest.raises(ImportRejected) as rejected:
        import_comparison(pool_file(GOOD))
    assert "larger than the limit" in rejected.value.errors[0]


def test_records_link_to_the_hub_person_with_the_pnc_id():
    person = PersonFactory(pnc_id="21/0000001A")
    import_comparison(pool_file(GOOD))
    assert set(person.comparison_records.values_list("offence_date", flat=True)) == {
        *ComparisonRecord.objects.filter(person_ref="21/0000001A").values_list(
            "offence_date", flat=True
        )
    }
    assert ComparisonRecord.objects.filter(person__isnull=False).count() == 2


def test_progress_reports_rows_bytes_and_problems():
    calls = []
    import_comparison(pool_file(GOOD), progress=lambda *args: calls.append(args))
    rows, bytes_read, problems = calls[-1]
    assert (rows, problems) == (4, 0)
    assert bytes_read > 0


def test_command_imports_and_names_bad_lines(tmp_path, capsys):
    path = tmp_path / "pool.csv"
    path.write_text("\n".join([HEADER, *GOOD]) + "\n")
    call_command("import_comparison", str(path))
    assert "4 comparison pool records created" in capsys.readouterr().out
    path.write_text("\n".join([HEADER, GOOD[0].replace("theft", "piracy")]) + "\n")
    with pytest.raises(CommandError, match="1 bad row"):
        call_command("import_comparison", str(path))
    assert "line 2: offence_category 'piracy'" in capsys.readouterr().err
