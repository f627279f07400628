"""The first pass of an import: every rule of INTERCHANGE.md, checked row by row and across
files, with compact memory of what it saw (sets of codes, the few dates and amounts the
cross-file rules need; codes already in the database looked up in batches)."""

import csv
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from salesorg.interchange import staged
from salesorg.interchange.compact import (
    BATCH_SIZE,
    LINE_BITS,
    pack_invoice,
    to_cents,
    unpack_invoice,
)
from salesorg.interchange.cross_checks import CrossFileChecks, Interval
from salesorg.interchange.csvio import CsvSource, NotUtf8Error, ProgressCallback, progress_rows
from salesorg.interchange.files import FILES, FILES_BY_NAME, FileSpec, required_columns
from salesorg.interchange.report import FileReport, ProblemList
from salesorg.interchange.rows import row_parser
from salesorg.interchange.values import format_money
from salesorg.interchange.writer import FileWriter, ImportWriter
from salesorg.sales.choices import VisitKind
from salesorg.sales.models import Invoice, Payment
from salesorg.targets.choices import OwnerType

KNOWN_CODES_CACHE = 200_000
REFERENCED_FILES = {column.ref for spec in FILES for column in spec.columns if column.ref}
TARGET_OWNER_FILES = {
    OwnerType.PERSON: "people",
    OwnerType.TEAM: "teams",
    OwnerType.REGION: "regions",
}


def header_index(
    spec: FileSpec, header: list[str], problems: ProblemList | None = None
) -> tuple[dict[str, int], bool]:
    """Map column names to positions; report unknown, repeated and missing columns."""
    index: dict[str, int] = {}
    usable = True
    for position, name in enumerate(header):
        if name in index:
            usable = False
            if problems is not None:
                problems.add(
                    spec.filename,
                    1,
                    name,
                    _("The column “%(column)s” appears more than once.") % {"column": name},
                )
        elif name not in spec.by_name:
            if problems is not None:
                problems.add(
                    spec.filename,
                    1,
                    name,
                    _("Unknown column “%(column)s”; the columns of %(file)s are: %(columns)s.")
                    % {
                        "column": name,
                        "file": spec.filename,
                        "columns": ", ".join(spec.column_names),
                    },
                )
        else:
            index[name] = position
    for name in required_columns(spec):
        if name not in index:
            usable = False
            if problems is not None:
                problems.add(
                    spec.filename,
                    1,
                    name,
                    _("The required column “%(column)s” is missing.") % {"column": name},
                )
    return index, usable


