"""The rep's home: this month against both targets (to date and whole), and today's visits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from salesorg.core.calendar import workday_set
from salesorg.core.money import quantize_cents
from salesorg.performance.kpi.attribution import PERSON
from salesorg.performance.kpi.columns import IndicatorRow
from salesorg.performance.kpi.indicators import indicator_table
from salesorg.performance.kpi.periods import (
    Period,
    PeriodProgress,
    period_heading,
    period_name,
    this_month,
)
from salesorg.sales.models import Visit


@dataclass(frozen=True)
class RunRate:
    """One target this month: the part due by today, the gap and the amount per workday."""

    label: str
    target: Decimal | None
    achievement: Decimal | None
    remaining: Decimal | None
    per_workday: Decimal | None
    target_to_date: Decimal | None = None
    achievement_to_date: Decimal | None = None


def run_rate(
    *,
    label,
    sales: Decimal,
    target: Decimal | None,
    workdays_left: int,
    progress: PeriodProgress | None = None,
) -> RunRate:
    """The gap to `target`, the sales needed per remaining workday and, given the month's
    progress, the target pro-rated to today and the achievement against it (None without
    target)."""
    if target is None:
        return RunRate(str(label), None, None, None, None)
    remaining = max(Decimal("0.00"), target - sales)
    per_workday = quantize_cents(remaining / workdays_left) if workdays_left else None
    if not remaining:
        per_workday = Decimal("0.00")
    achievement = sales / target if target else None
    to_date = progress.prorate(target) if progress is not None else None
    achievement_to_date = sales / to_date if to_date else None
    return RunRate(
        str(label), target, achievement, remaining, per_workday, to_date, achievement_to_date
    )


@dataclass(frozen=True)
class RepMonth:
    """A rep's month so far: the engine row, workdays left and the run-rate per target."""

    period: Period
    row: IndicatorRow | None
    workdays_total: int
    workdays_left: int
    run_rates: list[RunRate]
    progress: PeriodProgress | None = None

    @property
    def heading(self) -> str:
        """ "2026年12月（截至6日）" while the month runs."""
        if self.progress is None:
            return period_name(self.period)
        return period_heading(self.period, today=self.progress.today)

    @property
    def is_empty(self) -> bool:
        """No sale and no target this month: nothing to compare yet."""
        return not (self.row and self.row.sales) and all(r.target is None for r in self.run_rates)


def rep_month(*, user, person, today: date) -> RepMonth:
    """This month's achievement of `person` against both targets and the run-rate needed."""
    period = this_month(today=today)
    table = indicator_table(start=period.start, end=period.end, level=PERSON, user=user)
    row = next((r for r in table.rows if r.code == person.code), None)
    workdays = workday_set(period.start, period.end)  # one calendar query
    workdays_left = sum(1 for day in workdays if day >= today)  # today still counts
    progress = PeriodProgress(
        period=period,
        today=today,
        workdays_total=len(workdays),
        workdays_elapsed=sum(1 for day in workdays if day <= today),
    )
    sales = row.sales if row else Decimal("0.00")
    run_rates = [
        run_rate(
            label=_("Realistic target"),
            sales=sales,
            target=row.sales_target if row else None,
            workdays_left=workdays_left,
            progress=progress,
        ),
        run_rate(
            label=_("Ideal target"),
            sales=sales,
            target=row.sales_target_ideal if row else None,
            workdays_left=workdays_left,
            progress=progress,
        ),
    ]
    return RepMonth(period, row, len(workdays), workdays_left, run_rates, progress)


def todays_visits(*, user, person, today: date) -> list[Visit]:
    """The person's visits dated today, with customer and purpose (one query)."""
    return list(
        Visit.objects.visible_to(user)
        .filter(rep=person, visit_date=today)
        .select_related("customer", "purpose_type")
        .order_by("visit_time", "code")
    )


def rep_home(*, user, person, today: date) -> dict:
    """Context of the rep's home page."""
    return {
        "month": rep_month(user=user, person=person, today=today),
        "todays_visits": todays_visits(user=user, person=person, today=today),
    }
