"""Helpers of the revision tests: a plan decomposed top-down that adds up everywhere."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from salesorg.targets.choices import Split
from salesorg.targets.models import PlanStatus, SalesPlan, Target
from salesorg.targets.selectors.plans import plan_org
from salesorg.targets.services.decomposition import plan_unit_decompose
from salesorg.targets.units import COMPANY
from tests.targets.plan_helpers import YEAR, plan_with_target


def decomposed_plan(org_tree, *, year: int = YEAR, realistic: str = "1200000") -> SalesPlan:
    """A draft plan whose company sales target is split evenly down to every person."""
    plan = plan_with_target(unit=COMPANY, realistic=realistic, year=year)
    director = org_tree.user("director")
    org = plan_org()
    for unit in org.units():
        if unit.owner_type == "person":
            continue
        plan_unit_decompose(
            plan=plan, unit=unit, metric="sales", actor=director,
            months=Split.EVEN if unit == COMPANY else Split.KEEP, children=Split.EVEN,
        )  # fmt: skip
    return plan


def published_plan(org_tree, *, year: int = YEAR) -> SalesPlan:
    """Given: a decomposed plan that was published (1,200,000 a year, 100,000 a month)."""
    plan = decomposed_plan(org_tree, year=year)
    plan.status = PlanStatus.PUBLISHED
    plan.published_by = org_tree.people["director"]
    plan.published_at = timezone.now()
    plan.save()
    return plan


def month_target(person, month: int, *, year: int = YEAR) -> Decimal:
    return Target.objects.get(person=person, year=year, month=month, metric="sales").realistic
