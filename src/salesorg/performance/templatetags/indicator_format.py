"""Template filters of the indicator screen: values by column, percentages, ratios."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format

from salesorg.performance.choices import Level

register = template.Library()

HUNDREDTH = Decimal("0.01")


@register.filter
def indicator_value(row, column: str):
    """A row's value of a column: {{ row|indicator_value:column.name }}."""
    return row.value(column)


@register.filter
def percent(rate: Decimal | None) -> str:
    """A rate as a percentage with 2 decimals (0.85025 → 85.03%); empty for null."""
    if rate is None:
        return ""
    value = (rate * 100).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)
    return f"{number_format(value, 2)}%"


@register.filter
def ratio(rate: Decimal | None) -> str:
    """A plain ratio with 2 decimals (visits per workday); empty for null."""
    if rate is None:
        return ""
    return number_format(rate.quantize(HUNDREDTH, rounding=ROUND_HALF_UP), 2)


@register.filter
def level_label(level: str) -> str:
    """The translated name of a row level."""
    return Level(level).label
