"""Reading and writing the cell values of interchange CSV files (INTERCHANGE.md "Values").

Each kind of value has one parser (strict: what the format allows, nothing else) and
one formatter (canonical: what export writes), so export → import → export is stable.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
NUMBER_PATTERN = re.compile(r"-?\d+(?:\.\d+)?\Z")
INTEGER_PATTERN = re.compile(r"\d+\Z")
MAX_DIGITS = 18
MONEY_PLACES = 2
QUANTITY_PLACES = 4


class CellError(ValueError):
    """A cell whose text is not a valid value of its column; the message is the reason."""


def parse_date(text: str) -> date:
    """Read a `YYYY-MM-DD` date."""
    if DATE_PATTERN.match(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise CellError(_("“%(value)s” is not a date in the form YYYY-MM-DD.") % {"value": text})


def parse_decimal(text: str, *, places: int) -> Decimal:
    """Read a non-negative decimal with at most `places` decimals (money: 2, quantities: 4)."""
    if not NUMBER_PATTERN.match(text):
        raise CellError(
            _("“%(value)s” is not a number (write it like 1234.50, without separators).")
            % {"value": text}
        )
    try:
        value = Decimal(text)
    except InvalidOperation as error:  # pragma: no cover - the pattern already excludes it
        raise CellError(_("“%(value)s” is not a number.") % {"value": text}) from error
    decimals = len(text.partition(".")[2])
    if decimals > places:
        raise CellError(
            _("“%(value)s” has more than %(places)s decimals.") % {"value": text, "places": places}
        )
    if value < 0:
        raise CellError(_("“%(value)s” is negative, which is not allowed here.") % {"value": text})
    if len(text.lstrip("-").partition(".")[0].lstrip("0")) > MAX_DIGITS - places:
        raise CellError(_("“%(value)s” is too large.") % {"value": text})
    return value


def parse_integer(text: str, *, minimum: int, maximum: int) -> int:
    """Read a whole number between minimum and maximum."""
    if not INTEGER_PATTERN.match(text):
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": text})
    value = int(text)
    if not minimum <= value <= maximum:
        raise CellError(
            _("%(value)s is out of range: expected %(minimum)s to %(maximum)s.")
            % {"value": text, "minimum": minimum, "maximum": maximum}
        )
    return value


def parse_boolean(text: str) -> bool:
    """Read a boolean written `0` or `1`."""
    if text == "1":
        return True
    if text == "0":
        return False
    raise CellError(_("“%(value)s” is not a boolean: write 0 or 1.") % {"value": text})


def parse_email(text: str) -> str:
    """Read an email address."""
    try:
        validate_email(text)
    except ValidationError as error:
        raise CellError(_("“%(value)s” is not a valid email address.") % {"value": text}) from error
    return text


def format_date(value: date | None) -> str:
    """Write a date as `YYYY-MM-DD` (blank for none)."""
    return "" if value is None else value.isoformat()


def format_money(value: Decimal | None) -> str:
    """Write money with exactly two decimals (blank for none)."""
    return "" if value is None else f"{Decimal(value):.2f}"


def format_quantity(value: Decimal | None) -> str:
    """Write a quantity without trailing zeros (`2`, `2.5`, `0.125`; blank for none)."""
    if value is None:
        return ""
    text = f"{Decimal(value):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def format_boolean(value: bool | None) -> str:
    """Write a boolean as `1` or `0`."""
    return "1" if value else "0"
