"""Template filters shared by every page."""

from django import template

from salesorg.core.money import format_money
from salesorg.core.numbers import (
    format_money_short,
    format_number,
    format_pp,
    format_signed_money,
    format_signed_number,
)

register = template.Library()


@register.filter
def money(amount):
    """Render an amount in CNY: {{ order.total|money }}."""
    return format_money(amount)


@register.filter
def money_short(amount):
    """A headline amount in 万/亿 (K/M in English): {{ total|money_short }} → ¥6,550.90万."""
    return format_money_short(amount)


@register.filter
def signed_money(change):
    """A change of an amount with its sign: {{ delta|signed_money }} → −¥1,234.50."""
    return format_signed_money(change)


@register.filter
def number(value, decimals=0):
    """A count or figure grouped by thousands: {{ visits|number }} → 25,696."""
    return format_number(value, int(decimals))


@register.filter
def signed_number(change, decimals=0):
    """A change of a count or ratio with its sign: {{ delta|signed_number:2 }} → −0.35."""
    return format_signed_number(change, int(decimals))


@register.filter
def pp(change):
    """A change between two rates in percentage points: {{ -0.4314|pp }} → −43.14 个百分点."""
    return format_pp(change)
