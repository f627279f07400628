"""Compact memory for an import's first pass: codes in batches, an invoice's date, amount
and line packed into one int (millions of rows fit in a few hundred megabytes)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal

BATCH_SIZE = 2000


def chunks(items: Iterable, size: int = BATCH_SIZE) -> Iterator[list]:
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


LINE_BITS, DAY_BITS = 40, 22  # line numbers below 2**40; date ordinals below 2**22
LINE_MASK, DAY_MASK = (1 << LINE_BITS) - 1, (1 << DAY_BITS) - 1


def to_cents(amount: Decimal) -> int:
    return int(amount.scaleb(2))  # exact: money has at most two decimals


def from_cents(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def pack_invoice(invoice_date: date, amount: Decimal, line: int) -> int:
    return (((to_cents(amount) << DAY_BITS) | invoice_date.toordinal()) << LINE_BITS) | line


def unpack_invoice(packed: int) -> tuple[date, Decimal, int]:
    """The date, amount and line of an invoice packed by pack_invoice."""
    line, packed = packed & LINE_MASK, packed >> LINE_BITS
    return date.fromordinal(packed & DAY_MASK), from_cents(packed >> DAY_BITS), line
