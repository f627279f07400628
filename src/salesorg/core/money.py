"""Money: Decimal amounts in CNY, quantized and formatted only at the edge."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    BigIntegerField,
    DecimalField,
    F,
    Func,
    Sum,
    Value,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import Cast, Round

CENT = Decimal("0.01")
MONEY_FIELD = DecimalField(max_digits=18, decimal_places=2)
CURRENCY_SYMBOLS = {"CNY": "¥"}
# Excel number format of a money cell: the amount stays a number, shown as ¥1,234.50.
XLSX_MONEY_FORMAT = "¥#,##0.00"


def quantize_cents(amount: Decimal) -> Decimal:
    """Round an amount to cents, half up (the way accountants round)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def format_money(amount: Decimal | int | None, currency: str = "CNY") -> str:
    """Format an amount as `¥1,234.50` (`-¥1,234.50` when negative); empty for None."""
    if amount is None:
        return ""
    value = quantize_cents(Decimal(amount))
    sign = "-" if value < 0 else ""
    symbol = CURRENCY_SYMBOLS.get(currency, currency + " ")
    return f"{sign}{symbol}{abs(value):,.2f}"


def cents(field: str) -> Combinable:
    """A money column as whole cents: integer arithmetic is exact on every database."""
    return Cast(Round(F(field) * Value(100)), BigIntegerField())


def sum_cents(field: str) -> Sum:
    """Σ of a money column in whole cents (SQLite would otherwise add decimals as floats)."""
    return Sum(cents(field), output_field=BigIntegerField())


class CentsToMoney(Func):
    """Whole cents back as a two-place amount.

    `100.0` is a numeric literal in PostgreSQL (exact) and a real in SQLite, where
    Django quantizes the result to two places when reading it, which is exact for
    any amount below 2**53 cents.
    """

    template = "(%(expressions)s / 100.0)"
    output_field = MONEY_FIELD


def cents_to_money(expression: Combinable) -> CentsToMoney:
    """An amount in whole cents back as a two-place Decimal."""
    return CentsToMoney(expression)
