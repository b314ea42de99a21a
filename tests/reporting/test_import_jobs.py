"""Issue 18: imports run as jobs by the worker; their progress and result on a page."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from hub.lib import csvimport
from hub.models import ImportBatch, ReoffenceRecord
from reporting import import_jobs, services
from reporting.import_jobs import create_job, run_job, upload_dir
from reporting.models import ImportJob
from reporting.progress_bar import bar_text
from reporting.services import import_reoffences
from reporting.tasks import run_import_job
from tests.reporting.jobs import IMPORT, job_id, upload
from tests.reporting.test_imports import REOFFENCE_HEADER

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tasks_queued_in_the_database(settings):
    """Jobs wait in the database queue for the worker (tests/reporting/conftest.py runs the
    dashboard's snapshot tasks at once instead)."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


GOOD = "16/1A,2017-01-01,2017-02-01,theft,conviction"
BAD = "16/1A,2017-01-01,2016-02-01,theft,conviction"  # proven before the offence


def extract(*lines: str) -> bytes:
    return ("\n".join([REOFFENCE_HEADER, *lines]) + "\n").encode()


def queued(user, content: bytes, kind: str = "reoffences") -> ImportJob:
    return create_job(kind=kind, upload=SimpleUploadedFile("pnc.csv", content), user=user)


def stored_files() -> list[str]:
    return sorted(path.name for path in upload_dir().iterdir()) if upload_dir().exists() else []


# -- The service -----------------------------------------------------------------------------


def test_a_job_stores_the_upload_privately_and_queues_its_task(analyst):
    job = queued(analyst, extract(GOOD))
    assert job.status == ImportJob.Status.QUEUED
    assert job.bytes_total == len(extract(GOOD))
    assert stored_files() == [job.stored_name]
    assert "pnc" not in job.stored_name  # a random name, nothing of the uploader's
    assert (upload_dir() / job.stored_name).read_bytes() == extract(GOOD)
    task = DBTaskResult.objects.get()
    assert task.task_path == "reporting.tasks.run_import_job"
    assert task.args_kwargs["args"] == [job.pk]
    assert ReoffenceRecord.objects.count() == 0  # nothing until the worker runs it


def test_running_the_job_imports_the_file_and_deletes_it(analyst):
    job = queued(analyst, extract(GOOD, "16/2A,2017-01-01,2017-02-01,theft,caution"))
    assert run_job(job.pk) == ImportJob.Status.SUCCEEDED
    job.refresh_from_db()
    assert job.summary == "2 rows read; 2 reoffence records created; 0 already imported"
    assert (job.rows_read, job.bytes_read, job.errors_so_far) == (2, job.bytes_total, 0)
    assert job.batch == ImportBatch.objects.get()
    assert (job.batch.imported_by, job.batch.via) == (analyst, "upload")
    assert job.started_at <= job.finished_at
    assert job.stored_name == ""
    assert stored_files() == []
    assert ReoffenceRecord.objects.count() == 2


def test_a_job_run_twice_imports_once(analyst):
    job = queued(analyst, extract(GOOD))
    assert run_import_job.call(job.pk) == "succeeded"
    assert run_import_job.call(job.pk) == "skipped"
    assert ImportBatch.objects.count() == 1
    assert ReoffenceRecord.objects.count() == 1


def test_a_running_job_is_not_started_again(analyst):
    job = queued(analyst, extract(GOOD))
    ImportJob.objects.filter(pk=job.pk).update(status="running", started_at=timezone.now())
    assert run_job(job.pk) == "skipped"
    assert ImportBatch.objects.count() == 0
    assert run_job(10**9) == "skipped"  # a job that does not exist


def test_a_bad_file_fails_with_every_bad_line_counted_and_nothing_imported(monkeypatch, analyst):
    monkeypatch.setattr(csvimport, "MAX_KEPT", 2)
    job = queued(analyst, extract(GOOD, BAD, BAD, BAD))
    assert run_job(job.pk) == ImportJob.Status.FAILED
    job.refresh_from_db()
    assert job.errors_so_far == 3
    assert job.bad_lines == [
        "line 3: proven_date is before offence_date",
        "line 4: proven_date is before offence_date",
    ]
    assert job.rows_read == 4
    assert "3 problem(s) and nothing was imported" in job.summary
    assert ReoffenceRecord.objects.count() == ImportBatch.objects.count() == 0
    assert stored_files() == []


def test_an_unexpected_error_fails_the_job_and_still_deletes_the_file(monkeypatch, analyst):
    def broken(**kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setitem(
        import_jobs.IMPORT_KINDS, "reoffences", import_jobs.ImportKind("Reoffences", broken)
    )
    job = queued(analyst, extract(GOOD))
    assert run_job(job.pk) == ImportJob.Status.FAILED
    job.refresh_from_db()
    assert job.summary.startswith("The import stopped because of an unexpected error")
    assert "disk on fire" not in job.summary
    assert stored_files() == []


def test_a_kind_is_one_line_in_the_registry(monkeypatch, analyst):
    seen = {}

    def pool(*, source, file_name, user, via, progress=None):
        seen["text"] = source.read()

        class Result:
            rows = 1

            def summary(self):
                return "1 pool person"

        return Result()

    monkeypatch.setitem(import_jobs.IMPORT_KINDS, "pool", import_jobs.ImportKind("Pool", pool))
    job = queued(analyst, b"a,b\n1,2\n", kind="pool")
    assert run_job(job.pk) == "succeeded"
    job.refresh_from_db()
    assert (job.summary, job.batch, seen["text"]) == ("1 pool person", None, b"a,b\n1,2\n")


def test_an_unknown_kind_is_refused_before_anything_is_stored(analyst):
    with pytest.raises(ValueError, match="unknown import kind"):
        queued(analyst, extract(GOOD), kind="nonsense")
    assert stored_files() == []
    assert ImportJob.objects.count() == 0


def test_progress_is_reported_every_n_rows_and_at_the_end(monkeypatch):
    monkeypatch.setattr(services, "PROGRESS_EVERY", 2)
    calls = []
    content = extract(GOOD, BAD, "16/2A,2017-01-01,2017-02-01,theft,caution")
    with pytest.raises(services.ImportRejected):
        import_reoffences(
            source=io.BytesIO(content),
            file_name="r.csv",
            progress=lambda *args: calls.append(args),
        )
    assert [(rows, errors) for rows, _bytes, errors in calls] == [(2, 0), (3, 1)]
    assert calls[-1][1] == len(content)  # the whole file read by the end
    calls.clear()
    import_reoffences(source=io.BytesIO(extract(GOOD)), file_name="r.csv", progress=None)


def test_the_progress_bar_text():
    assert (
        bar_text(0, 0, 100, 0, 0.0)
        == "[..............................]   0%  0 rows, 0 bad lines, 0.0 s"
    )
    assert bar_text(5, 50, 100, 1, 1.25).startswith("[" + "#" * 15 + "." * 15 + "]  50%")
    assert "1 bad line," in bar_text(5, 50, 100, 1, 1.25)
    assert bar_text(9, 100, 100, 2, 3).startswith("[" + "#" * 30 + "] 100%  9 rows, 2 bad lines")
    assert "  0%" in bar_text(0, 0, 0, 0, 0)  # an empty file: no division by nothing


def test_the_command_draws_a_progress_bar_on_standard_error(tmp_path):
    path = tmp_path / "pnc.csv"
    path.write_bytes(extract(GOOD))
    out, err = io.StringIO(), io.StringIO()
    call_command("import_reoffences", str(path), stdout=out, stderr=err)
    assert "\r[" + "#" * 30 + "] 100%  1 rows, 0 bad lines" in err.getvalue()
    assert "1 reoffence records created" in out.getvalue()
    path.write_bytes(extract(BAD))
    err = io.StringIO()
    with pytest.raises(Exception, match="nothing was imported"):
        call_command("import_reoffences", str(path), stdout=out, stderr=err)
    assert "1 bad line" in err.getvalue()
    assert "\nline 2: proven_date is before offence_date" in err.getvalue()


# -- The pages -------------------------------------------------------------------------------


def job_page(client, job):
    return client.get(reverse("reporting:import_job", args=[job.pk]))


def test_the_upload_page_queues_a_job_and_shows_its_page(as_user, analyst):
    client = as_user(analyst)
    file = SimpleUploadedFile("pnc.csv", extract(GOOD))
    response = client.post(IMPORT, {"kind": "reoffences", "file": file})
    assert response.status_code == 302
    job = ImportJob.objects.get(pk=job_id(response))
    job_response = client.get(response.url)
    page = job_response.content.decode()
    assert job_response["Refresh"] == "3"
    assert "Waiting for the import to start" in page
    assert (job.uploaded_by, job.file_name, job.kind) == (analyst, "pnc.csv", "reoffences")
    listing = client.get(IMPORT).content.decode()
    assert reverse("reporting:import_job", args=[job.pk]) in listing
    assert "Waiting to start" in listing


def test_a_running_job_shows_its_progress_and_refreshes(as_user, analyst):
    job = queued(analyst, extract(*[GOOD] * 9))
    ImportJob.objects.filter(pk=job.pk).update(status="running", started_at=timezone.now())
    progress = {"rows": 4, "bytes": -(-job.bytes_total // 2), "errors": 1}  # half, rounded up
    (upload_dir() / f"{job.stored_name}.progress").write_text(json.dumps(progress))
    client = as_user(analyst)
    response = job_page(client, job)
    page = response.content.decode()
    assert response["Refresh"] == "3"
    assert "This page updates itself every 3 seconds" in page
    assert "Importing: 50% of the file read" in page
    assert 'max="100" value="50">50%</progress>' in page
    assert '<span id="rows-read">4</span>' in page
    assert '<span id="errors-so-far">1</span>' in page
    # The user may stop the updates (WCAG 2.2.1), and start them again.
    stopped = client.get(reverse("reporting:import_job", args=[job.pk]), {"refresh": "off"})
    assert not stopped.has_header("Refresh")
    assert "See the latest progress" in stopped.content.decode()


def test_a_finished_job_shows_its_result_and_stops_refreshing(as_user, analyst):
    response = upload(as_user(analyst), "reoffences", extract(GOOD))
    page = response.content.decode()
    assert not response.has_header("Refresh")
    assert "1 rows read; 1 reoffence records created; 0 already imported" in page
    assert '<span id="rows-read">1</span>' in page


def test_a_failed_job_lists_every_bad_line(as_user, analyst):
    response = upload(as_user(analyst), "reoffences", extract(GOOD, BAD, BAD))
    page = response.content.decode()
    assert not response.has_header("Refresh")
    assert "Nothing was imported" in page
    assert "line 3: proven_date is before offence_date" in page
    assert "line 4: proven_date is before offence_date" in page
    assert '<span id="errors-so-far">2</span>' in page
    assert ReoffenceRecord.objects.count() == 0


def test_the_uploader_and_those_who_may_import_see_a_job_and_nobody_else(
    as_user, officer, caseworker, analyst, administrator
):
    job = queued(analyst, extract(GOOD))
    assert job_page(as_user(administrator), job).status_code == 200
    assert job_page(as_user(caseworker), job).status_code == 404
    # An uploader who may no longer import still sees their own upload.
    own = queued(officer, extract(GOOD))
    assert job_page(as_user(officer), own).status_code == 200
    assert job_page(as_user(officer), job).status_code == 404


# -- The worker ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_imports_an_uploaded_file(as_user, analyst):
    client = as_user(analyst)
    file = SimpleUploadedFile("pnc.csv", extract(GOOD, "16/2A,2017-01-01,2017-02-01,theft,caution"))
    response = client.post(IMPORT, {"kind": "reoffences", "file": file})
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    job = ImportJob.objects.get(pk=job_id(response))
    assert job.status == "succeeded"
    assert ReoffenceRecord.objects.count() == 2
    assert stored_files() == []
    assert "2 reoffence records created" in client.get(response.url).content.decode()
    # The task again (a retry, a second worker): nothing imported twice.
    run_import_job.enqueue(job.pk)
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    assert ReoffenceRecord.objects.count() == 2
    assert ImportBatch.objects.count() == 1


def test_the_comparison_pool_runs_as_a_job_under_the_uploaded_name(analyst):
    from reporting.models import ComparisonBatch, ComparisonRecord
    from tests.reporting.test_comparison_import import GOOD as POOL
    from tests.reporting.test_comparison_import import HEADER as POOL_HEADER

    content = ("\n".join([POOL_HEADER, *POOL]) + "\n").encode()
    job = queued(analyst, content, kind="comparison")
    assert run_job(job.pk) == ImportJob.Status.SUCCEEDED
    job.refresh_from_db()
    assert job.summary == "4 rows read; 4 comparison pool records created; 0 already imported"
    assert (job.rows_read, job.batch) == (4, None)  # the pool's batch is its own kind
    assert ComparisonBatch.objects.get().file_name == "pnc.csv"
    assert ComparisonRecord.objects.count() == 4


def test_a_bad_comparison_pool_line_is_named_on_the_job(analyst):
    from tests.reporting.test_comparison_import import GOOD as POOL
    from tests.reporting.test_comparison_import import HEADER as POOL_HEADER

    bad = POOL[0].replace("charged", "fined")
    job = queued(analyst, ("\n".join([POOL_HEADER, POOL[1], bad]) + "\n").encode(), "comparison")
    assert run_job(job.pk) == ImportJob.Status.FAILED
    job.refresh_from_db()
    assert job.errors_so_far == 1
    assert job.bad_lines[0].startswith("line 3: ")
