"""Helpers of the scorecard and meeting tests: a published policy and some sales."""

from datetime import date
from decimal import Decimal

from salesorg.performance.services.policies import policy_publish, policy_save
from tests.factories import CustomerFactory, OrderFactory, OrderLineFactory, TargetFactory

RULES = [
    {
        "indicator": "sales_achievement",
        "weight": "60",
        "bands": "0 0.8 0 0\n0.8 1 60 100\n1 - 100",
        "cap": "120",
        "ideal_bonus": "10",
    },
    {
        "indicator": "new_customers",
        "weight": "40",
        "bands": "1 2 50 50\n2 - 100",
        "cap": "",
        "ideal_bonus": "0",
    },
]


def published(org_tree, *, effective_from=date(2025, 1, 1), base=Decimal("1000.00")):
    """A published policy (director's), version effective from `effective_from`."""
    director = org_tree.user("director")
    policy = policy_save(
        actor=director,
        name="激励政策",
        effective_from=effective_from,
        rules=RULES,
        bonus_base=base,
        bonus_tiers="50 0.5\n80 1\n100 1.5",
    )
    return policy_publish(actor=director, policy=policy)


def sell(rep, *, amount: str, day=date(2026, 1, 15), customer=None):
    """A confirmed order of `amount` for `rep` on `day` (a new customer unless given)."""
    customer = customer or CustomerFactory(owner=rep)
    order = OrderFactory(rep=rep, customer=customer, order_date=day)
    OrderLineFactory(order=order, amount=Decimal(amount), cost=Decimal("0"))
    return customer


def target(rep, *, realistic: str, ideal: str | None = None, year=2026, month=1):
    return TargetFactory(
        person=rep,
        year=year,
        month=month,
        realistic=Decimal(realistic),
        ideal=Decimal(ideal or realistic),
    )
