"""Reading one row of an interchange file into typed values, cell by cell."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from salesorg.interchange.files import Column, FileSpec, Kind
from salesorg.interchange.values import (
    MONEY_PLACES,
    QUANTITY_PLACES,
    CellError,
    parse_boolean,
    parse_date,
    parse_decimal,
    parse_email,
    parse_integer,
)

EMAIL_MAX_LENGTH = 254
NUL = "\x00"


def nul_reason(text: str) -> str:
    """Why a cell holding a NUL character is refused (no database of SalesOrg's keeps it).

    Lone surrogates cannot arise: strict UTF-8 decoding refuses their bytes (not UTF-8).
    """
    return _(
        "This cell holds a NUL character (at character %(position)s), which text may not contain."
    ) % {"position": text.index(NUL) + 1}


def parse_cell(spec: FileSpec, column: Column, text: str) -> Any:
    """Read the non-blank text of one cell as a value of its column."""
    kind = column.kind
    if kind in (Kind.CODE, Kind.TEXT, Kind.EMAIL):
        limit = EMAIL_MAX_LENGTH if kind is Kind.EMAIL else spec.max_length(column)
        if limit is not None and len(text) > limit:
            if kind is Kind.CODE:
                raise CellError(
                    _("Codes are 1 to %(limit)s characters long; this one has %(length)s.")
                    % {"limit": limit, "length": len(text)}
                )
            raise CellError(
                _("Too long: at most %(limit)s characters, this has %(length)s.")
                % {"limit": limit, "length": len(text)}
            )
        return parse_email(text) if kind is Kind.EMAIL else text
    if kind is Kind.CHOICE:
        if text not in column.choices.values:
            raise CellError(
                _("“%(value)s” is not a valid %(column)s; expected one of: %(choices)s.")
                % {
                    "value": text,
                    "column": column.name,
                    "choices": ", ".join(column.choices.values),
                }
            )
        return text
    if kind is Kind.DATE:
        return parse_date(text)
    if kind is Kind.MONEY:
        return parse_decimal(text, places=MONEY_PLACES)
    if kind is Kind.QUANTITY:
        return parse_decimal(text, places=QUANTITY_PLACES)
    if kind is Kind.INTEGER:
        return parse_integer(text, minimum=column.minimum, maximum=column.maximum)
    return parse_boolean(text)


def parse_row(
    spec: FileSpec, index: dict[str, int], cells: list[str]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Read a row: the values of its valid cells (None when blank) and the reasons of bad ones.

    Columns absent from the file are absent from the values.
    """
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for column in spec.columns:
        position = index.get(column.name)
        if position is None:
            continue
        text = cells[position].strip() if position < len(cells) else ""
        if NUL in text:
            errors[column.name] = nul_reason(text)
            continue
        if not text:
            if column.required:
                errors[column.name] = _("A value is required.")
            else:
                values[column.name] = None
            continue
        try:
            values[column.name] = parse_cell(spec, column, text)
        except CellError as error:
            errors[column.name] = str(error)
    return values, errors


# Money and quantities as the exporter writes them; anything else takes the full check.
PLAIN_NUMBER = {
    MONEY_PLACES: re.compile(r"\d{1,16}(?:\.\d{1,2})?\Z"),
    QUANTITY_PLACES: re.compile(r"\d{1,14}(?:\.\d{1,4})?\Z"),
}


def _decimal_parser(places: int) -> Callable[[str], Decimal]:
    plain = PLAIN_NUMBER[places].match

    def parse(text: str) -> Decimal:
        if plain(text):
            return Decimal(text)
        return parse_decimal(text, places=places)

    return parse


def cell_parser(spec: FileSpec, column: Column) -> Callable[[str], Any] | None:
    """The reader of one column's non-blank cells (None: the text is the value)."""
    kind = column.kind
    if kind is Kind.DATE:
        return parse_date
    if kind is Kind.MONEY:
        return _decimal_parser(MONEY_PLACES)
    if kind is Kind.QUANTITY:
        return _decimal_parser(QUANTITY_PLACES)
    if kind is Kind.CHOICE:
        allowed = frozenset(column.choices.values)

        def parse_choice(text: str) -> str:
            return text if text in allowed else parse_cell(spec, column, text)

        return parse_choice
    if kind in (Kind.CODE, Kind.TEXT):
        limit = spec.max_length(column)
        if limit is None:
            return None

        def parse_text(text: str) -> str:
            return text if len(text) <= limit else parse_cell(spec, column, text)

        return parse_text
    return lambda text: parse_cell(spec, column, text)


def row_parser(
    spec: FileSpec, index: dict[str, int]
) -> Callable[[list[str]], tuple[dict[str, Any], dict[str, str]]]:
    """A reader of the rows of one file with this header, doing what parse_row does, faster."""
    steps = [
        (column.name, index[column.name], column.required, cell_parser(spec, column))
        for column in spec.columns
        if column.name in index
    ]
    width = max((position for _name, position, _required, _parse in steps), default=-1) + 1
    required_message = _("A value is required.")

    def parse(cells: list[str]) -> tuple[dict[str, Any], dict[str, str]]:
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        values: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for name, position, required, parse_text in steps:
            text = cells[position].strip()
            if NUL in text:
                errors[name] = nul_reason(text)
            elif not text:
                if required:
                    errors[name] = required_message
                else:
                    values[name] = None
            elif parse_text is None:
                values[name] = text
            else:
                try:
                    values[name] = parse_text(text)
                except CellError as error:
                    errors[name] = str(error)
        return values, errors

    return parse
