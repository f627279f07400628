"""Reading one row of an interchange file into typed values, cell by cell."""

from __future__ import annotations

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
