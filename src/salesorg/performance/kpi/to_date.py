"""A running period's figures compared like for like: against targets pro-rated to date.

The engine's figures stay exact and whole-period (KPI.md); this module adds, for a
period that has not ended, the targets due by today (pro-rated by working days elapsed,
`periods.PeriodProgress.prorate`) and the achievement against them. Pages, scorecards
and reports that judge a running period read these, never the whole-period rates.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Context, Decimal

from django.utils.translation import gettext_lazy as _

from salesorg.performance.choices import Column, ValueKind
from salesorg.performance.kpi.columns import IndicatorRow
from salesorg.performance.kpi.periods import PeriodProgress

RATE_CONTEXT = Context(prec=28)

# Each pro-rated target column and the rate computed against it: (target, actual, rate).
PRORATED: tuple[tuple[str, str, str], ...] = (
    ("sales_target", "sales", "sales_achievement"),
    ("sales_target_ideal", "sales", "sales_achievement_ideal"),
    ("gm_target", "gross_margin", "gm_achievement"),
    ("gm_target_ideal", "gross_margin", "gm_achievement_ideal"),
    ("expense_budget", "expenses", "expense_ratio"),
)


def rate(*, actual: Decimal, target: Decimal | None) -> Decimal | None:
    """actual / target exactly, or None without a target (or a zero one)."""
    if target is None or target == 0:
        return None
    return RATE_CONTEXT.divide(Decimal(actual), Decimal(target))


@dataclass(frozen=True)
class ToDate:
    """One unit's targets due by today and its achievement against them."""

    sales_target: Decimal | None
    sales_target_ideal: Decimal | None
    sales_achievement: Decimal | None
    sales_achievement_ideal: Decimal | None
    gm_target: Decimal | None
    gm_target_ideal: Decimal | None
    gm_achievement: Decimal | None
    gm_achievement_ideal: Decimal | None
    expense_budget: Decimal | None
    expense_ratio: Decimal | None


def to_date(*, row: IndicatorRow, progress: PeriodProgress) -> ToDate:
    """A row's targets pro-rated to `progress.as_of` and the rates against them.

    For a period that has ended (or not started) these are the engine's own figures.
    """
    values: dict[str, Decimal | None] = {}
    for target_column, actual_column, rate_column in PRORATED:
        if not progress.running:
            values[target_column] = row.value(target_column)
            values[rate_column] = row.value(rate_column)
            continue
        target = progress.prorate(row.value(target_column))
        values[target_column] = target
        values[rate_column] = rate(actual=row.value(actual_column), target=target)
    return ToDate(**values)


def row_to_date(*, row: IndicatorRow, progress: PeriodProgress) -> IndicatorRow:
    """The row with its targets and target-based rates pro-rated to date (for scoring)."""
    if not progress.running:
        return row
    return dataclasses.replace(row, **dataclasses.asdict(to_date(row=row, progress=progress)))


# The indicator screen: each row with its figures due to date ----------------------------

TO_DATE_COLUMNS: tuple[Column, ...] = (
    Column("sales_target_to_date", ValueKind.AMOUNT, _("Sales target to date")),
    Column("sales_achievement_to_date", ValueKind.PERCENT, _("Sales achievement to date")),
    Column("gm_target_to_date", ValueKind.AMOUNT, _("Gross margin target to date")),
    Column("gm_achievement_to_date", ValueKind.PERCENT, _("Gross margin achievement to date")),
)
# The engine's column each figure due to date stands under on screen.
TO_DATE_OF = {
    "sales_target": "sales_target",
    "sales_achievement": "sales_achievement",
    "gm_target": "gm_target",
    "gm_achievement": "gm_achievement",
}
SUFFIX = "_to_date"


@dataclass(frozen=True)
class RowToDate:
    """An indicator row of a running period with its targets due to date beside it."""

    row: IndicatorRow
    due: ToDate

    def __getattr__(self, name: str):
        return getattr(self.row, name)

    def value(self, column: str):
        """The engine's value of a column, or a figure due to date ("…_to_date")."""
        if column.endswith(SUFFIX):
            return getattr(self.due, column.removesuffix(SUFFIX))
        return self.row.value(column)

    def due_under(self, column: str):
        """The figure due to date shown under an engine column, or None."""
        name = TO_DATE_OF.get(column)
        return None if name is None else getattr(self.due, name)


def rows_to_date(*, rows: list[IndicatorRow], progress: PeriodProgress) -> list[RowToDate]:
    """Each row with its targets pro-rated to date and the achievement against them."""
    return [RowToDate(row=row, due=to_date(row=row, progress=progress)) for row in rows]
