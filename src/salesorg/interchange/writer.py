"""The writing half of the import: checked rows become table rows, chunk by chunk.

The checker hands every row it accepted to the FileWriter of its file while nothing is
wrong yet; once a problem is found, writing stops and the import's transaction is rolled
back at the end. A chunk is written with a few statements: references resolved to ids
(the ids of rows written by this import are kept in memory, one dictionary per referenced
file; others are looked up), existing rows matched by their key (skipped when the table
was empty at the start of the file), then new rows inserted and changed rows updated by
bulkwrite.TableWriter, each with its history row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import timedelta
from typing import Any

from django.db import OperationalError, connection, models
from django.db.models import Q
from django.utils import timezone

from salesorg.customers.services.stakeholders import stakeholders_follow_up
from salesorg.development.selectors.onboarding import NEW_HIRE_DAYS
from salesorg.development.services.onboarding import onboarding_assign_new_hires
from salesorg.interchange.bulkindex import SuspendedIndexes
from salesorg.interchange.bulkwrite import CopyPipe, TableWriter, model_defaults
from salesorg.interchange.files import FILES, FILES_BY_NAME, FileSpec
from salesorg.org.models import Person
from salesorg.targets.choices import OwnerType

CHUNK_ROWS = 10_000
SQLITE_CACHE_KIB = 128 * 1024
STREAM_COPIES = True  # COPY in a background thread on PostgreSQL (bulkwrite.CopyPipe)
REFERENCED_FILES = {column.ref for spec in FILES for column in spec.columns if column.ref}
FACT_FILES = {"orders", "order_lines", "invoices", "payments", "visits", "expenses"}
TARGET_OWNER_FILES = {
    OwnerType.PERSON: "people",
    OwnerType.TEAM: "teams",
    OwnerType.REGION: "regions",
}
TARGET_OWNER_COLUMNS = {
    OwnerType.PERSON: "person_id",
    OwnerType.TEAM: "team_id",
    OwnerType.REGION: "region_id",
}
# Files whose stored rows are matched with array parameters on PostgreSQL (_existing).
ARRAY_MATCHED = {spec.name for spec in FILES if spec.key == ("code",)} | {"order_lines"}
KEY_COLUMNS = {
    "memberships": ("person_id", "team_id", "start_date"),
    "order_lines": ("order_id", "line_no"),
    "targets": ("owner_type", "person_id", "team_id", "region_id", "year", "month", "metric"),
    "calendar": ("date",),
}


class ImportWriter:
    """Everything the writing of one import shares across its files."""

    def __init__(self, *, user_id: int | None, problems) -> None:
        self.user_id = user_id
        self.problems = problems
        self.now = timezone.now()
        self.ids: dict[str, dict[str, int]] = defaultdict(dict)
        self.reserved_people: dict[str, int] = {}  # named as manager before their own row
        self.stopped = False  # a problem was found: nothing more is written
        self.unresolved = False  # a reference the checker must report
        self.changed_facts = False
        self.current_file = ""
        self.pipe = CopyPipe() if connection.vendor == "postgresql" and STREAM_COPIES else None

    def streaming(self) -> AbstractContextManager:
        """The block in which COPYs run in the background (PostgreSQL)."""
        if self.pipe is not None:
            return self.pipe.running()
        if connection.vendor == "sqlite":
            return _sqlite_page_cache()
        return nullcontext()

    @property
    def writing(self) -> bool:
        if self.problems.count:
            self.stopped = True
        return not self.stopped

    def open_file(self, *, spec: FileSpec, index: dict[str, int], report) -> FileWriter:
        self.current_file = spec.filename
        if connection.vendor == "postgresql":
            # Checked foreign keys as rows arrive, while Python reads on, rather than all
            # at commit; people.csv may name a manager whose row comes later.
            self.set_constraints(deferred=spec.name == "people")
        return FileWriter(writer=self, spec=spec, index=index, report=report)

    @staticmethod
    def set_constraints(*, deferred: bool) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS ALL {'DEFERRED' if deferred else 'IMMEDIATE'}")

    def ids_of(self, target: str, codes: set[str]) -> dict[str, int]:
        """Ids of codes of `target` stored before this import (remembered for later chunks)."""
        found = dict(
            FILES_BY_NAME[target]
            .model._default_manager.filter(code__in=codes)
            .values_list("code", "id")
        )
        self.ids[target].update(found)
        return found


class FileWriter:
    """Write the checked rows of one file."""

    def __init__(self, *, writer: ImportWriter, spec: FileSpec, index: dict[str, int], report):
        self.writer = writer
        self.spec = spec
        self.report = report
        self.model = model = spec.model
        self.buffer: list[dict[str, Any]] = []
        self.created_ids: list[int] = []
        provided: list[str] = []
        self.plain: list[tuple[str, int, Any]] = []  # column, position, value when blank
        self.refs: list[tuple[str, int, str]] = []  # column, position, referenced file
        for column in spec.columns:
            if column.field is None or column.name not in index:
                continue
            field = model._meta.get_field(column.field)
            if column.ref is not None:
                self.refs.append((column.name, len(provided), column.ref))
            else:
                self.plain.append((column.name, len(provided), _blank_value(field)))
            provided.append(field.attname)
        if spec.name == "targets":
            if "ideal" not in provided:
                provided.append("ideal")
            self.ideal_position = provided.index("ideal")
            self.realistic_position = provided.index("realistic")
            self.owner_positions = {}
            for owner_type, attname in TARGET_OWNER_COLUMNS.items():
                self.owner_positions[owner_type] = len(provided)
                provided.append(attname)
        defaults = model_defaults(model, now=writer.now)
        rest = [name for name in defaults if name not in provided]
        self.provided = tuple(provided)
        self.columns = (*provided, *rest)
        self.defaults = tuple(
            model._meta.get_field(_field_name(model, name)).get_db_prep_save(
                defaults[name], connection
            )
            for name in rest
        )
        self.table = TableWriter(
            model=model,
            columns=self.columns,
            now=writer.now,
            user_id=writer.user_id,
            pipe=writer.pipe,
        )
        key = ("code",) if spec.key == ("code",) else KEY_COLUMNS[spec.name]
        self.key_positions = [self.columns.index(name) for name in key]
        self.fresh = not model._base_manager.exists()
        # An empty table is loaded without its indexes and constraints (bulkindex.py).
        self.suspended = (
            SuspendedIndexes.for_empty([self.table.table, self.table.history_table])
            if self.fresh
            else None
        )
        self.keep_ids = spec.name in REFERENCED_FILES
        # contacts: the role before this import by code (None: new), for the owner's follow-ups
        self.role_position = (
            provided.index("role") if spec.name == "contacts" and "role" in provided else None
        )
        self.previous_roles: dict[str, str | None] = {}

    # -- rows ----------------------------------------------------------------------------------

    def add(self, values: dict[str, Any]) -> None:
        """Take one checked row; write when a chunk is full."""
        self.buffer.append(values)
        if len(self.buffer) >= CHUNK_ROWS:
            self.flush()

    def close(self) -> None:
        """Write the last chunk and do what the file's rows need afterwards."""
        self.flush()
        if self.suspended is not None and self.writer.writing:
            self.suspended.restore()  # a problem instead rolls the drops back
        if self.spec.name == "people" and self.created_ids and self.writer.writing:
            # Bulk writing sends no post_save, so the onboarding hook is called here.
            since = timezone.localdate() - timedelta(NEW_HIRE_DAYS)
            for start in range(0, len(self.created_ids), CHUNK_ROWS):
                chunk = self.created_ids[start : start + CHUNK_ROWS]
                onboarding_assign_new_hires(
                    people=list(Person.objects.filter(pk__in=chunk, hire_date__gte=since))
                )
        if self.previous_roles and self.writer.writing:
            # a new decision maker or a key stakeholder's new role: the owner follows it up
            stakeholders_follow_up(previous_roles=self.previous_roles)

    def flush(self) -> None:
        chunk, self.buffer = self.buffer, []
        if not chunk or not self.writer.writing:
            return
        rows = self._rows(chunk)
        if rows is None:
            self.writer.unresolved = self.writer.stopped = True
            return
        if self.fresh:  # the table was empty: every row is new
            self._insert(rows)
            self.report.created += len(rows)
            return
        existing = self._existing(rows)
        creates: list[list] = []
        updates: list[tuple] = []
        changed_fields: set[str] = set()
        width = len(self.provided)
        code_position = self.key_positions[0]
        ids = self.writer.ids[self.spec.name] if self.keep_ids else None
        for row in rows:
            key = self._key(row)
            stored = existing.get(key)
            if stored is None:
                creates.append(row)
                if self.role_position is not None:
                    self.previous_roles[row[code_position]] = None
                continue
            if ids is not None:
                ids[row[code_position]] = stored[0]
            changed = [
                self.provided[position]
                for position in range(width)
                if row[position] != stored[position + 1]
            ]
            if not changed:
                self.report.unchanged += 1
                continue
            changed_fields.update(changed)
            if self.role_position is not None and "role" in changed:
                self.previous_roles[row[code_position]] = stored[self.role_position + 1]
            state = (stored[0], *row[:width], *stored[width + 1 :])
            if self.table.version_position is not None:
                position = self.table.version_position
                state = (*state[:position], state[position] + 1, *state[position + 1 :])
            updates.append(state)
        self._insert(creates)
        if updates:
            self.table.update(updates, fields=changed_fields)
            if self.spec.name in FACT_FILES:
                self.writer.changed_facts = True
        self.report.created += len(creates)
        self.report.updated += len(updates)

    def _insert(self, creates: list[list]) -> None:
        if not creates:
            return
        reserved = self.writer.reserved_people if self.spec.name == "people" else {}
        code_position = self.key_positions[0]
        fresh_ids = iter(
            self.table.allocate_ids(
                sum(1 for row in creates if row[code_position] not in reserved)
                if reserved
                else len(creates)
            )
        )
        defaults = self.defaults
        rows = []
        for row in creates:
            new_id = reserved.pop(row[code_position], None) if reserved else None
            rows.append((new_id or next(fresh_ids), *row, *defaults))
        self.table.insert(rows)
        if self.keep_ids:
            ids = self.writer.ids[self.spec.name]
            for row in rows:
                ids[row[code_position + 1]] = row[0]
        if self.spec.name == "people":
            self.created_ids.extend(row[0] for row in rows)

    def _rows(self, chunk: list[dict[str, Any]]) -> list[list] | None:
        """The chunk's rows as lists in `provided` order, references as ids (None: unknown)."""
        width = len(self.provided)
        plain, refs = self.plain, self.refs
        all_ids = self.writer.ids
        missing: list[tuple[list, int, str, str]] = []
        rows = []
        for values in chunk:
            row = [None] * width
            for name, position, blank in plain:
                value = values[name]
                row[position] = blank if value is None else value
            for name, position, target in refs:
                code = values[name]
                if code is not None:
                    found = all_ids[target].get(code)
                    if found is None:
                        missing.append((row, position, target, code))
                    row[position] = found
            rows.append(row)
        if self.spec.name == "targets":
            self._target_owners(chunk, rows, missing)
        if missing and not self._resolve(missing):
            return None
        return rows

    def _target_owners(self, chunk: list[dict], rows: list[list], missing: list) -> None:
        all_ids = self.writer.ids
        for values, row in zip(chunk, rows, strict=True):
            owner_type = values["owner_type"]
            if owner_type in TARGET_OWNER_FILES:
                target = TARGET_OWNER_FILES[owner_type]
                position = self.owner_positions[owner_type]
                code = values["owner_code"]
                row[position] = all_ids[target].get(code)
                if row[position] is None:
                    missing.append((row, position, target, code))
            if row[self.ideal_position] is None:
                row[self.ideal_position] = row[self.realistic_position]

    def _resolve(self, missing: list[tuple[list, int, str, str]]) -> bool:
        """Fill in references to rows stored before the import; False if one is unknown."""
        wanted: dict[str, set[str]] = defaultdict(set)
        for _row, _position, target, code in missing:
            wanted[target].add(code)
        found = {target: self.writer.ids_of(target, codes) for target, codes in wanted.items()}
        if self.spec.name == "people":
            # A manager listed later in people.csv: the id their row will be written with.
            reserved = self.writer.reserved_people
            later = sorted(wanted["people"] - set(found["people"]) - set(reserved))
            reserved.update(zip(later, self.table.allocate_ids(len(later)), strict=True))
            found["people"].update(reserved)
        for row, position, target, code in missing:
            if code not in found[target]:
                return False
            row[position] = found[target][code]
        return True

    # -- matching stored rows ------------------------------------------------------------------

    def _key(self, row: list) -> Any:
        positions = self.key_positions
        if len(positions) == 1:
            return row[positions[0]]
        return tuple(row[position] for position in positions)

    def _existing(self, rows: list[list]) -> dict[Any, tuple]:
        """The stored rows the chunk's keys match: key → (id, *columns)."""
        manager = self.model._default_manager
        name = self.spec.name
        keys = {self._key(row) for row in rows}
        if connection.vendor == "postgresql" and name in ARRAY_MATCHED:
            return self._existing_by_arrays(keys)
        if self.spec.key == ("code",):
            queryset = manager.filter(code__in=keys)
        elif name == "memberships":
            queryset = manager.filter(
                person_id__in={key[0] for key in keys}, start_date__in={key[2] for key in keys}
            )
        elif name == "order_lines":
            queryset = manager.filter(
                order_id__in={key[0] for key in keys}, line_no__in={key[1] for key in keys}
            )
        elif name == "targets":
            queryset = manager.filter(
                Q(person_id__in={key[1] for key in keys if key[1]})
                | Q(team_id__in={key[2] for key in keys if key[2]})
                | Q(region_id__in={key[3] for key in keys if key[3]})
                | Q(owner_type=OwnerType.COMPANY),
                year__in={key[4] for key in keys},
                month__in={key[5] for key in keys},
                metric__in={key[6] for key in keys},
            )
        else:
            queryset = manager.filter(date__in=keys)
        if self.table.version_position is not None:
            # A versioned record is written as read here, its version raised by one: locked,
            # so that a person's save in between waits and then finds its version stale
            # (PostgreSQL; SQLite's import holds the only write lock anyway).
            queryset = queryset.select_for_update()
        found = {}
        positions = [position + 1 for position in self.key_positions]
        for stored in queryset.values_list("id", *self.columns):
            key = (
                stored[positions[0]]
                if len(positions) == 1
                else tuple(stored[position] for position in positions)
            )
            if key in keys:
                found[key] = stored
        return found

    def _existing_by_arrays(self, keys: set) -> dict[Any, tuple]:
        """_existing in one plain query, the keys sent as arrays (PostgreSQL).

        Ten thousand keys as `IN (%s, …)` placeholders cost a second per chunk in a big
        database: building and parsing them, and a plan that expects that many matches
        and scans the whole table. Joined to the keys sent as arrays (one parameter per
        key column), the table is probed through its index in milliseconds.
        """
        quote = connection.ops.quote_name
        names = ", ".join(f"t.{quote(name)}" for name in ("id", *self.columns))
        table = quote(self.model._meta.db_table)
        if self.spec.key == ("code",):
            sql = f"SELECT {names} FROM {table} t JOIN unnest(%s::text[]) AS k(code) USING (code)"
            params = [list(keys)]
        else:  # order_lines: (order_id, line_no)
            sql = (
                f"SELECT {names} FROM {table} t "
                "JOIN unnest(%s::bigint[], %s::bigint[]) AS k(order_id, line_no) "
                "ON t.order_id = k.order_id AND t.line_no = k.line_no"
            )
            params = [[key[0] for key in keys], [key[1] for key in keys]]
        if self.table.version_position is not None:
            sql += " FOR UPDATE OF t"  # as in _existing
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            stored_rows = cursor.fetchall()
        positions = [position + 1 for position in self.key_positions]
        found = {}
        for stored in stored_rows:
            key = (
                stored[positions[0]]
                if len(positions) == 1
                else tuple(stored[position] for position in positions)
            )
            found[key] = stored
        return found


