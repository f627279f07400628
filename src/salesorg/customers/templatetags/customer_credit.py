"""Template tags of the customer page's credit panel (rating, score, factors, history)."""

from decimal import Decimal, InvalidOperation

from django import template

from salesorg.core.numbers import format_number, format_pp, format_signed_number
from salesorg.customers.selectors.credit import customer_credit_panel

register = template.Library()


@register.simple_tag(takes_context=True)
def customer_credit(context, customer) -> dict:
    """The latest evaluations of a customer in the viewer's scope, and what the viewer may do
    (three queries)."""
    return customer_credit_panel(user=context["request"].user, customer=customer)


# How each evaluation factor's measured value reads: shares and rates as percentages with
# 2 decimals (a stored 0.2500 reads 25.00%), a count whole, days and scores with 2 decimals.
PERCENT_FACTORS = {"overdue_share", "sales_trend", "margin"}
COUNT_FACTORS = {"visits"}


@register.filter
def factor_value(factor: dict) -> str:
    """A factor row's measured value as a person reads it; — when there is none."""
    text = factor.get("value")
    try:
        value = Decimal(str(text))
    except (InvalidOperation, TypeError, ValueError):
        return text or "—"
    name = factor.get("name")
    if name in PERCENT_FACTORS:
        return f"{format_number(value * 100, 2)}%"
    if name in COUNT_FACTORS:
        return format_number(value)
    return format_number(value, 2)


@register.filter
def factor_amount(value, name: str) -> str:
    """A factor's measured value (a Decimal) in its unit; — when there is none."""
    if value is None:
        return "—"
    return factor_value({"name": name, "value": value})


@register.filter
def factor_change(change, name: str) -> str:
    """A factor's change since the previous rating in its unit: shares and rates in
    percentage points, counts whole, days and scores with 2 decimals; — when unknown."""
    if change is None:
        return "—"
    if name in PERCENT_FACTORS:
        return format_pp(change)
    decimals = 0 if name in COUNT_FACTORS else 1 if name == "points" else 2
    return format_signed_number(change, decimals)
