"""Template filters of target pages: a target value as a person reads it."""

from django import template

from salesorg.core.money import format_money
from salesorg.core.numbers import format_number
from salesorg.targets.decomposition import is_count

register = template.Library()


@register.filter
def metric_value(value, metric: str) -> str:
    """A target of a metric: a count grouped (1,234), an amount in ¥ (¥76,650,000.00)."""
    if value is None or value == "":
        return ""
    return format_number(value) if is_count(metric) else format_money(value)
