"""What customers attaches to sales writes (salesorg.sales.rules): credit holds on orders, the
lifecycle stage after an order, the satisfaction survey taken on a visit."""

from __future__ import annotations

from django.contrib.auth.models import User

from salesorg.customers.selectors.credit import credit_hold_message
from salesorg.customers.services.care import visit_survey_record
from salesorg.customers.services.credit import Baseline, order_baseline, order_credit_check
from salesorg.customers.services.customers import customer_lifecycle_recompute
from salesorg.sales.models import Order
from salesorg.sales.rules import (
    OrderCheck,
    order_check_register,
    order_effect_register,
    visit_survey_recorder_register,
)


def _credit_check(order: Order, actor: User, baseline: Baseline | None) -> None:
    order_credit_check(order=order, actor=actor, baseline=baseline)


def _lifecycle_recompute(order: Order) -> None:
    customer_lifecycle_recompute(customer=order.customer)


def sales_rules_register() -> None:
    """Attach credit control, the lifecycle and visit surveys to sales writes (at startup)."""
    order_check_register(
        OrderCheck(
            name="credit",
            snapshot=order_baseline,
            apply=_credit_check,
            notice=credit_hold_message,
        )
    )
    order_effect_register("lifecycle", _lifecycle_recompute)
    visit_survey_recorder_register("satisfaction", visit_survey_record)
