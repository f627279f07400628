"""Customer pages: the scoped list (search, sort, CSV) and the customer page with contacts."""

import pytest

from tests.factories import ContactFactory, CustomerFactory, VisitFactory

pytestmark = pytest.mark.django_db


def test_customer_list_searches_and_sorts(org_tree):
    rep = org_tree.people["rep_east1a"]
    CustomerFactory(code="C-A", name="甲公司", owner=rep, industry="医疗")
    CustomerFactory(code="C-B", name="乙公司", owner=rep, industry="制造业")
    client = org_tree.client("rep_east1a")
    page = client.get("/customers/", {"q": "医疗"}).content.decode()
    assert "甲公司" in page and "乙公司" not in page
    page = client.get("/customers/", {"sort": "-code"}).content.decode()
    assert page.index("C-B") < page.index("C-A")
    export = client.get("/customers/", {"format": "csv", "industry": "制造业"})
    assert export.content.decode("utf-8-sig").splitlines()[1].startswith("C-B,乙公司")


def test_customer_page_shows_contacts_and_latest_visits(org_tree):
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"])
    ContactFactory(customer=customer, name="李采购", title="采购经理")
    VisitFactory(customer=customer)
    page = org_tree.client("manager_east1").get(customer.get_absolute_url()).content.decode()
    assert "李采购" in page and "采购经理" in page and "Visits and service calls" in page
    assert org_tree.client("manager_north1").get(customer.get_absolute_url()).status_code == 404


def test_customer_list_queries_do_not_grow_with_rows(org_tree, django_assert_max_num_queries):
    rep = org_tree.people["rep_east1a"]
    CustomerFactory.create_batch(60, owner=rep)
    client = org_tree.client("head_east")
    client.get("/customers/")
    with django_assert_max_num_queries(16):  # 15 and the top bar's unread notifications count
        assert client.get("/customers/").status_code == 200


def test_navigation_lists_record_pages_by_role(org_tree):
    rep_page = org_tree.client("rep_east1a").get("/").content.decode()
    for label in ("Customers", "Orders", "Invoices", "Visits", "Expenses", "Log a visit"):
        assert label in rep_page
    finance_page = org_tree.client("finance").get("/").content.decode()
    assert "Invoices" in finance_page and ">Visits<" not in finance_page
