"""Bulk writing of rows with their history records: COPY on PostgreSQL, executemany on SQLite.

The import writes millions of rows; going through model instances (save, bulk_create,
simple-history's bulk helpers) costs more than parsing the files. A TableWriter writes
plain tuples in the table's column order instead, and for each row a history row of the
model's `Historical*` table with the same values: history_type "+" (created) or "~"
(changed), history_date the import's start, the change reason, the importing user and no
client address (django-simple-history sends no signal here). Ids come from the database:
a block of the table's sequence on PostgreSQL; on SQLite, which the import's IMMEDIATE
transaction locks for writing, the next free rowids.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime
from enum import Enum
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models

CHANGE_REASON = "interchange import"
MAX_ID_BLOCK = 100_000
PENDING_COPIES = 3
HISTORY_COLUMNS = (
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user_id",
    "ip_address",
)


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


class CopyPipe:
    """Run COPY statements in a background thread while the import reads on (PostgreSQL).

    The COPY is parsed, indexed and its foreign keys checked by the server process, so
    handing it to a thread (which waits on the socket without the GIL) lets the server
    work on one chunk while Python checks the next. Everything stays on the import's
    one connection and transaction: any other query of this thread first waits until
    the pending COPYs are done (an execute wrapper), and so does leaving the block.
    """

    def __init__(self) -> None:
        self.database = connections[DEFAULT_DB_ALIAS]  # this thread's, for the worker
        self.database.ensure_connection()
        self.raw = self.database.connection
        self.pending: list[Future] = []
        self.executor: ThreadPoolExecutor | None = None

    @contextmanager
    def running(self) -> Iterator[CopyPipe]:
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-copy")
        try:
            with connection.execute_wrapper(self._query_after_copies):
                yield self
                self.drain()
        finally:
            for future in self.pending:
                future.cancel()
            self.executor.shutdown(wait=True)
            self.pending = []
            self.executor = None

    def _query_after_copies(self, execute, sql, params, many, context):
        self.drain()
        return execute(sql, params, many, context)

    def submit(self, sql: str, data: bytes) -> None:
        while len(self.pending) >= PENDING_COPIES:
            self.pending.pop(0).result()
        self.pending.append(self.executor.submit(self._copy, sql, data))

    def drain(self) -> None:
        """Wait for the pending COPYs; raise the database's error if one failed."""
        while self.pending:
            self.pending.pop(0).result()

    def _copy(self, sql: str, data: bytes) -> None:
        with (
            self.database.wrap_database_errors,
            self.raw.cursor() as cursor,
            cursor.copy(sql) as copy,
        ):
            copy.write(data)


