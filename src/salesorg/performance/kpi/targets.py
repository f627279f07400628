"""Targets of every unit for a period: own row, else the sum of the children's (KPI.md)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import NamedTuple

from django.db.models import Q

from salesorg.core.money import cents
from salesorg.performance.kpi.attribution import (
    COMPANY_KEY,
    PERSON,
    REGION,
    TEAM,
    OrgSnapshot,
    UnitKey,
)
from salesorg.performance.kpi.periods import Period
from salesorg.performance.kpi.sql import plain_rows
from salesorg.targets.choices import Metric, OwnerType
from salesorg.targets.models import Target

TABLE_METRICS = (Metric.SALES, Metric.GROSS_MARGIN, Metric.EXPENSE_BUDGET)


class TargetCents(NamedTuple):
    """A realistic and an ideal target in whole cents (a tuple: a year's targets of every
    unit are some 26,000 of them, made ten times faster than a frozen dataclass)."""

    realistic: int
    ideal: int

    def __add__(self, other: TargetCents) -> TargetCents:  # type: ignore[override]
        return TargetCents(self.realistic + other.realistic, self.ideal + other.ideal)


def period_targets(
    *,
    org: OrgSnapshot,
    period: Period,
    metrics: tuple[str, ...] = TABLE_METRICS,
    people: set[int] | None = None,
    units: Collection[UnitKey] | None = None,
) -> dict[tuple[UnitKey, str], TargetCents | None]:
    """Each unit's period target per metric: Σ over the months of P that have one (one query).

    `people` asks for these people's own targets only (a table of person rows); `units`
    for these units' only (a dashboard's dozen rows, not the year's 26,000 unit-months).
    """
    # Summed as int pairs, made TargetCents once (a year of 1,111 units is 26k additions).
    sums: dict[tuple[UnitKey, str], list[int]] = {}
    monthly = monthly_targets(org=org, period=period, metrics=metrics, people=people, units=units)
    for month_totals in monthly.values():
        for key, value in month_totals.items():  # a month's values are never None
            found = sums.get(key)
            if found is None:
                sums[key] = [value.realistic, value.ideal]
            else:
                found[0] += value.realistic
                found[1] += value.ideal
    return {key: TargetCents(realistic, ideal) for key, (realistic, ideal) in sums.items()}


def monthly_targets(
    *,
    org: OrgSnapshot,
    period: Period,
    metrics: tuple[str, ...] = TABLE_METRICS,
    people: set[int] | None = None,
    units: Collection[UnitKey] | None = None,
) -> dict[tuple[int, int], dict[tuple[UnitKey, str], TargetCents | None]]:
    """Each unit's target per metric for each (year, month) of P (one query).

    `people` asks for these people's own targets only: no team, region or company;
    `units` keeps only these units' targets (their sums still count everyone below).
    The result is kept with the org snapshot, so the callers that share a snapshot (a
    dashboard's table and its chart) read the targets once. Do not change it.
    """
    kept = None if units is None else frozenset(units)
    key = (
        "monthly_targets",
        period,
        tuple(metrics),
        None if people is None else frozenset(people),
        kept,
    )
    found = org.memo.get(key)
    if found is None:
        found = org.memo[key] = _monthly_targets(
            org=org, period=period, metrics=metrics, people=people, units=kept
        )
    return found


def _own_targets(
    *, period: Period, metrics: tuple[str, ...], people: set[int] | None
) -> dict[tuple[int, int, str], dict[UnitKey, tuple[int, int]]]:
    """The units' own rows as (realistic, ideal) cents per (year, month, metric) and unit
    (one query); `people` reads only these people's rows."""
    months = set(period.months())
    in_period = Q()
    for year in range(period.start.year, period.end.year + 1):
        in_period |= Q(year=year, month__in=[m for y, m in months if y == year])
    targets = Target.objects.filter(in_period, metric__in=metrics)
    if people is not None:
        targets = targets.filter(owner_type=OwnerType.PERSON, person_id__in=sorted(people))
    owner_fields = {
        OwnerType.PERSON: (PERSON, 1),
        OwnerType.TEAM: (TEAM, 2),
        OwnerType.REGION: (REGION, 3),
    }
    own: dict[tuple[int, int, str], dict[UnitKey, tuple[int, int]]] = {}
    rows = plain_rows(
        targets.order_by()
        .values_list("owner_type", "person_id", "team_id", "region_id", "year", "month", "metric")
        .annotate(realistic_cents=cents("realistic"), ideal_cents=cents("ideal"))
    )
    for row in rows:
        owner_type, year, month, metric, realistic, ideal = row[0], *row[4:]
        if owner_type == OwnerType.COMPANY:
            unit: UnitKey = COMPANY_KEY
        else:
            level, index = owner_fields[owner_type]
            unit = (level, row[index])
        own.setdefault((year, month, metric), {})[unit] = (realistic, ideal)
    return own


def _monthly_targets(
    *,
    org: OrgSnapshot,
    period: Period,
    metrics: tuple[str, ...],
    people: set[int] | None,
    units: frozenset[UnitKey] | None = None,
) -> dict[tuple[int, int], dict[tuple[UnitKey, str], TargetCents | None]]:
    months = set(period.months())
    own = _own_targets(period=period, metrics=metrics, people=people)

    teams_by_region: dict[int, list[int]] = {}
    for team_id, team in org.teams.items():
        teams_by_region.setdefault(team.region_id, []).append(team_id)

    def total(values) -> tuple[int, int] | None:
        """Σ of the values that exist; None when none does (no target is not 0)."""
        realistic = ideal = 0
        found = False
        for value in values:
            if value is not None:
                realistic += value[0]
                ideal += value[1]
                found = True
        return (realistic, ideal) if found else None

    by_month: dict[tuple[int, int], dict[tuple[UnitKey, str], TargetCents | None]] = {}
    for year, month in sorted(months):
        totals = by_month[(year, month)] = {}
        # Team sums need the members; a table of person rows (people given) does not.
        members = org.team_members_on(date(year, month, 1)) if people is None else {}
        for metric in metrics:
            month_own = own.get((year, month, metric))
            if month_own is None:
                continue  # no row of any unit: no target anywhere this month
            if people is not None:
                totals.update(
                    ((unit, metric), TargetCents(*v))
                    for unit, v in month_own.items()
                    if unit[0] == PERSON
                )
                continue
            # People's own rows are read where they are; only the sums are added here.
            values: dict[UnitKey, tuple[int, int] | None] = {}
            # Team: own row, else Σ of its members' (any role) on the month's first day.
            for team_id in org.teams:
                value = month_own.get((TEAM, team_id))
                if value is None:
                    value = total(month_own.get((PERSON, p)) for p in members.get(team_id, ()))
                values[(TEAM, team_id)] = value
            for region_id in org.regions:
                value = month_own.get((REGION, region_id))
                if value is None:
                    value = total(values[(TEAM, t)] for t in teams_by_region.get(region_id, ()))
                values[(REGION, region_id)] = value
            value = month_own.get(COMPANY_KEY)
            if value is None:
                value = total(values[(REGION, region_id)] for region_id in org.regions)
            values[COMPANY_KEY] = value
            if units is None:
                kept = [*((u, v) for u, v in month_own.items() if u[0] == PERSON), *values.items()]
            else:
                kept = [
                    (unit, month_own.get(unit) if unit[0] == PERSON else values.get(unit))
                    for unit in units
                ]
            for unit, value in kept:
                if value is not None:
                    totals[(unit, metric)] = TargetCents(*value)
    return by_month
