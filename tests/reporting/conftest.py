import pytest


@pytest.fixture(autouse=True)
def _snapshots_computed_at_once(immediate_tasks):
    """The dashboard's tests read figures at once: the snapshot task runs as it is queued.
    tests/reporting/test_snapshots.py switches back to the database queue to test waiting."""
