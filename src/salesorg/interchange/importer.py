"""The bulk import of INTERCHANGE.md: check a whole folder and write it all or nothing.

One streaming pass over the files, in dependency order, in one transaction. Every row
is checked (keeping only compact sets and dictionaries of codes, and the few dates and
amounts the cross-file rules need; codes that refer to records already in the database
are looked up in batches) and, while no problem has been found, handed to the writer
(writer.py, bulkwrite.py), which writes it with its history record in chunks. A problem
found at any point, also by the checks that need all rows, rolls the transaction back.
Afterwards, team managers and region heads that the files cannot state are inferred
(see docs/interchange.md). A dry run only checks.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from salesorg.core.roles import Role
from salesorg.interchange import staged
from salesorg.interchange.csvio import CsvSource, NotUtf8Error, ProgressCallback, progress_rows
from salesorg.interchange.files import FILES, FILES_BY_NAME, FileSpec, required_columns
from salesorg.interchange.rows import row_parser
from salesorg.interchange.values import format_money
from salesorg.interchange.writer import FileWriter, ImportWriter
from salesorg.org.models import Membership, Region, Team
from salesorg.performance import rollups
from salesorg.sales.choices import VisitKind
from salesorg.sales.models import Invoice, Payment
from salesorg.targets.choices import OwnerType

BATCH_SIZE = 2000
MAX_PROBLEMS = 100
CHANGE_REASON = "interchange import"
KNOWN_CODES_CACHE = 200_000

FILE_ORDER = {spec.filename: position for position, spec in enumerate(FILES)}
REFERENCED_FILES = {column.ref for spec in FILES for column in spec.columns if column.ref}
TARGET_OWNER_FILES = {
    OwnerType.PERSON: "people",
    OwnerType.TEAM: "teams",
    OwnerType.REGION: "regions",
}


@dataclass(frozen=True)
class Problem:
    """Something wrong in the folder: where (file, line, column) and why."""

    file: str
    line: int | None
    column: str
    reason: str

    def __str__(self) -> str:
        where = [self.file] if self.file else []
        if self.line is not None:
            where.append(_("line %(line)s") % {"line": self.line})
        if self.column:
            where.append(_("column %(column)s") % {"column": self.column})
        return f"{', '.join(where)}: {self.reason}" if where else self.reason


class ProblemList:
    """The problems found so far: the first MAX_PROBLEMS by position, and a count of all."""

    def __init__(self) -> None:
        self.count = 0
        self._kept: list[tuple[tuple, Problem]] = []

    def add(self, file: str, line: int | None, column: str, reason: str) -> None:
        self.count += 1
        position = (FILE_ORDER.get(file, -1), line or 0, self.count)
        self._kept.append((position, Problem(file, line, column, reason)))
        if len(self._kept) > 10 * MAX_PROBLEMS:
            self._kept = sorted(self._kept, key=lambda item: item[0])[:MAX_PROBLEMS]

    def first(self) -> list[Problem]:
        return [problem for _pos, problem in sorted(self._kept, key=lambda item: item[0])][
            :MAX_PROBLEMS
        ]


@dataclass
class FileReport:
    """What the import did (or, in a dry run, checked) in one file."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportResult:
    """The outcome of an import: the problems, or what was written per file."""

    dry_run: bool
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    files: dict[str, FileReport] = field(default_factory=dict)
    ignored_files: list[str] = field(default_factory=list)
    inferred_team_managers: int = 0
    inferred_region_heads: int = 0

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    @property
    def more_problems(self) -> int:
        return self.problem_count - len(self.problems)


def interchange_import(
    *,
    folder: Path,
    dry_run: bool = False,
    user: AbstractBaseUser | None = None,
    progress: ProgressCallback | None = None,
) -> ImportResult:
    """Check a folder of interchange files and, unless it is a dry run, import it all or nothing."""
    folder = Path(folder)
    if not folder.is_dir():
        raise NotADirectoryError(folder)
    present = [spec for spec in FILES if (folder / spec.filename).is_file()]
    result = ImportResult(
        dry_run=dry_run,
        ignored_files=sorted(
            path.name
            for path in folder.iterdir()
            if path.suffix.lower() == ".csv" and path.name not in FILE_ORDER
        ),
    )
    problems = ProblemList()
    if not present:
        problems.add("", None, "", _("The folder holds none of the interchange files."))
    checker = _Checker(problems=problems, progress=progress)
    if dry_run or problems.count:
        _check_all(checker, folder, present, result, writer=None)
    else:
        _import_all(checker, folder, present, result, user=user)
    if problems.count:
        for report in result.files.values():
            report.created = report.updated = report.unchanged = 0
    result.problems = problems.first()
    result.problem_count = problems.count
    return result


