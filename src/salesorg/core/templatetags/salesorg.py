"""Template filters shared by every page."""

from django import template

from salesorg.core.money import format_money

register = template.Library()


@register.filter
def money(amount):
    """Render an amount in CNY: {{ order.total|money }}."""
    return format_money(amount)
