"""The customers app's daily jobs (run by `salesorg scheduler`) and the refresh after an import."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesorg.core.scheduler import ScheduledJob, register_job
from salesorg.customers.models import Customer
from salesorg.customers.services.credit import customers_evaluate
from salesorg.customers.services.customers import customers_lifecycle_recompute


def lifecycle_job() -> dict[str, Any]:
    """Recompute every customer's lifecycle stage as of today."""
    counts = customers_lifecycle_recompute()
    changed = counts.pop("changed")
    return {"customers": sum(counts.values()), "changed": changed}


def evaluation_job() -> dict[str, Any]:
    """Evaluate every customer as of today (downgrades open their root-cause records)."""
    run = customers_evaluate(as_of=timezone.localdate())
    return {
        "evaluated": run.evaluated,
        "downgrades": run.downgrades,
        "root_causes": run.root_causes_opened,
    }


def customers_refresh(*, customer_ids: Iterable[int] | None) -> int:
    """Bring the lifecycle stage and rating of these customers (None: of every customer) up
    to date after an import wrote them or their orders, invoices, payments or visits;
    returns how many were evaluated."""
    if customer_ids is None:
        customers_lifecycle_recompute()
        return customers_evaluate(as_of=timezone.localdate()).evaluated
    ids = sorted(set(customer_ids))
    if not ids:
        return 0
    customers_lifecycle_recompute(customers=Customer.objects.filter(pk__in=ids))
    customers_evaluate(as_of=timezone.localdate(), customer_ids=ids)
    return len(ids)


def jobs_register() -> None:
    """Lifecycle first, then the evaluation that reads it, early each morning."""
    register_job(
        ScheduledJob(
            name="customer-lifecycle",
            label=_("Customer lifecycle"),
            run=lifecycle_job,
            summary=_("%(customers)s customers, %(changed)s changed stage"),
            hour=1,
        )
    )
    register_job(
        ScheduledJob(
            name="evaluate-customers",
            label=_("Customer evaluation"),
            run=evaluation_job,
            summary=_(
                "%(evaluated)s customers evaluated, %(downgrades)s downgrades, "
                "%(root_causes)s root-cause records opened"
            ),
            hour=1,
            minute=30,
        )
    )
