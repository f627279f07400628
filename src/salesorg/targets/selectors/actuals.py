"""Reads of target units' actuals from the indicator engine (KPI.md) over a complete period
(`targets.history`), and the progressive-target proposals built on them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from salesorg.core.money import sum_cents
from salesorg.core.scoping import SYSTEM, SystemActor
from salesorg.performance.kpi.attribution import org_snapshot
from salesorg.performance.kpi.indicators import indicator_table
from salesorg.performance.kpi.periods import month_end
from salesorg.performance.models import RollupMonth
from salesorg.targets.choices import HistoryBasis, Metric, OwnerType
from salesorg.targets.decomposition import is_count, to_units
from salesorg.targets.history import Basis, Month, Uplift, history_basis, ideal_uplift
from salesorg.targets.models import AnnualTarget, SalesPlan, Target
from salesorg.targets.selectors.grid import visible_children
from salesorg.targets.selectors.plans import plan_org, plan_values
from salesorg.targets.units import COMPANY, PlanOrg, Unit

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
    *,
    months: Sequence[Month],
    metric: str,
    units: list[Unit],
    org: PlanOrg,
    user: User | SystemActor,
) -> dict[Unit, list[int]]:
    """Each unit's actual in each of `months` ((year, month), in that order; KPI.md, via the
    indicator engine), in whole units."""
    column = ACTUAL_COLUMN[metric]
    wanted = {_indicator_key(unit, org): unit for unit in units}
    actuals: dict[Unit, list[int]] = {unit: [0] * len(months) for unit in units}
    snapshot = org_snapshot()
    for index, (year, month) in enumerate(months):
        table = indicator_table(
            start=date(year, month, 1),
            end=month_end(year=year, month=month),
            user=user,
            org=snapshot,
        )
        for row in table.rows:
            unit = wanted.get((row.level, row.code))
            if unit is not None:
                actuals[unit][index] = _actual_units(row.value(column), metric)
    return actuals


def period_actuals(
    *, basis: Basis, metric: str, units: list[Unit], org: PlanOrg, user: User | SystemActor
) -> dict[Unit, int]:
    """Each unit's actual over the 12 months of `basis` (via the indicator engine)."""
    column = ACTUAL_COLUMN[metric]
    wanted = {_indicator_key(unit, org): unit for unit in units}
    actuals = dict.fromkeys(units, 0)
    year, month = basis.end_month
    table = indicator_table(start=basis.start, end=month_end(year=year, month=month), user=user)
    for row in table.rows:
        unit = wanted.get((row.level, row.code))
        if unit is not None:
            actuals[unit] = _actual_units(row.value(column), metric)
    return actuals


def history_years(*, today: date) -> list[int]:
    """The complete years (before today's) in which anyone recorded sales, invoices or
    expenses: the reference years a page offers (one query, on the monthly rollups)."""
    months = RollupMonth.objects.filter(month__lt=date(today.year, 1, 1)).order_by()
    return sorted({day.year for day in months.dates("month", "year")}, reverse=True)


def _actual_units(value, metric: str) -> int:
    """An actual as whole units; negative (a margin loss) counts as no history."""
    if value is None:
        return 0
    units = int(value) if is_count(metric) else int(Decimal(value) * 100)
    return max(units, 0)


# --- progressive targets ----------------------------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    """Next year's proposed target of a unit: the basis' actual × (1 + growth), at least last
    year's target; the ideal is the realistic × (1 + uplift) (whole units)."""

    unit: Unit
    label: str
    actual: int
    target: tuple[int, int] | None
    realistic: int
    ideal: int


@dataclass(frozen=True)
class Proposals:
    """A page of proposals: the period their actuals are from, the ideal's uplift, the rows;
    `has_history` is False when no unit has actuals in the basis."""

    basis: Basis
    uplift: Uplift
    target_year: int
    rows: list[Proposal]

    @property
    def has_history(self) -> bool:
        return any(row.actual for row in self.rows)


def _grow(units: int, growth_rate: Decimal) -> int:
    return int((Decimal(units) * (1 + growth_rate)).to_integral_value(rounding=ROUND_CEILING))


def target_proposals(
    *,
    plan: SalesPlan,
    metric: str,
    parent: Unit,
    growth_rate: Decimal,
    user: User | SystemActor,
    basis: str = HistoryBasis.LAST_YEAR,
    reference_year: int | None = None,
    today: date | None = None,
) -> Proposals:
    """Proposals for the plan's year for a unit and its visible children, from the actuals
    of a complete period (`targets.history`: the last complete year by default, never a
    running one) and last year's targets; nothing is saved. The units are those `user`
    sees; their actuals and targets are their whole ones (read as SYSTEM)."""
    if metric not in Metric.values:
        raise ValidationError({"metric": [_("Unknown metric: %(metric)s.") % {"metric": metric}]})
    if growth_rate <= -1 or growth_rate > 10:
        raise ValidationError({"growth_rate": [_("Enter a growth rate between -100% and 1000%.")]})
    period = history_basis(
        kind=basis,
        plan_year=plan.year,
        today=today or timezone.localdate(),
        reference_year=reference_year,
    )
    org = plan_org()
    units = [parent, *visible_children(user=user, org=org, unit=parent)]
    actuals = period_actuals(basis=period, metric=metric, units=units, org=org, user=SYSTEM)
    previous = SalesPlan.objects.filter(year=plan.year - 1).first()
    prior_annual = plan_values(plan=previous, metrics=(metric,), user=SYSTEM) if previous else None
    last_year = _year_sums(year=plan.year - 1, metric=metric)
    uplift = plan_uplift(plan=plan, metric=metric)
    proposals = []
    for unit in units:
        target = (prior_annual.year(unit, metric) if prior_annual else None) or last_year.get(unit)
        realistic = _grow(actuals[unit], growth_rate)
        if target is not None:
            realistic = max(realistic, target[0])
        proposals.append(
            Proposal(
                unit=unit,
                label=org.label(unit),
                actual=actuals[unit],
                target=target,
                realistic=realistic,
                ideal=uplift.ideal(realistic),
            )
        )
    return Proposals(basis=period, uplift=uplift, target_year=plan.year - 1, rows=proposals)


def plan_uplift(*, plan: SalesPlan, metric: str) -> Uplift:
    """The uplift of the plan's proposed ideal targets: the plan's own, else the ratio of the
    year before's targets of the metric (its plan's annual targets, else its monthly
    targets, summed over every unit), else the default (`targets.history`)."""
    year = plan.year - 1
    sums = None
    if plan.ideal_uplift is None:
        sums = _ratio_sums(
            AnnualTarget.objects.filter(plan__year=year, metric=metric)
        ) or _ratio_sums(Target.objects.filter(year=year, metric=metric))
    return ideal_uplift(
        plan_uplift=plan.ideal_uplift,
        plan_title=plan.title,
        year=year,
        metric=metric,
        last_year_sums=sums,
    )


def _ratio_sums(rows) -> tuple[int, int] | None:
    """Σ realistic and Σ ideal of target rows in whole cents (None when there are none)."""
    totals = rows.order_by().aggregate(realistic=sum_cents("realistic"), ideal=sum_cents("ideal"))
    if not totals["realistic"]:
        return None
    return int(totals["realistic"]), int(totals["ideal"] or 0)


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
