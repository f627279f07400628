"""Bad input to the API is refused with 4xx naming the field, never a 500."""

import pytest
from django.test import Client

HUGE = -9321075118688772280200644788224


@pytest.fixture
def director(org_tree, org_records) -> Client:
    from salesorg.api.models import ApiToken

    _token, raw = ApiToken.objects.issue(user=org_tree.user("director"))
    return Client(headers={"authorization": f"Bearer {raw}"})


@pytest.mark.parametrize(
    "change",
    [
        {"purpose_type_id": HUGE},
        {"coach_id": 2**70},
        {"contact_ids": [HUGE]},
        {"checklist": [{"step_id": HUGE, "done": True}]},
        {"customer_id": 2**63},
    ],
    ids=lambda c: next(iter(c)),
)
def test_a_visit_with_an_id_out_of_range_is_refused_naming_the_field(director, org_records, change):
    visit = org_records.visits["rep_east1a"]
    payload = {
        "rep_id": visit.rep_id,
        "customer_id": visit.customer_id,
        "visit_date": "2026-03-02",
        **change,
    }
    response = director.post("/api/v1/visits", payload, content_type="application/json")
    assert 400 <= response.status_code < 500
    assert next(iter(change)) in response.content.decode()


def test_a_visit_time_with_a_time_zone_is_refused_naming_the_field(director, org_records):
    visit = org_records.visits["rep_east1a"]
    payload = {
        "rep_id": visit.rep_id,
        "customer_id": visit.customer_id,
        "visit_date": "2026-03-02",
        "visit_time": "09:30:00Z",
    }
    response = director.post("/api/v1/visits", payload, content_type="application/json")
    assert response.status_code == 422
    assert "visit_time" in response.content.decode()
