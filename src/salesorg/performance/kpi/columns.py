"""The indicator table's shape: column groups on screen, columns per fact family, row types."""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Context, Decimal

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from salesorg.performance.choices import COLUMN_BY_NAME, COLUMNS, Column, Facts
from salesorg.performance.kpi.periods import Period

RATE_CONTEXT = Context(prec=28)


@dataclass(frozen=True)
class ColumnGroup:
    """A heading over indicator columns on screen, and the columns it shows by default."""

    name: str
    label: Promise
    columns: tuple[str, ...]
    default: tuple[str, ...]

    @property
    def members(self) -> tuple[Column, ...]:
        """The group's columns, in screen order."""
        return tuple(COLUMN_BY_NAME[name] for name in self.columns)


# The indicator screen's column groups, in screen order (the export order is COLUMNS'):
# sales · margin · receivables · activity · customers · expenses. `default` is what a
# person sees until they choose their own columns.
COLUMN_GROUPS: tuple[ColumnGroup, ...] = (
    ColumnGroup(
        "sales",
        pgettext_lazy("indicator group", "Sales"),
        (
            "sales",
            "sales_target",
            "sales_achievement",
            "sales_target_ideal",
            "sales_achievement_ideal",
            "focus_share",
        ),
        ("sales", "sales_target", "sales_achievement"),
    ),
    ColumnGroup(
        "margin",
        pgettext_lazy("indicator group", "Margin"),
        ("gross_margin", "gm_target", "gm_achievement", "gm_target_ideal", "gm_achievement_ideal"),
        ("gross_margin", "gm_achievement"),
    ),
    ColumnGroup(
        "receivables",
        pgettext_lazy("indicator group", "Receivables"),
        ("ar_opening", "invoiced", "collected", "collection_rate"),
        ("collected", "collection_rate"),
    ),
    ColumnGroup(
        "activity",
        pgettext_lazy("indicator group", "Activity"),
        ("visits", "service_calls", "workdays", "visits_per_workday"),
        ("visits", "visits_per_workday"),
    ),
    ColumnGroup(
        "customers",
        pgettext_lazy("indicator group", "Customers"),
        ("customers", "new_customers", "prospects_added", "industries"),
        ("customers", "new_customers"),
    ),
    ColumnGroup(
        "expenses",
        pgettext_lazy("indicator group", "Expenses"),
        ("expenses", "expense_budget", "expense_ratio"),
        ("expense_ratio",),
    ),
)


# Every column is in exactly one group, and a group's defaults are its own columns.
assert sorted(c for group in COLUMN_GROUPS for c in group.columns) == sorted(COLUMN_BY_NAME)


assert all(set(group.default) <= set(group.columns) for group in COLUMN_GROUPS)


SCREEN_COLUMNS: tuple[Column, ...] = tuple(c for group in COLUMN_GROUPS for c in group.members)


DEFAULT_COLUMNS = frozenset(c for group in COLUMN_GROUPS for c in group.default)


TARGET_COLUMNS = frozenset(
    {
        "sales_target",
        "sales_target_ideal",
        "sales_achievement",
        "sales_achievement_ideal",
        "gm_target",
        "gm_target_ideal",
        "gm_achievement",
        "gm_achievement_ideal",
        "expense_budget",
        "expense_ratio",
    }
)


# The fact families the table is computed from, and the columns each one fills. A
# caller that shows some columns only (a dashboard) asks for their families: the
# others are neither read nor computed, and their columns are None.
SALES, RECEIVABLES, VISITS, CUSTOMERS, EXPENSES = (
    Facts.SALES,
    Facts.RECEIVABLES,
    Facts.VISITS,
    Facts.CUSTOMERS,
    Facts.EXPENSES,
)


ALL_FACTS = frozenset(Facts)


EXPENSE_TARGET_COLUMNS = frozenset({"expense_budget", "expense_ratio"})


FACT_COLUMNS: dict[str, frozenset[str]] = {
    SALES: frozenset({"sales", "gross_margin", "focus_share"})
    | (TARGET_COLUMNS - EXPENSE_TARGET_COLUMNS),
    RECEIVABLES: frozenset({"ar_opening", "invoiced", "collected", "collection_rate"}),
    VISITS: frozenset({"visits", "service_calls", "workdays", "visits_per_workday"}),
    CUSTOMERS: frozenset({"customers", "new_customers", "prospects_added", "industries"}),
    EXPENSES: frozenset({"expenses"}) | EXPENSE_TARGET_COLUMNS,
}


# Every column belongs to exactly one family.
assert sorted(c for columns in FACT_COLUMNS.values() for c in columns) == sorted(COLUMN_BY_NAME)


Amount = Decimal


Rate = Decimal | None


@dataclass(frozen=True)
class IndicatorRow:
    """One unit's indicators for a period; None means null (no target, zero denominator)."""

    level: str
    code: str
    name: str
    sales: Amount
    gross_margin: Amount
    sales_target: Amount | None
    sales_target_ideal: Amount | None
    sales_achievement: Rate
    sales_achievement_ideal: Rate
    gm_target: Amount | None
    gm_target_ideal: Amount | None
    gm_achievement: Rate
    gm_achievement_ideal: Rate
    ar_opening: Amount
    invoiced: Amount
    collected: Amount
    collection_rate: Rate
    visits: int
    service_calls: int
    workdays: int
    visits_per_workday: Rate
    customers: int
    new_customers: int
    prospects_added: int
    industries: int
    focus_share: Rate
    expenses: Amount
    expense_budget: Amount | None
    expense_ratio: Rate

    def value(self, column: str) -> Decimal | int | str | None:
        """The value of a column by name."""
        return getattr(self, column)


@dataclass(frozen=True)
class IndicatorTable:
    """The indicator table of a period; `targets_available` is False unless P is whole months."""

    period: Period
    level: str
    rows: list[IndicatorRow]
    targets_available: bool


@dataclass(frozen=True)
class ProductMixRow:
    """A unit's confirmed sales in one category and its share of the unit's sales."""

    level: str
    code: str
    name: str
    category: str
    category_name: str
    amount: Amount
    share: Rate


def money(*, cents: int) -> Decimal:
    """Whole cents as a 2-decimal amount (exact: only the exponent moves)."""
    return Decimal(int(cents)).scaleb(-2, RATE_CONTEXT)


def ratio(*, numerator: int, denominator: int | None) -> Rate:
    """numerator / denominator exactly (28 digits), or None when the denominator is 0 or None."""
    if denominator is None or denominator == 0:
        return None
    return RATE_CONTEXT.divide(Decimal(numerator), Decimal(denominator))


def indicator_fields() -> list[str]:
    """The export columns of the table: level, code, then every indicator (KPI.md, Output)."""
    names = [f.name for f in fields(IndicatorRow) if f.name not in ("level", "code", "name")]
    assert names == [column.name for column in COLUMNS]
    return ["level", "code", *names]
