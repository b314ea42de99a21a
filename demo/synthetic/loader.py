"""Loading the synthetic histories: ids assigned here, rows written in chunks (hub.bulk).

Ids are assigned here (max id + 1 onwards) so that rows can reference each other without
reading anything back, and the sequences are moved past them at the end. Rows are written in
chunks of 20,000 by hub.bulk's writer: on PostgreSQL by COPY in a writer thread while the next
chunk is built.
"""

from __future__ import annotations

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max

from hub.bulk import Table, Writer

CHUNK = 20_000


class Pending(Table):
    """A table's rows waiting for the next chunk to be written."""

    def __init__(self, model, columns: list[str]):
        super().__init__(model, columns)
        self.rows: list[tuple] = []
        self.written = 0


class Loader:
    """Assigns ids and hands rows to the bulk writer, a chunk at a time.

    The writer works in the background on PostgreSQL (hub.bulk.Writer): from the first chunk
    until `finish()` or `stop()` nothing else may query the database.
    """

    def __init__(self):
        self.tables: dict[type, Pending] = {}
        self.next_id: dict[type, int] = {}
        self.writer = Writer(background=True)

    def table(self, model, columns: list[str]) -> Pending:
        if model not in self.tables:
            self.tables[model] = Pending(model, columns)
            self.ids(model, 0)  # read the current max id now, before the writer starts
        return self.tables[model]

    def ids(self, model, count: int) -> int:
        """First of `count` fresh ids for `model`."""
        if model not in self.next_id:
            self.next_id[model] = (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        first = self.next_id[model]
        self.next_id[model] += count
        return first

    def add(self, table: Pending, row: tuple) -> None:
        table.rows.append(row)
        if len(table.rows) >= CHUNK:
            self.flush(table)

    def flush(self, table: Pending) -> None:
        if not table.rows:
            return
        self.writer.write(table, table.rows)
        table.written += len(table.rows)
        table.rows = []

    def stop(self) -> None:
        """Wait for the writer to finish what it has (also on the way out of an error)."""
        self.writer.stop()

    def finish(self) -> dict[str, int]:
        for table in self.tables.values():
            self.flush(table)
        self.writer.close()
        models_written = [t.model for t in self.tables.values()]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models_written):
                cursor.execute(sql)
        return {t.model._meta.label: t.written for t in self.tables.values()}


class ForeignKeysDeferred:
    """PostgreSQL: drop the foreign keys of the tables being loaded, add them back after.

    Adding a foreign key back validates every row with one join, instead of one trigger call
    per inserted row (millions of them). Inside the load's transaction, so all or nothing.
    """

    def __init__(self, tables: list[str]):
        self.tables = tables
        self.saved: list[tuple[str, str, str]] = []

    def __enter__(self):
        if connection.vendor != "postgresql":
            return self
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)",
                [self.tables],
            )
            self.saved = cursor.fetchall()
            # Checks still pending from earlier in the transaction would block ALTER TABLE.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table, name, _definition in self.saved:
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        return self

    def __exit__(self, exc_type, *exc):
        if exc_type is None and self.saved:
            with connection.cursor() as cursor:
                for table, name, definition in self.saved:
                    cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's default again
        return False
