"""The visits API carries the check-in and takes a client_key (#18): a resend answers the
visit already saved (200), never a second one; customers carry their location."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from salesorg.sales.models import Visit
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _payload(rep, customer, **extra):
    return {
        "rep_id": rep.pk,
        "customer_id": customer.pk,
        "visit_date": "2026-01-05",
        **extra,
    }


def _check_in(**extra):
    return {
        "latitude": "31.230416",
        "longitude": "121.485301",
        "accuracy_m": 15,
        "taken_at": (timezone.now() - timedelta(minutes=1)).isoformat(),
        "consent": True,
        **extra,
    }


def test_a_visit_posted_twice_with_its_key_is_saved_once(org_tree):
    rep = org_tree.people["rep_east1a"]
    customer = CustomerFactory(owner=rep)
    client = org_tree.client("rep_east1a")
    payload = _payload(rep, customer, client_key=str(uuid.uuid4()), outcome="谈妥")
    first = client.post("/api/v1/visits", payload, content_type="application/json")
    again = client.post("/api/v1/visits", payload, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200), again.content
    assert first.json() == again.json() and Visit.objects.count() == 1
    # without a key, each post is a new visit
    plain = _payload(rep, customer)
    client.post("/api/v1/visits", plain, content_type="application/json")
    client.post("/api/v1/visits", plain, content_type="application/json")
    assert Visit.objects.count() == 3


def test_a_key_of_someone_elses_visit_is_refused_on_the_key(org_tree):
    key = str(uuid.uuid4())
    north = org_tree.people["rep_north1a"]
    org_tree.client("rep_north1a").post(
        "/api/v1/visits",
        _payload(north, CustomerFactory(owner=north), client_key=key),
        content_type="application/json",
    )
    rep = org_tree.people["rep_east1a"]
    response = org_tree.client("rep_east1a").post(
        "/api/v1/visits",
        _payload(rep, CustomerFactory(owner=rep), client_key=key),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert {item["loc"][-1] for item in response.json()["detail"]} == {"client_key"}


def test_the_check_in_is_written_and_read_with_its_distance(org_tree):
    rep = org_tree.people["rep_east1a"]
    customer = CustomerFactory(
        owner=rep, latitude=Decimal("31.230416"), longitude=Decimal("121.473701")
    )
    client = org_tree.client("rep_east1a")
    response = client.post(
        "/api/v1/visits",
        _payload(rep, customer, check_in=_check_in()),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    check_in = response.json()["check_in"]
    assert check_in["accuracy_m"] == 15 and Decimal(check_in["latitude"]) == Decimal("31.230416")
    assert 1095 <= check_in["distance_m"] <= 1115 and check_in["far"] is True
    listed = client.get("/api/v1/visits").json()["items"]
    assert listed[0]["check_in"]["distance_m"] == check_in["distance_m"]


def test_no_check_in_without_consent_through_the_api(org_tree):
    rep = org_tree.people["rep_east1a"]
    response = org_tree.client("rep_east1a").post(
        "/api/v1/visits",
        _payload(rep, CustomerFactory(owner=rep), check_in=_check_in(consent=False)),
        content_type="application/json",
    )
    assert response.status_code == 400 and not Visit.objects.exists()
    assert {item["loc"][-1] for item in response.json()["detail"]} == {"check_in"}


def test_a_check_in_off_the_earth_answers_422(org_tree):
    rep = org_tree.people["rep_east1a"]
    response = org_tree.client("rep_east1a").post(
        "/api/v1/visits",
        _payload(rep, CustomerFactory(owner=rep), check_in=_check_in(latitude="95")),
        content_type="application/json",
    )
    assert response.status_code == 422


def test_customers_carry_their_location(org_tree):
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"])
    client = org_tree.client("manager_east1")
    url = f"/api/v1/customers/{customer.pk}"
    assert client.get(url).json()["latitude"] is None
    response = client.patch(
        url,
        {"latitude": "31.230416", "longitude": "121.473701", "version": customer.version},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert Decimal(client.get(url).json()["longitude"]) == Decimal("121.473701")
    half = client.patch(
        url,
        {"latitude": None, "version": response.json()["version"]},
        content_type="application/json",
    )
    assert half.status_code == 400
