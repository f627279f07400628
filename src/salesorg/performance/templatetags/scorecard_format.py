"""Template filters of scorecards and meetings: stored indicator text shown by its kind."""

from decimal import Decimal, InvalidOperation

from django import template

from salesorg.core.money import format_money
from salesorg.core.numbers import format_number
from salesorg.performance.choices import COLUMN_BY_NAME, ValueKind
from salesorg.performance.kpi.exports import KIND_BY_FIELD
from salesorg.performance.templatetags.indicator_format import percent, ratio

register = template.Library()


@register.filter
def indicator_label(name: str) -> str:
    """The translated label of an engine column ('sales_achievement' → 'Sales achievement')."""
    column = COLUMN_BY_NAME.get(name)
    return str(column.label) if column else name


@register.filter
def indicator_text(text: str, name: str) -> str:
    """A stored exact value shown like on the indicator screen; '—' when empty."""
    if text in (None, ""):
        return "—"
    try:
        value = Decimal(str(text))
    except InvalidOperation:
        return str(text)
    kind = KIND_BY_FIELD.get(name)
    if kind == ValueKind.PERCENT:
        return percent(value)
    if kind == ValueKind.RATIO:
        return ratio(value)
    if kind == ValueKind.AMOUNT:
        return format_money(value)
    if kind == ValueKind.COUNT:
        return format_number(value)
    return str(value)


@register.filter
def points(value) -> str:
    """Points with up to 2 decimals shown (stored with 4)."""
    if value is None:
        return "—"
    return ratio(Decimal(value))
