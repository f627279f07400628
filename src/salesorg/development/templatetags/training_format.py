"""Template filters of targeted training: a proposal's measured value as a person reads it."""

from django import template

from salesorg.core.numbers import format_number
from salesorg.development.selectors.targeted import HUNDRED, rule_value_scale

register = template.Library()


@register.filter
def proposal_value(proposal) -> str:
    """The value that fired the rule: a percent indicator as 72.50%, others with 2 decimals."""
    if proposal.value is None:
        return "—"
    text = format_number(proposal.value, 2)
    return f"{text}%" if rule_value_scale(proposal.rule) == HUNDRED else text
