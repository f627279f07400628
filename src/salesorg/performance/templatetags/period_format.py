"""Template tags that say when a period has not ended: "2026年12月（截至6日）"."""

from datetime import date

from django import template

from salesorg.performance.kpi.periods import Period, period_heading
from salesorg.performance.selectors.scorecards import provisional_as_of

register = template.Library()


@register.simple_tag
def period_title(period: Period, today: date) -> str:
    """A period's heading, marked while it runs: {% period_title period today %}."""
    return period_heading(period, today=today)


@register.filter
def due_under(row, column: str):
    """The figure due to date under an engine column of a running period's row, or None."""
    due = getattr(row, "due_under", None)
    return None if due is None else due(column)


@register.filter
def scorecards_provisional(scored) -> bool:
    """Were a period's scorecards computed before it ended (暂定)?"""
    return provisional_as_of(scored=scored) is not None
