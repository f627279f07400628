"""A contact who left the customer on or before the visit date is not offered as met, and a
visit that names them anyway is refused with a clear error (pages and API alike)."""

from datetime import date

import pytest

from salesorg.customers.choices import ContactStatus
from salesorg.customers.models import Contact
from salesorg.sales.models import Visit
from tests.factories import ContactFactory, CustomerFactory, VisitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer_with_leaver(org_tree):
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"])
    stays = ContactFactory(customer=customer, name="王经理")
    left = ContactFactory(
        customer=customer, name="潘平", status=ContactStatus.LEFT, left_on=date(2026, 12, 3)
    )
    return customer, stays, left


def test_active_on_keeps_contacts_until_the_day_they_left(customer_with_leaver):
    customer, stays, left = customer_with_leaver
    contacts = Contact.objects.filter(customer=customer)
    assert set(contacts.active_on(date(2026, 12, 2))) == {stays, left}
    assert set(contacts.active_on(date(2026, 12, 3))) == {stays}
    assert set(contacts.left_by(date(2026, 12, 6))) == {left}


def test_a_contact_who_left_is_not_offered_for_a_later_visit(org_tree, customer_with_leaver):
    customer, _stays, _left = customer_with_leaver
    client = org_tree.client("rep_east1a")
    later = client.get(
        "/sales/visits/customer/", {"customer": customer.pk, "visit_date": "2026-12-06"}
    ).content.decode()
    assert "王经理" in later and "潘平" not in later
    earlier = client.get(
        "/sales/visits/customer/", {"customer": customer.pk, "visit_date": "2026-12-01"}
    ).content.decode()
    assert "王经理" in earlier and "潘平" in earlier


def test_changing_the_date_asks_again_and_the_date_field_says_so(org_tree, customer_with_leaver):
    client = org_tree.client("rep_east1a")
    page = client.get("/sales/visits/log/").content.decode()
    assert 'hx-get="/sales/visits/customer/"' in page
    assert client.get("/sales/visits/customer/", {"visit_date": "2026-12-06"}).status_code == 204


def test_the_form_refuses_a_contact_who_had_left_and_keeps_the_input(
    org_tree, customer_with_leaver
):
    customer, stays, left = customer_with_leaver
    response = org_tree.client("rep_east1a").post(
        "/sales/visits/log/",
        {
            "customer": customer.pk,
            "visit_date": "2026-12-06",
            "kind": "visit",
            "contacts": [stays.pk, left.pk],
            "outcome": "谈妥了报价",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and not Visit.objects.exists()
    assert "潘平 had left the customer on 2026-12-03" in html
    assert "谈妥了报价" in html


def test_the_api_refuses_a_contact_who_had_left(org_tree, customer_with_leaver):
    customer, _stays, left = customer_with_leaver
    payload = {
        "rep_id": org_tree.people["rep_east1a"].pk,
        "customer_id": customer.pk,
        "visit_date": "2026-12-06",
        "kind": "visit",
        "contact_ids": [left.pk],
    }
    client = org_tree.client("rep_east1a")
    response = client.post("/api/v1/visits", payload, content_type="application/json")
    assert response.status_code == 400
    assert {item["loc"][-1] for item in response.json()["detail"]} == {"contact_ids"}
    payload["visit_date"] = "2026-12-02"
    response = client.post("/api/v1/visits", payload, content_type="application/json")
    assert response.status_code == 201, response.content


def test_editing_an_old_visit_still_offers_the_contact_met_before_they_left(
    org_tree, customer_with_leaver
):
    customer, _stays, left = customer_with_leaver
    visit = VisitFactory(customer=customer, rep=customer.owner, visit_date=date(2026, 12, 1))
    visit.contacts.add(left)
    page = org_tree.client("rep_east1a").get(f"/sales/visits/{visit.pk}/edit/").content.decode()
    assert f'value="{left.pk}" id="contact-{left.pk}" checked' in page
