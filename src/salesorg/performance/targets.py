"""Targets of every unit for a period: own row, else the sum of the children's (KPI.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from salesorg.core.money import cents
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


def period_targets(
    *, org: OrgSnapshot, period: Period, metrics: tuple[str, ...] = TABLE_METRICS
) -> dict[tuple[UnitKey, str], TargetCents | None]:
    """Each unit's period target per metric: Σ over the months of P that have one (one query)."""
    totals: dict[tuple[UnitKey, str], TargetCents | None] = {}
    for month_totals in monthly_targets(org=org, period=period, metrics=metrics).values():
        for key, value in month_totals.items():  # a month's values are never None
            previous = totals.get(key)
            totals[key] = value if previous is None else previous + value
    return totals


def monthly_targets(
    *, org: OrgSnapshot, period: Period, metrics: tuple[str, ...] = TABLE_METRICS
) -> dict[tuple[int, int], dict[tuple[UnitKey, str], TargetCents | None]]:
    """Each unit's target per metric for each (year, month) of P (one query)."""
    months = set(period.months())
    owner_fields = {
        OwnerType.PERSON: (PERSON, 1),
        OwnerType.TEAM: (TEAM, 2),
        OwnerType.REGION: (REGION, 3),
    }
    own: dict[tuple[int, int], dict[tuple[UnitKey, str], TargetCents]] = {}
    rows = (
        Target.objects.filter(
            metric__in=metrics, year__gte=period.start.year, year__lte=period.end.year
        )
        .order_by()
        .values_list("owner_type", "person_id", "team_id", "region_id", "year", "month", "metric")
        .annotate(realistic_cents=cents("realistic"), ideal_cents=cents("ideal"))
    )
    for row in rows:
        owner_type, year, month, metric, realistic, ideal = row[0], *row[4:]
        if (year, month) not in months:
            continue
        if owner_type == OwnerType.COMPANY:
            unit: UnitKey = COMPANY_KEY
        else:
            level, index = owner_fields[owner_type]
            unit = (level, row[index])
        own.setdefault((year, month), {})[(unit, metric)] = TargetCents(realistic, ideal)

    teams_by_region: dict[int, list[int]] = {}
    for team_id, team in org.teams.items():
        teams_by_region.setdefault(team.region_id, []).append(team_id)

    by_month: dict[tuple[int, int], dict[tuple[UnitKey, str], TargetCents | None]] = {}
    for year, month in sorted(months):
        month_own = own.get((year, month), {})
        # People: their own rows (no target adds nothing; a missing key reads None).
        totals = by_month[(year, month)] = {
            key: value for key, value in month_own.items() if key[0][0] == PERSON
        }
        first_day = date(year, month, 1)
        members: dict[int, list[int]] = {}
        for person_id in org.stints:
            for team_id in org.teams_on(person_id=person_id, day=first_day):
                members.setdefault(team_id, []).append(person_id)
        for metric in metrics:
            # Team: own row, else Σ of its members' (any role) on the month's first day.
            team_value = {
                team_id: _own_or_children(
                    month_own.get(((TEAM, team_id), metric)),
                    (month_own.get(((PERSON, p), metric)) for p in members.get(team_id, ())),
                )
                for team_id in org.teams
            }
            region_value = {
                region_id: _own_or_children(
                    month_own.get(((REGION, region_id), metric)),
                    (team_value[t] for t in teams_by_region.get(region_id, ())),
                )
                for region_id in org.regions
            }
            company_value = _own_or_children(
                month_own.get((COMPANY_KEY, metric)), region_value.values()
            )
            for unit, value in (
                *(((TEAM, team_id), value) for team_id, value in team_value.items()),
                *(((REGION, region_id), value) for region_id, value in region_value.items()),
                (COMPANY_KEY, company_value),
            ):
                if value is not None:
                    totals[(unit, metric)] = value
    return by_month
