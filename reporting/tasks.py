"""Background tasks of reporting (run by `manage.py db_worker`)."""

from django_tasks import task

from reporting import import_jobs


@task()
def run_import_job(job_id: int) -> str:
    """Import an uploaded file (reporting.import_jobs.run_job); safe to run twice."""
    return import_jobs.run_job(job_id)