@contextmanager
def sqlite_rollback_journal() -> Iterator[None]:
    """While an import writes, SQLite keeps a rollback journal instead of its write-ahead log.

    In WAL mode every page the import writes goes to the log first and is copied into the
    database at the checkpoint after the commit: all of a big import twice. A rollback
    journal holds only the pages that existed before (pages added to the file need none),
    so the rows are written once. The mode can change only outside a transaction and while
    no other connection has the database open; otherwise the log is kept. It is restored
    afterwards; should another connection have opened the database meanwhile (then waiting
    for the import's lock), the import still stands, and the next connection to open it
    sets the log again (settings' init_command).
    """
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        before = cursor.fetchone()[0]
        switched = False
        if before.lower() == "wal":
            try:
                cursor.execute("PRAGMA journal_mode = DELETE")
                switched = cursor.fetchone()[0].lower() == "delete"
            except OperationalError:  # another connection has the database open
                pass
    try:
        yield
    finally:
        if switched:
            try:
                with connection.cursor() as cursor:
                    cursor.execute(f"PRAGMA journal_mode = {before}")
            except OperationalError:  # another connection has the database open
                pass


@contextmanager
def _sqlite_page_cache() -> Iterator[None]:
    """A larger page cache while writing: the indexes of big tables then stay in memory."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = {-SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def _blank_value(field: models.Field) -> Any:
    """What a blank cell stores: an empty text, false, or NULL."""
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.CharField | models.TextField):
        return ""
    return None


def _field_name(model: type[models.Model], attname: str) -> str:
    for field in model._meta.concrete_fields:
        if field.attname == attname:
            return field.name
    raise LookupError(attname)  # pragma: no cover
