"""Writes of customer evaluation and credit (S19): evaluation runs (set-based) that open a
root-cause record on every downgrade and record whether earlier downgrades recovered,
re-evaluation on demand, the scoring model, and credit control (the root causes' own steps
are in services.root_causes).

Credit control: an order entered on screen or through the API that takes its customer past
the credit limit (open receivables + this order > limit), or is placed while the customer has
invoices more than 90 days overdue, waits for a manager's credit approval. Imported historic
orders (the interchange importer) never pass through here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import BigIntegerField, OuterRef, Q, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesorg.core.money import cents, sum_cents
from salesorg.core.problems import Problems
from salesorg.core.scoping import SYSTEM
from salesorg.core.stored_text import money_param, stored_message, stored_params, stored_text
from salesorg.customers.lifecycle import Thresholds
from salesorg.customers.models import (
    CreditApproval,
    CreditApprovalStatus,
    Customer,
    CustomerEvaluation,
    Rating,
    ScoringModel,
)
from salesorg.customers.permissions import (
    can_change_scoring_model,
    can_decide_credit,
    can_reevaluate,
)
from salesorg.customers.scoring import CustomerFacts, customer_rating
from salesorg.customers.selectors.credit import customer_facts
from salesorg.customers.services.root_causes import (
    root_causes_open,
    root_causes_owner_sync,
    root_causes_recovery_record,
)
from salesorg.sales.choices import OrderStatus
from salesorg.sales.models import Invoice, Order, OrderLine, Payment

EVALUATION_BATCH = 2000  # rows per upsert statement
EVALUATE_CHUNK = 10_000  # customers scored and stored at a time
# A whole run groups millions of fact rows by 100k customers: with PostgreSQL's default
# 4 MB its hash joins and aggregates spill to disk (~20 % of their time at 100k customers).
RUN_WORK_MEM = "64MB"


_UPSERT_POSTGRESQL = """
INSERT INTO {table} (customer_id, as_of, score, rating, previous_rating, rating_rule,
                     suggested_credit_limit, credit_limit, factors, evaluated_at)
SELECT given.customer_id, %s, given.score, given.rating, given.previous_rating,
       given.rating_rule, given.suggested_credit_limit, given.credit_limit, given.factors, %s
FROM jsonb_to_recordset(%s::jsonb) AS given(customer_id bigint, score numeric, rating text,
     previous_rating text, rating_rule text, suggested_credit_limit numeric,
     credit_limit numeric, factors jsonb)
ON CONFLICT (customer_id, as_of) DO UPDATE SET
  score = excluded.score, rating = excluded.rating, previous_rating = excluded.previous_rating,
  rating_rule = excluded.rating_rule, suggested_credit_limit = excluded.suggested_credit_limit,
  credit_limit = excluded.credit_limit, factors = excluded.factors,
  evaluated_at = excluded.evaluated_at
RETURNING customer_id, id"""


def _evaluations_store(evaluations: list[CustomerEvaluation], *, restricted: bool) -> None:
    """Insert or update evaluations (one date, one evaluation time) and set their ids.

    An upsert instead of loading the stored rows and bulk_update (a CASE per row and
    column, minutes for 100k rows): a re-run keeps the rows' ids and their root causes.
    On PostgreSQL each batch travels as one JSON document: Django's bulk upsert sends
    every column as an array literal, and escaping 100k factor breakdowns into a text
    array took psycopg 14 of the 40 s of a run; one JSON string is escaped in C.
    """
    if not evaluations:
        return
    if connection.vendor != "postgresql":
        _evaluations_bulk_upsert(evaluations, restricted=restricted)
        return
    sql = _UPSERT_POSTGRESQL.format(
        table=connection.ops.quote_name(CustomerEvaluation._meta.db_table)
    )
    first = evaluations[0]
    ids = {}
    with connection.cursor() as cursor:
        for start in range(0, len(evaluations), EVALUATION_BATCH):
            document = json.dumps(
                [
                    {
                        "customer_id": e.customer_id,
                        "score": str(e.score),
                        "rating": e.rating,
                        "previous_rating": e.previous_rating,
                        "rating_rule": e.rating_rule,
                        "suggested_credit_limit": str(e.suggested_credit_limit),
                        "credit_limit": (None if e.credit_limit is None else str(e.credit_limit)),
                        "factors": e.factors,
                    }
                    for e in evaluations[start : start + EVALUATION_BATCH]
                ]
            )
            cursor.execute(sql, [first.as_of, first.evaluated_at, document])
            ids.update(cursor.fetchall())
    for evaluation in evaluations:
        evaluation.pk = ids[evaluation.customer_id]


def _evaluations_bulk_upsert(evaluations: list[CustomerEvaluation], *, restricted: bool) -> None:
    """The ORM's bulk upsert: fast enough where parameters are not quoted by Python."""
    CustomerEvaluation.objects.bulk_create(
        evaluations,
        batch_size=EVALUATION_BATCH,
        update_conflicts=True,
        unique_fields=["customer", "as_of"],
        update_fields=[
            "score",
            "rating",
            "previous_rating",
            "rating_rule",
            "suggested_credit_limit",
            "credit_limit",
            "factors",
            "evaluated_at",
        ],
    )
    if evaluations[0].pk is None:  # databases that return no ids from upserts
        as_of = evaluations[0].as_of
        ids = dict(
            CustomerEvaluation.objects.filter(
                as_of=as_of, customer_id__in=[e.customer_id for e in evaluations]
            ).values_list("customer_id", "pk")
            if restricted
            else CustomerEvaluation.objects.filter(as_of=as_of).values_list("customer_id", "pk")
        )
        for evaluation in evaluations:
            evaluation.pk = ids[evaluation.customer_id]


