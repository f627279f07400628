"""Helpers of the planning tests: a plan with an annual target, sales history."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from salesorg.targets.models import AnnualTarget, SalesPlan
from salesorg.targets.units import COMPANY, Unit
from tests.factories import CustomerFactory, OrderFactory, OrderLineFactory

YEAR = 2027


def team_unit(org_tree, key: str = "east1") -> Unit:
    return Unit("team", org_tree.teams[key].pk)


def region_unit(org_tree, key: str = "east") -> Unit:
    return Unit("region", org_tree.regions[key].pk)


def person_unit(org_tree, key: str) -> Unit:
    return Unit("person", org_tree.people[key].pk)


def plan_with_target(
    *, unit: Unit, realistic: str, ideal: str | None = None, metric: str = "sales", year=YEAR
) -> SalesPlan:
    """A draft plan whose `unit` has an annual target."""
    plan, _created = SalesPlan.objects.get_or_create(year=year, defaults={"title": f"{year}计划"})
    annual_target(plan=plan, unit=unit, realistic=realistic, ideal=ideal, metric=metric)
    return plan


def annual_target(*, plan, unit: Unit, realistic: str, ideal: str | None = None, metric="sales"):
    fields = {"owner_type": unit.owner_type}
    if unit != COMPANY:
        fields[f"{unit.owner_type}_id"] = unit.id
    return AnnualTarget.objects.create(
        plan=plan,
        metric=metric,
        realistic=Decimal(realistic),
        ideal=Decimal(ideal or realistic),
        **fields,
    )


def sell(*, rep, day: date, amount: str) -> None:
    """A confirmed order of `amount` by `rep` on `day`."""
    customer = CustomerFactory(owner=rep)
    order = OrderFactory(customer=customer, rep=rep, order_date=day)
    OrderLineFactory(order=order, amount=Decimal(amount), cost=Decimal(0))
