"""Background tasks of reporting (run by `manage.py db_worker`)."""

from django_tasks import task

from reporting import snapshots


@task()
def compute_snapshot(key: str) -> str:
    """Compute a report's snapshot (reporting.snapshots), queued when a page found it stale."""
    row = snapshots.compute(key)
    return "gone" if row is None else f"computed {row.kind}"
