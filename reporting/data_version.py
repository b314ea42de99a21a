"""The report's data version, kept on write (docs/adr/0007-data-version-kept-on-write.md).

The dashboard's cached figures are keyed on a data version (reporting.selectors): anything
the report reads changes, the version changes, and the figures are computed again. It used
to be worked out on every read as MAX(id) over six tables; now the database keeps it as the
data changes, and reading it is one small query whatever the size of the history.

How: every table the report reads (SOURCES) has a trigger that counts the statements that
write to it in `reporting_datachange` (reporting.DataChange), in the writer's transaction.
Every writer is counted without having to remember to (the services, the imports' COPY, the
admin, the seed, SQL by hand), and a change is counted exactly when it commits, so figures
computed after reading a version never miss what that version counts.
- PostgreSQL: one statement-level trigger per table (a COPY of a million rows is one count).
  It adds one to the table's first counter row not locked by another open transaction
  (FOR UPDATE SKIP LOCKED), or adds a row when all are: a long import holding one row never
  makes an officer's save wait for it. A table's version is the sum of its rows' counts and
  its highest row id (so a version never comes back after the counters are emptied, as a
  test database's flush does).
- SQLite: row-level triggers on one row per table (SQLite has one writer at a time).

The triggers are (re)installed after every `migrate` and `flush` (post_migrate, connected in
reporting.apps), not by a migration: on SQLite a migration that rebuilds a table (adding a
column to a case, say) drops its triggers, and a version that silently stopped following
a table would show stale figures to everyone. Installing is idempotent (CREATE OR REPLACE
on PostgreSQL, IF NOT EXISTS on SQLite).

Fails loudly: the first read of the version on each database checks that every source has
its trigger installed and enabled, and raises ImproperlyConfigured naming the tables that do
not (tests/reporting/test_data_version.py also checks that every table in the report's SQL
is a source, and that each kind of write moves the version and unrelated writes do not).
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db import connections

from hub.db_router import reporting_database

# Every table the report (reporting.report_sql and its labels, reporting.selectors), the
# dashboard's "nearly eligible" counts and the last import's date read. A table added to the
# report's SQL must be added here: tests/reporting/test_data_version.py compares the two.
SOURCES = (
    "cautions_case",
    "cautions_condition",
    "cautions_eligibilityassessment",
    "cautions_needassessment",
    "hub_conditiontype",
    "hub_district",
    "hub_needpathway",
    "hub_offence",
    "hub_offencecategory",
    "hub_person",
    "reporting_importbatch",
    "reporting_reoffencerecord",
    # The matched comparison (issue 19) reads the pool too: an import or a retention deletion
    # of pool records makes new comparison figures.
    "reporting_comparisonrecord",
)
COUNTERS = "reporting_datachange"
# The version's one read, written out (no names joined into SQL): the table is COUNTERS.
_READ_VERSION = (
    "SELECT source, SUM(changes), MAX(id) FROM reporting_datachange GROUP BY source ORDER BY source"
)
FUNCTION = "reporting_data_change"
SQLITE_EVENTS = ("insert", "update", "delete")


def trigger_name(table: str, event: str = "") -> str:
    return f"{table}_data_version" + (f"_{event}" if event else "")


_POSTGRESQL_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  slot bigint;
BEGIN
  -- The table's first counter row no other open transaction holds (this one's own count).
  SELECT id INTO slot FROM {COUNTERS} WHERE source = TG_TABLE_NAME
    ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED;
  IF slot IS NULL THEN
    INSERT INTO {COUNTERS} (source, changes) VALUES (TG_TABLE_NAME, 1);
  ELSE
    UPDATE {COUNTERS} SET changes = changes + 1 WHERE id = slot;
  END IF;
  RETURN NULL;
END $$
"""


def _postgresql_install(table: str) -> list[str]:
    return [
        f"CREATE OR REPLACE TRIGGER {trigger_name(table)} "
        f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
    ]


def _sqlite_install(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER IF NOT EXISTS {trigger_name(table, event)} "
        f"AFTER {event.upper()} ON {table} FOR EACH ROW BEGIN "
        f"INSERT INTO {COUNTERS} (source, changes) SELECT '{table}', 0 "
        f"WHERE NOT EXISTS (SELECT 1 FROM {COUNTERS} WHERE source = '{table}'); "
        f"UPDATE {COUNTERS} SET changes = changes + 1 WHERE source = '{table}'; END"
        for event in SQLITE_EVENTS
    ]


def install(connection) -> list[str]:
    """Create (or replace) the counting triggers on every source table that exists; the
    tables installed. Does nothing before the counters' table is migrated."""
    tables = set(connection.introspection.table_names())
    if COUNTERS not in tables:
        return []
    installed = [table for table in SOURCES if table in tables]
    postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgresql:
            cursor.execute(_POSTGRESQL_FUNCTION)
        for table in installed:
            for statement in (_postgresql_install if postgresql else _sqlite_install)(table):
                cursor.execute(statement)
    return installed


def install_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate receiver (reporting.apps): every migrate and flush ends with the triggers
    in place, whatever a migration rebuilt."""
    install(connections[using])
    _checked.discard(using)


def missing_triggers(connection) -> list[str]:
    """The source tables without their trigger (or with it disabled), in SOURCES order."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "JOIN pg_proc p ON p.oid = t.tgfoid "
                "WHERE p.proname = %s AND t.tgenabled <> 'D' AND t.tgname = c.relname || %s",
                [FUNCTION, "_data_version"],
            )
            present = {table for (table,) in cursor.fetchall()}
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            names = {name for (name,) in cursor.fetchall()}
            present = {
                table
                for table in SOURCES
                if all(trigger_name(table, event) in names for event in SQLITE_EVENTS)
            }
    return [table for table in SOURCES if table not in present]


# The database aliases whose triggers were found in place by this process.
_checked: set[str] = set()


def check(alias: str) -> None:
    """Raise ImproperlyConfigured unless every source has its trigger on database `alias`."""
    missing = missing_triggers(connections[alias])
    if missing:
        raise ImproperlyConfigured(
            "The report's data version would not follow changes to "
            f"{', '.join(missing)}: their counting triggers are missing or disabled. Run "
            "`manage.py migrate` (it installs them), and see docs/adr/0007 before switching "
            "them off for a bulk load."
        )
    _checked.add(alias)


def data_version() -> tuple:
    """What the report depends on, as it stands: ((table, changes, last counter id), ...)
    for every source written to since the counters began. One query of a table of a few
    rows (after a check of the triggers, once per process)."""
    alias = reporting_database()
    if alias not in _checked:
        check(alias)
    with connections[alias].cursor() as cursor:
        cursor.execute(_READ_VERSION)
        return tuple((source, int(changes), int(last)) for source, changes, last in cursor)
