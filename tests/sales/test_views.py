"""The sales pages: the visit form, lists (search, sort, pages), payments, query budgets."""

from datetime import date
from decimal import Decimal

import pytest

from salesorg.sales.models import ChecklistStep, Expense, Payment, Visit, VisitPurpose
from tests.factories import (
    ContactFactory,
    CustomerFactory,
    ExpenseFactory,
    InvoiceFactory,
    OrderFactory,
    OrderLineFactory,
    PaymentFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db


def test_customer_autocomplete_returns_only_visible_customers(org_tree):
    CustomerFactory(name="华东机械", owner=org_tree.people["rep_east1a"])
    CustomerFactory(name="华北机械", owner=org_tree.people["rep_north1a"])
    page = org_tree.client("rep_east1a").get("/sales/visits/customers/", {"q": "机械"})
    text = page.content.decode()
    assert "华东机械" in text and "华北机械" not in text


def test_picking_a_customer_loads_its_contacts_and_hides_others(org_tree):
    own = CustomerFactory(owner=org_tree.people["rep_east1a"])
    ContactFactory(customer=own, name="王经理")
    other = CustomerFactory(owner=org_tree.people["rep_north1a"])
    client = org_tree.client("rep_east1a")
    picked = client.get("/sales/visits/customer/", {"customer": own.pk}).content.decode()
    assert "王经理" in picked and f'value="{own.pk}"' in picked
    assert client.get("/sales/visits/customer/", {"customer": other.pk}).status_code == 404


def _visit_post(customer, **extra):
    data = {"customer": customer.pk, "visit_date": "2026-01-05", "kind": "visit"}
    data.update(extra)
    return data


def test_a_rep_logs_a_visit_with_contacts(org_tree):
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"])
    contact = ContactFactory(customer=customer)
    client = org_tree.client("rep_east1a")
    assert "Log a visit" in client.get("/sales/visits/log/").content.decode()
    response = client.post(
        "/sales/visits/log/", _visit_post(customer, contacts=[contact.pk], outcome="谈妥")
    )
    visit = Visit.objects.get()
    assert response.status_code == 302 and response["Location"] == visit.get_absolute_url()
    assert visit.rep == org_tree.people["rep_east1a"]
    assert list(visit.contacts.all()) == [contact]


def test_the_visit_form_needs_a_coach_for_a_joint_visit(org_tree):
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"])
    client = org_tree.client("rep_east1a")
    response = client.post("/sales/visits/log/", _visit_post(customer, kind="joint"))
    assert response.status_code == 200
    assert "A joint visit needs a coach." in response.content.decode()
    assert not Visit.objects.exists()
    coach = org_tree.people["manager_east1"]
    assert f'value="{coach.pk}"' in response.content.decode()  # the rep's manager is offered
    response = client.post(
        "/sales/visits/log/", _visit_post(customer, kind="joint", coach=coach.pk)
    )
    assert response.status_code == 302


def test_the_visit_form_needs_a_reason_to_skip_a_required_step(org_tree):
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"])
    purpose = VisitPurpose.objects.create(code="FIRST", name="初次拜访")
    step = ChecklistStep.objects.create(purpose=purpose, position=1, text="了解客户需求")
    client = org_tree.client("rep_east1a")
    checklist = client.get("/sales/visits/checklist/", {"purpose_type": purpose.pk})
    assert "了解客户需求" in checklist.content.decode()
    response = client.post("/sales/visits/log/", _visit_post(customer, purpose_type=purpose.pk))
    assert "了解客户需求" in response.content.decode() and not Visit.objects.exists()
    response = client.post(
        "/sales/visits/log/",
        _visit_post(customer, purpose_type=purpose.pk, **{f"step-{step.pk}-skip_reason": "没见到"}),
    )
    assert response.status_code == 302
    assert Visit.objects.get().steps.get().skip_reason == "没见到"


def test_the_visit_form_defaults_to_today_and_works_without_inline_scripts(org_tree):
    page = org_tree.client("rep_east1a").get("/sales/visits/log/").content.decode()
    assert date.today().isoformat()[:4] in page
    assert "<script>" not in page and "visits.js" in page


def test_a_rep_edits_their_visit_but_not_a_colleagues(org_tree):
    own = VisitFactory(customer=CustomerFactory(owner=org_tree.people["rep_east1a"]))
    client = org_tree.client("rep_east1a")
    response = client.post(
        f"/sales/visits/{own.pk}/edit/",
        _visit_post(own.customer, outcome="签约", visit_time="09:30"),
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.outcome == "签约" and own.visit_time.hour == 9
    manager_client = org_tree.client("manager_east1")
    assert manager_client.get(f"/sales/visits/{own.pk}/edit/").status_code == 200
    assert org_tree.client("finance").get(f"/sales/visits/{own.pk}/edit/").status_code == 403


def test_finance_records_a_payment_and_sees_the_outstanding_balance(org_tree):
    invoice = InvoiceFactory(amount=Decimal("100.00"), invoice_date=date(2026, 1, 15))
    PaymentFactory(invoice=invoice, amount=Decimal("30.00"))
    client = org_tree.client("finance")
    page = client.get(f"/sales/invoices/{invoice.pk}/").content.decode()
    assert "¥70.00" in page and "Record a payment" in page
    response = client.post(
        f"/sales/invoices/{invoice.pk}/payments/", {"payment_date": "2026-01-10", "amount": "10"}
    )
    assert "cannot be dated before its invoice" in response.content.decode()
    response = client.post(
        f"/sales/invoices/{invoice.pk}/payments/", {"payment_date": "2026-02-10", "amount": "70"}
    )
    assert response.status_code == 302
    assert Payment.objects.filter(invoice=invoice).count() == 2


def test_a_manager_sees_but_may_not_record_payments(org_tree):
    invoice = InvoiceFactory(customer=CustomerFactory(owner=org_tree.people["rep_east1a"]))
    client = org_tree.client("manager_east1")
    assert "Record a payment" not in client.get(f"/sales/invoices/{invoice.pk}/").content.decode()
    response = client.post(
        f"/sales/invoices/{invoice.pk}/payments/", {"payment_date": "2026-02-10", "amount": "1"}
    )
    assert response.status_code == 403 and not Payment.objects.exists()


def test_the_order_page_shows_lines_totals_and_gross_margin(org_tree):
    order = OrderFactory(customer=CustomerFactory(owner=org_tree.people["rep_east1a"]))
    OrderLineFactory(order=order, line_no=1, amount=Decimal("100"), cost=Decimal("60"))
    OrderLineFactory(order=order, line_no=2, amount=Decimal("50"), cost=Decimal("20"))
    page = org_tree.client("rep_east1a").get(f"/sales/orders/{order.pk}/").content.decode()
    assert "¥150.00" in page and "¥80.00" in page and "¥70.00" in page


def test_a_manager_edits_an_order_with_its_lines(org_tree):
    order = OrderFactory(customer=CustomerFactory(owner=org_tree.people["rep_east1a"]))
    line = OrderLineFactory(order=order, line_no=1)
    data = {
        "customer": order.customer_id,
        "rep": order.rep_id,
        "order_date": "2026-01-20",
        "status": "cancelled",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "1",
        "lines-0-line_no": "1",
        "lines-0-product": line.product_id,
        "lines-0-quantity": "2",
        "lines-0-amount": "-5",
        "lines-0-cost": "1",
    }
    client = org_tree.client("manager_east1")
    response = client.post(f"/sales/orders/{order.pk}/edit/", data)
    assert "cannot be negative" in response.content.decode()
    data["lines-0-amount"] = "250.00"
    assert client.post(f"/sales/orders/{order.pk}/edit/", data).status_code == 302
    order.refresh_from_db()
    assert order.status == "cancelled" and order.lines.get().amount == Decimal("250.00")


def test_a_rep_adds_an_expense(org_tree):
    client = org_tree.client("rep_east1a")
    response = client.post(
        "/sales/expenses/add/", {"expense_date": "2026-01-05", "category": "差旅", "amount": "-1"}
    )
    assert "cannot be negative" in response.content.decode()
    response = client.post(
        "/sales/expenses/add/", {"expense_date": "2026-01-05", "category": "差旅", "amount": "88"}
    )
    assert response.status_code == 302
    assert Expense.objects.get().rep == org_tree.people["rep_east1a"]


def test_visit_list_searches_sorts_and_paginates(org_tree):
    rep = org_tree.people["rep_east1a"]
    customer = CustomerFactory(owner=rep, name="苏州精密")
    for day in range(1, 56):
        VisitFactory(customer=customer, visit_date=date(2025, 1, 1).replace(day=1 + day % 28))
    VisitFactory(customer=CustomerFactory(owner=rep, name="杭州纺织"), visit_date=date(2026, 5, 1))
    client = org_tree.client("rep_east1a")
    first = client.get("/sales/visits/").content.decode()
    assert "56 visits" in first and "Page 1 of 2" in first
    assert first.index("杭州纺织") < first.index("苏州精密")  # newest first
    found = client.get("/sales/visits/", {"q": "杭州"}).content.decode()
    assert "1 visit" in found and "苏州精密" not in found
    oldest = client.get("/sales/visits/", {"sort": "visit_date"}).content.decode()
    assert "杭州纺织" not in oldest  # on page 2 now
    partial = client.get("/sales/visits/", {"q": "杭州"}, headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode()


def test_invoice_list_filters_open_and_paid(org_tree):
    rep = org_tree.people["rep_east1a"]
    paid = InvoiceFactory(code="INV-PAID", customer=CustomerFactory(owner=rep))
    PaymentFactory(invoice=paid, amount=paid.amount)
    InvoiceFactory(code="INV-OPEN", customer=CustomerFactory(owner=rep))
    client = org_tree.client("finance")
    open_page = client.get("/sales/invoices/", {"state": "open"}).content.decode()
    assert "INV-OPEN" in open_page and "INV-PAID" not in open_page
    paid_page = client.get("/sales/invoices/", {"state": "paid"}).content.decode()
    assert "INV-PAID" in paid_page and "INV-OPEN" not in paid_page


def test_empty_lists_say_so(org_tree):
    client = org_tree.client("rep_east1a")
    for url, message in [
        ("/sales/orders/", "No orders match."),
        ("/sales/invoices/", "No invoices match."),
        ("/sales/visits/", "No visits match."),
        ("/sales/expenses/", "No expenses match."),
        ("/customers/", "No customers match."),
    ]:
        assert message in client.get(url).content.decode()


def _records(rep, count):
    for _ in range(count):
        customer = CustomerFactory(owner=rep)
        ContactFactory(customer=customer)
        order = OrderFactory(customer=customer)
        OrderLineFactory(order=order)
        invoice = InvoiceFactory(customer=customer, order=order)
        PaymentFactory(invoice=invoice)
        VisitFactory(customer=customer, coach=rep)
        ExpenseFactory(rep=rep)


LIST_URLS = [
    "/customers/",
    "/sales/orders/",
    "/sales/invoices/",
    "/sales/visits/",
    "/sales/expenses/",
]


@pytest.mark.parametrize("url", LIST_URLS)
def test_list_pages_use_a_fixed_number_of_queries(org_tree, django_assert_max_num_queries, url):
    rep = org_tree.people["rep_east1a"]
    client = org_tree.client("manager_east1")
    _records(rep, 2)
    client.get(url)  # warm up the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _records(rep, 30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert page.status_code == 200
    with django_assert_max_num_queries(16):  # 15 and the top bar's unread count
        client.get(url)


def test_the_edit_page_starts_from_the_records_current_values(org_tree):
    rep = org_tree.people["rep_east1a"]
    visit = VisitFactory(customer=CustomerFactory(owner=rep), outcome="待跟进")
    contact = ContactFactory(customer=visit.customer)
    visit.contacts.add(contact)
    page = org_tree.client("rep_east1a").get(f"/sales/visits/{visit.pk}/edit/").content.decode()
    assert "待跟进" in page
    assert f'value="{contact.pk}" id="contact-{contact.pk}" checked' in page
