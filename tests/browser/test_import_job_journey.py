"""Issue 18: an analyst uploads a reoffence extract; the job page follows it while the worker
imports it, then shows the result; a file with bad lines lists every one and imports nothing.
The job's page refreshes itself (the Refresh header: no JavaScript needed) until the job ends."""

import pytest

from hub.models import ReoffenceRecord
from hub.roles import Role
from reporting.import_jobs import run_job
from reporting.models import ImportJob
from tests.factories import make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

HEADER = "person_ref,offence_date,proven_date,offence_category,disposal"
GOOD = f"{HEADER}\n16/1A,2017-01-01,2017-02-01,theft,conviction\n16/2A,2017-03-01,2017-04-01,theft,caution\n"
BAD = f"{HEADER}\n16/1A,2017-01-01,2016-02-01,theft,conviction\n,2017-01-01,2017-02-01,theft,conviction\n"


def _upload(analyst, name: str, content: str) -> ImportJob:
    analyst.open("/reporting/imports/")
    analyst.choose("Reoffence records")
    analyst.page.set_input_files(
        "input[type=file]",
        files=[{"name": name, "mimeType": "text/csv", "buffer": content.encode()}],
    )
    analyst.press("Import")
    assert analyst.h1 == f"Import of {name}"
    return ImportJob.objects.get(file_name=name)


def test_an_analyst_follows_an_import_job_to_its_result(open_session):
    make_user(Role.ANALYST, username="analyst1")
    analyst = open_session("analyst1")

    job = _upload(analyst, "pnc-extract.csv", GOOD)
    assert "Waiting for the import to start" in analyst.text()
    assert "This page updates itself every 3 seconds" in analyst.text()
    analyst.shot("95-import-job-waiting")
    assert run_job(job.pk) == "succeeded"  # what the worker does
    analyst.open(f"/reporting/imports/{job.pk}/")
    assert "2 reoffence records created" in analyst.text()
    assert "updates itself" not in analyst.text()
    analyst.shot("96-import-job-done")
    assert ReoffenceRecord.objects.count() == 2

    job = _upload(analyst, "pnc-with-mistakes.csv", BAD)
    run_job(job.pk)
    analyst.open(f"/reporting/imports/{job.pk}/")
    assert "Nothing was imported" in analyst.text()
    assert "line 2: proven_date is before offence_date" in analyst.text()
    assert "line 3: person_ref is missing" in analyst.text()
    analyst.shot("97-import-job-bad-lines")
    analyst.open("/reporting/imports/")
    assert "pnc-with-mistakes.csv" in analyst.text()
    analyst.follow("pnc-extract.csv")
    assert analyst.h1 == "Import of pnc-extract.csv"
    assert ReoffenceRecord.objects.count() == 2
