"""Two schedulers scanning at once (PostgreSQL: two real sessions). Both read that nothing
exists yet; the unique dedupe key keeps one notification each, and the second insert is
skipped rather than failing the job. SQLite's in-memory test database is not shared between
threads, so this runs on PostgreSQL only."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from notifications import staff_scan
from notifications.staff_models import StaffNotification
from tests.cautions import factories as f

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs two real sessions (SQLite's in-memory test database has one)",
    ),
]


def test_two_scans_at_once_notify_once(officer):
    today = timezone.localdate()
    for days in (-3, 1, 5):
        case = f.ActiveCaseFactory(officer=officer, conditions=0)
        f.ConditionFactory(case=case, due_date=today + dt.timedelta(days=days))
    now = timezone.make_aware(dt.datetime.combine(today, dt.time(1, 0)))
    start = threading.Barrier(2)
    errors = []

    def scheduler():
        try:
            start.wait(5)
            staff_scan.scan(now)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            from django.db import connection as conn

            conn.close()

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert errors == []
    assert StaffNotification.objects.filter(user=officer).count() == 3
