"""The sales demo's monthly targets: each rep's near their own pace, the team's and the
company's above the sum of their people's."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from salesorg.core.money import CENT
from salesorg.demo.records import ONE, SEASONALITY, SalesGenerator
from salesorg.org.models import Membership
from salesorg.sales.choices import OrderStatus, VisitKind
from salesorg.sales.models import Order
from salesorg.targets.choices import Metric, OwnerType
from salesorg.targets.models import Target


def targets_create(generator: SalesGenerator) -> None:
    """Monthly person targets near each rep's own pace, then the team and company rows."""
    rng = generator.rng(9)
    pace = _paces(generator)
    targets: list[Target] = []
    person_targets: dict[tuple[int, int, int, str], Decimal] = {}
    for seller in generator.sellers:
        rep = seller.person
        rep_pace = pace[rep.id]
        ambition = _factor(seller.ambition)
        expense_budget = _round_to(rep_pace["expenses"] * Decimal("1.05"), 100)
        for year in (generator.today.year - 1, generator.today.year):
            growth = Decimal("0.95") if year < generator.today.year else Decimal("1.05")
            for month in range(1, 13):
                first = date(year, month, 1)
                if first < rep.hire_date.replace(day=1) or (
                    rep.leave_date and first > rep.leave_date
                ):
                    continue
                wobble = _factor(rng.uniform(0.95, 1.05))
                season = _factor(SEASONALITY[month])
                sales_target = _round_to(
                    rep_pace["sales"] * season * ambition * growth * wobble, 1000
                )
                workdays = len(generator.workdays_by_month.get((year, month), []))
                visits = _round_to(rep_pace["visits"] * workdays * ambition, 1)
                new_customers = rep_pace["new_customers"] * ambition
                prospects = rep_pace["prospects_added"] * ambition
                values = {
                    Metric.SALES: (sales_target, _round_to(sales_target * Decimal("1.15"), 1)),
                    Metric.GROSS_MARGIN: (
                        _round_to(sales_target * rep_pace["margin_ratio"], 100),
                        _round_to(sales_target * rep_pace["margin_ratio"] * Decimal("1.15"), 100),
                    ),
                    Metric.COLLECTIONS: (
                        _round_to(sales_target * Decimal("0.95"), 1000),
                        _round_to(sales_target * Decimal("1.05"), 1000),
                    ),
                    Metric.VISITS: (visits, _round_to(visits * Decimal("1.2"), 1)),
                    Metric.NEW_CUSTOMERS: (
                        _spread(new_customers, month),
                        _spread(new_customers * Decimal("1.5"), month),
                    ),
                    Metric.PROSPECTS_ADDED: (
                        _spread(prospects, month),
                        _spread(prospects * Decimal("1.5"), month),
                    ),
                    # A budget has no stretch: the ideal is the realistic one.
                    Metric.EXPENSE_BUDGET: (expense_budget, expense_budget),
                }
                for metric, (realistic, ideal) in values.items():
                    person_targets[(rep.id, year, month, metric)] = realistic
                    targets.append(
                        Target(
                            owner_type=OwnerType.PERSON,
                            person_id=rep.id,
                            year=year,
                            month=month,
                            metric=metric,
                            realistic=realistic,
                            ideal=max(ideal, realistic),
                        )
                    )
    targets += _unit_targets(generator, person_targets)
    generator.save(Target, targets, "targets")


