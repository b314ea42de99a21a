"""Two officers act on one case at once (PostgreSQL: real row locks across two sessions).

Session A locks the case inside its transaction and holds it; session B, opened from the same
version, blocks on the lock, then sees the new version and is refused as stale. Nothing B sent
is applied. SQLite has no row locks (select_for_update is a no-op, and the in-memory test
database is not shared between threads), so the test runs on PostgreSQL only.
"""

import threading

import pytest
from django.db import connection, transaction

from cautions import services
from tests.cautions import factories as f

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL row locks and two real sessions (SQLite has neither)",
    ),
]


def test_second_officer_with_the_same_version_is_refused(officer):
    case = f.ActiveCaseFactory(officer=officer)
    opened_at = case.version
    a_holds_lock = threading.Event()
    release_a = threading.Event()
    outcome = {}

    def session_a():
        try:
            with transaction.atomic():
                services.case_withdraw(
                    case=case, actor=officer, kind="error", reason="A", expected_version=opened_at
                )
                a_holds_lock.set()
                release_a.wait(5)
            outcome["a"] = "ok"
        finally:
            from django.db import connection as conn

            conn.close()

    def session_b():
        try:
            a_holds_lock.wait(5)
            try:
                services.case_withdraw(
                    case=case, actor=officer, kind="other", reason="B", expected_version=opened_at
                )
                outcome["b"] = "ok"
            except services.StaleVersion as error:
                outcome["b"] = error.message
        finally:
            from django.db import connection as conn

            conn.close()

    a = threading.Thread(target=session_a)
    b = threading.Thread(target=session_b)
    a.start()
    b.start()
    a_holds_lock.wait(5)
    # B is now blocked on A's row lock; let A commit.
    b.join(0.5)
    assert b.is_alive(), "B should wait for A's lock"
    release_a.set()
    a.join(10)
    b.join(10)
    assert outcome["a"] == "ok"
    assert "changed since you opened it" in outcome["b"]
    case.refresh_from_db()
    assert case.closure_reason == "A"
    assert case.events.filter(kind="withdrawn").count() == 1