class TableWriter:
    """Insert and update rows of one model's table, each with its history row."""

    def __init__(
        self,
        *,
        model: type[models.Model],
        columns: Sequence[str],
        now: datetime,
        user_id: int | None,
        reason: str = CHANGE_REASON,
        pipe: CopyPipe | None = None,
    ):
        """`columns`: the attnames (column names) of a row tuple after its leading id."""
        self.model = model
        self.table = model._meta.db_table
        self.columns = ("id", *columns)
        self.postgres = connection.vendor == "postgresql"
        history = model.history.model
        history_names = {field.column for field in history._meta.concrete_fields}
        missing = [name for name in self.columns if name not in history_names]
        if missing:  # pragma: no cover - every imported model keeps every field's history
            raise ValueError(f"{history.__name__} lacks {missing}")
        self.history_table = history._meta.db_table
        self.history_columns = (*self.columns, *HISTORY_COLUMNS)
        when = now if self.postgres else connection.ops.adapt_datetimefield_value(now)
        self.created_suffix = (when, reason, "+", user_id, None)
        self.changed_suffix = (when, reason, "~", user_id, None)
        self.pipe = pipe
        self._next_id: int | None = None
        self._id_pool: list[int] = []
        self._id_block = 0
        self._sequence: str | None = None
        self.version_position = self.columns.index("version") if "version" in self.columns else None

    # -- ids -----------------------------------------------------------------------------------

    def allocate_ids(self, count: int) -> list[int]:
        """Ids for `count` new rows, handed out by the database."""
        if count == 0:
            return []
        with connection.cursor() as cursor:
            if self.postgres:
                return self._sequence_ids(cursor, count)
            if self._next_id is None:
                # The transaction holds SQLite's write lock: no other writer can take these.
                cursor.execute(f"SELECT max(id) FROM {_quote(self.table)}")
                highest = cursor.fetchone()[0] or 0
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [self.table])
                found = cursor.fetchone()
                self._next_id = max(highest, found[0] if found else 0) + 1
        first, self._next_id = self._next_id, self._next_id + count
        return list(range(first, first + count))

    def _sequence_ids(self, cursor, count: int) -> list[int]:
        # Blocks that grow with use: fewer round trips, each waiting for pending COPYs.
        if len(self._id_pool) < count:
            if self._sequence is None:
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [self.table])
                self._sequence = cursor.fetchone()[0]
            self._id_block = min(max(self._id_block * 2, count), MAX_ID_BLOCK)
            wanted = max(count - len(self._id_pool), self._id_block)
            cursor.execute(
                "SELECT nextval(%s) FROM generate_series(1, %s)", [self._sequence, wanted]
            )
            self._id_pool.extend(row[0] for row in cursor.fetchall())
        ids, self._id_pool = self._id_pool[:count], self._id_pool[count:]
        return ids

    # -- writing -------------------------------------------------------------------------------

    def insert(self, rows: Sequence[tuple]) -> None:
        """Insert rows (tuples in `columns` order, id first) and their "+" history rows."""
        if not rows:
            return
        if self.postgres:
            lines = [_copy_line(row) for row in rows]
            self._copy(self.table, self.columns, "\n".join(lines))
            suffix = "\t" + _copy_line(self.created_suffix)
            self._copy(self.history_table, self.history_columns, f"{suffix}\n".join(lines) + suffix)
        else:
            suffix = self.created_suffix
            self._executemany(self.table, self.columns, rows)
            self._executemany(
                self.history_table, self.history_columns, [row + suffix for row in rows]
            )

    def update(self, rows: Sequence[tuple], *, fields: Iterable[str]) -> None:
        """Update `fields` of existing rows and add "~" history rows.

        Each row holds the whole new state (id first, in `columns` order, `version`
        already raised); only `fields` and `version` are written to the table.
        """
        if not rows:
            return
        fields = set(fields)
        written = [name for name in self.columns[1:] if name in fields]
        if self.version_position is not None and "version" not in written:
            written.append("version")
        positions = [self.columns.index(name) for name in written]
        assignments = ", ".join(f"{_quote(name)} = %s" for name in written)
        sql = f"UPDATE {_quote(self.table)} SET {assignments} WHERE id = %s"
        params = [(*(row[position] for position in positions), row[0]) for row in rows]
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)
        suffix = self.changed_suffix
        history = [row + suffix for row in rows]
        if self.postgres:
            text = "\n".join(_copy_line(row) for row in history)
            self._copy(self.history_table, self.history_columns, text)
        else:
            self._executemany(self.history_table, self.history_columns, history)

    def _copy(self, table: str, columns: Sequence[str], text: str) -> None:
        names = ", ".join(_quote(name) for name in columns)
        sql = f"COPY {_quote(table)} ({names}) FROM STDIN"
        data = text.encode() + b"\n"
        if self.pipe is not None and self.pipe.executor is not None:
            self.pipe.submit(sql, data)
            return
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            copy.write(data)

    def _executemany(self, table: str, columns: Sequence[str], rows: Iterable[tuple]) -> None:
        names = ", ".join(_quote(name) for name in columns)
        marks = ", ".join("?" * len(columns))
        with connection.cursor() as cursor:
            cursor.cursor.executemany(
                f"INSERT INTO {_quote(table)} ({names}) VALUES ({marks})", rows
            )


# COPY's text format: tab-separated, \N for NULL, backslash escapes in text.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: Any) -> str:
    kind = type(value)
    if kind is str:  # the most common cells first: this runs for every value written
        return value.translate(_COPY_ESCAPES)
    if kind is int:
        return str(value)
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _copy_line(row: tuple) -> str:
    return "\t".join([_copy_text(value) for value in row])


def model_defaults(model: type[models.Model], *, now: datetime) -> dict[str, Any]:
    """The value each concrete field of `model` gets in a new row when the file gives none."""
    defaults: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now if isinstance(field, models.DateTimeField) else now.date()
        else:
            value = field.get_default()
        if isinstance(value, models.Model):
            value = value.pk
        elif isinstance(value, Enum):
            value = value.value
        defaults[field.attname] = value
    return defaults
