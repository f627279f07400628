"""Rules that apps above sales attach to sales writes: order checks, order effects, visit surveys.

Sales sits below customers in the layers, so it cannot call customers' credit control,
lifecycle or care itself; customers registers them here at startup instead, in
`salesorg.customers.sales_rules.sales_rules_register()`, called from `CustomersConfig.ready()`
(src/salesorg/customers/apps.py). What it registers:

- order check "credit" (customers.services.credit): on every write of an order or one of its
  lines, holds the order for a manager's credit approval when needed; its notice is the warning
  shown to whoever entered the order;
- order effect "lifecycle" (customers.services.customers): after an order is saved, the
  customer's lifecycle stage is recomputed;
- visit survey "satisfaction" (customers.services.care): the satisfaction score given on the
  visit form is recorded as the visit's survey.

Registering again under the same name replaces the rule, so a second `ready()` adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from django.contrib.auth.models import User

from salesorg.sales.models import Order, Visit

Snapshot = TypeVar("Snapshot")


@dataclass(frozen=True)
class OrderCheck(Generic[Snapshot]):
    """A rule run on every write of an order or one of its lines.

    `snapshot` reads what the rule needs of the order before the write (given the order's id,
    None for a new order); `apply` runs after the write with that snapshot; `notice` is the
    warning for whoever entered the order, or None.
    """

    name: str
    snapshot: Callable[[int | None], Snapshot]
    apply: Callable[[Order, User, Snapshot], object]
    notice: Callable[[Order], str | None]


OrderEffect = Callable[[Order], object]


class VisitSurveyRecorder(Protocol):
    """Records the satisfaction score and comment given on the visit form."""

    def __call__(
        self, *, visit: Visit, overall: int | None, comment: str, actor: User
    ) -> object: ...


_order_checks: dict[str, OrderCheck[Any]] = {}
_order_effects: dict[str, OrderEffect] = {}
_visit_survey_recorders: dict[str, VisitSurveyRecorder] = {}


def order_check_register(check: OrderCheck[Any]) -> None:
    """Run `check` on every write of an order or one of its lines."""
    _order_checks[check.name] = check


def order_effect_register(name: str, effect: OrderEffect) -> None:
    """Run `effect` after an order (header and lines) is saved."""
    _order_effects[name] = effect


def visit_survey_recorder_register(name: str, recorder: VisitSurveyRecorder) -> None:
    """Record the visit form's satisfaction survey with `recorder`."""
    _visit_survey_recorders[name] = recorder


def order_snapshots(order_id: int | None) -> dict[str, Any]:
    """What each order check needs of the order before it is written."""
    return {name: check.snapshot(order_id) for name, check in _order_checks.items()}


def order_checks_apply(*, order: Order, actor: User, snapshots: dict[str, Any]) -> None:
    """Run each order check after a write, with the snapshot taken before it."""
    for name, check in _order_checks.items():
        check.apply(order, actor, snapshots[name])


def order_effects_apply(*, order: Order) -> None:
    """Run the effects that follow a saved order."""
    for effect in _order_effects.values():
        effect(order)


def order_notices(*, order: Order) -> list[str]:
    """The warnings for whoever just entered `order` (e.g. that it awaits credit approval)."""
    notices = (check.notice(order) for check in _order_checks.values())
    return [notice for notice in notices if notice]


def visit_survey_record(*, visit: Visit, overall: int | None, comment: str, actor: User) -> None:
    """Record the satisfaction survey given on the visit form."""
    for recorder in _visit_survey_recorders.values():
        recorder(visit=visit, overall=overall, comment=comment, actor=actor)
