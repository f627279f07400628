"""Credit control: orders past the credit limit or with invoices > 90 days overdue wait for a
manager's approval; imported orders are never held."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from salesorg.customers.models import CreditApproval, CreditApprovalStatus
from salesorg.customers.services.credit import credit_approval_decide
from salesorg.sales.models import Order
from salesorg.sales.services import LineData, order_save
from tests.factories import CustomerFactory, InvoiceFactory, PaymentFactory, ProductFactory

pytestmark = pytest.mark.django_db


def _order(customer, amount: str) -> Order:
    return Order(customer=customer, rep=customer.owner, order_date=timezone.localdate())


def _lines(amount: str) -> list[LineData]:
    return [
        LineData(
            line_no=1,
            product_id=ProductFactory().pk,
            quantity=Decimal("1"),
            amount=Decimal(amount),
            cost=Decimal("1.00"),
        )
    ]


@pytest.fixture
def customer(org_tree):
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"], credit_limit=Decimal("1000"))
    today = timezone.localdate()
    invoice = InvoiceFactory(
        customer=customer,
        invoice_date=today - timedelta(days=20),
        due_date=today + timedelta(days=10),
        amount=Decimal("700.00"),
    )
    PaymentFactory(invoice=invoice, payment_date=today, amount=Decimal("100.00"))
    return customer  # open receivables 600.00


def test_an_order_within_the_limit_is_confirmed(org_tree, customer):
    order = order_save(
        order=_order(customer, "400"), actor=org_tree.user("manager_east1"), lines=_lines("400.00")
    )
    assert order.status == "confirmed"
    assert not CreditApproval.objects.exists()


def test_an_order_past_the_limit_waits_and_the_manager_approves(org_tree, customer):
    # given an order that takes the customer to 600 + 400.01 > 1000
    order = order_save(
        order=_order(customer, ""), actor=org_tree.user("manager_east1"), lines=_lines("400.01")
    )
    # then it waits for credit approval, with the reason
    order.refresh_from_db()
    assert order.status == "awaiting_credit"
    approval = CreditApproval.objects.get(order=order)
    assert approval.status == CreditApprovalStatus.PENDING
    assert "credit limit" in approval.reasons
    assert approval.open_receivables == Decimal("600.00")
    assert approval.order_amount == Decimal("400.01")
    # the rep may not decide; a manager outside the team does not see it
    with pytest.raises(PermissionDenied):
        credit_approval_decide(
            approval=approval, actor=org_tree.user("rep_east1a"), decision="approve"
        )
    with pytest.raises(ValidationError) as error:
        credit_approval_decide(
            approval=approval, actor=org_tree.user("manager_east1"), decision="reject"
        )
    assert "comment" in error.value.message_dict
    # when the manager approves, the order is confirmed and who/when is recorded
    manager = org_tree.user("manager_east1")
    approval = credit_approval_decide(approval=approval, actor=manager, decision="approve")
    order.refresh_from_db()
    assert order.status == "confirmed"
    assert approval.decided_by == manager and approval.decided_at is not None
    # and saving the approved order again unchanged does not hold it again
    order_save(order=order, actor=manager, lines=_lines("400.01"))
    order.refresh_from_db()
    assert order.status == "confirmed"


def test_overdue_invoices_hold_any_order_and_rejection_cancels(org_tree):
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"])  # no credit limit
    today = timezone.localdate()
    InvoiceFactory(
        customer=customer,
        invoice_date=today - timedelta(days=150),
        due_date=today - timedelta(days=91),
        amount=Decimal("50.00"),
    )
    order = order_save(
        order=_order(customer, ""), actor=org_tree.user("manager_east1"), lines=_lines("10.00")
    )
    order.refresh_from_db()
    assert order.status == "awaiting_credit"
    approval = CreditApproval.objects.get(order=order)
    assert "90 days overdue" in approval.reasons
    credit_approval_decide(
        approval=approval,
        actor=org_tree.user("head_east"),
        decision="reject",
        comment="先收回欠款",
    )
    order.refresh_from_db()
    assert order.status == "cancelled"


def test_existing_confirmed_orders_are_not_held_when_edited_without_growing(org_tree):
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"], credit_limit=Decimal("0"))
    order = Order.objects.create(
        code="HIST-1", customer=customer, rep=customer.owner, order_date=date(2025, 1, 1)
    )  # as the importer writes it: never checked
    order_save(order=order, actor=org_tree.user("manager_east1"), lines=[])
    order.refresh_from_db()
    assert order.status == "confirmed"


def test_order_page_warns_and_approval_pages(org_tree, customer, org_records):
    order = Order.objects.create(
        code="ORD-X", customer=customer, rep=customer.owner, order_date=timezone.localdate()
    )
    client = org_tree.client("manager_east1")
    product = ProductFactory()
    data = {
        "customer": customer.pk,
        "rep": customer.owner.pk,
        "order_date": timezone.localdate().isoformat(),
        "status": "confirmed",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
        "lines-0-line_no": "1",
        "lines-0-product": product.pk,
        "lines-0-quantity": "1",
        "lines-0-amount": "900.00",
        "lines-0-cost": "500.00",
    }
    response = client.post(f"/sales/orders/{order.pk}/edit/", data, follow=True)
    page = response.content.decode()
    assert "awaits a manager" in page and "credit limit" in page
    approval = CreditApproval.objects.get(order=order)
    listing = client.get("/customers/credit-approvals/").content.decode()
    assert "ORD-X" in listing
    assert (
        "ORD-X"
        not in org_tree.client("manager_north1")
        .get("/customers/credit-approvals/")
        .content.decode()
    )
    response = client.post(
        f"/customers/credit-approvals/{approval.pk}/decide/", {"decision": "approve"}
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == "confirmed"
    rep = org_tree.client("rep_east1a")
    assert rep.get(approval.get_absolute_url()).status_code == 200
    assert rep.post(f"/customers/credit-approvals/{approval.pk}/decide/", {}).status_code == 403
