"""Template tags of the customer page's credit panel (rating, score, factors, history)."""

from decimal import Decimal, InvalidOperation

from django import template

from salesorg.core.numbers import format_number
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
