"""The sales API validates as the forms do: 400 naming the field; writes follow the rule."""

from decimal import Decimal

import pytest

from salesorg.sales.models import Payment, Visit
from tests.factories import ContactFactory, CustomerFactory, InvoiceFactory, PaymentFactory

pytestmark = pytest.mark.django_db


def _fields(response) -> set:
    return {item["loc"][-1] for item in response.json()["detail"]}


def test_a_rep_logs_a_visit_through_the_api(org_tree):
    rep = org_tree.people["rep_east1a"]
    customer = CustomerFactory(owner=rep)
    contact = ContactFactory(customer=customer)
    payload = {
        "rep_id": rep.pk,
        "customer_id": customer.pk,
        "visit_date": "2026-01-05",
        "kind": "joint",
        "contact_ids": [contact.pk],
    }
    client = org_tree.client("rep_east1a")
    response = client.post("/api/v1/visits", payload, content_type="application/json")
    assert response.status_code == 400 and _fields(response) == {"coach_id"}
    payload["coach_id"] = org_tree.people["manager_east1"].pk
    response = client.post("/api/v1/visits", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["contact_ids"] == [contact.pk]
    assert Visit.objects.get().rep == rep


def test_a_rep_may_not_log_a_visit_for_a_colleague(org_tree):
    colleague = org_tree.people["rep_east1b"]
    payload = {
        "rep_id": colleague.pk,
        "customer_id": CustomerFactory(owner=colleague).pk,
        "visit_date": "2026-01-05",
    }
    client = org_tree.client("rep_east1a")
    response = client.post("/api/v1/visits", payload, content_type="application/json")
    assert response.status_code == 403 and not Visit.objects.exists()


def test_payments_beyond_the_invoice_answer_400_naming_amount(org_tree):
    invoice = InvoiceFactory(amount=Decimal("100.00"))
    PaymentFactory(invoice=invoice, amount=Decimal("90.00"))
    payload = {"invoice_id": invoice.pk, "payment_date": "2026-02-01", "amount": "20.00"}
    client = org_tree.client("finance")
    response = client.post("/api/v1/payments", payload, content_type="application/json")
    assert response.status_code == 400 and _fields(response) == {"amount"}
    payload["payment_date"] = "2025-01-01"
    payload["amount"] = "5.00"
    response = client.post("/api/v1/payments", payload, content_type="application/json")
    assert _fields(response) == {"payment_date"}
    assert Payment.objects.count() == 1


def test_orders_are_read_with_their_lines_and_totals(org_records, org_tree):
    order = org_records.orders["rep_east1a"]
    body = org_tree.client("rep_east1a").get(f"/api/v1/orders/{order.pk}").json()
    assert [line["line_no"] for line in body["lines"]] == [1]
    assert Decimal(body["total_amount"]) == Decimal("100.00")
    assert Decimal(body["gross_margin"]) == Decimal("40.00")


def test_unknown_references_answer_400_naming_the_field(org_tree):
    payload = {"owner_id": 999999, "name": "新客户", "created_date": "2026-01-01"}
    client = org_tree.client("director")
    response = client.post("/api/v1/customers", payload, content_type="application/json")
    assert response.status_code == 400 and _fields(response) == {"owner_id"}


def test_targets_are_written_by_the_director_only(org_tree):
    payload = {
        "owner_type": "person",
        "person_id": org_tree.people["rep_east1a"].pk,
        "year": 2026,
        "month": 2,
        "metric": "sales",
        "realistic": "1000",
        "ideal": "900",
    }
    manager = org_tree.client("manager_east1")
    assert (
        manager.post("/api/v1/targets", payload, content_type="application/json").status_code == 403
    )
    director = org_tree.client("director")
    response = director.post("/api/v1/targets", payload, content_type="application/json")
    assert response.status_code == 400 and _fields(response) == {"ideal"}
    payload["ideal"] = "1200"
    assert (
        director.post("/api/v1/targets", payload, content_type="application/json").status_code
        == 201
    )


def test_api_lists_use_a_fixed_number_of_queries(
    org_records, org_tree, django_assert_max_num_queries
):
    client = org_tree.client("director")
    client.get("/api/v1/orders")
    for url in ("/api/v1/orders", "/api/v1/invoices", "/api/v1/visits"):
        with django_assert_max_num_queries(15):
            assert client.get(url).status_code == 200
