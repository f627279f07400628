"""Reads of customer evaluation and credit (S19): the scoring facts of every customer, the
evaluations, downgrades' root causes and the credit panel of the customer page."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    DateField,
    F,
    Func,
    IntegerField,
    Max,
    Min,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils.translation import gettext as _

from salesorg.core.money import cents, sum_cents
from salesorg.core.scoping import SystemActor, scope_for
from salesorg.customers.models import (
    CreditApproval,
    CreditApprovalStatus,
    Customer,
    CustomerEvaluation,
    Rating,
    RootCause,
    RootCauseStatus,
    SatisfactionSurvey,
)
from salesorg.customers.permissions import can_reevaluate
from salesorg.customers.scoring import CENTS, CustomerFacts, factor_change_rows, factor_rows
from salesorg.customers.selectors.surveys import satisfaction_facts
from salesorg.org.models import Person
from salesorg.sales.choices import OrderStatus
from salesorg.sales.models import Invoice, Order, OrderLine, Payment, Visit
from salesorg.targets.models import ActionItem

PAYMENT_WINDOW_DAYS = 365
VISIT_WINDOW_DAYS = 90
SURVEY_WINDOW_DAYS = 365
EVALUATION_SORTS = {"as_of", "-as_of", "score", "-score", "customer__name", "-customer__name"}
CREDIT_HISTORY = 12


def _months_back(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _money(cent_count) -> Decimal:
    return Decimal(cent_count or 0) / CENTS


class _DaysBetween(Func):
    """Whole days from the second date to the first, as an integer on every database
    (Django's own date subtraction yields a duration, which cannot be multiplied)."""

    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra_context,
        )


def _sum_if(condition: Q, value) -> Sum:
    """Σ of an integer expression over the rows that meet `condition`."""
    return Sum(Case(When(condition, then=value), default=Value(0)), output_field=BigIntegerField())


def _receivable_facts(facts, *, invoices, payments, as_of: date) -> None:
    """Open and overdue receivables and days late, one grouped row per customer.

    Amounts are whole cents and days whole integers, so Σ cents × days is exact in SQL
    and the Decimal figures equal a per-invoice computation."""
    overdue = Q(due_date__lt=as_of)
    days_overdue = _DaysBetween(Value(as_of, output_field=DateField()), F("due_date"))
    for customer_id, total, overdue_total, overdue_days, count in (
        invoices.values("customer_id")
        .annotate(
            total=sum_cents("amount"),
            overdue=_sum_if(overdue, cents("amount")),
            overdue_days=_sum_if(overdue, cents("amount") * days_overdue),
            count=Count("id"),
        )
        .values_list("customer_id", "total", "overdue", "overdue_days", "count")
    ):
        item = facts[customer_id]
        item.invoice_count = count
        item.open_receivables += _money(total)
        item.overdue_receivables += _money(overdue_total)
        item.late_amount_days += _money(overdue_days)
        item.late_basis += _money(overdue_total)
    paid_overdue = Q(invoice__due_date__lt=as_of)
    in_window = Q(payment_date__gt=as_of - timedelta(days=PAYMENT_WINDOW_DAYS))
    days_late = _DaysBetween(F("payment_date"), F("invoice__due_date"))
    for customer_id, total, overdue_total, overdue_days, window_total, window_days in (
        payments.values("invoice__customer_id")
        .annotate(
            total=sum_cents("amount"),
            overdue=_sum_if(paid_overdue, cents("amount")),
            overdue_days=_sum_if(
                paid_overdue,
                cents("amount")
                * _DaysBetween(Value(as_of, output_field=DateField()), F("invoice__due_date")),
            ),
            window=_sum_if(in_window, cents("amount")),
            window_days=_sum_if(
                in_window & Q(payment_date__gt=F("invoice__due_date")),
                cents("amount") * days_late,
            ),
        )
        .values_list(
            "invoice__customer_id", "total", "overdue", "overdue_days", "window", "window_days"
        )
    ):
        item = facts[customer_id]
        item.open_receivables -= _money(total)
        # what was paid no longer counts as open past due
        item.overdue_receivables -= _money(overdue_total)
        item.late_amount_days += _money(window_days) - _money(overdue_days)
        item.late_basis += _money(window_total) - _money(overdue_total)


def _order_history_facts(facts, orders, as_of: date) -> None:
    """The first and last confirmed order of each customer up to `as_of` (the history
    rules of the rating: too new to rate, dormant)."""
    for customer_id, first, last in (
        orders.filter(status=OrderStatus.CONFIRMED, order_date__lte=as_of)
        .values("customer_id")
        .annotate(first=Min("order_date"), last=Max("order_date"))
        .values_list("customer_id", "first", "last")
    ):
        item = facts[customer_id]
        item.first_order, item.last_order = first, last


