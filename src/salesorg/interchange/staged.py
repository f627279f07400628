"""The staged fast path of the import for the big fact files (PostgreSQL; SQLite's is in
staged_sqlite.py, with the same contract).

Parsing and checking millions of cells in Python is most of an import's time. For the
fact files (orders, order lines, invoices, payments, visits, expenses) the database can
do both: the file's bytes are COPYed as CSV into a temporary table of text columns, and
one statement checks that every row is *certainly* valid under the rules the Python
checker applies (importer.py, rows.py, values.py) while it writes the rows, codes joined
to ids, with their history rows as FileWriter and TableWriter would. The SQL never
reports problems: anything it cannot vouch for (a bad or unusual cell, a code already
stored, a quote that is not part of a well-formed quoted cell on one line, an error raised
by a cast or a constraint, …) rolls back to a
savepoint and the file takes the Python path, which finds the exact problems with their
line numbers. So the SQL only has to be at least as strict as Python, never as precise.

What makes a file certainly valid, besides each cell's format: its codes (or order
lines' keys) are new and unique, which the table's unique constraints enforce (rebuilt
by bulkindex when the table was empty); every code it refers to is stored, earlier files
of the import being written already; and the file's own rules (due date, joint visit,
payments against their invoices). Dry runs keep the Python path.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from django.db import DatabaseError, connection, models, transaction

from salesorg.interchange.csvio import Progress, ProgressCallback
from salesorg.interchange.files import FILES_BY_NAME, Column, FileSpec, Kind, required_columns
from salesorg.interchange.raw_cells import plain_cells
from salesorg.interchange.staged_sqlite import NotCertain, SqliteStagedFile
from salesorg.interchange.writer import FileWriter, ImportWriter
from salesorg.sales.choices import VisitKind

STAGED = True  # tests switch it off to compare with the Python path
STAGED_FILES = {"orders", "order_lines", "invoices", "payments", "visits", "expenses"}
BLOCK_BYTES = 1 << 20
WORK_MEM = "256MB"
SETTINGS = "SELECT set_config('work_mem', %s, true), set_config('jit', %s, true)"


STAGED_KINDS = {
    Kind.CODE,
    Kind.TEXT,
    Kind.CHOICE,
    Kind.DATE,
    Kind.MONEY,
    Kind.QUANTITY,
    Kind.INTEGER,
}


class _NotCertain(Exception):
    """The staged checks cannot vouch for the file: it takes the Python path."""


def applies(spec: FileSpec, writer: ImportWriter | None) -> bool:
    """Whether the staged path may try this file: a fact file, written, on PostgreSQL or SQLite."""
    return (
        STAGED
        and writer is not None
        and writer.writing
        and spec.name in STAGED_FILES
        and connection.vendor in ("postgresql", "sqlite")
    )


def import_file(
    *,
    spec: FileSpec,
    path: Path,
    report,
    writer: ImportWriter,
    db_had_payments: bool,
    progress: ProgressCallback | None = None,
) -> bool:
    """Check and write one file set-based; False (nothing written) when it needs Python."""
    header = _header(spec, path)
    if header is None:
        return False
    try:
        with transaction.atomic():
            # Opened inside the savepoint: giving up also undoes its index drops.
            file_writer = writer.open_file(
                spec=spec, index={name: i for i, name in enumerate(header)}, report=report
            )
            staged_file = _StagedFile if connection.vendor == "postgresql" else SqliteStagedFile
            staged_file(
                spec=spec,
                header=header,
                file_writer=file_writer,
                db_had_payments=db_had_payments,
            ).run(path, progress)
            file_writer.close()
    except (_NotCertain, NotCertain, DatabaseError):
        report.rows = report.created = 0
        return False
    return True


def _header(spec: FileSpec, path: Path) -> list[str] | None:
    """The header's column names, if the staged path can take the file (None: it cannot)."""
    with path.open("rb") as stream:
        first = stream.readline()
    if first.startswith(codecs.BOM_UTF8):
        first = first[len(codecs.BOM_UTF8) :]
    if not first.endswith(b"\n") or b'"' in first:
        return None
    try:
        names = first.decode("utf-8").rstrip("\n").removesuffix("\r").split(",")
    except UnicodeDecodeError:
        return None
    known = all(name in spec.by_name for name in names) and len(set(names)) == len(names)
    if not known or not set(required_columns(spec)) <= set(names):
        return None  # unknown, repeated, blank-padded or missing columns: Python says which
    if any(spec.by_name[name].kind not in STAGED_KINDS for name in names):
        return None
    return names


