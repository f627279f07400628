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


def token_client(tree, key: str) -> Client:
    from salesorg.api.models import ApiToken

    _token, raw = ApiToken.objects.issue(user=tree.user(key))
    return Client(headers={"authorization": f"Bearer {raw}"})


def named(response) -> set[str]:
    detail = response.json()["detail"]
    assert isinstance(detail, list), detail
    return {str(item["loc"][-1]) for item in detail}


# --- dates, decimals and ids beyond what a column or date arithmetic holds (#21 F8) -------------


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1899-12-31", "2200-01-01"])
def test_a_visit_dated_far_outside_any_business_date_is_refused_naming_the_field(
    director, org_records, day
):
    visit = org_records.visits["rep_east1a"]
    payload = {"rep_id": visit.rep_id, "customer_id": visit.customer_id, "visit_date": day}
    response = director.post("/api/v1/visits", payload, content_type="application/json")
    assert 400 <= response.status_code < 500, response.content
    assert "visit_date" in named(response)


@pytest.mark.parametrize("amount", ["1e30", 1e30, "-1e17", "NaN"])
def test_a_payment_amount_beyond_the_column_is_refused_naming_amount(director, org_records, amount):
    invoice = org_records.invoices["rep_east1a"]
    payload = {"invoice_id": invoice.pk, "payment_date": "2026-03-02", "amount": amount}
    response = director.post("/api/v1/payments", payload, content_type="application/json")
    assert 400 <= response.status_code < 500, response.content
    assert "amount" in named(response)


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/joint-visit-reviews?rep_id=23356408948513862706003968", "rep_id"),
        (
            "/api/v1/coaching-sessions?person_id=9999999999999999999999999999999999999999",
            "person_id",
        ),
        ("/api/v1/action-items?owner_id=9999999999999999999999999999999999999999", "owner_id"),
        ("/api/v1/scorecards?team=99999999999999999999999", "team"),
        ("/api/v1/meetings?team=99999999999999999999999", "team"),
        ("/api/v1/customers/99999999999999999999999", "pk"),
        ("/api/v1/reviews?year=99999999999999999999", "year"),
    ],
)
def test_an_id_beyond_64_bits_in_a_filter_or_path_is_refused_naming_it(director, url, parameter):
    response = director.get(url)
    assert 400 <= response.status_code < 500, response.content
    assert parameter in named(response)


# --- the indicator period is bounded (#21 F4) ----------------------------------------------------


@pytest.mark.parametrize(
    "period",
    [
        {"from": "2026-01-01", "to": "9999-12-31"},  # past the last date a request may name
        {"from": "2026-01-01", "to": "2040-12-31"},  # longer than ten years
    ],
)
@pytest.mark.parametrize("path", ["/api/v1/kpi", "/api/v1/product-mix"])
def test_an_indicator_period_too_long_is_refused_naming_to(org_tree, path, period):
    response = token_client(org_tree, "rep_east1a").get(path, period)
    assert 400 <= response.status_code < 500, response.content
    assert named(response) == {"to"}


def test_an_indicator_period_of_ten_years_is_answered(org_tree):
    period = {"from": "2026-01-01", "to": "2035-12-31", "level": "person"}
    response = token_client(org_tree, "rep_east1a").get("/api/v1/kpi", period)
    assert response.status_code == 200, response.content


# --- a joint visit's coach is one the visit form would offer (#21 F5) ----------------------------


def _joint_visit(tree, records, coach_key: str) -> dict:
    visit = records.visits["rep_east1a"]
    return {
        "rep_id": tree.people["rep_east1a"].pk,
        "customer_id": visit.customer_id,
        "visit_date": "2026-03-02",
        "kind": "joint",
        "coach_id": tree.people[coach_key].pk,
    }


@pytest.mark.parametrize(
    "coach_key", ["head_north", "manager_north1", "manager_east2", "rep_east1b"]
)
def test_a_rep_cannot_name_a_coach_the_form_would_not_offer(org_tree, org_records, coach_key):
    from salesorg.sales.models import Visit

    before = Visit.objects.count()
    response = token_client(org_tree, "rep_east1a").post(
        "/api/v1/visits",
        _joint_visit(org_tree, org_records, coach_key),
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert named(response) == {"coach_id"}
    assert Visit.objects.count() == before


@pytest.mark.parametrize("coach_key", ["manager_east1", "head_east"])
def test_a_rep_may_name_their_own_leaders_as_coach(org_tree, org_records, coach_key):
    response = token_client(org_tree, "rep_east1a").post(
        "/api/v1/visits",
        _joint_visit(org_tree, org_records, coach_key),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["coach_id"] == org_tree.people[coach_key].pk
