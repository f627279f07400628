"""How numbers read: grouped counts, signed changes, rate changes in percentage points.

Money itself is formatted by `salesorg.core.money.format_money`; this module holds the
other figures a person reads beside it. Negative changes use the minus sign (−), not a
hyphen, so that "−43.14" cannot be read as a dash.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import get_language, pgettext

from salesorg.core.money import CENT, format_money, quantize_cents

MINUS = "\u2212"
WAN = Decimal(10_000)
YI = Decimal(100_000_000)
MILLION = Decimal(1_000_000)
THOUSAND = Decimal(1_000)


def format_number(value: Decimal | int | float | None, decimals: int = 0) -> str:
    """A figure grouped by thousands in the reader's language (25,696); empty for None."""
    if value is None:
        return ""
    quantum = Decimal(1).scaleb(-decimals)
    rounded = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    return number_format(rounded, decimals, force_grouping=True)


def _signed(text: str, negative: bool, zero: bool) -> str:
    if zero:
        return text
    return f"{MINUS if negative else '+'}{text}"


def format_pp(change: Decimal | float | None) -> str:
    """A change between two rates, in percentage points: −0.4314 → "−43.14 个百分点" / "pp"."""
    if change is None:
        return ""
    points = (Decimal(str(change)) * 100).quantize(CENT, rounding=ROUND_HALF_UP)
    text = _signed(format_number(abs(points), 2), points < 0, points == 0)
    return pgettext("percentage points after a signed number", "%(points)s pp") % {"points": text}


def format_signed_money(change: Decimal | int | None) -> str:
    """A change of an amount with its sign: +¥1,234.50 / −¥1,234.50; empty for None."""
    if change is None:
        return ""
    value = quantize_cents(Decimal(change))
    return _signed(format_money(abs(value)), value < 0, value == 0)


def format_signed_number(change: Decimal | int | None, decimals: int = 0) -> str:
    """A change of a count or ratio with its sign: +12 / −0.35; empty for None."""
    if change is None:
        return ""
    quantum = Decimal(1).scaleb(-decimals)
    value = Decimal(str(change)).quantize(quantum, rounding=ROUND_HALF_UP)
    return _signed(format_number(abs(value), decimals), value < 0, value == 0)


def format_money_short(amount: Decimal | int | None) -> str:
    """A headline or axis amount: ¥6,550.90万 / ¥1.23亿 in Chinese, ¥65.51M / ¥12.50K in English.

    Below 10,000 (Chinese) or 1,000 (English) the exact amount is shown. The exact
    figure belongs in the table or tooltip beside it.
    """
    if amount is None:
        return ""
    value = Decimal(amount)
    sign = "-" if value < 0 else ""
    size = abs(value)
    steps: tuple[tuple[Decimal, str], ...]
    if (get_language() or "").lower().startswith("zh"):
        steps = ((YI, "亿"), (WAN, "万"))
    else:
        steps = ((YI * 10, "B"), (MILLION, "M"), (THOUSAND, "K"))
    for step, suffix in steps:
        if size >= step:
            scaled = (size / step).quantize(CENT, rounding=ROUND_HALF_UP)
            return f"{sign}¥{format_number(scaled, 2)}{suffix}"
    return format_money(value)
