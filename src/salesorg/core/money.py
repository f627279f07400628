"""Money: Decimal amounts in CNY, quantized and formatted only at the edge."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
CURRENCY_SYMBOLS = {"CNY": "¥"}


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
