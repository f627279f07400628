"""Text, CSV, JSON and Excel renderings of the indicator table and product mix.

Canonical text of a value (KPI.md, Output), shared by the command, the API and
the screen downloads:
- amount: a plain decimal with exactly 2 decimals (`1234.50`, `-3.00`);
- count: an integer (`12`);
- rate: the exact quotient in fixed-point notation with trailing zeros removed
  and no exponent (`0.85025`, `1`, `0.3333333333333333333333333333`), i.e. up to
  28 significant digits, never rounded to fewer;
- null: an empty CSV cell, JSON `null`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal

from salesorg.core.exports import csv_text, xlsx_append, xlsx_bytes, xlsx_workbook
from salesorg.core.money import XLSX_MONEY_FORMAT, quantize_cents
from salesorg.performance.choices import COLUMNS, Column, Level, ValueKind
from salesorg.performance.kpi.columns import (
    RATE_CONTEXT,
    IndicatorRow,
    ProductMixRow,
    indicator_fields,
)

PRODUCT_MIX_FIELDS = ["level", "code", "category", "amount", "share"]
KIND_BY_FIELD = {column.name: column.kind for column in COLUMNS} | {
    "amount": ValueKind.AMOUNT,
    "share": ValueKind.PERCENT,
}


def value_text(*, value: Decimal | int | str | None, kind: str | None) -> str | None:
    """The canonical text of a value, or None for null."""
    if value is None:
        return None
    if kind == ValueKind.AMOUNT:
        return f"{quantize_cents(value):f}"
    if kind in (ValueKind.PERCENT, ValueKind.RATIO):
        return f"{value.normalize(RATE_CONTEXT):f}"
    return str(value)


def _json_value(*, value, kind: str | None):
    if kind == ValueKind.COUNT:
        return value
    return value_text(value=value, kind=kind)


def _records(rows: Iterable, field_names: list[str]) -> list[dict]:
    return [
        {
            name: _json_value(value=getattr(row, name), kind=KIND_BY_FIELD.get(name))
            for name in field_names
        }
        for row in rows
    ]


def indicator_record_fields() -> list[str]:
    """The keys of a JSON indicator row: level, code, name, then every indicator."""
    field_names = indicator_fields()
    field_names.insert(2, "name")
    return field_names


def indicator_records(*, rows: Iterable[IndicatorRow]) -> list[dict]:
    """JSON-ready rows: amounts and rates as canonical strings, counts as integers."""
    return _records(rows, indicator_record_fields())


PRODUCT_MIX_RECORD_FIELDS = [
    "level",
    "code",
    "name",
    "category",
    "category_name",
    "amount",
    "share",
]


def product_mix_records(*, rows: Iterable[ProductMixRow]) -> list[dict]:
    """JSON-ready product mix rows (amount and share as canonical strings)."""
    return _records(rows, PRODUCT_MIX_RECORD_FIELDS)


def _csv(rows: Iterable, field_names: list[str], *, for_spreadsheet: bool = False) -> str:
    return csv_text(
        field_names,
        (
            [
                value_text(value=getattr(row, name), kind=KIND_BY_FIELD.get(name))
                for name in field_names
            ]
            for row in rows
        ),
        neutralise=for_spreadsheet,
    )


def indicator_csv(
    *,
    rows: Iterable[IndicatorRow],
    with_name: bool = False,
    columns: Iterable[str] | None = None,
    for_spreadsheet: bool = False,
) -> str:
    """The indicator table as CSV text in the format of KPI.md, Output; `columns` keeps
    only these indicators (the ones chosen on screen), in their given order. A download
    for a spreadsheet neutralises formula-looking names and codes (core.exports); the
    command's output keeps them verbatim, as KPI.md defines it."""
    field_names = indicator_record_fields() if with_name else indicator_fields()
    if columns is not None:
        field_names = [name for name in field_names if name in ("level", "code", "name")]
        field_names += list(columns)
    return _csv(rows, field_names, for_spreadsheet=for_spreadsheet)


def product_mix_csv(*, rows: Iterable[ProductMixRow]) -> str:
    """The product mix as CSV text: level, code, category, amount, share."""
    return _csv(rows, PRODUCT_MIX_FIELDS)


def as_json(*, records: list[dict]) -> str:
    """Records as pretty JSON text (non-ASCII kept readable)."""
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


XLSX_FORMATS = {
    ValueKind.AMOUNT: XLSX_MONEY_FORMAT,
    ValueKind.PERCENT: "0.00%",
    ValueKind.RATIO: "0.00",
    ValueKind.COUNT: "0",
}


def indicator_xlsx(
    *, rows: Iterable[IndicatorRow], headers: list[str], columns: Iterable[Column] = COLUMNS
) -> bytes:
    """The indicator table as an .xlsx workbook (Decimal cells, never float; nulls empty);
    `columns` are the indicators after level, code and name (all of them by default)."""
    columns = tuple(columns)
    workbook = xlsx_workbook()
    sheet = workbook.active
    sheet.title = "KPI"
    xlsx_append(sheet, headers)
    formats = {index: XLSX_FORMATS[column.kind] for index, column in enumerate(columns, start=3)}
    for row in rows:
        level = Level(row.level).label if row.level in Level.values else row.level
        values = [str(level), row.code, row.name, *(row.value(c.name) for c in columns)]
        xlsx_append(sheet, values, formats)
    sheet.freeze_panes = "D2"
    return xlsx_bytes(workbook)