def _unit_targets(
    generator: SalesGenerator, person_targets: dict[tuple[int, int, int, str], Decimal]
) -> list[Target]:
    """This year: the first team's own sales and margin rows, above the sum of its members,
    and the company's sales rows, above the sum of everyone's."""
    year = generator.today.year
    team = generator.company.teams[0]
    members = list(
        Membership.objects.filter(team=team).values_list("person_id", "start_date", "end_date")
    )
    rep_ids = [seller.person.id for seller in generator.sellers]
    targets: list[Target] = []
    for month in range(1, 13):
        first = date(year, month, 1)
        member_ids = [
            person_id
            for person_id, start, end in members
            if start <= first and (end is None or first <= end)
        ]
        for metric in (Metric.SALES, Metric.GROSS_MARGIN):
            total = sum(
                (person_targets.get((pid, year, month, metric), 0) for pid in member_ids),
                Decimal(0),
            )
            realistic = _round_to(total * Decimal("1.05"), 10_000)
            targets.append(
                Target(
                    owner_type=OwnerType.TEAM,
                    team=team,
                    year=year,
                    month=month,
                    metric=metric,
                    realistic=realistic,
                    ideal=_round_to(realistic * Decimal("1.15"), 10_000),
                )
            )
        total = sum(
            (person_targets.get((pid, year, month, Metric.SALES), 0) for pid in rep_ids),
            Decimal(0),
        )
        realistic = _round_to(total * Decimal("1.03"), 10_000)
        targets.append(
            Target(
                owner_type=OwnerType.COMPANY,
                year=year,
                month=month,
                metric=Metric.SALES,
                realistic=realistic,
                ideal=_round_to(realistic * Decimal("1.12"), 10_000),
            )
        )
    return targets


def _paces(generator: SalesGenerator) -> dict[int, dict[str, Decimal]]:
    """Per rep, what they achieved in the generated records: sales per average month
    (seasonality taken out), margin ratio, visits per workday, new customers, prospects
    added and expenses per month."""
    sales: dict[int, Decimal] = defaultdict(Decimal)
    margin: dict[int, Decimal] = defaultdict(Decimal)
    counts: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    first_orders: dict[int, Order] = {}
    for order in generator.orders:  # sorted by date and code
        if order.status == OrderStatus.CONFIRMED:
            sales[order.rep_id] += order.total
            margin[order.rep_id] += order.total - order.cost_total
            first_orders.setdefault(order.customer_id, order)
    for order in first_orders.values():
        if order.account.customer.created_date >= generator.start:
            counts["new_customers"][order.rep_id] += 1
    for account in generator.accounts:
        if account.customer.created_date >= generator.start:
            counts["prospects_added"][account.stints[0][0]] += 1
    for visit in generator.visits:
        if visit.kind != VisitKind.SERVICE:
            counts["visits"][visit.rep_id] += 1
    spent: dict[int, Decimal] = defaultdict(Decimal)
    for expense in generator.expenses:
        spent[expense.rep_id] += expense.amount
    paces: dict[int, dict[str, Decimal]] = {}
    for seller in generator.sellers:
        rep_id = seller.person.id
        seasons = months = Decimal(0)
        employed_days = 0
        for key in generator.months():
            month_days = generator.workdays_by_month.get(key, [])
            days = sum(1 for day in month_days if day <= generator.today and seller.employed(day))
            if days:
                share = Decimal(days) / len(month_days)
                seasons += _factor(SEASONALITY[key[1]]) * share
                months += share
                employed_days += days
        seasons, months = seasons or ONE, months or ONE
        paces[rep_id] = {
            "sales": sales[rep_id] / seasons,
            "margin_ratio": margin[rep_id] / sales[rep_id] if sales[rep_id] else Decimal("0.3"),
            "visits": Decimal(counts["visits"][rep_id]) / max(1, employed_days),
            "new_customers": counts["new_customers"][rep_id] / months,
            "prospects_added": counts["prospects_added"][rep_id] / months,
            "expenses": spent[rep_id] / months,
        }
    return paces


def _factor(value: float) -> Decimal:
    """A random or tabled factor as a Decimal with four places, so money maths stays Decimal."""
    return Decimal(f"{value:.4f}")


def _spread(per_month: Decimal, month: int) -> Decimal:
    """Month `month`'s share of a yearly count target spread evenly in whole units."""
    yearly = int((per_month * 12).quantize(ONE, rounding=ROUND_HALF_UP))
    return Decimal(yearly * month // 12 - yearly * (month - 1) // 12).quantize(CENT)


def _round_to(value: Decimal, unit: int) -> Decimal:
    """A target rounded half up to a whole `unit` (1000 CNY, 100 CNY, one visit), in cents."""
    steps = (Decimal(value) / unit).quantize(ONE, rounding=ROUND_HALF_UP)
    return (steps * unit).quantize(CENT)
