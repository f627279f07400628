"""Targets of every unit for a period: own row, else the sum of the children's (KPI.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from salesorg.performance.attribution import (
    COMPANY_KEY,
    PERSON,
    REGION,
    TEAM,
    OrgSnapshot,
    UnitKey,
)
from salesorg.performance.periods import Period
from salesorg.targets.choices import Metric, OwnerType
from salesorg.targets.models import Target

TABLE_METRICS = (Metric.SALES, Metric.GROSS_MARGIN, Metric.EXPENSE_BUDGET)


@dataclass(frozen=True)
class TargetCents:
    """A realistic and an ideal target in whole cents."""

    realistic: int
    ideal: int

    def __add__(self, other: TargetCents) -> TargetCents:
        return TargetCents(self.realistic + other.realistic, self.ideal + other.ideal)


def _sum(values) -> TargetCents | None:
    """Σ of the targets that exist; None when none does (no target is not 0)."""
    total = None
    for value in values:
        if value is not None:
            total = value if total is None else total + value
    return total


def _own_or_children(own: TargetCents | None, children) -> TargetCents | None:
    """A unit's own target row if it has one, else the sum of its children's."""
    return own if own is not None else _sum(children)


def _to_cents(amount) -> int:
    return int((amount * 100).to_integral_value())


def period_targets(
    *, org: OrgSnapshot, period: Period, metrics: tuple[str, ...] = TABLE_METRICS
) -> dict[tuple[UnitKey, str], TargetCents | None]:
    """Each unit's period target per metric: Σ over the months of P that have one (one query)."""
    totals: dict[tuple[UnitKey, str], TargetCents | None] = {}
    for month_totals in monthly_targets(org=org, period=period, metrics=metrics).values():
        for key, value in month_totals.items():
            totals[key] = _sum([totals.get(key), value])
    return totals


def monthly_targets(
    *, org: OrgSnapshot, period: Period, metrics: tuple[str, ...] = TABLE_METRICS
) -> dict[tuple[int, int], dict[tuple[UnitKey, str], TargetCents | None]]:
    """Each unit's target per metric for each (year, month) of P (one query)."""
    own: dict[tuple[UnitKey, str, int, int], TargetCents] = {}
    months = set(period.months())
    owner_fields = {
        OwnerType.PERSON: (PERSON, 1),
        OwnerType.TEAM: (TEAM, 2),
        OwnerType.REGION: (REGION, 3),
    }
    rows = (
        Target.objects.filter(
            metric__in=metrics, year__gte=period.start.year, year__lte=period.end.year
        )
        .order_by()
        .values_list(
            "owner_type", "person_id", "team_id", "region_id", "year", "month", "metric",
            "realistic", "ideal",
        )
    )  # fmt: skip
    for row in rows:
        owner_type, year, month, metric, realistic, ideal = row[0], *row[4:]
        if (year, month) not in months:
            continue
        if owner_type == OwnerType.COMPANY:
            unit: UnitKey = COMPANY_KEY
        else:
            level, index = owner_fields[owner_type]
            unit = (level, row[index])
        own[(unit, metric, year, month)] = TargetCents(_to_cents(realistic), _to_cents(ideal))

    teams_by_region: dict[int, list[int]] = {}
    for team_id, team in org.teams.items():
        teams_by_region.setdefault(team.region_id, []).append(team_id)

    by_month: dict[tuple[int, int], dict[tuple[UnitKey, str], TargetCents | None]] = {}
    for year, month in sorted(months):
        totals = by_month[(year, month)] = {}

        def add(unit: UnitKey, metric: str, value: TargetCents | None, totals=totals) -> None:
            if value is not None:  # no target adds nothing (and a missing key reads None)
                totals[(unit, metric)] = _sum([totals.get((unit, metric)), value])

        first_day = date(year, month, 1)
        members: dict[int, list[int]] = {}
        for person_id in org.stints:
            for team_id in org.teams_on(person_id=person_id, day=first_day):
                members.setdefault(team_id, []).append(person_id)
        for metric in metrics:

            def own_row(unit: UnitKey, metric=metric, year=year, month=month):
                return own.get((unit, metric, year, month))

            for person_id in org.people:
                add((PERSON, person_id), metric, own_row((PERSON, person_id)))
            # Team: own row, else Σ of its members' (any role) on the month's first day.
            team_value = {
                team_id: _own_or_children(
                    own_row((TEAM, team_id)),
                    (own_row((PERSON, p)) for p in members.get(team_id, ())),
                )
                for team_id in org.teams
            }
            region_value = {
                region_id: _own_or_children(
                    own_row((REGION, region_id)),
                    (team_value[t] for t in teams_by_region.get(region_id, ())),
                )
                for region_id in org.regions
            }
            company_value = _own_or_children(own_row(COMPANY_KEY), region_value.values())
            for team_id, value in team_value.items():
                add((TEAM, team_id), metric, value)
            for region_id, value in region_value.items():
                add((REGION, region_id), metric, value)
            add(COMPANY_KEY, metric, company_value)
    return by_month
