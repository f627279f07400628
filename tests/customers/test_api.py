"""Customer-care API: rewards, referrals, surveys, stakeholder fields on contacts, the care
summary; scoped, and 400 naming the field."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from salesorg.api.models import ApiToken
from salesorg.customers.models import SatisfactionSurvey
from salesorg.targets.models import ActionItem
from tests.factories import (
    ContactFactory,
    CustomerFactory,
    InvoiceFactory,
    OrderFactory,
    OrderLineFactory,
)

pytestmark = pytest.mark.django_db


def _api(org_tree, key) -> Client:
    _token, raw = ApiToken.objects.issue(user=org_tree.user(key))
    return Client(headers={"authorization": f"Bearer {raw}"})


def test_rep_records_a_survey_and_others_do_not_see_it(org_tree):
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"])
    api = _api(org_tree, "rep_east1a")
    response = api.post(
        "/api/v1/surveys",
        {"customer_id": customer.pk, "surveyed_on": "2026-11-20", "overall": 4, "comment": "好"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    survey_id = response.json()["id"]
    assert SatisfactionSurvey.objects.get().recorded_by == org_tree.people["rep_east1a"]
    assert _api(org_tree, "rep_east1b").get(f"/api/v1/surveys/{survey_id}").status_code == 404
    assert _api(org_tree, "manager_east1").get("/api/v1/surveys").json()["count"] == 1
    bad = api.post(
        "/api/v1/surveys",
        {"customer_id": customer.pk, "surveyed_on": "2026-11-20", "overall": 9},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"][-1] == "overall"


def test_a_reward_beyond_the_budget_is_400_naming_the_value(org_tree):
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"], lifecycle_stage="established")
    order = OrderFactory(customer=customer, order_date=date(2026, 10, 1))
    OrderLineFactory(order=order, amount=Decimal("600.00"), cost=Decimal("100.00"))  # 10.00
    payload = {
        "customer_id": customer.pk,
        "kind": "gift",
        "value": "10.01",
        "granted_on": "2026-11-01",
        "approved_by_id": org_tree.people["manager_east1"].pk,
    }
    api = _api(org_tree, "manager_east1")
    response = api.post("/api/v1/rewards", payload, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"][0]["loc"] == ["body", "value"]
    payload["value"] = "10.00"
    assert api.post("/api/v1/rewards", payload, content_type="application/json").status_code == 201
    rep = _api(org_tree, "rep_east1a")
    assert rep.post("/api/v1/rewards", payload, content_type="application/json").status_code == 403


def test_referrals_and_the_care_summary(org_tree):
    rep = org_tree.people["rep_east1a"]
    referrer = CustomerFactory(owner=rep)
    referred = CustomerFactory(owner=rep)
    InvoiceFactory(
        customer=referrer,
        invoice_date=date(2026, 1, 1),
        due_date=date(2026, 1, 31),
        amount=Decimal("123.45"),
    )
    api = _api(org_tree, "rep_east1a")
    response = api.post(
        "/api/v1/referrals",
        {"referrer_id": referrer.pk, "referred_id": referred.pk, "referred_on": "2026-11-01"},
        content_type="application/json",
    )
    assert response.status_code == 201
    again = api.post(
        "/api/v1/referrals",
        {"referrer_id": referrer.pk, "referred_id": referred.pk, "referred_on": "2026-11-02"},
        content_type="application/json",
    )
    assert again.status_code == 400
    assert again.json()["detail"][0]["loc"] == ["body", "referred_id"]
    summary = api.get(f"/api/v1/customers/{referrer.pk}/care", {"as_of": "2026-06-30"}).json()
    assert summary["lifecycle_stage"] == "prospect"
    assert Decimal(summary["ageing"]["over_90"]) == Decimal("123.45")
    assert summary["reward_budget"]["eligible"] is False
    assert (
        _api(org_tree, "rep_east1b").get(f"/api/v1/customers/{referrer.pk}/care").status_code == 404
    )


def test_contacts_carry_stakeholder_fields_and_leaving_creates_the_follow_up(org_tree):
    rep = org_tree.people["rep_east1a"]
    contact = ContactFactory(customer=CustomerFactory(owner=rep), role="influencer")
    api = _api(org_tree, "rep_east1a")
    response = api.patch(
        f"/api/v1/contacts/{contact.pk}",
        {"influence": 5, "attitude": "champion", "needs": "快速交货", "version": 1},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["influence"] == 5
    bad = api.patch(
        f"/api/v1/contacts/{contact.pk}",
        {"status": "left", "version": 2},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["detail"][0]["loc"] == ["body", "left_on"]
    api.patch(
        f"/api/v1/contacts/{contact.pk}",
        {"status": "left", "left_on": "2026-11-01", "version": 2},
        content_type="application/json",
    )
    # influence 5 made them key (one follow-up); their leaving gives one more
    items = ActionItem.objects.filter(owner=rep, source_id=contact.pk)
    assert sorted(items.values_list("title_key", flat=True)) == [
        "customers.stakeholder_changed.title",
        "customers.stakeholder_left.title",
    ]
    customer = api.get(f"/api/v1/customers/{contact.customer_id}").json()
    assert customer["lifecycle_stage"] == "prospect"
