"""Set-based fact queries of the indicator engine: one aggregate query per fact family.

Each query groups by person and date (the date a fact is credited on, KPI.md,
Periods and units) so that the engine can credit the sums to teams through the
membership on that date. Money is summed in SQL as integer cents: SQLite stores
decimals as binary floats, and KPI.md wants no floating-point sums.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.db.models import (
    BigIntegerField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from salesorg.core.money import cents, sum_cents
from salesorg.core.roles import Role
from salesorg.customers.models import Customer
from salesorg.performance.kpi.attribution import COMPANY_KEY, PERSON, REGION, TEAM, UnitKey
from salesorg.performance.kpi.periods import Period
from salesorg.sales.choices import OrderStatus, VisitKind
from salesorg.sales.models import Expense, Invoice, Order, OrderLine, Payment, Visit

PersonDayCents = tuple[int, date, int]


def _range(period: Period) -> tuple[date, date]:
    return (period.start, period.end)


def confirmed_orders(*, period: Period):
    """Confirmed orders dated in P (KPI.md: cancelled orders count nowhere)."""
    return Order.objects.filter(
        status=OrderStatus.CONFIRMED, order_date__range=_range(period)
    ).order_by()


def _only(queryset, only: Q | None):
    """Narrow a fact query to some people's months (the rollups' split months)."""
    return queryset if only is None else queryset.filter(only)


def sales_lines(
    *, period: Period, only: Q | None = None
) -> Iterator[tuple[int, date, int, int, int, int]]:
    """(rep, order date, category, Σ amount cents, Σ cost cents, line count) of confirmed orders."""
    lines = OrderLine.objects.filter(
        order__status=OrderStatus.CONFIRMED, order__order_date__range=_range(period)
    )
    rows = (
        _only(lines, only)
        .order_by()
        .values_list("order__rep_id", "order__order_date", "product__category_id")
        .annotate(amount=sum_cents("amount"), cost=sum_cents("cost"), lines=Count("id"))
    )
    for rep_id, day, category_id, amount, cost, lines in rows:
        yield rep_id, day, category_id, int(amount or 0), int(cost or 0), lines


def invoiced(*, period: Period, only: Q | None = None) -> Iterator[PersonDayCents]:
    """(rep, invoice date, Σ invoice amount cents) of invoices dated in P."""
    rows = (
        _only(Invoice.objects.filter(invoice_date__range=_range(period)), only)
        .order_by()
        .values_list("rep_id", "invoice_date")
        .annotate(total=sum_cents("amount"))
    )
    for rep_id, day, total in rows:
        yield rep_id, day, int(total or 0)


def collected(*, period: Period, only: Q | None = None) -> Iterator[PersonDayCents]:
    """(invoice rep, INVOICE date, Σ payment cents) of payments dated in P."""
    # KPI.md: a payment is credited by its invoice's person and date.
    rows = (
        _only(Payment.objects.filter(payment_date__range=_range(period)), only)
        .order_by()
        .values_list("invoice__rep_id", "invoice__invoice_date")
        .annotate(total=sum_cents("amount"))
    )
    for rep_id, day, total in rows:
        yield rep_id, day, int(total or 0)


def collected_on_invoices(*, period: Period, invoices: Q) -> Iterator[PersonDayCents]:
    """`collected` restricted to the invoices matching `invoices` (few): index lookups.

    Starting from the payments of P and joining the invoices makes the database scan a
    period's payments; starting from the few invoices uses the (invoice, date) index.
    """
    found = dict(
        (pk, (rep_id, day))
        for pk, rep_id, day in Invoice.objects.filter(invoices)
        .order_by()
        .values_list("pk", "rep_id", "invoice_date")
    )
    totals: dict[tuple[int, date], int] = {}
    ids = sorted(found)
    for start in range(0, len(ids), 5000):
        rows = (
            Payment.objects.filter(
                invoice_id__in=ids[start : start + 5000], payment_date__range=_range(period)
            )
            .order_by()
            .values_list("invoice_id")
            .annotate(total=sum_cents("amount"))
        )
        for invoice_id, total in rows:
            key = found[invoice_id]
            totals[key] = totals.get(key, 0) + int(total or 0)
    for (rep_id, day), total in totals.items():
        yield rep_id, day, total


def opening_receivables(*, period: Period, only: Q | None = None) -> Iterator[PersonDayCents]:
    """(rep, invoice date, open cents) of invoices before P less their payments before P."""
    paid_before = (
        Payment.objects.filter(invoice=OuterRef("pk"), payment_date__lt=period.start)
        .order_by()
        .values("invoice")
        .annotate(total=sum_cents("amount"))
        .values("total")
    )
    open_cents = cents("amount") - Coalesce(
        Subquery(paid_before, output_field=BigIntegerField()), Value(0)
    )
    rows = (
        _only(Invoice.objects.filter(invoice_date__lt=period.start), only)
        .order_by()
        .values_list("rep_id", "invoice_date")
        .annotate(total=Sum(open_cents, output_field=BigIntegerField()))
        .exclude(total=0)  # settled history adds nothing; keep the result small
    )
    for rep_id, day, total in rows:
        yield rep_id, day, int(total or 0)


def expenses(*, period: Period, only: Q | None = None) -> Iterator[PersonDayCents]:
    """(rep, expense date, Σ expense cents) of expenses dated in P."""
    rows = (
        _only(Expense.objects.filter(expense_date__range=_range(period)), only)
        .order_by()
        .values_list("rep_id", "expense_date")
        .annotate(total=sum_cents("amount"))
    )
    for rep_id, day, total in rows:
        yield rep_id, day, int(total or 0)


def visits(*, period: Period) -> Iterator[tuple[int, date, int, int]]:
    """(rep, visit date, distinct customers visited, distinct customers served) by reps."""
    # KPI.md, Visits: distinct (person, customer, date); grouping by person and date
    # leaves distinct customers, which then add up across people and days.
    rows = (
        Visit.objects.filter(visit_date__range=_range(period), rep__role=Role.REP)
        .order_by()
        .values_list("rep_id", "visit_date")
        .annotate(
            visits=Count(
                "customer_id",
                distinct=True,
                filter=Q(kind__in=[VisitKind.VISIT, VisitKind.JOINT]),
            ),
            service_calls=Count("customer_id", distinct=True, filter=Q(kind=VisitKind.SERVICE)),
        )
    )
    yield from rows


def first_orders(*, period: Period) -> Iterator[tuple[int, date]]:
    """(rep, order date) of each customer's first confirmed order ever, when it falls in P."""
    earlier = Order.objects.filter(
        status=OrderStatus.CONFIRMED,
        customer_id=OuterRef("customer_id"),
        order_date__lt=OuterRef("order_date"),
    )
    candidates = (
        confirmed_orders(period=period)
        .filter(~Exists(earlier))
        .values_list("customer_id", "code", "rep_id", "order_date")
    )
    # KPI.md, Customers: ties on the first date go to the smaller code in plain string
    # order; compared here in Python so no database collation can change the answer.
    first: dict[int, tuple[str, int, date]] = {}
    for customer_id, code, rep_id, day in candidates:
        if customer_id not in first or code < first[customer_id][0]:
            first[customer_id] = (code, rep_id, day)
    for _code, rep_id, day in first.values():
        yield rep_id, day


