"""Reads of customers' lifecycle over a period: per owner, the customers dormant at its end and
those lost during it (the stages of `customers.lifecycle`, as they stood on the period's end)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.models import User
from django.db.models import Max, Q

from salesorg.core.scoping import SystemActor
from salesorg.customers.choices import LifecycleStage
from salesorg.customers.lifecycle import Thresholds, lifecycle_stage
from salesorg.customers.models import Customer
from salesorg.sales.choices import OrderStatus


@dataclass(frozen=True)
class LapsedCustomers:
    """An owner's customers dormant on a period's last day, and those lost during it."""

    dormant: int = 0
    lost: int = 0


def lapsed_customers(
    *, user: User | SystemActor, owner_ids: Iterable[int], start: date, end: date
) -> dict[int, LapsedCustomers]:
    """Per owner: customers dormant on `end` and customers that turned lost in [start, end].

    A stage follows from the last confirmed order up to `end` and the `CareSettings`
    thresholds (customers.lifecycle); a customer turns lost `lost_after_days` after its
    last order. One query for the thresholds, one for the customers.
    """
    thresholds = Thresholds.current()
    counted = Q(orders__status=OrderStatus.CONFIRMED, orders__order_date__lte=end)
    rows = (
        Customer.objects.visible_to(user)
        .filter(owner_id__in=list(owner_ids))
        .annotate(last_order=Max("orders__order_date", filter=counted))
        .filter(
            last_order__gte=start - timedelta(days=thresholds.lost_after_days),
            last_order__lte=end - timedelta(days=thresholds.dormant_after_days),
        )
        .order_by()
        .values_list("owner_id", "last_order")
    )
    counts: dict[int, Counter] = defaultdict(Counter)
    for owner_id, last_order in rows:
        stage, since = lifecycle_stage(
            created=None,
            first_order=last_order,
            last_order=last_order,
            as_of=end,
            thresholds=thresholds,
        )
        if stage == LifecycleStage.DORMANT:
            counts[owner_id]["dormant"] += 1
        elif stage == LifecycleStage.LOST and since is not None and since >= start:
            counts[owner_id]["lost"] += 1
    return {owner_id: LapsedCustomers(**counter) for owner_id, counter in counts.items()}