class _StagedFile:
    """One file's trip through the staging table."""

    def __init__(
        self, *, spec: FileSpec, header: list[str], file_writer: FileWriter, db_had_payments: bool
    ):
        self.spec = spec
        self.header = header
        self.file_writer = file_writer
        self.model = spec.model
        self.db_had_payments = db_had_payments
        self.staging = connection.ops.quote_name(f"staged_{spec.name}")
        self.columns = [spec.by_name[name] for name in header]
        self.aliases: dict[str, str] = {}  # reference column → alias of its joined table

    def run(self, path: Path, progress: ProgressCallback | None) -> None:
        quote = connection.ops.quote_name
        names = ", ".join(quote(name) for name in self.header)
        with connection.cursor() as cursor:
            texts = ", ".join(f"{quote(name)} text" for name in self.header)
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.staging} "
                f"(row_number bigint GENERATED ALWAYS AS IDENTITY, {texts}) ON COMMIT DROP"
            )
            lines = self._copy(cursor, path, names, progress)
            if cursor.cursor.rowcount != lines:
                raise _NotCertain  # e.g. a line `\.`, which ends a COPY
            # Big statements, run once: no JIT compilation, joins and sorts in memory.
            cursor.execute("SELECT current_setting('work_mem'), current_setting('jit')")
            work_mem, jit = cursor.fetchone()
            cursor.execute(SETTINGS, [WORK_MEM, "off"])
            written = self._write(cursor)
            if written != lines:
                raise _NotCertain  # pragma: no cover - the checks let no row drop out
            cursor.execute(f"DROP TABLE {self.staging}")
            cursor.execute(SETTINGS, [work_mem, jit])
        self.file_writer.report.rows = self.file_writer.report.created = lines

    # -- loading -------------------------------------------------------------------------------

    def _copy(self, cursor, path: Path, names: str, progress: ProgressCallback | None) -> int:
        """COPY the data lines (after the header) into the staging table; count them."""
        # A quoted empty cell is blank to Python, as an unquoted one: NULL for both.
        sql = (
            f"COPY {self.staging} ({names}) FROM STDIN "
            f"WITH (FORMAT csv, ENCODING 'UTF8', FORCE_NULL ({names}))"
        )
        total = path.stat().st_size
        lines = 0
        tail = b"\n"  # the end of the data before the block: its edges are checked too
        with path.open("rb") as stream, connection.wrap_database_errors:
            stream.readline()  # the header
            with cursor.cursor.copy(sql) as copy:
                while block := stream.read(BLOCK_BYTES):
                    if not block.endswith(b"\n"):
                        block += stream.readline()  # whole lines: quoted cells stay whole
                    plain = plain_cells(tail + block)
                    if plain is None:
                        raise _NotCertain
                    lines += block.count(b"\n")
                    tail = plain[-3:]
                    copy.write(block)
                    if progress is not None:
                        progress(Progress("write", path.name, lines, stream.tell(), total))
        if tail[-1:] != b"\n":
            if plain_cells(tail + b"\n") is None:
                raise _NotCertain
            lines += 1
        if progress is not None:
            progress(Progress("write", path.name, lines, total, total, finished=True))
        return lines

    # -- checking and writing ------------------------------------------------------------------

    def _write(self, cursor) -> int:
        """Check and insert the rows in one statement; return how many were written.

        The rows go in file order with ids from the table's sequence, each with its "+"
        history row. A row that fails a check gets no value for its first required
        reference, so the statement fails on that column's NOT NULL and the savepoint
        is rolled back: checking apart would cost another pass over the file.
        """
        quote = connection.ops.quote_name
        model, file_writer = self.model, self.file_writer
        expressions: dict[str, str] = {}
        joins: list[str] = []
        checks: list[str] = [self._cell_condition(column) for column in self.columns]
        carrier = None  # the first required reference: NULL for a row that fails a check
        for position, column in enumerate(self.columns):
            if column.field is None:  # pragma: no cover - every fact column is a field
                continue
            field = model._meta.get_field(column.field)
            cell = f"s.{quote(column.name)}"
            if column.ref is not None:
                alias = self.aliases[column.name] = f"r{position}"
                target = quote(FILES_BY_NAME[column.ref].model._meta.db_table)
                joins.append(f"LEFT JOIN {target} {alias} ON {alias}.code = {cell}")
                expressions[field.attname] = f"{alias}.id"
                if column.required:
                    carrier = carrier or field.attname
                else:
                    checks.append(f"{cell} IS NULL OR {alias}.id IS NOT NULL")
            elif isinstance(field, models.CharField | models.TextField):
                expressions[field.attname] = f"coalesce({cell}, '')"
            else:
                expressions[field.attname] = f"CAST({cell} AS {field.db_type(connection)})"
        if carrier is None or set(expressions) != set(file_writer.provided):
            raise _NotCertain  # pragma: no cover - every fact file has a required reference
        rule = self._row_rule()
        if rule:
            checks.append(rule)
        params: list = []
        valid = " AND ".join(f"({check})" for check in checks)
        expressions[carrier] = f"CASE WHEN coalesce({valid}, false) THEN {expressions[carrier]} END"
        rest = file_writer.columns[len(file_writer.provided) :]
        for name, value in zip(rest, file_writer.defaults, strict=True):
            expressions[name] = f"CAST(%s AS {_db_type(model, name)})"
            params.append(value)
        table = file_writer.table
        history = model.history.model
        suffix = []
        for name, value in zip(
            table.history_columns[len(table.columns) :], table.created_suffix, strict=True
        ):
            suffix.append(f"CAST(%s AS {_db_type(history, name)})")
            params.append(value)
        names = list(file_writer.columns)
        listed = ", ".join(quote(name) for name in ("id", *names))
        history_listed = ", ".join(quote(name) for name in table.history_columns)
        selected = ", ".join(f"{expressions[name]} AS {quote(name)}" for name in names)
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table.table])
        sequence = cursor.fetchone()[0]
        cursor.execute(
            f"WITH written AS (INSERT INTO {quote(table.table)} ({listed}) "
            f"SELECT nextval(%s), rows.* FROM (SELECT {selected} FROM {self.staging} s "
            f"{' '.join(joins)} ORDER BY s.row_number) rows RETURNING {listed}), "
            f"history AS (INSERT INTO {quote(table.history_table)} ({history_listed}) "
            f"SELECT written.*, {', '.join(suffix)} FROM written) "
            f"SELECT count(*), {self._overpaid()} FROM written",
            [sequence, *params],
        )
        written, overpaid = cursor.fetchone()
        if overpaid:
            raise _NotCertain
        return written

    def _cell_condition(self, column: Column) -> str:
        """SQL true only for cells that Python reads as valid values, with the same value.

        Numbers and dates must read back as the very same text: their canonical form,
        which is what export writes (other valid spellings take the Python path); a cast
        error on a malformed cell makes the file take the Python path as well.
        """
        cell = f"s.{connection.ops.quote_name(column.name)}"
        kind = column.kind
        if kind in (Kind.CODE, Kind.TEXT):  # whitespace at either end was refused in _copy
            limit = self.spec.max_length(column)
            condition = "true" if limit is None else f"char_length({cell}) <= {int(limit)}"
        elif kind is Kind.CHOICE:
            values = ", ".join(_literal(value) for value in column.choices.values)
            condition = f"{cell} IN ({values})"
        elif kind is Kind.DATE:
            condition = f"length({cell}) = 10 AND CAST(CAST({cell} AS date) AS text) = {cell}"
        elif kind is Kind.INTEGER:
            number = f"CAST({cell} AS bigint)"
            condition = (
                f"CAST({number} AS text) = {cell} "
                f"AND {number} BETWEEN {int(column.minimum)} AND {int(column.maximum)}"
            )
        else:  # money: exactly two decimals; quantities: up to four, no trailing zeros
            number = f"CAST({cell} AS {self._db_type(column)})"
            if kind is Kind.QUANTITY:
                number = f"trim_scale({number})"
            condition = (
                f"{cell} NOT LIKE '-%%' AND {cell} <> 'NaN' AND CAST({number} AS text) = {cell}"
            )
        if column.required:
            return f"{cell} IS NOT NULL AND {condition}"
        return f"{cell} IS NULL OR ({condition})"

    def _db_type(self, column: Column) -> str:
        return self.model._meta.get_field(column.field).db_type(connection)

    def _row_rule(self) -> str:
        """The rules of single rows of the file (checker.Checker._rules_*), as SQL."""
        if self.spec.name == "invoices":
            return "CAST(s.due_date AS date) >= CAST(s.invoice_date AS date)"
        if self.spec.name == "visits":
            coach = "s.coach_code IS NOT NULL" if "coach_code" in self.header else "false"
            return f"s.kind <> {_literal(VisitKind.JOINT)} OR {coach}"
        if self.spec.name == "payments":
            invoice = self.aliases["invoice_code"]
            return f"CAST(s.payment_date AS date) >= {invoice}.invoice_date"
        return ""

    def _overpaid(self) -> str:
        """SQL true if the written payments take an invoice over its amount (with those stored)."""
        if self.spec.name != "payments":
            return "false"
        quote = connection.ops.quote_name
        invoices = quote(FILES_BY_NAME["invoices"].model._meta.db_table)
        # The statement's snapshot holds the payments stored before it, not those it writes.
        stored = (
            "coalesce((SELECT sum(p.amount) FROM "
            f"{quote(self.model._meta.db_table)} p WHERE p.invoice_id = i.id), 0)"
            if self.db_had_payments
            else "0"
        )
        return (
            "EXISTS (SELECT 1 FROM (SELECT invoice_id, sum(amount) AS total FROM written "
            f"GROUP BY invoice_id) f JOIN {invoices} i ON i.id = f.invoice_id "
            f"WHERE f.total + {stored} > i.amount)"
        )


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _db_type(model: type[models.Model], column: str) -> str:
    for field in model._meta.concrete_fields:
        if field.column == column:
            return field.db_type(connection)
    raise LookupError(column)  # pragma: no cover
