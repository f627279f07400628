"""Reads of sales records, always scoped to the user."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import cast

from django.contrib.auth.models import User
from django.db.models import (
    BigIntegerField,
    Count,
    DecimalField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from salesorg.core.money import cents, cents_to_money, sum_cents
from salesorg.core.roles import Role
from salesorg.core.scoping import SystemActor, scope_for
from salesorg.customers.models import Contact, ContactQuerySet, Customer, SatisfactionSurvey
from salesorg.org.models import Person
from salesorg.sales.models import (
    ChecklistStep,
    Expense,
    Invoice,
    Order,
    OrderLine,
    Payment,
    Visit,
    VisitPurpose,
    VisitStep,
)

ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=18, decimal_places=2))
MONEY = DecimalField(max_digits=18, decimal_places=2)

ORDER_SORTS = ("code", "order_date", "customer__name", "rep__name", "status", "total_amount")
INVOICE_SORTS = ("code", "invoice_date", "due_date", "customer__name", "amount", "outstanding")
VISIT_SORTS = ("code", "visit_date", "customer__name", "rep__name", "kind")
EXPENSE_SORTS = ("code", "expense_date", "rep__name", "category", "amount")


def sort_key(sort: str, allowed: tuple[str, ...], default: str) -> str:
    """The order_by key for a `?sort=` value, or the default when it is not allowed."""
    return sort if sort.lstrip("-") in allowed else default


def orders_with_totals(orders: QuerySet[Order]) -> QuerySet[Order]:
    """Annotate orders with total_amount, total_cost and gross_margin (exact cent sums)."""
    lines = OrderLine.objects.filter(order=OuterRef("pk")).values("order")

    def line_sum(field: str) -> Coalesce:
        total = lines.annotate(t=sum_cents(field)).values("t")[:1]
        return Coalesce(Subquery(total, output_field=BigIntegerField()), 0)

    return orders.annotate(amount_cents=line_sum("amount"), cost_cents=line_sum("cost")).annotate(
        total_amount=cents_to_money(F("amount_cents")),
        total_cost=cents_to_money(F("cost_cents")),
        gross_margin=cents_to_money(F("amount_cents") - F("cost_cents")),
    )


def order_list(
    *, user: User | SystemActor, search: str = "", status: str = "", sort: str = "-order_date"
) -> QuerySet[Order]:
    """Orders the user may see with their totals and gross margin, filtered and sorted."""
    orders: QuerySet[Order] = Order.objects.visible_to(user).select_related("customer", "rep")
    if search:
        orders = orders.filter(
            Q(code__icontains=search)
            | Q(customer__name__icontains=search)
            | Q(customer__code__icontains=search)
            | Q(rep__name__icontains=search)
        )
    if status:
        orders = orders.filter(status=status)
    orders = orders_with_totals(orders)
    order = sort_key(sort, ORDER_SORTS, "-order_date").replace("total_amount", "amount_cents")
    return orders.order_by(order, "code")


def order_detail(*, order: Order) -> dict:
    """An order's lines (with products) and its totals and gross margin."""
    lines = list(order.lines.select_related("product__category").order_by("line_no"))
    total_amount = sum((line.amount for line in lines), Decimal("0"))
    total_cost = sum((line.cost for line in lines), Decimal("0"))
    return {
        "lines": lines,
        "total_amount": total_amount,
        "total_cost": total_cost,
        "gross_margin": total_amount - total_cost,
        "margin_rate": (total_amount - total_cost) / total_amount if total_amount else None,
    }


def invoices_with_balances(invoices: QuerySet[Invoice]) -> QuerySet[Invoice]:
    """Annotate invoices with paid and outstanding amounts (exact cent sums)."""
    payments = Payment.objects.filter(invoice=OuterRef("pk")).values("invoice")
    paid = payments.annotate(t=sum_cents("amount")).values("t")[:1]
    return invoices.annotate(
        paid_cents=Coalesce(Subquery(paid, output_field=BigIntegerField()), 0)
    ).annotate(
        outstanding_cents=cents("amount") - F("paid_cents"),
        paid=cents_to_money(F("paid_cents")),
        outstanding=cents_to_money(cents("amount") - F("paid_cents")),
    )


def invoice_list(
    *,
    user: User | SystemActor,
    search: str = "",
    state: str = "",
    sort: str = "-invoice_date",
    today: date | None = None,
) -> QuerySet[Invoice]:
    """Invoices the user may see with paid and outstanding amounts; state open/overdue/paid."""
    invoices = invoices_with_balances(
        Invoice.objects.visible_to(user).select_related("customer", "rep", "order")
    )
    if search:
        invoices = invoices.filter(
            Q(code__icontains=search)
            | Q(customer__name__icontains=search)
            | Q(customer__code__icontains=search)
            | Q(rep__name__icontains=search)
        )
    if state == "open":
        invoices = invoices.filter(Q(outstanding_cents__gt=0))
    elif state == "overdue":
        today = today or timezone.localdate()
        invoices = invoices.filter(Q(outstanding_cents__gt=0), due_date__lt=today)
    elif state == "paid":
        invoices = invoices.filter(Q(outstanding_cents__lte=0))
    order = sort_key(sort, INVOICE_SORTS, "-invoice_date").replace(
        "outstanding", "outstanding_cents"
    )
    return invoices.order_by(order, "code")


def invoice_balance(*, invoice: Invoice) -> dict:
    """An invoice's payments, total paid and outstanding balance."""
    payments = list(invoice.payments.order_by("payment_date", "code"))
    paid = sum((payment.amount for payment in payments), Decimal("0"))
    return {"payments": payments, "paid": paid, "outstanding": invoice.amount - paid}