class Checker(CrossFileChecks):
    """The first pass: every rule of INTERCHANGE.md, with compact memory of what it saw."""

    def __init__(self, *, problems: ProblemList, progress: ProgressCallback | None):
        self.problems = problems
        self.progress = progress
        self.codes: dict[str, set[str]] = {}
        self.known_in_db: dict[str, set[str]] = defaultdict(set)
        self.pending: dict[str, dict[str, list[tuple[str, int, str]]]] = defaultdict(dict)
        self.pending_count: dict[str, int] = defaultdict(int)
        self.deferred_managers: list[tuple[str, int]] = []
        self.memberships: dict[str, list[Interval]] = defaultdict(list)
        self.membership_keys: set[tuple[str, str, date]] = set()
        # Packed into one int each (date, amount, line): millions of invoices and payments.
        self.invoices: dict[str, int] = {}
        self.db_invoices: dict[str, tuple[date, Decimal]] = {}
        self.pending_payments: list[tuple[str, int, date]] = []
        self.payment_totals: dict[str, int] = {}
        self.payment_codes: set[str] = set()
        # Taken before anything is written: the payments stored before this import.
        self.db_had_payments = Payment.objects.exists()
        self.seen_files: set[str] = set()
        self.paths: dict[str, Path] = {}

    # -- one file ------------------------------------------------------------------------------

    def check_file(
        self, *, spec: FileSpec, path: Path, report: FileReport, writer: ImportWriter | None
    ) -> None:
        """Check every row of one file, handing the rows to `writer` while all is well."""
        self.seen_files.add(spec.name)
        self.paths[spec.name] = path
        if staged.applies(spec, writer) and staged.import_file(
            spec=spec,
            path=path,
            report=report,
            writer=writer,
            db_had_payments=self.db_had_payments,
            progress=self.progress,
        ):
            return  # checked and written set-based; later files look its codes up
        keys: set | dict = set()
        if writer is not None and spec.name in REFERENCED_FILES and spec.name != "people":
            # The writer's code → id dictionary doubles as the set of codes seen.
            keys = writer.ids[spec.name]
        file_writer = None
        with CsvSource(path) as source:
            try:
                header = source.read_header()
                if header is None:
                    self.problems.add(
                        spec.filename, 1, "", _("The file is empty: it needs a header row.")
                    )
                    return
                index, usable = header_index(spec, header, self.problems)
                if writer is not None and usable and writer.writing:
                    file_writer = writer.open_file(spec=spec, index=index, report=report)
                phase = "check" if writer is None else "write"
                rows = progress_rows(source, phase=phase, progress=self.progress)
                if usable:
                    self._check_rows(spec, index, len(header), rows, keys, file_writer)
                else:
                    for _row in rows:  # counted, not checked
                        pass
            except NotUtf8Error as error:
                self.problems.add(
                    spec.filename,
                    error.line,
                    "",
                    _("The file is not UTF-8 text (from this line on)."),
                )
            except csv.Error as error:
                self.problems.add(
                    spec.filename,
                    source.next_line,
                    "",
                    _("The file is not valid CSV: %(error)s") % {"error": error},
                )
            report.rows = source.rows_read
        if spec.name in REFERENCED_FILES:
            self.codes[spec.name] = keys
        if spec.name == "payments" and self.db_had_payments:
            self.payment_codes = keys
        if spec.name == "people":
            for manager_code, line in self.deferred_managers:
                self._reference("people", manager_code, spec.filename, line, "manager_code")
            self.deferred_managers = []
        self._flush_payments()
        self._flush_references()
        if file_writer is not None:
            file_writer.close()
            if spec.name in REFERENCED_FILES and writer.writing:
                # The written codes with their ids: keep one collection, not two.
                self.codes[spec.name] = writer.ids[spec.name]

    def _check_rows(
        self,
        spec: FileSpec,
        index: dict[str, int],
        width: int,
        rows: Iterator[tuple[int, list[str]]],
        keys: set,
        file_writer: FileWriter | None,
    ) -> None:
        """The per-row loop: parse, check the key, the references and the file's rules."""
        problems = self.problems
        parse = row_parser(spec, index)
        rules = getattr(self, f"_rules_{spec.name}", None)
        by_code = spec.key == ("code",)
        simple_refs = spec.name not in ("people", "payments")
        refs = [
            (column.name, column.ref)
            for column in spec.columns
            if column.ref is not None and column.name in index
        ]
        codes, known_in_db = self.codes, self.known_in_db
        filename = spec.filename
        add = file_writer.add if file_writer is not None else None
        add_key = keys.add if isinstance(keys, set) else keys.setdefault  # id set when written
        for line, cells in rows:
            if len(cells) > width:
                problems.add(
                    filename,
                    line,
                    "",
                    _("This row has %(cells)s values but the header has %(columns)s.")
                    % {"cells": len(cells), "columns": width},
                )
            values, errors = parse(cells)
            if errors:
                for column, reason in errors.items():
                    problems.add(filename, line, column, reason)
            if by_code:
                if "code" not in errors:
                    code = values["code"]
                    if code in keys:
                        self._duplicate_code(filename, line, code)
                    add_key(code)
            else:
                self._check_key(spec, values, errors, line, keys)
            if simple_refs:
                for name, target in refs:
                    code = values.get(name)
                    if code is not None and not (
                        code in codes.get(target, ()) or code in known_in_db[target]
                    ):
                        self._reference(target, code, filename, line, name)
            else:
                self._check_references(spec, values, line, keys)
            if rules is not None:
                rules(values, errors, line)
            if add is not None and not problems.count:
                add(values)

    def _duplicate_code(self, filename: str, line: int, code: str) -> None:
        self.problems.add(
            filename,
            line,
            "code",
            _("Duplicate code “%(code)s”: it is already used earlier in this file.")
            % {"code": code},
        )

    def _check_key(self, spec: FileSpec, values: dict, errors: dict, line: int, keys: set) -> None:
        """Refuse a second row with the same code (or match key) in one file."""
        if any(name in errors for name in spec.key):
            return
        if spec.key == ("code",):
            code = values.get("code")
            if code in keys:
                self.problems.add(
                    spec.filename,
                    line,
                    "code",
                    _("Duplicate code “%(code)s”: it is already used earlier in this file.")
                    % {"code": code},
                )
            keys.add(code)
            return
        # In targets.csv a blank owner_code is the company's.
        if any(values.get(name) is None for name in spec.key if name != "owner_code"):
            return
        key = tuple(values.get(name) or "" for name in spec.key)
        compact = self._compact_key(spec, key)
        if compact in keys:
            self.problems.add(
                spec.filename,
                line,
                spec.key[0],
                _("Duplicate row: %(key)s already appears earlier in this file.")
                % {
                    "key": ", ".join(
                        f"{name} {value or '—'}" for name, value in zip(spec.key, key, strict=True)
                    )
                },
            )
        keys.add(compact)

    def _compact_key(self, spec: FileSpec, key: tuple) -> Any:
        """The key as remembered: an order line as one int when its order's id is known."""
        # Millions of (order code, line) tuples would not fit in memory; the ids do.
        if spec.name == "order_lines":
            orders = self.codes.get("orders")
            order_id = orders.get(key[0]) if isinstance(orders, dict) else None
            if isinstance(order_id, int):
                return (order_id << 32) | key[1]
        return key

    def _check_references(self, spec: FileSpec, values: dict, line: int, keys: set) -> None:
        for column in spec.columns:
            code = values.get(column.name)
            if column.ref is None or code is None:
                continue
            if spec.name == "payments" and column.name == "invoice_code":
                continue  # checked with the invoice's date and amount in _rules_payments
            if spec.name == "people" and column.name == "manager_code":
                if code == values.get("code"):
                    self.problems.add(
                        spec.filename,
                        line,
                        column.name,
                        _("A person cannot be their own manager."),
                    )
                elif code not in keys:
                    self.deferred_managers.append((code, line))
                continue
            self._reference(column.ref, code, spec.filename, line, column.name)

    def _reference(self, target: str, code: str, file: str, line: int, column: str) -> None:
        """Check that a code exists in its file of this folder or in the database (batched)."""
        if code in self.codes.get(target, ()) or code in self.known_in_db[target]:
            return
        self.pending[target].setdefault(code, []).append((file, line, column))
        self.pending_count[target] += 1
        if self.pending_count[target] >= BATCH_SIZE:
            self._flush_reference(target)

    def _flush_references(self) -> None:
        for target in list(self.pending):
            self._flush_reference(target)

    def _flush_reference(self, target: str) -> None:
        pending = self.pending.pop(target, {})
        self.pending_count[target] = 0
        if not pending:
            return
        model = FILES_BY_NAME[target].model
        found = set(
            model._default_manager.filter(code__in=list(pending)).values_list("code", flat=True)
        )
        known = self.known_in_db[target]
        if len(known) + len(found) > KNOWN_CODES_CACHE:
            known.clear()
        known.update(found)
        for code, places in pending.items():
            if code in found:
                continue
            for file, line, column in places:
                self.problems.add(
                    file,
                    line,
                    column,
                    _("Unknown code “%(code)s”: it is neither in %(file)s nor in the database.")
                    % {"code": code, "file": FILES_BY_NAME[target].filename},
                )

    def lines_over(self, limits: dict[str, Decimal]) -> dict[str, int]:
        """For each invoice code, the line of payments.csv whose payment takes the invoice's
        payments in the file over `limit` (what the invoice leaves after stored payments)."""
        path = self.paths.get("payments")
        found: dict[str, int] = {}
        if path is None:  # pragma: no cover - an overpaid invoice has payments in the file
            return found
        spec = FILES_BY_NAME["payments"]
        running: dict[str, Decimal] = defaultdict(Decimal)
        with CsvSource(path) as source:
            try:
                index, usable = header_index(spec, source.read_header() or [])
                if not usable:  # pragma: no cover - then no payment was counted
                    return found
                parse = row_parser(spec, index)
                for line, cells in source.rows():
                    values, _errors = parse(cells)  # counted as _rules_payments counts them
                    code, amount = values.get("invoice_code"), values.get("amount")
                    if code in limits and code not in found and amount is not None:
                        running[code] += amount
                        if running[code] > limits[code]:
                            found[code] = line
            except (NotUtf8Error, csv.Error):
                pass  # reported already; the rows before it were read
        return found

    # -- rules of single rows ------------------------------------------------------------------

    def _rules_people(self, values: dict, errors: dict, line: int) -> None:
        hire, leave = values.get("hire_date"), values.get("leave_date")
        if hire and leave and leave < hire:
            self.problems.add(
                "people.csv", line, "leave_date", _("The leave date is before the hire date.")
            )

    def _rules_memberships(self, values: dict, errors: dict, line: int) -> None:
        start, end = values.get("start_date"), values.get("end_date")
        if start and end and end < start:
            self.problems.add(
                "memberships.csv", line, "end_date", _("The end date is before the start date.")
            )
            return
        person, team = values.get("person_code"), values.get("team_code")
        if person and team and start and "end_date" not in errors:
            self.memberships[person].append(Interval(start, end, team, line))
            self.membership_keys.add((person, team, start))

    def _rules_invoices(self, values: dict, errors: dict, line: int) -> None:
        invoice_date, due_date = values.get("invoice_date"), values.get("due_date")
        if invoice_date and due_date and due_date < invoice_date:
            self.problems.add(
                "invoices.csv", line, "due_date", _("The due date is before the invoice date.")
            )
        code, amount = values.get("code"), values.get("amount")
        if code and invoice_date and amount is not None:
            self.invoices[code] = pack_invoice(invoice_date, amount, line)

    def _rules_payments(self, values: dict, errors: dict, line: int) -> None:
        invoice_code = values.get("invoice_code")
        payment_date, amount = values.get("payment_date"), values.get("amount")
        if not invoice_code:
            return
        if amount is not None:
            cents = (self.payment_totals.get(invoice_code, 0) >> LINE_BITS) + to_cents(amount)
            self.payment_totals[invoice_code] = (cents << LINE_BITS) | line
        packed = self.invoices.get(invoice_code)
        known = unpack_invoice(packed) if packed is not None else None
        known = known or self.db_invoices.get(invoice_code)
        if known is not None:
            self._payment_date_check(invoice_code, known[0], line, payment_date)
        else:
            self.pending_payments.append((invoice_code, line, payment_date))
            if len(self.pending_payments) >= BATCH_SIZE:
                self._flush_payments()

    def _payment_date_check(
        self, invoice_code: str, invoice_date: date, line: int, payment_date: date | None
    ) -> None:
        if payment_date is not None and payment_date < invoice_date:
            self.problems.add(
                "payments.csv",
                line,
                "payment_date",
                _("The payment is dated before its invoice %(invoice)s of %(date)s.")
                % {"invoice": invoice_code, "date": invoice_date.isoformat()},
            )

    def _flush_payments(self) -> None:
        pending, self.pending_payments = self.pending_payments, []
        if not pending:
            return
        codes = {invoice_code for invoice_code, _line, _date in pending}
        for code, invoice_date, amount in Invoice.objects.filter(code__in=codes).values_list(
            "code", "invoice_date", "amount"
        ):
            self.db_invoices[code] = (invoice_date, amount)
        for invoice_code, line, payment_date in pending:
            if invoice_code in self.db_invoices:
                self._payment_date_check(
                    invoice_code, self.db_invoices[invoice_code][0], line, payment_date
                )
            else:
                self.problems.add(
                    "payments.csv",
                    line,
                    "invoice_code",
                    _("Unknown code “%(code)s”: it is neither in %(file)s nor in the database.")
                    % {"code": invoice_code, "file": "invoices.csv"},
                )

    def _rules_visits(self, values: dict, errors: dict, line: int) -> None:
        if (
            values.get("kind") == VisitKind.JOINT
            and not values.get("coach_code")
            and "coach_code" not in errors
        ):
            self.problems.add("visits.csv", line, "coach_code", _("A joint visit needs a coach."))

    def _rules_targets(self, values: dict, errors: dict, line: int) -> None:
        owner_type, owner_code = values.get("owner_type"), values.get("owner_code")
        if owner_type == OwnerType.COMPANY and owner_code:
            self.problems.add(
                "targets.csv",
                line,
                "owner_code",
                _("A company target has no owner: leave owner_code blank."),
            )
        elif owner_type in TARGET_OWNER_FILES and "owner_code" not in errors:
            if owner_code:
                self._reference(
                    TARGET_OWNER_FILES[owner_type], owner_code, "targets.csv", line, "owner_code"
                )
            else:
                self.problems.add("targets.csv", line, "owner_code", _("A value is required."))
        realistic, ideal = values.get("realistic"), values.get("ideal")
        if realistic is not None and ideal is not None and ideal < realistic:
            self.problems.add(
                "targets.csv",
                line,
                "ideal",
                _("The ideal target %(ideal)s is below the realistic target %(realistic)s.")
                % {"ideal": format_money(ideal), "realistic": format_money(realistic)},
            )

    # -- rules across rows, files and the database ---------------------------------------------
