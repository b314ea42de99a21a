"""Import jobs: an uploaded file stored, imported by the worker, its progress followed on a page.

- `create_job` stores the upload (streamed, capped at IMPORT_MAX_BYTES) in the private import
  directory under a random name and enqueues reporting.tasks.run_import_job in the same
  transaction as the job row, so that the worker never sees one without the other.
- `run_job` claims the job (row lock, then a conditional update from queued to running: a task
  run twice, or by two workers at once, imports once), runs the kind's import function on the
  stored file and records the result or every bad line, then deletes the file.
- Progress: the import is one transaction (all or nothing), so counts written to the database
  while it runs could not be read until it ended. The worker writes them instead to a small
  file beside the upload (replaced whole, so a reader never sees half of one); the job page
  reads it while the job runs, and the job row holds the final counts.

A kind is an import function of the shape
`fn(*, source, file_name, user, via, progress) -> result` (result.summary(); result.batch if
it records an ImportBatch), raising services.ImportRejected: one line in IMPORT_KINDS adds it.
"""

import json
import logging
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hub.lib.csvimport import MAX_KEPT
from hub.models import ImportBatch
from reporting.comparison_import import ComparisonImportResult, import_comparison
from reporting.models import ImportJob
from reporting.services import (
    ImportRejected,
    import_cases,
    import_reoffences,
    too_large_message,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImportKind:
    label: str
    run: Callable


@dataclass(frozen=True)
class _PoolImported:
    """The comparison pool's result as a job records it: its batch is a ComparisonBatch, not
    the hub.ImportBatch a job links to, so the job keeps the summary and the row count."""

    result: ComparisonImportResult

    @property
    def rows(self) -> int:
        return self.result.rows

    def summary(self) -> str:
        return self.result.summary()


def import_pool(*, source, file_name, user, via, progress) -> _PoolImported:
    """The comparison pool (issue 19) as a job kind; `via` is not recorded for the pool."""
    return _PoolImported(
        import_comparison(source, uploaded_by=user, progress=progress, file_name=file_name)
    )


IMPORT_KINDS: dict[str, ImportKind] = {
    "cases": ImportKind("Historic cases", import_cases),
    "reoffences": ImportKind("Reoffence records", import_reoffences),
    "comparison": ImportKind("Comparison pool (people not diverted)", import_pool),
}

COPY_CHUNK = 1024 * 1024
UNEXPECTED = (
    "The import stopped because of an unexpected error and nothing was imported. "
    "Try again; if it happens again, tell the system administrator (job {pk})."
)


class UploadTooLarge(Exception):
    pass


def upload_dir() -> Path:
    return Path(settings.IMPORT_UPLOAD_DIR)


def _stored_path(job: ImportJob) -> Path:
    return upload_dir() / job.stored_name


def _progress_path(job: ImportJob) -> Path:
    return upload_dir() / f"{job.stored_name}.progress"


def kind_choices() -> list[tuple[str, str]]:
    return [(key, kind.label) for key, kind in IMPORT_KINDS.items()]


def kind_label(key: str) -> str:
    kind = IMPORT_KINDS.get(key)
    return kind.label if kind else key


# -- Creating a job --------------------------------------------------------------------------


def _store(upload) -> tuple[str, int]:
    """Copy the upload into the private directory in chunks; (stored name, bytes)."""
    directory = upload_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = f"{uuid.uuid4().hex}.csv"
    path = directory / name
    size = 0
    try:
        # O_EXCL: a new file of our own, never one placed there by someone else.
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
            for chunk in upload.chunks(COPY_CHUNK):
                size += len(chunk)
                if size > settings.IMPORT_MAX_BYTES:
                    raise UploadTooLarge(too_large_message(settings.IMPORT_MAX_BYTES))
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return name, size


def create_job(*, kind: str, upload, user) -> ImportJob:
    """Store the upload and queue its import. Raises UploadTooLarge (nothing kept)."""
    from reporting.tasks import run_import_job  # the task module imports this one

    if kind not in IMPORT_KINDS:
        raise ValueError(f"unknown import kind {kind!r}")
    stored_name, size = _store(upload)
    try:
        with transaction.atomic():
            job = ImportJob.objects.create(
                kind=kind,
                file_name=(upload.name or "upload.csv")[:255],
                stored_name=stored_name,
                uploaded_by=user,
                bytes_total=size,
            )
            run_import_job.enqueue(job.pk)
    except BaseException:
        (upload_dir() / stored_name).unlink(missing_ok=True)
        raise
    return job


# -- Running a job ---------------------------------------------------------------------------


def _claim(job_id: int) -> ImportJob | None:
    """The job, moved from queued to running; None if it is not queued (already run, running
    under another worker, or gone)."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != ImportJob.Status.QUEUED:
            return None
        started = timezone.now()
        # Conditional as well as locked: SQLite has no row locks, and this is the one writer.
        claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
            status=ImportJob.Status.RUNNING, started_at=started
        )
        if not claimed:
            return None
        job.status, job.started_at = ImportJob.Status.RUNNING, started
    return job


def _progress_writer(job: ImportJob):
    path = _progress_path(job)
    temporary = path.with_name(path.name + ".tmp")

    def write(rows: int, bytes_read: int, errors: int) -> None:
        temporary.write_text(json.dumps({"rows": rows, "bytes": bytes_read, "errors": errors}))
        os.replace(temporary, path)

    return write


def run_job(job_id: int) -> str:
    """Import a queued job's file; its final status ("skipped" when it was not queued)."""
    job = _claim(job_id)
    if job is None:
        return "skipped"
    fields = {"status": ImportJob.Status.FAILED}
    try:
        with _stored_path(job).open("rb") as source:
            result = IMPORT_KINDS[job.kind].run(
                source=source,
                file_name=job.file_name,
                user=job.uploaded_by,
                via=ImportBatch.Via.UPLOAD,
                progress=_progress_writer(job),
            )
    except ImportRejected as rejected:
        fields |= _rejected_fields(job, rejected)
    except Exception:
        logger.exception("import job %s failed", job.pk)
        fields |= {"summary": UNEXPECTED.format(pk=job.pk)}
    else:
        fields |= {
            "status": ImportJob.Status.SUCCEEDED,
            "summary": result.summary(),
            "batch": getattr(result, "batch", None),
            "rows_read": getattr(result, "rows", 0),
            "bytes_read": job.bytes_total,
        }
    _finish(job, fields)
    return job.status


def _rejected_fields(job: ImportJob, rejected: ImportRejected) -> dict:
    progress = read_progress(job) or {}
    return {
        "bad_lines": rejected.errors[:MAX_KEPT],
        "errors_so_far": rejected.total,
        "rows_read": progress.get("rows", 0),
        "bytes_read": job.bytes_total,
        "summary": (
            f"The file has {rejected.total:,} problem(s) and nothing was imported: correct "
            "every line listed and upload it again"
        ),
    }


def _finish(job: ImportJob, fields: dict) -> None:
    fields["finished_at"] = timezone.now()
    fields["stored_name"] = ""
    stored, progress = _stored_path(job), _progress_path(job)
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=list(fields))
    # The upload is deleted once the job has ended, whatever its result.
    for path in (stored, progress, progress.with_name(progress.name + ".tmp")):
        path.unlink(missing_ok=True)


def read_progress(job: ImportJob) -> dict | None:
    """A running job's latest counts ({"rows", "bytes", "errors"}), or None before the first."""
    if not job.stored_name:
        return None
    try:
        return json.loads(_progress_path(job).read_text())
    except (OSError, ValueError):
        return None
