"""Reads of target units' actuals from the indicator engine (KPI.md), and the
progressive-target proposals built on them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from salesorg.core.scoping import SYSTEM, SystemActor
from salesorg.performance.kpi.indicators import indicator_table
from salesorg.performance.kpi.periods import month_end
from salesorg.targets.choices import Metric, OwnerType
from salesorg.targets.decomposition import is_count, to_units
from salesorg.targets.models import SalesPlan, Target
from salesorg.targets.selectors.grid import visible_children
from salesorg.targets.selectors.plans import plan_org, plan_values
from salesorg.targets.units import COMPANY, MONTHS, PlanOrg, Unit

# The indicator (KPI.md) that measures what each target metric aims at.
ACTUAL_COLUMN: dict[str, str] = {
    Metric.SALES: "sales",
    Metric.GROSS_MARGIN: "gross_margin",
    Metric.COLLECTIONS: "collected",
    Metric.NEW_CUSTOMERS: "new_customers",
    Metric.PROSPECTS_ADDED: "prospects_added",
    Metric.VISITS: "visits",
    Metric.EXPENSE_BUDGET: "expenses",
}


def _indicator_key(unit: Unit, org: PlanOrg) -> tuple[str, str]:
    return unit.owner_type, org.codes.get(unit, "")


def monthly_actuals(
    *, year: int, metric: str, units: list[Unit], org: PlanOrg, user: User | SystemActor
) -> dict[Unit, list[int]]:
    """Each unit's actual per month of `year` (KPI.md, via the indicator engine), in units."""
    column = ACTUAL_COLUMN[metric]
    wanted = {_indicator_key(unit, org): unit for unit in units}
    actuals: dict[Unit, list[int]] = {unit: [0] * 12 for unit in units}
    for month in MONTHS:
        table = indicator_table(
            start=date(year, month, 1), end=month_end(year=year, month=month), user=user
        )
        for row in table.rows:
            unit = wanted.get((row.level, row.code))
            if unit is not None:
                actuals[unit][month - 1] = _actual_units(row.value(column), metric)
    return actuals


def year_actuals(
    *, year: int, metric: str, units: list[Unit], org: PlanOrg, user: User | SystemActor
) -> dict[Unit, int]:
    """Each unit's actual for the whole of `year` (via the indicator engine), in units."""
    column = ACTUAL_COLUMN[metric]
    wanted = {_indicator_key(unit, org): unit for unit in units}
    actuals = dict.fromkeys(units, 0)
    table = indicator_table(start=date(year, 1, 1), end=date(year, 12, 31), user=user)
    for row in table.rows:
        unit = wanted.get((row.level, row.code))
        if unit is not None:
            actuals[unit] = _actual_units(row.value(column), metric)
    return actuals


def _actual_units(value, metric: str) -> int:
    """An actual as whole units; negative (a margin loss) counts as no history."""
    if value is None:
        return 0
    units = int(value) if is_count(metric) else int(Decimal(value) * 100)
    return max(units, 0)


# --- progressive targets ----------------------------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    """Next year's proposed target of a unit: this year's actual × (1 + growth), at least
    this year's target (whole units)."""

    unit: Unit
    label: str
    actual: int
    target: tuple[int, int] | None
    realistic: int
    ideal: int


def _grow(units: int, growth_rate: Decimal) -> int:
    return int((Decimal(units) * (1 + growth_rate)).to_integral_value(rounding=ROUND_CEILING))


def target_proposals(
    *, plan: SalesPlan, metric: str, parent: Unit, growth_rate: Decimal, user: User | SystemActor
) -> list[Proposal]:
    """Proposals for the plan's year for a unit and its visible children, from the year
    before's actuals (indicator engine) and targets; nothing is saved. The units are those
    `user` sees; their actuals and targets are their whole ones (read as SYSTEM)."""
    if metric not in Metric.values:
        raise ValidationError({"metric": [_("Unknown metric: %(metric)s.") % {"metric": metric}]})
    if growth_rate <= -1 or growth_rate > 10:
        raise ValidationError({"growth_rate": [_("Enter a growth rate between -100% and 1000%.")]})
    org = plan_org()
    units = [parent, *visible_children(user=user, org=org, unit=parent)]
    actuals = year_actuals(year=plan.year - 1, metric=metric, units=units, org=org, user=SYSTEM)
    previous = SalesPlan.objects.filter(year=plan.year - 1).first()
    prior_annual = plan_values(plan=previous, metrics=(metric,), user=SYSTEM) if previous else None
    this_year = _year_sums(year=plan.year - 1, metric=metric)
    proposals = []
    for unit in units:
        target = (prior_annual.year(unit, metric) if prior_annual else None) or this_year.get(unit)
        realistic = _grow(actuals[unit], growth_rate)
        ideal = realistic
        if target is not None:
            realistic = max(realistic, target[0])
            stretch = Decimal(target[1]) / Decimal(target[0]) if target[0] else Decimal(1)
            ideal = max(int((realistic * stretch).to_integral_value(ROUND_CEILING)), target[1])
        proposals.append(
            Proposal(
                unit=unit,
                label=org.label(unit),
                actual=actuals[unit],
                target=target,
                realistic=realistic,
                ideal=max(ideal, realistic),
            )
        )
    return proposals


def _year_sums(*, year: int, metric: str) -> dict[Unit, tuple[int, int]]:
    """Every unit's targets of a year summed over its months (whole units)."""
    sums: dict[Unit, tuple[int, int]] = {}
    rows = Target.objects.filter(year=year, metric=metric).values_list(
        "owner_type", "person_id", "team_id", "region_id", "realistic", "ideal"
    )
    for owner_type, person_id, team_id, region_id, realistic, ideal in rows.order_by():
        unit = (
            COMPANY
            if owner_type == OwnerType.COMPANY
            else Unit(owner_type, person_id or team_id or region_id)
        )
        before = sums.get(unit, (0, 0))
        sums[unit] = (
            before[0] + to_units(value=realistic, metric=metric),
            before[1] + to_units(value=ideal, metric=metric),
        )
    return sums
