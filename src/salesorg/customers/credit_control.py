"""Credit control: an order entered on screen or through the API that takes its customer past
the credit limit (open receivables + this order > limit), or is placed while the customer has
invoices more than 90 days overdue, waits for a manager's credit approval.

Imported historic orders (the interchange importer) never pass through here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import BigIntegerField, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesorg.core.money import cents, sum_cents
from salesorg.core.problems import Problems
from salesorg.core.roles import Role, role_of
from salesorg.core.scoping import scope_for
from salesorg.core.stored_text import money_param, stored_message, stored_params, stored_text
from salesorg.customers.models import CreditApproval, CreditApprovalStatus
from salesorg.sales.choices import OrderStatus

OVERDUE_DAYS = 90
ZERO = Decimal("0")


class CreditDecision:
    APPROVE = "approve"
    REJECT = "reject"
    CHOICES = (APPROVE, REJECT)


@dataclass(frozen=True)
class CreditPosition:
    """A customer's receivables as of a day, for credit control."""

    open_receivables: Decimal
    overdue_over_90: Decimal
    credit_limit: Decimal | None


@dataclass(frozen=True)
class Baseline:
    """An order as it was before a write (None for a new order)."""

    status: str
    amount: Decimal


def order_amount(order_id: int) -> Decimal:
    """The total of an order's lines."""
    from salesorg.sales.models import OrderLine

    total = OrderLine.objects.filter(order_id=order_id).aggregate(total=sum_cents("amount"))
    return Decimal(total["total"] or 0) / 100


def order_baseline(order_id: int | None) -> Baseline | None:
    """The stored status and amount of an order, before it is changed."""
    from salesorg.sales.models import Order

    if order_id is None:
        return None
    status = Order.objects.filter(pk=order_id).values_list("status", flat=True).first()
    return None if status is None else Baseline(status=status, amount=order_amount(order_id))


def customer_credit_position(*, customer, today: date | None = None) -> CreditPosition:
    """Open receivables and what is more than 90 days overdue (two aggregate queries)."""
    from salesorg.sales.models import Invoice, Payment

    today = today or timezone.localdate()
    late = today - timedelta(days=OVERDUE_DAYS)
    invoices = Invoice.objects.filter(customer=customer).aggregate(
        total=sum_cents("amount"), late=_late_cents("amount", _due_before(late))
    )
    payments = Payment.objects.filter(invoice__customer=customer).aggregate(
        total=sum_cents("amount"), late=_late_cents("amount", _due_before(late, "invoice__"))
    )

    def dec(value) -> Decimal:
        return Decimal(value or 0) / 100

    return CreditPosition(
        open_receivables=dec(invoices["total"]) - dec(payments["total"]),
        overdue_over_90=dec(invoices["late"]) - dec(payments["late"]),
        credit_limit=customer.credit_limit,
    )


def _late_cents(field: str, condition) -> Sum:
    return Sum(cents(field), filter=condition, output_field=BigIntegerField())


def _due_before(day: date, prefix: str = ""):
    from django.db.models import Q

    return Q(**{f"{prefix}due_date__lt": day})


CREDIT_LIMIT_EXCEEDED = stored_message(
    "customers.credit.limit_exceeded",
    gettext_lazy(
        "Open receivables %(open)s plus this order %(amount)s exceed the credit limit %(limit)s."
    ),
    formats={"open": money_param, "amount": money_param, "limit": money_param},
)
CREDIT_OVERDUE = stored_message(
    "customers.credit.overdue",
    gettext_lazy("The customer has %(amount)s of invoices more than %(days)s days overdue."),
    formats={"amount": money_param},
)


def credit_reason_keys(*, position: CreditPosition, amount: Decimal) -> list[dict]:
    """Why an order of `amount` needs credit approval, as stored reasons (key and
    parameters); empty when it does not."""
    reasons = []
    if position.credit_limit is not None and position.open_receivables + amount > (
        position.credit_limit
    ):
        reasons.append(
            {
                "key": CREDIT_LIMIT_EXCEEDED.key,
                "params": stored_params(
                    {
                        "open": position.open_receivables,
                        "amount": amount,
                        "limit": position.credit_limit,
                    }
                ),
            }
        )
    if position.overdue_over_90 > 0:
        reasons.append(
            {
                "key": CREDIT_OVERDUE.key,
                "params": stored_params({"amount": position.overdue_over_90, "days": OVERDUE_DAYS}),
            }
        )
    return reasons


def credit_reasons(*, position: CreditPosition, amount: Decimal) -> list[str]:
    """Why an order of `amount` needs credit approval, in the active language."""
    return [
        stored_text(reason["key"], reason["params"])
        for reason in credit_reason_keys(position=position, amount=amount)
    ]


