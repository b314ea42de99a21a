"""Issue 17 point 12: imports read the file as a stream, in one transaction, with a size cap."""

import io
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cautions.models import Case
from hub.lib import csvimport
from hub.models import ImportBatch, Person, ReoffenceRecord
from reporting import services
from reporting.services import ImportRejected, import_cases, import_reoffences
from tests.reporting.jobs import upload
from tests.reporting.test_imports import CASE_HEADER, GOOD_CASES, REOFFENCE_HEADER

pytestmark = pytest.mark.django_db

IMPORT = reverse("reporting:import")


def _case_lines(n: int) -> list[str]:
    return [
        f"S-{i},S/{i}Z,1980-01-01,male,W1,Cambridge,theft,2016-08-01,2,2016-08-31,housing,"
        "complied,2016-12-01"
        for i in range(n)
    ]


def _file(header: str, lines: list[str]) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode()


def test_a_bad_line_after_chunks_were_written_rolls_everything_back(monkeypatch):
    monkeypatch.setattr(services, "CHUNK", 2)
    lines = [*_case_lines(5), _case_lines(6)[5].replace("theft", "no-such-offence")]
    with pytest.raises(ImportRejected) as rejected:
        import_cases(source=io.BytesIO(_file(CASE_HEADER, lines)), file_name="late.csv")
    assert rejected.value.errors == [
        "line 7: offence_category 'no-such-offence' is not a known category"
    ]
    assert Case.objects.count() == Person.objects.count() == ImportBatch.objects.count() == 0
    reoffences = [f"R/{i}Z,2017-01-01,2017-02-01,theft,conviction" for i in range(5)]
    reoffences.append("R/9Z,2017-01-01,2016-02-01,theft,conviction")
    with pytest.raises(ImportRejected):
        import_reoffences(
            source=io.BytesIO(_file(REOFFENCE_HEADER, reoffences)), file_name="late.csv"
        )
    assert ReoffenceRecord.objects.count() == ImportBatch.objects.count() == 0


def test_chunks_import_like_one_piece(monkeypatch):
    monkeypatch.setattr(services, "CHUNK", 2)
    result = import_cases(source=io.BytesIO(_file(CASE_HEADER, GOOD_CASES)), file_name="c.csv")
    assert (result.created, result.people_created, result.conditions_created) == (4, 3, 5)
    again = import_cases(source=io.BytesIO(_file(CASE_HEADER, GOOD_CASES)), file_name="c.csv")
    assert (again.created, again.already_present) == (0, 4)
    lines = ["16/1A,2017-01-01,2017-02-01,theft,conviction"] * 3
    lines.append("16/2A,2017-01-01,2017-02-01,theft,conviction")
    result = import_reoffences(source=io.BytesIO(_file(REOFFENCE_HEADER, lines)), file_name="r")
    assert (result.created, result.already_present) == (2, 2)


def test_every_bad_line_is_counted_and_the_first_ones_listed(monkeypatch, as_user, analyst):
    monkeypatch.setattr(csvimport, "MAX_KEPT", 3)
    lines = [f"{i}/1A,2017-01-01,2016-02-01,theft,conviction" for i in range(5)]
    with pytest.raises(ImportRejected) as rejected:
        import_reoffences(source=io.BytesIO(_file(REOFFENCE_HEADER, lines)), file_name="r")
    assert rejected.value.total == 5
    assert [error.split(":")[0] for error in rejected.value.errors] == [
        "line 2",
        "line 3",
        "line 4",
    ]
    page = upload(as_user(analyst), "reoffences", _file(REOFFENCE_HEADER, lines)).content.decode()
    assert "The file has 5 problem(s) and nothing was imported" in page
    assert "and 2 more problems not shown" in page


def _peak_bytes(lines: list[str]) -> int:
    content = _file(CASE_HEADER, lines)
    tracemalloc.start()
    try:
        import_cases(source=io.BytesIO(content), file_name="big.csv")
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_the_import_holds_a_chunk_not_the_file(monkeypatch):
    monkeypatch.setattr(services, "CHUNK", 100)
    lines = _case_lines(3000)
    small = _peak_bytes(lines[:1000])
    large = _peak_bytes(lines[1000:])
    assert Case.objects.count() == 3000
    # What grows with the file is the per-file checks (a line number per case_ref, a date of
    # birth per person_ref), a few hundred bytes a line; the parsed rows of the whole file
    # took several kilobytes a line.
    per_line = (large - small) / 1000
    assert per_line < 1000, f"{per_line:,.0f} bytes a line"


@pytest.mark.parametrize("service", [import_cases, import_reoffences])
def test_the_size_cap_on_each_side(settings, service):
    header = CASE_HEADER if service is import_cases else REOFFENCE_HEADER
    line = (
        GOOD_CASES[0] if service is import_cases else "16/1A,2017-01-01,2017-02-01,theft,conviction"
    )
    content = _file(header, [line])
    settings.IMPORT_MAX_BYTES = len(content) - 1
    with pytest.raises(ImportRejected) as rejected:
        service(source=io.BytesIO(content), file_name="x.csv")
    assert rejected.value.errors == [
        f"The file is larger than the limit of {len(content) - 1}\xa0bytes ({len(content) - 1:,} bytes): "
        "split it into smaller files and import each"
    ]
    assert ImportBatch.objects.count() == 0
    settings.IMPORT_MAX_BYTES = len(content)
    assert service(source=io.BytesIO(content), file_name="x.csv").created == 1


def test_the_upload_page_names_the_limit(settings, as_user, analyst):
    content = _file(REOFFENCE_HEADER, ["16/1A,2017-01-01,2017-02-01,theft,conviction"])
    settings.IMPORT_MAX_BYTES = len(content) - 1
    client = as_user(analyst)
    file = SimpleUploadedFile("r.csv", content)
    response = client.post(IMPORT, {"kind": "reoffences", "file": file})
    page = response.content.decode()
    assert "<title>Error: " in page
    assert "The file is larger than the limit of" in page
    assert ImportBatch.objects.count() == 0
    settings.IMPORT_MAX_BYTES = len(content)
    assert "1 reoffence records created" in upload(client, "reoffences", content).content.decode()
    assert ImportBatch.objects.count() == 1
