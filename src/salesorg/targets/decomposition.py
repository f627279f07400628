"""Decomposition arithmetic: split a whole into parts that add up to it exactly.

Everything works in whole units (cents for money, 1 for counts), so sums are exact.
Parts are proportional to weights; the units left over after rounding down go to the
parts with the largest remainders (ties to the earlier part), so the result is
deterministic. Weights that are all zero fall back to an even split (a split by history
without history never gets here: the decomposition service refuses it, see `targets.history`).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from salesorg.targets.choices import Metric

# Metrics counted in whole numbers; every other metric is an amount in yuan to the cent.
COUNT_METRICS = frozenset({Metric.NEW_CUSTOMERS, Metric.PROSPECTS_ADDED, Metric.VISITS})
QUARTERS = ((1, 2, 3), (4, 5, 6), (7, 8, 9), (10, 11, 12))

Weight = int | Decimal | Fraction


def is_count(metric: str) -> bool:
    """Is the metric a whole-number count (not an amount)?"""
    return metric in COUNT_METRICS


def to_units(*, value: Decimal, metric: str) -> int:
    """An amount as whole cents, a count as a whole number (values are exact already)."""
    scaled = value if is_count(metric) else value * 100
    units = int(scaled)
    if units != scaled:
        raise ValueError(f"{value} is not a whole number of units for {metric}")
    return units


def from_units(*, units: int, metric: str) -> Decimal:
    """Whole units back as a Decimal with two places (a count has .00)."""
    if is_count(metric):
        return Decimal(units).quantize(Decimal("0.01"))
    return (Decimal(units) / 100).quantize(Decimal("0.01"))


def split_by_weights(*, total: int, weights: Sequence[Weight]) -> list[int]:
    """Split `total` into len(weights) non-negative parts proportional to the weights,
    adding up to `total` exactly (largest remainder, ties by order; all zero → even)."""
    if total < 0:
        raise ValueError("cannot split a negative total")
    if not weights:
        raise ValueError("cannot split into no parts")
    exact = [Fraction(weight) for weight in weights]
    if any(weight < 0 for weight in exact):
        raise ValueError("weights cannot be negative")
    weight_sum = sum(exact)
    if weight_sum == 0:
        exact, weight_sum = [Fraction(1)] * len(exact), Fraction(len(exact))
    quotas = [total * weight / weight_sum for weight in exact]
    parts = [quota.numerator // quota.denominator for quota in quotas]
    left = total - sum(parts)
    by_remainder = sorted(range(len(parts)), key=lambda i: (-(quotas[i] - parts[i]), i))
    for index in by_remainder[:left]:
        parts[index] += 1
    return parts


def split_evenly(*, total: int, count: int) -> list[int]:
    """Split `total` into `count` parts as equal as possible (earlier parts get the extra)."""
    return split_by_weights(total=total, weights=[1] * count)


def split_by_hand(*, total: int, parts: Sequence[int]) -> list[int]:
    """Accept parts given by hand only if they are non-negative and add up to `total`."""
    if any(part < 0 for part in parts):
        raise ValueError("parts cannot be negative")
    if sum(parts) != total:
        raise ValueError(f"the parts add up to {sum(parts)}, not {total}")
    return list(parts)


def year_to_quarters(*, total: int, monthly_weights: Sequence[Weight]) -> list[int]:
    """Split a year into its 4 quarters by the quarters' share of the 12 monthly weights."""
    if len(monthly_weights) != 12:
        raise ValueError("twelve monthly weights are needed")
    weights = [sum(Fraction(monthly_weights[m - 1]) for m in quarter) for quarter in QUARTERS]
    return split_by_weights(total=total, weights=weights)


def year_to_months(*, total: int, monthly_weights: Sequence[Weight]) -> list[int]:
    """Split a year into quarters, then each quarter into its 3 months, by the weights."""
    quarters = year_to_quarters(total=total, monthly_weights=monthly_weights)
    if sum(Fraction(weight) for weight in monthly_weights) == 0:
        monthly_weights = [1] * 12
    months: list[int] = []
    for quarter_total, quarter in zip(quarters, QUARTERS, strict=True):
        weights = [monthly_weights[m - 1] for m in quarter]
        months += split_by_weights(total=quarter_total, weights=weights)
    return months


def split_pair(*, realistic: int, ideal: int, split, **kwargs) -> tuple[list[int], list[int]]:
    """Split a realistic and an ideal total the same way, every ideal part ≥ its realistic
    part: the realistic total is split, then the stretch (ideal − realistic) on top."""
    if ideal < realistic:
        raise ValueError("the ideal total is below the realistic one")
    realistic_parts = split(total=realistic, **kwargs)
    stretch = split(total=ideal - realistic, **kwargs)
    return realistic_parts, [r + s for r, s in zip(realistic_parts, stretch, strict=True)]


def allocate_table(*, row_totals: Sequence[int], column_totals: Sequence[int]) -> list[list[int]]:
    """A non-negative whole table whose rows and columns add up to the given totals exactly.

    Each column is split among the rows by the row totals (so every row follows the
    columns' profile); then single units move within a column from rows above their total
    to rows below it until every row adds up. Both sums must be equal.
    """
    if sum(row_totals) != sum(column_totals):
        raise ValueError("row and column totals differ")
    if any(total < 0 for total in (*row_totals, *column_totals)):
        raise ValueError("totals cannot be negative")
    rows = len(row_totals)
    if rows == 0:
        return []
    columns = [
        split_by_weights(total=column_total, weights=row_totals) for column_total in column_totals
    ]
    table = [[columns[c][r] for c in range(len(column_totals))] for r in range(rows)]
    surplus = [sum(table[r]) - row_totals[r] for r in range(rows)]
    for giver in range(rows):
        for taker in range(rows):
            column = 0
            while surplus[giver] > 0 and surplus[taker] < 0 and column < len(column_totals):
                move = min(surplus[giver], -surplus[taker], table[giver][column])
                if move:
                    table[giver][column] -= move
                    table[taker][column] += move
                    surplus[giver] -= move
                    surplus[taker] += move
                column += 1
    assert all(value == 0 for value in surplus), "unbalanced table"
    return table