def _set_status(order, status: str) -> None:
    if order.status != status:
        order.status = status
        order.save(update_fields=["status"])


@transaction.atomic
def order_credit_check(*, order, actor, baseline: Baseline | None) -> CreditApproval | None:
    """Hold an order entered on screen or through the API for credit approval when needed.

    Checked when an order is created, confirmed again or grows; an approval covers the
    approved amount. Returns the pending approval when the order is held, else None.
    """
    approval = CreditApproval.objects.select_for_update().filter(order=order).first()
    if order.status == OrderStatus.CANCELLED:
        if approval and approval.status == CreditApprovalStatus.PENDING:
            approval.status = CreditApprovalStatus.WITHDRAWN
            approval.save()
        return None
    amount = order_amount(order.pk)
    if approval and approval.status == CreditApprovalStatus.APPROVED:
        if amount <= approval.order_amount:
            _set_status(order, OrderStatus.CONFIRMED)
            return None
    elif (
        baseline is not None
        and baseline.status == OrderStatus.CONFIRMED
        and order.status == OrderStatus.CONFIRMED
        and amount <= baseline.amount
    ):
        return None  # an order already confirmed that does not grow is not re-checked
    position = customer_credit_position(customer=order.customer)
    reasons = credit_reason_keys(position=position, amount=amount)
    if not reasons:
        if approval and approval.status == CreditApprovalStatus.PENDING:
            approval.status = CreditApprovalStatus.WITHDRAWN
            approval.save()
        _set_status(order, OrderStatus.CONFIRMED)
        return None
    approval = approval or CreditApproval(order=order)
    approval.status = CreditApprovalStatus.PENDING
    approval.reason_keys = reasons
    approval.reasons = "\n".join(stored_text(r["key"], r["params"]) for r in reasons)
    approval.order_amount = amount
    approval.open_receivables = position.open_receivables
    approval.overdue_over_90 = position.overdue_over_90
    approval.credit_limit = position.credit_limit
    approval.requested_by = actor if getattr(actor, "is_authenticated", False) else None
    approval.requested_at = timezone.now()
    approval.decided_by = None
    approval.decided_at = None
    approval.comment = ""
    approval.save()
    _set_status(order, OrderStatus.AWAITING_CREDIT)
    return approval


def credit_hold_message(order) -> str | None:
    """The warning to show whoever entered an order that is now held (None otherwise)."""
    if order.status != OrderStatus.AWAITING_CREDIT:
        return None
    approval = CreditApproval.objects.filter(order=order).first()
    reasons = " ".join(approval.reason_texts) if approval else ""
    return _("This order awaits a manager's credit approval. %(reasons)s") % {"reasons": reasons}


def can_decide_credit(user, approval: CreditApproval) -> bool:
    """Leaders above the order's rep (not the rep themselves), director and admin."""
    role = role_of(user)
    if role in (Role.DIRECTOR, Role.ADMIN):
        return True
    if role not in (Role.MANAGER, Role.REGION_HEAD):
        return False
    scope = scope_for(user)
    rep_id = approval.order.rep_id
    return rep_id in scope.person_ids and rep_id != scope.person_id


@transaction.atomic
def credit_approval_decide(
    *, approval: CreditApproval, actor, decision: str, comment: str = ""
) -> CreditApproval:
    """Approve a held order (it becomes confirmed) or reject it (it is cancelled)."""
    if not can_decide_credit(actor, approval):
        raise PermissionDenied
    approval = (
        CreditApproval.objects.select_for_update().select_related("order").get(pk=approval.pk)
    )
    problems = Problems()
    if approval.status != CreditApprovalStatus.PENDING:
        problems.add("status", _("This credit approval has already been decided."))
    if decision not in CreditDecision.CHOICES:
        problems.add("decision", _("Approve or reject the order."))
    if decision == CreditDecision.REJECT and not (comment or "").strip():
        problems.add("comment", _("Say why the order is rejected."))
    problems.raise_if_any()
    approved = decision == CreditDecision.APPROVE
    approval.status = CreditApprovalStatus.APPROVED if approved else CreditApprovalStatus.REJECTED
    approval.decided_by = actor
    approval.decided_at = timezone.now()
    approval.comment = (comment or "").strip()
    approval.save()
    _set_status(approval.order, OrderStatus.CONFIRMED if approved else OrderStatus.CANCELLED)
    return approval


def credit_approvals_list(*, user, status: str = "") -> QuerySet[CreditApproval]:
    """Credit approvals in scope, newest first (pending only by default)."""
    approvals = CreditApproval.objects.visible_to(user).select_related(
        "order", "order__customer", "order__rep", "decided_by"
    )
    if status in CreditApprovalStatus.values:
        approvals = approvals.filter(status=status)
    return approvals
