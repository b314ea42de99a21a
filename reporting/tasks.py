"""Reporting's background work (django-tasks): import jobs and report snapshots."""

from django_tasks import task

from reporting import import_jobs, snapshots


@task()
def run_import_job(job_id: int) -> str:
    """Import an uploaded file (reporting.import_jobs.run_job); safe to run twice."""
    return import_jobs.run_job(job_id)


@task()
def compute_snapshot(key: str) -> str:
    """Compute a report's snapshot (reporting.snapshots), queued when a page found it stale."""
    row = snapshots.compute(key)
    return "gone" if row is None else f"computed {row.kind}"
