"""Money sums are exact on every database (SQLite adds decimals as floats)."""

from decimal import Decimal

import pytest

from salesorg.sales.models import Invoice, Order
from salesorg.sales.selectors import invoice_list, orders_with_totals
from tests.factories import InvoiceFactory, OrderFactory, OrderLineFactory, PaymentFactory

pytestmark = pytest.mark.django_db


def _paid_in_thirds(amount: str, parts: list[str]) -> Invoice:
    invoice = InvoiceFactory(amount=Decimal(amount))
    for part in parts:
        PaymentFactory(invoice=invoice, amount=Decimal(part))
    return invoice


def test_an_invoice_paid_in_awkward_parts_is_paid_not_open(org_tree):
    # 0.1 + 0.2 is not 0.3 in floating point; the invoice is nonetheless fully paid.
    invoice = _paid_in_thirds("0.30", ["0.10", "0.20"])
    other = _paid_in_thirds("100.00", ["33.33", "33.33", "33.34"])
    user = org_tree.user("director")
    assert set(invoice_list(user=user, state="paid")) == {invoice, other}
    assert set(invoice_list(user=user, state="open")) == set()
    balances = {i.code: (i.paid, i.outstanding) for i in invoice_list(user=user)}
    assert balances[invoice.code] == (Decimal("0.30"), Decimal("0.00"))
    assert balances[other.code] == (Decimal("100.00"), Decimal("0.00"))


def test_order_totals_are_exact(db):
    order = OrderFactory()
    for amount, cost in [("0.10", "0.05"), ("0.20", "0.05")]:
        OrderLineFactory(order=order, amount=Decimal(amount), cost=Decimal(cost))
    totalled = orders_with_totals(Order.objects.filter(pk=order.pk)).get()
    assert totalled.total_amount == Decimal("0.30")
    assert totalled.gross_margin == Decimal("0.20")
    assert Order.objects.filter(pk=order.pk).exists()
