"""Writing rows in bulk: ids assigned here, COPY on PostgreSQL (hub.synthetic)."""

from __future__ import annotations

import csv
import io
import json
import queue
import threading
from dataclasses import dataclass, field

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max

CHUNK = 20_000
NULL = "\\N"


@dataclass
class Table:
    """Rows for one table, flushed to the database in chunks."""

    model: type[models.Model]
    columns: list[str]
    rows: list = field(default_factory=list)
    written: int = 0

    def __post_init__(self):
        meta = self.model._meta
        self.fields = [meta.get_field(name) for name in self.columns]
        self.db_columns = [f.column for f in self.fields]
        self.json_at = [i for i, f in enumerate(self.fields) if isinstance(f, models.JSONField)]


class Loader:
    """Assigns ids and writes rows: COPY on PostgreSQL, executemany elsewhere.

    On PostgreSQL the COPY runs in a writer thread on the same connection (and transaction),
    so that the server ingests one chunk while Python builds the next: on two cores that is
    close to twice as fast as taking turns. The main thread sends no query while it runs.
    """

    def __init__(self):
        self.postgres = connection.vendor == "postgresql"
        self.tables: dict[type, Table] = {}
        self.next_id: dict[type, int] = {}
        self.queue: queue.Queue | None = None
        self.thread: threading.Thread | None = None
        self.error: BaseException | None = None

    def table(self, model, columns: list[str]) -> Table:
        if model not in self.tables:
            self.tables[model] = Table(model, columns)
            self.ids(model, 0)  # read the current max id now, before the writer starts
        return self.tables[model]

    def ids(self, model, count: int) -> int:
        """First of `count` fresh ids for `model`."""
        if model not in self.next_id:
            self.next_id[model] = (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        first = self.next_id[model]
        self.next_id[model] += count
        return first

    def add(self, table: Table, row: tuple) -> None:
        table.rows.append(row)
        if len(table.rows) >= CHUNK:
            self.flush(table)

    def flush(self, table: Table) -> None:
        if not table.rows:
            return
        if self.postgres:
            self._send(table, self._csv(table))
        else:
            placeholders = ", ".join(["%s"] * len(table.columns))
            sql = (
                f"INSERT INTO {table.model._meta.db_table} "
                f"({', '.join(table.db_columns)}) VALUES ({placeholders})"
            )
            prep = [f.get_db_prep_save for f in table.fields]
            with connection.cursor() as cursor:
                cursor.executemany(
                    sql,
                    [
                        tuple(p(v, connection) for p, v in zip(prep, row, strict=True))
                        for row in table.rows
                    ],
                )
        table.written += len(table.rows)
        table.rows = []

    @staticmethod
    def _csv(table: Table) -> io.StringIO:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        json_at = table.json_at
        for row in table.rows:
            values = [NULL if v is None else v for v in row]
            for i in json_at:
                values[i] = json.dumps(row[i])
            writer.writerow(values)
        buffer.seek(0)
        return buffer

    def _send(self, table: Table, buffer: io.StringIO) -> None:
        if self.error:
            raise self.error
        if self.thread is None:
            connection.ensure_connection()
            self.queue = queue.Queue(maxsize=3)
            self.thread = threading.Thread(
                target=self._writer, args=(connection.connection,), daemon=True
            )
            self.thread.start()
        columns = ", ".join(connection.ops.quote_name(c) for c in table.db_columns)
        sql = (
            f"COPY {connection.ops.quote_name(table.model._meta.db_table)} ({columns}) "
            f"FROM STDIN WITH (FORMAT csv, NULL '{NULL}')"
        )
        self.queue.put((sql, buffer))

    def _writer(self, raw_connection) -> None:
        while (item := self.queue.get()) is not None:
            if self.error is None:
                try:
                    sql, buffer = item
                    with raw_connection.cursor() as cursor, cursor.copy(sql) as copy:
                        copy.write(buffer.getvalue())
                except BaseException as error:  # re-raised in the main thread
                    self.error = error

    def stop(self) -> None:
        """Wait for the writer to finish what it has (also on the way out of an error)."""
        if self.thread is not None:
            self.queue.put(None)
            self.thread.join()
            self.thread = None

    def finish(self) -> dict[str, int]:
        for table in self.tables.values():
            self.flush(table)
        self.stop()
        if self.error:
            raise self.error
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
