"""Reads of customers and their contacts, always scoped to the user."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from salesorg.customers.models import Contact, Customer
from salesorg.sales.models import Invoice, Order, Visit
from salesorg.sales.selectors import invoices_with_balances, orders_with_totals

CUSTOMER_SORTS = ("code", "name", "industry", "owner__name", "created_date", "credit_limit")
RECENT = 10


def customer_list(
    *, user, search: str = "", industry: str = "", sort: str = "code"
) -> QuerySet[Customer]:
    """Customers the user may see, filtered by a search term and industry, sorted."""
    customers = Customer.objects.visible_to(user).select_related("owner", "region")
    if search:
        customers = customers.filter(
            Q(code__icontains=search)
            | Q(name__icontains=search)
            | Q(industry__icontains=search)
            | Q(owner__name__icontains=search)
        )
    if industry:
        customers = customers.filter(industry=industry)
    key = sort if sort.lstrip("-") in CUSTOMER_SORTS else "code"
    return customers.order_by(key, "code")


def customer_industries(*, user) -> list[str]:
    """The industries of the customers the user may see, for the filter."""
    return list(
        Customer.objects.visible_to(user)
        .exclude(industry="")
        .order_by("industry")
        .values_list("industry", flat=True)
        .distinct()
    )


def customer_contacts(*, user, customer: Customer) -> QuerySet[Contact]:
    """A customer's contacts that the user may see."""
    return Contact.objects.visible_to(user).filter(customer=customer).order_by("code")


def customer_records(*, user, customer: Customer) -> dict:
    """A customer's latest orders, invoices (with balances) and visits the user may see."""
    orders = orders_with_totals(Order.objects.visible_to(user).filter(customer=customer))
    invoices = invoices_with_balances(Invoice.objects.visible_to(user).filter(customer=customer))
    visits = Visit.objects.visible_to(user).filter(customer=customer).select_related("rep")
    return {
        "orders": orders.order_by("-order_date", "code")[:RECENT],
        "invoices": invoices.order_by("-invoice_date", "code")[:RECENT],
        "visits": visits.order_by("-visit_date", "code")[:RECENT],
    }
