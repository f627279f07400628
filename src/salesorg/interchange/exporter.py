"""The export of INTERCHANGE.md: every file, in the exact format the importer reads.

Rows are streamed from the database in a stable order (by code, or by the match key)
that is the same on SQLite and PostgreSQL (byte order of the codes), and values are
written in one canonical form, so export → import → export gives identical files.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connection
from django.db.models import F, Value
from django.db.models.functions import Coalesce, Collate

from salesorg.core.models import CalendarDay
from salesorg.interchange.csvio import Progress, ProgressCallback, open_writer
from salesorg.interchange.files import FILES, FileSpec, Kind
from salesorg.interchange.values import (
    format_boolean,
    format_date,
    format_money,
    format_quantity,
)

CHUNK_SIZE = 2000
PROGRESS_EVERY = 5000

# For each file: the query columns (in the file's column order) and the sort keys.
EXPORT_QUERIES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "regions": (("code", "name"), ("code",)),
    "teams": (("code", "name", "region__code"), ("code",)),
    "people": (
        ("code", "name", "role", "manager__code", "hire_date", "leave_date", "email"),
        ("code",),
    ),
    "memberships": (
        ("person__code", "team__code", "start_date", "end_date"),
        ("person__code", "team__code", "start_date"),
    ),
    "categories": (("code", "name", "focus"), ("code",)),
    "products": (
        ("code", "name", "category__code", "list_price", "standard_cost"),
        ("code",),
    ),
    "customers": (
        (
            "code",
            "name",
            "industry",
            "region__code",
            "owner__code",
            "created_date",
            "credit_limit",
        ),
        ("code",),
    ),
    "contacts": (
        ("code", "customer__code", "name", "title", "role", "phone", "email"),
        ("code",),
    ),
    "orders": (("code", "customer__code", "rep__code", "order_date", "status"), ("code",)),
    "order_lines": (
        ("order__code", "line_no", "product__code", "quantity", "amount", "cost"),
        ("order__code", "line_no"),
    ),
    "invoices": (
        (
            "code",
            "customer__code",
            "rep__code",
            "order__code",
            "invoice_date",
            "due_date",
            "amount",
        ),
        ("code",),
    ),
    "payments": (("code", "invoice__code", "payment_date", "amount"), ("code",)),
    "visits": (
        (
            "code",
            "rep__code",
            "customer__code",
            "visit_date",
            "kind",
            "coach__code",
            "purpose",
            "outcome",
        ),
        ("code",),
    ),
    "expenses": (("code", "rep__code", "expense_date", "category", "amount"), ("code",)),
    "targets": (
        ("owner_type", "owner_code", "year", "month", "metric", "realistic", "ideal"),
        ("owner_type", "owner_code", "year", "month", "metric"),
    ),
    "calendar": (("date", "is_workday"), ("date",)),
}
TEXT_SORT_KEYS = {"code", "person__code", "team__code", "order__code", "owner_type", "owner_code"}

FORMATTERS: dict[Kind, Callable[[Any], str]] = {
    Kind.DATE: format_date,
    Kind.MONEY: format_money,
    Kind.QUANTITY: format_quantity,
    Kind.BOOLEAN: format_boolean,
    Kind.INTEGER: lambda value: "" if value is None else str(value),
}


def interchange_export(
    *,
    folder: Path,
    user: AbstractBaseUser | None = None,
    progress: ProgressCallback | None = None,
) -> dict[str, int]:
    """Write all interchange files into a folder (only the rows `user` may see, when given)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    counts = {}
    for spec in FILES:
        counts[spec.filename] = _export_file(
            spec=spec, path=folder / spec.filename, user=user, progress=progress
        )
    return counts


def _export_file(*, spec: FileSpec, path: Path, user, progress: ProgressCallback | None) -> int:
    fields, sort_keys = EXPORT_QUERIES[spec.name]
    formatters = [FORMATTERS.get(column.kind, _text) for column in spec.columns]
    queryset = _queryset(spec, user)
    if spec.name == "targets":
        queryset = queryset.annotate(
            owner_code=Coalesce("person__code", "team__code", "region__code", Value(""))
        )
    queryset = queryset.order_by(*(_sort(key) for key in sort_keys)).values_list(*fields)
    count = 0
    stream, writer = open_writer(path)
    with stream:
        writer.writerow(spec.column_names)
        for row in queryset.iterator(chunk_size=CHUNK_SIZE):
            writer.writerow(
                [format_cell(value) for format_cell, value in zip(formatters, row, strict=True)]
            )
            count += 1
            if progress is not None and count % PROGRESS_EVERY == 0:
                progress(Progress("export", spec.filename, count, 0, 0))
    if progress is not None:
        progress(Progress("export", spec.filename, count, 0, 0, finished=True))
    return count


def _queryset(spec: FileSpec, user):
    manager = spec.model._default_manager
    if user is None or spec.model is CalendarDay:  # the calendar is the same for everyone
        return manager.all()
    return manager.visible_to(user)


def _sort(key: str):
    """Order text by its bytes on every database, so the files are the same everywhere."""
    if key not in TEXT_SORT_KEYS:
        return F(key)
    collation = "C" if connection.vendor == "postgresql" else "BINARY"
    return Collate(F(key), collation)


def _text(value: Any) -> str:
    return "" if value is None else str(value)