def _check_all(checker, folder: Path, present, result: ImportResult, *, writer) -> None:
    last_use = _last_use(present)
    for position, spec in enumerate(present):
        report = result.files[spec.filename] = FileReport()
        checker.check_file(spec=spec, path=folder / spec.filename, report=report, writer=writer)
        for target, last in last_use.items():
            if last == position:  # no later file refers to these codes: free them
                checker.codes.pop(target, None)
                checker.known_in_db.pop(target, None)
                if writer is not None:
                    writer.ids.pop(target, None)
    checker.check_across_files()


def _last_use(present: list[FileSpec]) -> dict[str, int]:
    """For each referenced file, the position of the last present file that refers to it."""
    last: dict[str, int] = {}
    for position, spec in enumerate(present):
        for column in spec.columns:
            if column.ref is not None:
                last[column.ref] = position
        if spec.name == "targets":
            for target in TARGET_OWNER_FILES.values():
                last[target] = position
    return last


class _Rollback(Exception):
    """Problems were found after writing began: undo everything."""


def _import_all(checker, folder: Path, present, result: ImportResult, *, user) -> None:
    """Check and write in one pass, in one transaction that problems roll back."""
    # Rows are written as soon as they pass their own checks, while no problem has been
    # found; the checks that need later rows or files (unknown codes looked up in
    # batches, overlaps, payment totals) may still find one, which rolls everything back.
    problems = checker.problems
    user = user if getattr(user, "is_authenticated", False) else None
    writer = ImportWriter(user_id=user.pk if user else None, problems=problems)
    try:
        with transaction.atomic(), rollups.appending() as batch:
            with writer.streaming():
                _check_all(checker, folder, present, result, writer=writer)
            if problems.count:
                raise _Rollback
            if writer.unresolved:
                raise _WriteError(_("A reference could not be resolved."))
            if writer.changed_facts:
                batch.changed_existing()
            writer.current_file = ""
            result.inferred_team_managers, result.inferred_region_heads = _infer_leaders(user=user)
    except _Rollback:
        pass
    except (DatabaseError, _WriteError) as error:
        problems.add(
            writer.current_file,
            None,
            "",
            _("The database refused the data, nothing was written: %(error)s") % {"error": error},
        )
    finally:
        if connection.vendor == "postgresql" and connection.in_atomic_block:
            writer.set_constraints(deferred=True)  # as Django declares them, for the caller


