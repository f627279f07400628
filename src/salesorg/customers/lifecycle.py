"""Customer lifecycle (prospect → new → established → dormant → lost) derived from orders.

The stage of a customer on a date follows from its confirmed orders up to that date and
the thresholds in `CareSettings`:

- no confirmed order yet: prospect (since the customer was created);
- the last order `lost_after_days` or more days ago: lost;
- the last order `dormant_after_days` or more days ago: dormant;
- the first order `established_after_months` or more months ago: established;
- otherwise: new (since its first order).

Each stage's start date follows from the same dates, so a recompute (services.customers) is
idempotent.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from salesorg.customers.choices import LifecycleStage
from salesorg.customers.models import CareSettings


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clipped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Thresholds:
    """The lifecycle thresholds of `CareSettings`, read once per run."""

    established_after_months: int = 12
    dormant_after_days: int = 90
    lost_after_days: int = 365

    @classmethod
    def current(cls) -> Thresholds:
        settings = CareSettings.current()
        return cls(
            established_after_months=settings.established_after_months,
            dormant_after_days=settings.dormant_after_days,
            lost_after_days=settings.lost_after_days,
        )


def lifecycle_stage(
    *,
    created: date | None,
    first_order: date | None,
    last_order: date | None,
    as_of: date,
    thresholds: Thresholds,
) -> tuple[str, date | None]:
    """The stage on `as_of` and the date it began, from the first and last order dates."""
    if first_order is None or last_order is None:
        return LifecycleStage.PROSPECT, created
    idle = (as_of - last_order).days
    if idle >= thresholds.lost_after_days:
        return LifecycleStage.LOST, last_order + timedelta(days=thresholds.lost_after_days)
    if idle >= thresholds.dormant_after_days:
        return LifecycleStage.DORMANT, last_order + timedelta(days=thresholds.dormant_after_days)
    established_on = add_months(first_order, thresholds.established_after_months)
    if established_on <= as_of:
        return LifecycleStage.ESTABLISHED, established_on
    return LifecycleStage.NEW, first_order