@dataclass(frozen=True)
class EvaluationRun:
    """What one evaluation run did."""

    as_of: date
    evaluated: int
    downgrades: int
    root_causes_opened: int
    recoveries_checked: int = 0
    unrated: int = 0


@transaction.atomic
def customers_evaluate(*, as_of: date, customer_ids: Iterable[int] | None = None) -> EvaluationRun:
    """Evaluate every customer (or `customer_ids`) as of a date, set-based.

    A fixed number of queries whatever the number of customers (bulk inserts aside, which
    the database splits into batches): customers with their previous rating and credit
    limit, the factor facts, then one upsert of the evaluations. Re-running a date updates
    its evaluations in place (same ids); a downgrade opens its root-cause record once, owned
    by the customer's current owner; earlier downgrades learn whether they recovered.
    """
    if customer_ids is None and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # true: for this transaction only
            cursor.execute("SELECT set_config('work_mem', %s, true)", [RUN_WORK_MEM])
    if customer_ids is not None:
        customer_ids = list(customer_ids)
    root_causes_owner_sync(customer_ids=customer_ids)
    model = ScoringModel.current()
    dormant_after_days = Thresholds.current().dormant_after_days
    previous = (
        CustomerEvaluation.objects.filter(customer=OuterRef("pk"), as_of__lt=as_of)
        .order_by("-as_of")
        .values("rating")[:1]
    )
    customers = Customer.objects.all()
    if customer_ids is not None:
        customers = customers.filter(pk__in=customer_ids)
    rows = list(
        customers.annotate(previous=Subquery(previous)).values_list(
            "pk", "owner_id", "previous", "credit_limit"
        )
    )
    owners = {row[0]: row[1] for row in rows}
    facts = customer_facts(user=SYSTEM, as_of=as_of, customer_ids=customer_ids)
    now = timezone.now()
    downgrades = unrated = opened = checked = 0
    # Scored, stored and followed up a chunk at a time: a company's 100,000 evaluations
    # with their factor breakdowns held at once took 600 MB.
    for start in range(0, len(rows), EVALUATE_CHUNK):
        evaluations = []
        for pk, _owner_id, previous_rating, credit_limit in rows[start : start + EVALUATE_CHUNK]:
            scored = customer_rating(
                facts.pop(pk) if pk in facts else CustomerFacts(),
                model,
                as_of=as_of,
                dormant_after_days=dormant_after_days,
                credit_limit=credit_limit,
            )
            evaluations.append(
                CustomerEvaluation(
                    customer_id=pk,
                    as_of=as_of,
                    score=scored.score,
                    rating=scored.rating,
                    previous_rating=previous_rating or "",
                    rating_rule=scored.rule,
                    suggested_credit_limit=scored.suggested_credit_limit,
                    credit_limit=credit_limit,
                    factors=scored.factors,
                    evaluated_at=now,
                )
            )
        _evaluations_store(
            evaluations, restricted=customer_ids is not None or len(rows) > EVALUATE_CHUNK
        )
        opened += root_causes_open(evaluations, owners)
        checked += root_causes_recovery_record(evaluations)
        downgrades += sum(1 for e in evaluations if e.is_downgrade)
        unrated += sum(1 for e in evaluations if e.rating == Rating.UNRATED)
    return EvaluationRun(
        as_of=as_of,
        evaluated=len(rows),
        downgrades=downgrades,
        root_causes_opened=opened,
        recoveries_checked=checked,
        unrated=unrated,
    )


@transaction.atomic
def customer_reevaluate(
    *, customer: Customer, actor: User, as_of: date | None = None
) -> CustomerEvaluation:
    """Evaluate one customer now (on demand, from its page or the API)."""
    if not can_reevaluate(actor, customer):
        raise PermissionDenied
    as_of = as_of or timezone.localdate()
    customers_evaluate(as_of=as_of, customer_ids=[customer.pk])
    return CustomerEvaluation.objects.get(customer=customer, as_of=as_of)


@transaction.atomic
def scoring_model_save(*, instance: ScoringModel, actor: User) -> ScoringModel:
    """Validate and save the scoring model (director, admin)."""
    if not can_change_scoring_model(actor):
        raise PermissionDenied
    instance.full_clean()
    instance.save()
    return instance


# --- credit control ------------------------------------------------------------------------------

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
    total = OrderLine.objects.filter(order_id=order_id).aggregate(total=sum_cents("amount"))
    return Decimal(total["total"] or 0) / 100


def order_baseline(order_id: int | None) -> Baseline | None:
    """The stored status and amount of an order, before it is changed."""
    if order_id is None:
        return None
    status = Order.objects.filter(pk=order_id).values_list("status", flat=True).first()
    return None if status is None else Baseline(status=status, amount=order_amount(order_id))


def customer_credit_position(*, customer: Customer, today: date | None = None) -> CreditPosition:
    """Open receivables and what is more than 90 days overdue (two aggregate queries)."""
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


def _late_cents(field: str, condition: Q) -> Sum:
    return Sum(cents(field), filter=condition, output_field=BigIntegerField())


def _due_before(day: date, prefix: str = "") -> Q:
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


def _set_status(order: Order, status: str) -> None:
    if order.status != status:
        order.status = status
        order.save(update_fields=["status"])


@transaction.atomic
def order_credit_check(
    *, order: Order, actor: User, baseline: Baseline | None
) -> CreditApproval | None:
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


@transaction.atomic
def credit_approval_decide(
    *, approval: CreditApproval, actor: User, decision: str, comment: str = ""
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
