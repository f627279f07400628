"""Template tags that say when a period has not ended: "2026年12月（截至6日）"."""

from datetime import date

from django import template

from salesorg.performance.periods import Period, period_heading

register = template.Library()


@register.simple_tag
def period_title(period: Period, today: date) -> str:
    """A period's heading, marked while it runs: {% period_title period today %}."""
    return period_heading(period, today=today)