def customer_facts(
    *, user: User | SystemActor, as_of: date, customer_ids: Iterable[int] | None = None
) -> dict[int, CustomerFacts]:
    """The scoring facts of every customer the user sees (or of `customer_ids`) as of a date.

    Six aggregate queries whatever the number of customers, each grouped by customer so
    that the database, not Python, adds up the millions of fact rows.
    """
    facts: dict[int, CustomerFacts] = defaultdict(CustomerFacts)

    def restrict(queryset, path):
        if customer_ids is None:
            return queryset
        return queryset.filter(**{f"{path}__in": list(customer_ids)})

    _receivable_facts(
        facts,
        invoices=restrict(
            Invoice.objects.visible_to(user).filter(invoice_date__lte=as_of), "customer_id"
        ),
        payments=restrict(
            Payment.objects.visible_to(user).filter(
                payment_date__lte=as_of, invoice__invoice_date__lte=as_of
            ),
            "invoice__customer_id",
        ),
        as_of=as_of,
    )
    recent_start = _months_back(as_of, 6)
    previous_start = _months_back(as_of, 12)
    lines = restrict(
        OrderLine.objects.visible_to(user).filter(
            order__status=OrderStatus.CONFIRMED,
            order__order_date__gt=previous_start,
            order__order_date__lte=as_of,
        ),
        "order__customer_id",
    )
    recent = Q(order__order_date__gt=recent_start)
    for row in lines.values("order__customer_id").annotate(
        recent=Sum(
            Case(When(recent, then=cents("amount")), default=0), output_field=BigIntegerField()
        ),
        previous=Sum(
            Case(When(~recent, then=cents("amount")), default=0), output_field=BigIntegerField()
        ),
        cost=sum_cents("cost"),
    ):
        item = facts[row["order__customer_id"]]
        item.sales_recent = _money(row["recent"])
        item.sales_previous = _money(row["previous"])
        item.cost_12m = _money(row["cost"])
    _order_history_facts(facts, restrict(Order.objects.visible_to(user), "customer_id"), as_of)
    visits = restrict(
        Visit.objects.visible_to(user).filter(
            visit_date__gt=as_of - timedelta(days=VISIT_WINDOW_DAYS), visit_date__lte=as_of
        ),
        "customer_id",
    )
    for row in visits.values("customer_id").annotate(count=Count("id")):
        facts[row["customer_id"]].visits_90d = row["count"]
    surveys = restrict(
        SatisfactionSurvey.objects.visible_to(user).filter(
            surveyed_on__gt=as_of - timedelta(days=SURVEY_WINDOW_DAYS), surveyed_on__lte=as_of
        ),
        "customer_id",
    )
    satisfaction_facts(facts, surveys)  # the customer's own answers first, else the rep's
    return facts


def evaluation_list(
    *, user: User | SystemActor, rating: str = "", search: str = "", sort: str = ""
) -> QuerySet[CustomerEvaluation]:
    """Evaluations in scope by rating and a customer name or code, sorted (newest first)."""
    evaluations = CustomerEvaluation.objects.visible_to(user).select_related(
        "customer", "customer__owner"
    )
    if rating in Rating.values:
        evaluations = evaluations.filter(rating=rating)
    if search:
        evaluations = evaluations.filter(customer__name__icontains=search) | evaluations.filter(
            customer__code__icontains=search
        )
    return evaluations.order_by(sort if sort in EVALUATION_SORTS else "-as_of", "customer__code")


def evaluation_root_cause(
    *, user: User | SystemActor, evaluation: CustomerEvaluation
) -> RootCause | None:
    """The root-cause record a downgrade opened, if the user may see it."""
    return RootCause.objects.visible_to(user).filter(evaluation=evaluation).first()


def evaluation_previous(
    *, user: User | SystemActor, evaluation: CustomerEvaluation
) -> CustomerEvaluation | None:
    """The customer's evaluation before this one (the previous rating), if the user sees it."""
    return (
        CustomerEvaluation.objects.visible_to(user)
        .filter(customer_id=evaluation.customer_id, as_of__lt=evaluation.as_of)
        .order_by("-as_of")
        .first()
    )


def evaluation_factor_changes(*, user: User | SystemActor, evaluation: CustomerEvaluation) -> dict:
    """Each factor of an evaluation against the previous rating's: `previous` (None for a
    first evaluation) and `rows` (previous value, current value, change; one query)."""
    previous = evaluation_previous(user=user, evaluation=evaluation)
    return {"previous": previous, "rows": factor_change_rows(evaluation, previous)}


def root_cause_actions(*, user: User | SystemActor, cause: RootCause) -> list[ActionItem]:
    """The action items of a downgrade's plan the user sees, by due date (one query)."""
    return list(
        ActionItem.objects.visible_to(user)
        .filter(source_type=ContentType.objects.get_for_model(RootCause), source_id=cause.pk)
        .select_related("owner")
        .order_by("due_date", "pk")
    )


