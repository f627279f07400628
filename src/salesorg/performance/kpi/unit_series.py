"""A unit's sales per month and visits per day (dashboard series), credited as the engine does."""

from __future__ import annotations

from collections import Counter

from django.db.models import Sum

from salesorg.core.roles import Role
from salesorg.performance.kpi import facts
from salesorg.performance.kpi.attribution import OrgSnapshot, UnitKey
from salesorg.performance.kpi.periods import Period
from salesorg.performance.kpi.rollup_reader import RollupReader
from salesorg.performance.kpi.rollup_sums import pairs_q, people_of
from salesorg.performance.models import (
    RollupMonth,
    RollupVisitDay,
)


def monthly_sales(*, org: OrgSnapshot, period: Period, unit: UnitKey) -> dict[tuple[int, int], int]:
    """A unit's confirmed sales in cents per month, credited as the engine credits them."""
    if period.covers_whole_months:
        return monthly_sales_from_rollups(org=org, period=period, unit=unit)
    by_month: Counter = Counter()
    for rep_id, day, _category, amount, _cost, _lines in facts.sales_lines(period=period):
        if unit in org.units_of(person_id=rep_id, day=day):
            by_month[(day.year, day.month)] += amount
    return by_month


def monthly_sales_from_rollups(*, org: OrgSnapshot, period: Period, unit: UnitKey) -> Counter:
    """A unit's confirmed sales in cents per (year, month) of whole months, from the rollups."""
    by_month: Counter = Counter()
    months = RollupMonth.objects.filter(month__range=(period.start, period.end)).order_by()
    people = people_of(org, unit)
    if people is None:  # the company counts every fact: no memberships needed
        for month, sales in months.values_list("month").annotate(total=Sum("sales")):
            by_month[(month.year, month.month)] += sales
        return by_month
    reader = RollupReader(org=org, period=period)
    for person_id, month, sales in months.filter(person_id__in=people).values_list(
        "person_id", "month", "sales"
    ):
        if reader._clean(person_id, month) and unit in org.units_of(person_id=person_id, day=month):
            by_month[(month.year, month.month)] += sales
    split = {(p, m) for p, m in reader.split_in_period if p in people}
    only = pairs_q(split, person="order__rep_id", day="order__order_date")
    if only is not None:
        for rep_id, day, _category, amount, _cost, _lines in facts.sales_lines(
            period=period, only=only
        ):
            if unit in org.units_of(person_id=rep_id, day=day):
                by_month[(day.year, day.month)] += amount
    return by_month


def daily_visits(*, org: OrgSnapshot, period: Period, unit: UnitKey) -> Counter:
    """A unit's visits (KPI.md, Visits) per day, credited as the engine does."""
    by_day: Counter = Counter()
    days = RollupVisitDay.objects.filter(
        day__range=(period.start, period.end), person__role=Role.REP, visits__gt=0
    ).order_by()
    people = people_of(org, unit)
    if people is None:
        for day, visits in days.values_list("day").annotate(total=Sum("visits")):
            by_day[day] += visits
        return by_day
    for person_id, day, visits in days.filter(person_id__in=people).values_list(
        "person_id", "day", "visits"
    ):
        if unit in org.units_of(person_id=person_id, day=day):
            by_day[day] += visits
    return by_day
