"""Customer lifecycle (prospect → new → established → dormant → lost) derived from orders.

The stage of a customer on a date follows from its confirmed orders up to that date and
the thresholds in `CareSettings`:

- no confirmed order yet: prospect (since the customer was created);
- the last order `lost_after_days` or more days ago: lost;
- the last order `dormant_after_days` or more days ago: dormant;
- the first order `established_after_months` or more months ago: established;
- otherwise: new (since its first order).

Each stage's start date follows from the same dates, so a recompute is idempotent.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max, Min, Q
from django.utils import timezone

from salesorg.customers.choices import LifecycleStage
from salesorg.customers.models import CareSettings, Customer
from salesorg.sales.choices import OrderStatus

UPDATE_BATCH = 1000


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clipped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Thresholds:
    """The lifecycle thresholds of `CareSettings`, read once per run."""

    established_after_months: int = 12
    dormant_after_days: int = 90
    lost_after_days: int = 365

    @classmethod
    def current(cls) -> Thresholds:
        settings = CareSettings.current()
        return cls(
            established_after_months=settings.established_after_months,
            dormant_after_days=settings.dormant_after_days,
            lost_after_days=settings.lost_after_days,
        )


def lifecycle_stage(
    *,
    created: date | None,
    first_order: date | None,
    last_order: date | None,
    as_of: date,
    thresholds: Thresholds,
) -> tuple[str, date | None]:
    """The stage on `as_of` and the date it began, from the first and last order dates."""
    if first_order is None or last_order is None:
        return LifecycleStage.PROSPECT, created
    idle = (as_of - last_order).days
    if idle >= thresholds.lost_after_days:
        return LifecycleStage.LOST, last_order + timedelta(days=thresholds.lost_after_days)
    if idle >= thresholds.dormant_after_days:
        return LifecycleStage.DORMANT, last_order + timedelta(days=thresholds.dormant_after_days)
    established_on = add_months(first_order, thresholds.established_after_months)
    if established_on <= as_of:
        return LifecycleStage.ESTABLISHED, established_on
    return LifecycleStage.NEW, first_order


def _with_order_dates(customers, as_of: date):
    counted = Q(orders__status=OrderStatus.CONFIRMED, orders__order_date__lte=as_of)
    return customers.annotate(
        first_order=Min("orders__order_date", filter=counted),
        last_order=Max("orders__order_date", filter=counted),
    )


@transaction.atomic
def customers_lifecycle_recompute(
    *, as_of: date | None = None, customers=None, thresholds: Thresholds | None = None
) -> dict[str, int]:
    """Recompute the stage of all (or the given) customers set-based; count changes by stage.

    One query reads every customer's first and last confirmed order; changed rows are
    written in batches of UPDATE_BATCH.
    """
    as_of = as_of or timezone.localdate()
    thresholds = thresholds or Thresholds.current()
    queryset = customers if customers is not None else Customer.objects.all()
    rows = _with_order_dates(queryset.order_by(), as_of).values_list(
        "pk", "created_date", "lifecycle_stage", "lifecycle_since", "first_order", "last_order"
    )
    changed: list[Customer] = []
    counts: dict[str, int] = {stage: 0 for stage in LifecycleStage.values}
    for pk, created, stage, since, first, last in rows.iterator(chunk_size=2000):
        new_stage, new_since = lifecycle_stage(
            created=created, first_order=first, last_order=last, as_of=as_of, thresholds=thresholds
        )
        counts[new_stage] += 1
        if (new_stage, new_since) != (stage, since):
            changed.append(Customer(pk=pk, lifecycle_stage=new_stage, lifecycle_since=new_since))
    Customer.objects.bulk_update(
        changed, ["lifecycle_stage", "lifecycle_since"], batch_size=UPDATE_BATCH
    )
    counts["changed"] = len(changed)
    return counts


def customer_lifecycle_recompute(*, customer: Customer, as_of: date | None = None) -> str:
    """Recompute one customer's stage (after a new order); return the stage."""
    customers_lifecycle_recompute(as_of=as_of, customers=Customer.objects.filter(pk=customer.pk))
    customer.refresh_from_db(fields=["lifecycle_stage", "lifecycle_since"])
    return customer.lifecycle_stage
