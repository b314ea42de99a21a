"""Reporting reads on a read replica (the scaling path in the README).

When REPORTING_DATABASE_URL is set, settings add a `reporting` database alias (a streaming
replica of the primary). Then:

- reads of the reporting app's own models, and of the national records it was built on (hub
  ImportBatch and ReoffenceRecord, reporting's until issue 15 moved them), go to it;
- any read made inside `reporting_reads()` (a context manager and decorator) goes to it, whatever
  the app: the reports aggregate over cautions and referrals tables, so the reporting views wrap
  their selectors in it;
- writes always go to the primary, and migrations run only on the primary (the replica gets the
  schema by replication).

Without the variable everything uses `default` and `reporting_reads()` does nothing, so code
paths are the same in every environment. Replicas lag by a little: only read-only report pages
belong here, never a page that reads what the same request has just written.
"""

import contextlib
import contextvars

from django.conf import settings

REPORTING_ALIAS = "reporting"
# Models read from the replica outside reporting_reads() too, by label.
REPLICA_MODELS = frozenset({"hub.importbatch", "hub.reoffencerecord"})

_reporting_reads: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "reporting_reads", default=False
)


def reporting_database() -> str:
    """The alias report queries should use: `reporting` when configured, else `default`."""
    return REPORTING_ALIAS if REPORTING_ALIAS in settings.DATABASES else "default"


@contextlib.contextmanager
def reporting_reads():
    """Send every read made inside the block (or decorated view) to the reporting database.

    Usable as `with reporting_reads():` or as a view decorator `@reporting_reads()`; a context
    variable (not a thread-local) so that it is right under threads and async alike.
    """
    token = _reporting_reads.set(True)
    try:
        yield
    finally:
        _reporting_reads.reset(token)


class ReportingRouter:
    def db_for_read(self, model, **hints):
        if REPORTING_ALIAS not in settings.DATABASES:
            return None
        if (
            model._meta.app_label == "reporting"
            or model._meta.label_lower in REPLICA_MODELS
            or _reporting_reads.get()
        ):
            return REPORTING_ALIAS
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # Same data on both aliases: a replica row may point at a primary row.
        if {obj1._state.db, obj2._state.db} <= {"default", REPORTING_ALIAS}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPORTING_ALIAS