def visit_list(
    *,
    user: User | SystemActor,
    search: str = "",
    kind: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    sort: str = "-visit_date",
) -> QuerySet[Visit]:
    """Visits the user may see, filtered by a search term, kind and dates, sorted."""
    visits = Visit.objects.visible_to(user).select_related(
        "customer", "rep", "coach", "purpose_type"
    )
    if search:
        visits = visits.filter(
            Q(code__icontains=search)
            | Q(customer__name__icontains=search)
            | Q(rep__name__icontains=search)
            | Q(purpose__icontains=search)
            | Q(outcome__icontains=search)
        )
    if kind:
        visits = visits.filter(kind=kind)
    if date_from:
        visits = visits.filter(visit_date__gte=date_from)
    if date_to:
        visits = visits.filter(visit_date__lte=date_to)
    return visits.order_by(sort_key(sort, VISIT_SORTS, "-visit_date"), "code")


def visit_detail(*, visit: Visit) -> dict:
    """The contacts met and the checklist steps of a visit, as they were asked."""
    return {
        "contacts": list(visit.contacts.order_by("code")),
        "steps": list(visit.steps.order_by("position", "step_id")),
    }


def visit_kept_answers(*, visit: Visit) -> list[VisitStep]:
    """The answers of a visit to an earlier version of its purpose's checklist, which editing
    keeps as they were asked (none when it answered the current version)."""
    if not visit.pk or visit.purpose_type_id is None:
        return []
    answers = list(visit.steps.order_by("position", "step_id"))
    if answers and visit.purpose_type and answers[0].purpose_version != visit.purpose_type.version:
        return answers
    return []


def visit_survey(*, visit: Visit) -> SatisfactionSurvey | None:
    """The satisfaction survey taken on a visit (the first, when there are several), or None."""
    return visit.surveys.order_by("id").first()


def expense_list(
    *, user: User | SystemActor, search: str = "", category: str = "", sort: str = "-expense_date"
) -> QuerySet[Expense]:
    """Expenses the user may see, filtered by a search term and category, sorted."""
    expenses = Expense.objects.visible_to(user).select_related("rep")
    if search:
        expenses = expenses.filter(
            Q(code__icontains=search)
            | Q(rep__name__icontains=search)
            | Q(category__icontains=search)
        )
    if category:
        expenses = expenses.filter(category=category)
    return expenses.order_by(sort_key(sort, EXPENSE_SORTS, "-expense_date"), "code")


def expense_categories(*, user: User | SystemActor) -> list[str]:
    """The expense categories used in the user's scope, for the filter."""
    return list(
        Expense.objects.visible_to(user)
        .order_by("category")
        .values_list("category", flat=True)
        .distinct()
    )


def customer_search(*, user: User | SystemActor, term: str, limit: int = 10) -> QuerySet[Customer]:
    """A few customers the user may see whose code or name contains `term`."""
    term = term.strip()
    if not term:
        return Customer.objects.none()
    return (
        Customer.objects.visible_to(user)
        .filter(Q(code__icontains=term) | Q(name__icontains=term))
        .order_by("name")[:limit]
    )


def customer_contacts(
    *,
    user: User | SystemActor,
    customer: Customer,
    on: date | None = None,
    keep: Iterable[int] = (),
) -> QuerySet[Contact]:
    """The contacts of a customer that the user may see and that could be met on day `on`
    (those who had left by then are not offered), plus the contacts `keep` already chosen."""
    # visible_to() is typed as the base scoped queryset; this one is a ContactQuerySet
    contacts = cast(ContactQuerySet, Contact.objects.visible_to(user).filter(customer=customer))
    if on is not None:
        contacts = contacts.active_on(on) | contacts.filter(pk__in=list(keep))
    return contacts.order_by("name")


def purpose_steps(*, purpose: VisitPurpose | None) -> QuerySet[ChecklistStep]:
    """The current checklist of a visit purpose (its active steps), in order."""
    if purpose is None:
        return ChecklistStep.objects.none()
    return purpose.steps.filter(active=True).order_by("position", "id")


def purpose_list(*, user: User | SystemActor, active: str = "") -> QuerySet[VisitPurpose]:
    """Visit purposes with their step counts and how many visits use them."""
    purposes = VisitPurpose.objects.visible_to(user)
    if active in ("1", "0"):
        purposes = purposes.filter(active=active == "1")
    active_steps = ChecklistStep.objects.filter(purpose=OuterRef("pk"), active=True)
    uses = Visit.objects.filter(purpose_type=OuterRef("pk")).order_by().values("purpose_type")
    return purposes.annotate(
        step_count=_count_of(active_steps.order_by().values("purpose")),
        required_count=_count_of(active_steps.filter(required=True).order_by().values("purpose")),
        visit_count=_count_of(uses),
    ).order_by("-active", "code")


def _count_of(rows: QuerySet) -> Coalesce:
    counted = rows.annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=BigIntegerField()), 0)


def visit_reps(*, user: User | SystemActor) -> QuerySet[Person]:
    """People the user may log visits and expenses for (themselves and their scope)."""
    return Person.objects.visible_to(user).order_by("name")


def coach_choices(*, user: User | SystemActor) -> QuerySet[Person]:
    """Who can coach a joint visit: leaders the user may see, plus the user's own leaders."""
    scope = scope_for(user)
    leaders = Q(role__in=[Role.MANAGER, Role.REGION_HEAD, Role.DIRECTOR])
    own = Q(managed_teams__id__in=scope.team_ids) | Q(headed_regions__id__in=scope.region_ids)
    if scope.person_id:
        own |= Q(reports__id=scope.person_id)
    visible = Person.objects.visible_to(user).filter(leaders).values("pk")
    return (
        Person.objects.filter(Q(pk__in=visible) | (own & leaders))
        .distinct()
        .order_by("role", "name")
    )