def root_cause_action_owners(*, user: User, cause: RootCause) -> QuerySet[Person]:
    """Whom the user may name as an action item's owner on this page: the cause's owner and
    the user themself."""
    ids = [pk for pk in (cause.owner_id, scope_for(user).person_id) if pk is not None]
    return Person.objects.filter(pk__in=ids).order_by("code")


def customer_credit_panel(*, user: User, customer: Customer) -> dict:
    """The latest evaluations of a customer in the user's scope, and what the user may do
    (three queries)."""
    history = list(
        CustomerEvaluation.objects.visible_to(user)
        .filter(customer=customer)
        .order_by("-as_of")[:CREDIT_HISTORY]
    )
    latest = history[0] if history else None
    return {
        "latest": latest,
        "history": history,
        "factors": factor_rows(latest) if latest else [],
        "can_reevaluate": can_reevaluate(user, customer),
        "open_cause": RootCause.objects.unresolved()
        .visible_to(user)
        .filter(customer=customer)
        .first(),
    }


def root_causes_list(
    *, user: User | SystemActor, status: str = "", mine: str = ""
) -> QuerySet[RootCause]:
    """Root causes in scope, unresolved first: `mine` = "complete" (the user's to complete)
    or "review" (submitted ones the user reviews)."""
    causes = RootCause.objects.select_related(
        "customer", "owner", "reviewer", "evaluation", "recovery_evaluation"
    )
    if mine == "complete":
        causes = causes.filter(
            owner_id=scope_for(user).person_id,
            status__in=(RootCauseStatus.OPEN, RootCauseStatus.RETURNED),
        )
    elif mine == "review":
        causes = causes.to_review_by(user)
    if status == "unresolved":
        causes = causes.unresolved()
    elif status in RootCauseStatus.values:
        causes = causes.filter(status=status)
    return causes.visible_to(user).order_by("-created_at", "-pk")


def root_causes_of_owner_to_complete(
    *, user: User | SystemActor, person: Person
) -> QuerySet[RootCause]:
    """Open or returned root causes that `person` owns and must complete, oldest first."""
    return (
        RootCause.objects.visible_to(user)
        .filter(owner=person, status__in=(RootCauseStatus.OPEN, RootCauseStatus.RETURNED))
        .select_related("customer")
        .order_by("created_at", "pk")
    )


NOT_RECOVERED_DAYS = 30


def root_causes_not_recovered(
    *, user: User | SystemActor, person: Person, today: date
) -> QuerySet[RootCause]:
    """Downgrades of the last 30 days' evaluations that did not recover, which `person`
    owns or reviews (or, as a leader, sees), newest first."""
    causes = (
        RootCause.objects.visible_to(user)
        .filter(
            recovered=False,
            recovery_evaluation__as_of__gt=today - timedelta(days=NOT_RECOVERED_DAYS),
            recovery_evaluation__as_of__lte=today,
        )
        .filter(Q(owner=person) | Q(reviewer=person) | Q(customer__owner__manager=person))
    )
    return causes.select_related("customer", "recovery_evaluation").order_by(
        "-recovery_evaluation__as_of", "pk"
    )


def root_causes_awaiting_review(*, user: User | SystemActor) -> QuerySet[RootCause]:
    """Submitted root causes the user reviews, oldest submission first."""
    return (
        RootCause.objects.to_review_by(user)
        .visible_to(user)
        .select_related("customer", "owner")
        .order_by("submitted_at", "pk")
    )


def credit_approvals_waiting_count(*, user: User | SystemActor, person: Person | None) -> int:
    """How many orders in scope await a credit decision, not counting `person`'s own."""
    return (
        CreditApproval.objects.visible_to(user)
        .filter(status=CreditApprovalStatus.PENDING)
        .exclude(order__rep=person)
        .count()
    )


def credit_approvals_list(
    *, user: User | SystemActor, status: str = ""
) -> QuerySet[CreditApproval]:
    """Credit approvals in scope, newest first (pending only by default)."""
    approvals = CreditApproval.objects.visible_to(user).select_related(
        "order", "order__customer", "order__rep", "decided_by"
    )
    if status in CreditApprovalStatus.values:
        approvals = approvals.filter(status=status)
    return approvals


def credit_hold_message(order: Order) -> str | None:
    """The warning to show whoever entered an order that is now held (None otherwise)."""
    if order.status != OrderStatus.AWAITING_CREDIT:
        return None
    approval = CreditApproval.objects.filter(order=order).first()
    reasons = " ".join(approval.reason_texts) if approval else ""
    return _("This order awaits a manager's credit approval. %(reasons)s") % {"reasons": reasons}