def _chunks(items: Iterable, size: int = BATCH_SIZE) -> Iterator[list]:
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _header_index(
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


@dataclass
class _Interval:
    start: date
    end: date | None
    team: str
    line: int | None  # None: already in the database


class _Checker:
    """The first pass: every rule of INTERCHANGE.md, with compact memory of what it saw."""

    def __init__(self, *, problems: ProblemList, progress: ProgressCallback | None):
        self.problems = problems
        self.progress = progress
        self.codes: dict[str, set[str]] = {}
        self.known_in_db: dict[str, set[str]] = defaultdict(set)
        self.pending: dict[str, dict[str, list[tuple[str, int, str]]]] = defaultdict(dict)
        self.pending_count: dict[str, int] = defaultdict(int)
        self.deferred_managers: list[tuple[str, int]] = []
        self.memberships: dict[str, list[_Interval]] = defaultdict(list)
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

    # -- one file ------------------------------------------------------------------------------

    def check_file(
        self, *, spec: FileSpec, path: Path, report: FileReport, writer: ImportWriter | None
    ) -> None:
        """Check every row of one file, handing the rows to `writer` while all is well."""
        self.seen_files.add(spec.name)
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
                index, usable = _header_index(spec, header, self.problems)
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
            self.memberships[person].append(_Interval(start, end, team, line))
            self.membership_keys.add((person, team, start))

    def _rules_invoices(self, values: dict, errors: dict, line: int) -> None:
        invoice_date, due_date = values.get("invoice_date"), values.get("due_date")
        if invoice_date and due_date and due_date < invoice_date:
            self.problems.add(
                "invoices.csv", line, "due_date", _("The due date is before the invoice date.")
            )
        code, amount = values.get("code"), values.get("amount")
        if code and invoice_date and amount is not None:
            self.invoices[code] = _pack_invoice(invoice_date, amount, line)

    def _rules_payments(self, values: dict, errors: dict, line: int) -> None:
        invoice_code = values.get("invoice_code")
        payment_date, amount = values.get("payment_date"), values.get("amount")
        if not invoice_code:
            return
        if amount is not None:
            cents = (self.payment_totals.get(invoice_code, 0) >> LINE_BITS) + _cents(amount)
            self.payment_totals[invoice_code] = (cents << LINE_BITS) | line
        packed = self.invoices.get(invoice_code)
        known = _unpack_invoice(packed) if packed is not None else None
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

    def check_across_files(self) -> None:
        """Check the rules that need all rows: overlapping memberships and payment totals."""
        self._check_membership_overlaps()
        self._check_payment_totals()

    def _check_membership_overlaps(self) -> None:
        for chunk in _chunks(sorted(self.memberships)):
            in_db: dict[str, list[_Interval]] = defaultdict(list)
            for person, team, start, end in Membership.objects.filter(
                person__code__in=chunk
            ).values_list("person__code", "team__code", "start_date", "end_date"):
                if (person, team, start) not in self.membership_keys:
                    in_db[person].append(_Interval(start, end, team, None))
            for person in chunk:
                self._report_overlaps(person, self.memberships[person] + in_db[person])

    def _report_overlaps(self, person: str, intervals: list[_Interval]) -> None:
        intervals.sort(key=lambda interval: (interval.start, interval.line or 0))
        furthest: _Interval | None = None
        for interval in intervals:
            if furthest is not None and (furthest.end is None or interval.start <= furthest.end):
                here, other = (interval, furthest) if interval.line else (furthest, interval)
                if here.line is not None:
                    where = (
                        _("line %(line)s") % {"line": other.line}
                        if other.line
                        else _("already in the database")
                    )
                    self.problems.add(
                        "memberships.csv",
                        here.line,
                        "start_date",
                        _(
                            "This membership of %(person)s overlaps another: team %(team)s "
                            "from %(start)s (%(where)s)."
                        )
                        % {
                            "person": person,
                            "team": other.team,
                            "start": other.start.isoformat(),
                            "where": where,
                        },
                    )
            if furthest is None or (
                furthest.end is not None and (interval.end is None or interval.end > furthest.end)
            ):
                furthest = interval

    def _check_payment_totals(self) -> None:
        if not self.payment_totals and not self.invoices:
            return
        db_has_payments = self.db_had_payments
        candidates = set(self.payment_totals)
        if db_has_payments:
            candidates |= set(self.invoices)
        for chunk in _chunks(sorted(candidates)):
            in_db: dict[str, list[tuple[str, date, Decimal]]] = defaultdict(list)
            if db_has_payments:
                # Invoices by code, then payments by invoice id: both through an index
                # (a join on the code lets the planner scan all payments of a big database).
                invoice_codes = dict(
                    Invoice.objects.filter(code__in=chunk).order_by().values_list("id", "code")
                )
                for code, invoice_id, payment_date, amount in _payments_of(list(invoice_codes)):
                    if code not in self.payment_codes:
                        in_db[invoice_codes[invoice_id]].append((code, payment_date, amount))
            for invoice_code in chunk:
                self._check_invoice_payments(invoice_code, in_db[invoice_code])

    def _check_invoice_payments(
        self, invoice_code: str, in_db: list[tuple[str, date, Decimal]]
    ) -> None:
        packed_invoice = self.invoices.get(invoice_code)
        if packed_invoice is not None:
            invoice_date, invoice_amount, invoice_line = _unpack_invoice(packed_invoice)
        elif invoice_code in self.db_invoices:
            invoice_date, invoice_amount = self.db_invoices[invoice_code]
            invoice_line = None
        else:
            return  # an unknown invoice, already reported
        packed = self.payment_totals.get(invoice_code)
        file_total = Decimal(0) if packed is None else _money(packed >> LINE_BITS)
        last_line = None if packed is None else packed & LINE_MASK
        total = file_total + sum((amount for _code, _date, amount in in_db), Decimal(0))
        if total > invoice_amount:
            message = _(
                "Payments on invoice %(invoice)s add up to %(total)s, more than the invoice "
                "amount %(amount)s."
            ) % {
                "invoice": invoice_code,
                "total": format_money(total),
                "amount": format_money(invoice_amount),
            }
            if last_line is not None:
                self.problems.add("payments.csv", last_line, "amount", message)
            else:
                self.problems.add("invoices.csv", invoice_line, "amount", message)
        if invoice_line is not None:
            early = [code for code, payment_date, _amount in in_db if payment_date < invoice_date]
            if early:
                self.problems.add(
                    "invoices.csv",
                    invoice_line,
                    "invoice_date",
                    _("Payment %(payment)s in the database is dated before this invoice date.")
                    % {"payment": early[0]},
                )


def _payments_of(invoice_ids: list[int]) -> list[tuple[str, int, date, Decimal]]:
    """Code, invoice id, date and amount of the stored payments of some invoices."""
    if connection.vendor != "postgresql":
        return list(
            Payment.objects.filter(invoice_id__in=invoice_ids)
            .order_by()
            .values_list("code", "invoice_id", "payment_date", "amount")
        )
    # With `IN (…)` or a join the planner expects a large share of millions of payments
    # and scans them all, once per batch; a lateral subquery per id (kept apart from
    # the join by OFFSET 0) goes by the index.
    table = connection.ops.quote_name(Payment._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.code, p.invoice_id, p.payment_date, p.amount "
            "FROM unnest(%s::bigint[]) AS k(invoice_id) CROSS JOIN LATERAL "
            f"(SELECT * FROM {table} WHERE invoice_id = k.invoice_id OFFSET 0) AS p",
            [invoice_ids],
        )
        return cursor.fetchall()


LINE_BITS, DAY_BITS = 40, 22  # line numbers below 2**40; date ordinals below 2**22
LINE_MASK, DAY_MASK = (1 << LINE_BITS) - 1, (1 << DAY_BITS) - 1


def _cents(amount: Decimal) -> int:
    return int(amount.scaleb(2))  # exact: money has at most two decimals


def _money(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def _pack_invoice(invoice_date: date, amount: Decimal, line: int) -> int:
    return (((_cents(amount) << DAY_BITS) | invoice_date.toordinal()) << LINE_BITS) | line


def _unpack_invoice(packed: int) -> tuple[date, Decimal, int]:
    """The date, amount and line of an invoice packed by _pack_invoice."""
    line, packed = packed & LINE_MASK, packed >> LINE_BITS
    return date.fromordinal(packed & DAY_MASK), _money(packed >> DAY_BITS), line


class _WriteError(Exception):
    """A reference vanished between its check and its write."""


def _infer_leaders(*, user: AbstractBaseUser | None = None) -> tuple[int, int]:
    """Fill in team managers and region heads that the files cannot state; return the counts."""
    # A team without a manager gets the only current member whose role is manager; a
    # region without a head gets the common manager of its teams' managers, when that
    # person is a region head (docs/interchange.md).
    history_user = user if getattr(user, "is_authenticated", False) else None
    today = timezone.localdate()
    candidates: dict[int, set[int]] = defaultdict(set)
    for team_id, person_id in (
        Membership.objects.current(today)
        .filter(team__manager__isnull=True, person__role=Role.MANAGER)
        .values_list("team_id", "person_id")
    ):
        candidates[team_id].add(person_id)
    teams = list(Team.objects.filter(id__in=[t for t, ids in candidates.items() if len(ids) == 1]))
    for team in teams:
        team.manager_id = next(iter(candidates[team.id]))
    if teams:
        bulk_update_with_history(
            teams,
            Team,
            fields=["manager"],
            default_user=history_user,
            default_change_reason=CHANGE_REASON,
        )
    heads: dict[int, set] = defaultdict(set)
    for region_id, boss_id, boss_role in Team.objects.filter(
        region__head__isnull=True, manager__isnull=False
    ).values_list("region_id", "manager__manager_id", "manager__manager__role"):
        heads[region_id].add((boss_id, boss_role))
    regions = list(
        Region.objects.filter(
            id__in=[
                region_id
                for region_id, bosses in heads.items()
                if len(bosses) == 1 and next(iter(bosses))[1] == Role.REGION_HEAD
            ]
        )
    )
    for region in regions:
        region.head_id = next(iter(heads[region.id]))[0]
    if regions:
        bulk_update_with_history(
            regions,
            Region,
            fields=["head"],
            default_user=history_user,
            default_change_reason=CHANGE_REASON,
        )
    return len(teams), len(regions)