def prospects(*, period: Period, only: Q | None = None) -> Iterator[tuple[int, date, int]]:
    """(owner, created date, customers created) for customers created in P."""
    rows = (
        _only(Customer.objects.filter(created_date__range=_range(period)), only)
        .order_by()
        .values_list("owner_id", "created_date")
        .annotate(count=Count("id"))
    )
    yield from rows


def customer_breadth(*, period: Period) -> dict[UnitKey, tuple[int, int]]:
    """(customers, industries) per unit: distinct across the unit's people (four queries)."""
    orders = confirmed_orders(period=period)
    counts = {
        "customers": Count("customer_id", distinct=True),
        "industries": Count("customer__industry", distinct=True, filter=~Q(customer__industry="")),
    }
    breadth: dict[UnitKey, tuple[int, int]] = {}
    for rep_id, customers, industries in orders.values_list("rep_id").annotate(**counts):
        breadth[(PERSON, rep_id)] = (customers, industries)
    # The order's rep was in the team on the order date (KPI.md, Periods and units).
    in_team = orders.filter(
        Q(rep__memberships__start_date__lte=F("order_date")),
        Q(rep__memberships__end_date__isnull=True)
        | Q(rep__memberships__end_date__gte=F("order_date")),
    )
    for level, unit_field in (
        (TEAM, "rep__memberships__team_id"),
        (REGION, "rep__memberships__team__region_id"),
    ):
        rows = in_team.values_list(unit_field).annotate(**counts)
        for unit_id, customers, industries in rows:
            breadth[(level, unit_id)] = (customers, industries)
    company = orders.aggregate(**counts)
    breadth[COMPANY_KEY] = (company["customers"], company["industries"])
    return breadth
