"""The staged fast path of the import on SQLite (staged.py holds the PostgreSQL one).

The rows of a fact file are read with the csv module, as the Python path reads them, and
sent block by block to one prepared INSERT that checks each row while it writes it: every
cell must be *certainly* valid under the rules of the Python checker (importer.py,
rows.py, values.py), references are looked up by code through the unique indexes, and a
row that fails a check gets no value for its first required reference, so SQLite refuses
it with a NOT NULL error. Any error (that one, a unique or check constraint, a row with
too few or too many cells, bytes that are not UTF-8, a cell with whitespace at an edge or
a quote that is not part of a well-formed quoted cell on one line) rolls the file back to
its savepoint and the file takes the Python path, which reports the exact problems with
their line numbers. So the SQL only has to be at least as strict as Python, never as
precise. The history rows are then copied from the written rows by one INSERT ... SELECT.

Per row, Python only splits the line (in C) and binds the cells: no values are parsed,
kept or converted in Python, so memory stays flat whatever the file's size.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from django.db import connection

from salesorg.interchange.bulkindex import SuspendedIndexes, is_empty
from salesorg.interchange.csvio import Progress, ProgressCallback
from salesorg.interchange.files import FILES_BY_NAME, Column, FileSpec, Kind
from salesorg.interchange.raw_cells import plain_cells
from salesorg.interchange.values import MAX_DIGITS, MONEY_PLACES, QUANTITY_PLACES
from salesorg.interchange.writer import FileWriter
from salesorg.sales.choices import VisitKind

BLOCK_BYTES = 1 << 20
# From this size on, a file written into an empty table has its secondary indexes built
# afterwards (bulkindex.py): sorted once instead of kept up row by row.
SUSPEND_INDEXES_BYTES = 8 << 20
# Amounts whose cents a double holds exactly, also summed: the overpayment check compares
# cents in SQLite's floating point; larger ones take the Python path (exact decimals).
EXACT_CENTS_BELOW = 10**12


class NotCertain(Exception):
    """The staged checks cannot vouch for the file: it takes the Python path."""


class SqliteStagedFile:
    """One fact file checked and written by a prepared INSERT per block of rows."""

    def __init__(
        self, *, spec: FileSpec, header: list[str], file_writer: FileWriter, db_had_payments: bool
    ):
        self.spec = spec
        self.header = header
        self.file_writer = file_writer
        self.model = spec.model
        self.db_had_payments = db_had_payments
        self.columns = [spec.by_name[name] for name in header]
        self.cell = {name: f"?{position + 1}" for position, name in enumerate(header)}

    def run(self, path: Path, progress: ProgressCallback | None) -> None:
        """Write the file's rows and their history rows; NotCertain if some row may be bad."""
        table = self.file_writer.table
        quote = connection.ops.quote_name
        raw = connection.connection
        before = raw.execute(f"SELECT coalesce(max(id), 0) FROM {quote(table.table)}").fetchone()[0]
        sql = self._insert_sql()
        total = path.stat().st_size
        suspended = None
        tables = [table.table, table.history_table]
        if total >= SUSPEND_INDEXES_BYTES and all(map(is_empty, tables)):
            suspended = SuspendedIndexes(tables)
            suspended.drop()
        lines = 0
        try:
            with path.open("rb") as stream:
                stream.readline()  # the header
                while block := stream.read(BLOCK_BYTES):
                    if not block.endswith(b"\n"):
                        block += stream.readline()  # whole lines: quoted cells stay whole
                    ended = block if block.endswith(b"\n") else block + b"\n"
                    if plain_cells(b"\n" + ended) is None:
                        raise NotCertain
                    text = block.decode("utf-8")
                    # The csv module reads the lines exactly as the Python path's CsvSource.
                    cursor = raw.executemany(sql, csv.reader(io.StringIO(text, newline="")))
                    lines += cursor.rowcount
                    if progress is not None:
                        progress(Progress("write", path.name, lines, stream.tell(), total))
        except (sqlite3.Error, csv.Error, UnicodeDecodeError) as error:
            raise NotCertain from error
        if progress is not None:
            progress(Progress("write", path.name, lines, total, total, finished=True))
        try:
            if self._overpaid(before):
                raise NotCertain
            self._history(before)
        except sqlite3.Error as error:  # pragma: no cover - the rows were written already
            raise NotCertain from error
        if suspended is not None:
            suspended.restore()
        self.file_writer.report.rows = self.file_writer.report.created = lines

    # -- the statement ---------------------------------------------------------------------------

    def _insert_sql(self) -> str:
        """The INSERT of one row, its cells bound as ?1, ?2, … in header order."""
        quote = connection.ops.quote_name
        model, file_writer = self.model, self.file_writer
        expressions: dict[str, str] = {}
        checks: list[str] = [self._cell_condition(column) for column in self.columns]
        carrier = None  # the first required reference: NULL for a row that fails a check
        for column in self.columns:
            field = model._meta.get_field(column.field)
            cell = self.cell[column.name]
            if column.ref is not None:
                target = quote(FILES_BY_NAME[column.ref].model._meta.db_table)
                lookup = f"(SELECT id FROM {target} WHERE code = {cell}{self._lookup_rule(column)})"
                if column.required:
                    expressions[field.attname] = lookup
                    carrier = carrier or field.attname
                else:
                    checks.append(
                        f"{cell} = '' OR EXISTS (SELECT 1 FROM {target} WHERE code = {cell})"
                    )
                    expressions[field.attname] = f"CASE WHEN {cell} <> '' THEN {lookup} END"
            elif column.kind in (Kind.CODE, Kind.TEXT) or column.required:
                expressions[field.attname] = cell  # a blank text is stored as ''
            else:
                expressions[field.attname] = f"nullif({cell}, '')"
        if carrier is None or set(expressions) != set(file_writer.provided):
            raise NotCertain  # pragma: no cover - every fact file has a required reference
        checks.extend(self._row_rules())
        valid = " AND ".join(f"({check})" for check in checks)
        expressions[carrier] = f"CASE WHEN {valid} THEN {expressions[carrier]} END"
        rest = file_writer.columns[len(file_writer.provided) :]
        for name, value in zip(rest, file_writer.defaults, strict=True):
            expressions[name] = _literal(value)
        names = list(file_writer.columns)
        listed = ", ".join(quote(name) for name in names)
        values = ", ".join(expressions[name] for name in names)
        return f"INSERT INTO {quote(file_writer.table.table)} ({listed}) VALUES ({values})"

    def _cell_condition(self, column: Column) -> str:
        """SQL true only for cells that Python reads as valid values that store the same.

        Whitespace at a cell's edge and NUL characters were refused before (raw_cells.plain_cells).
        Numbers and dates must read back as the very same text: their canonical form, which
        is what export writes (other valid spellings take the Python path), so that SQLite
        stores the text as it stores the text of Python's value.
        """
        cell = self.cell[column.name]
        kind = column.kind
        if kind in (Kind.CODE, Kind.TEXT):
            limit = self.spec.max_length(column)
            condition = "1" if limit is None else f"length({cell}) <= {int(limit)}"
        elif kind is Kind.CHOICE:
            condition = f"{cell} IN ({', '.join(map(_literal, column.choices.values))})"
        elif kind is Kind.DATE:
            # date() keeps a day past the month's end ('2024-02-30'); '+0 days' moves it on.
            # Year 0 and negative years, which Python refuses, sort before '0001'.
            condition = f"date({cell}, '+0 days') = {cell} AND {cell} >= '0001'"
        elif kind is Kind.INTEGER:
            number = f"CAST({cell} AS INTEGER)"
            condition = (
                f"CAST({number} AS TEXT) = {cell} "
                f"AND {number} BETWEEN {int(column.minimum)} AND {int(column.maximum)}"
            )
        elif kind is Kind.MONEY:  # exactly two decimals, below EXACT_CENTS_BELOW
            whole = len(str(EXACT_CENTS_BELOW)) - 1
            condition = (
                f"printf('%.{MONEY_PLACES}f', {cell}) = {cell} AND {cell} >= '0' "
                f"AND length({cell}) <= {whole + 1 + MONEY_PLACES}"
            )
        else:  # quantities: up to four decimals, no trailing zeros, no exponent
            whole = MAX_DIGITS - QUANTITY_PLACES
            dot = f"instr({cell}, '.')"
            condition = (
                f"CAST(CAST({cell} AS NUMERIC) AS TEXT) = {cell} AND {cell} >= '0' "
                f"AND instr({cell}, 'e') = 0 AND length({cell}) <= {whole} "
                f"AND ({dot} = 0 OR length({cell}) - {dot} <= {QUANTITY_PLACES})"
            )
        if column.required:
            return f"{cell} <> '' AND {condition}"
        return f"{cell} = '' OR ({condition})"

    def _row_rules(self) -> list[str]:
        """The rules of single rows of the file (checker.Checker._rules_*), as SQL."""
        cell = self.cell
        if self.spec.name == "invoices":
            return [f"{cell['due_date']} >= {cell['invoice_date']}"]
        if self.spec.name == "visits":
            coach = f"{cell['coach_code']} <> ''" if "coach_code" in cell else "0"
            return [f"{cell['kind']} <> {_literal(VisitKind.JOINT)} OR {coach}"]
        return []

    def _lookup_rule(self, column: Column) -> str:
        """A rule of the row checked with the record its reference finds (no second lookup):
        a payment is not dated before its invoice."""
        if self.spec.name == "payments" and column.name == "invoice_code":
            return f" AND invoice_date <= {self.cell['payment_date']}"
        return ""

    # -- after the rows --------------------------------------------------------------------------

    def _overpaid(self, before: int) -> bool:
        """Whether some invoice that got payments here is paid over its amount (with those
        stored before), or is too large for the cents to be summed exactly."""
        if self.spec.name != "payments":
            return False
        quote = connection.ops.quote_name
        payments = quote(self.model._meta.db_table)
        invoices = quote(FILES_BY_NAME["invoices"].model._meta.db_table)
        cents = "round(p.amount * 100)"
        if self.db_had_payments:
            stored = (
                f"(SELECT coalesce(sum(round(o.amount * 100)), 0) FROM {payments} o "
                f"WHERE o.invoice_id = i.id AND o.id <= {int(before)})"
            )
        else:
            stored = "0"
        return bool(
            connection.connection.execute(
                f"SELECT EXISTS (SELECT 1 FROM {payments} p "
                f"JOIN {invoices} i ON i.id = p.invoice_id "
                f"WHERE p.id > {int(before)} GROUP BY p.invoice_id "
                f"HAVING sum({cents}) + max({stored}) > max(round(i.amount * 100)) "
                f"OR max(i.amount) >= {EXACT_CENTS_BELOW})"
            ).fetchone()[0]
        )

    def _history(self, before: int) -> None:
        """The "+" history row of every row written here, as TableWriter.insert writes it."""
        quote = connection.ops.quote_name
        table = self.file_writer.table
        suffix = ", ".join(_literal(value) for value in table.created_suffix)
        names = ", ".join(quote(name) for name in table.columns)
        history = ", ".join(quote(name) for name in table.history_columns)
        connection.connection.execute(
            f"INSERT INTO {quote(table.history_table)} ({history}) "
            f"SELECT {names}, {suffix} FROM {quote(table.table)} WHERE id > {int(before)} "
            "ORDER BY id"
        )


def _literal(value) -> str:
    """A value as an SQLite literal, stored as the sqlite3 module stores it bound."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, date | datetime | Decimal):
        value = str(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise NotCertain  # pragma: no cover - no other default is written
