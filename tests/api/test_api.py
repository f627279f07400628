"""The REST API: tokens, session auth, pagination and JSON errors that name the field."""

import pytest
from django.test import Client

from salesorg.api.models import ApiToken
from salesorg.org.models import Membership, Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _token(username, password="pw-for-tests-1"):
    return Client().post(
        "/api/v1/auth/token",
        {"username": username, "password": password},
        content_type="application/json",
    )


def _api(org_tree, key):
    token = _token(org_tree.people[key].code).json()["token"]
    return Client(headers={"authorization": f"Bearer {token}"})


def test_a_token_is_issued_for_good_credentials_and_stored_hashed(org_tree):
    response = _token("MGR-east1")
    assert response.status_code == 200
    raw = response.json()["token"]
    assert len(raw) > 30
    assert not ApiToken.objects.filter(key_hash=raw).exists()
    assert ApiToken.objects.filter(user=org_tree.user("manager_east1")).count() == 1


def test_bad_credentials_get_401_with_a_detail(org_tree):
    response = _token("MGR-east1", "wrong")
    assert response.status_code == 401
    assert "detail" in response.json()


def test_requests_without_or_with_a_bad_token_are_refused(org_tree):
    assert Client().get("/api/v1/people").status_code == 401
    bad = Client(headers={"authorization": "Bearer nope"})
    assert bad.get("/api/v1/people").status_code == 401


def test_the_browser_session_works_for_reads_and_needs_csrf_for_writes(org_tree):
    client = Client(enforce_csrf_checks=True)
    client.force_login(org_tree.user("admin"))
    assert client.get("/api/v1/regions").status_code == 200
    response = client.post(
        "/api/v1/regions", {"code": "WEST", "name": "西部"}, content_type="application/json"
    )
    assert response.status_code in (401, 403)


def test_lists_are_paginated_as_items_and_count(org_tree):
    for _ in range(55):
        PersonFactory()
    client = _api(org_tree, "director")
    total = Person.objects.count()
    first = client.get("/api/v1/people").json()
    second = client.get("/api/v1/people", {"page": 2}).json()
    assert first["count"] == second["count"] == total
    assert len(first["items"]) == 50 and len(second["items"]) == total - 50
    assert {p["id"] for p in first["items"]}.isdisjoint({p["id"] for p in second["items"]})


def test_lists_search(org_tree):
    body = _api(org_tree, "director").get("/api/v1/people", {"search": "MGR-"}).json()
    assert {p["code"] for p in body["items"]} == {
        "MGR-east1",
        "MGR-east2",
        "MGR-north1",
        "MGR-north2",
    }


def test_a_schema_error_names_the_field(org_tree):
    response = _api(org_tree, "admin").post(
        "/api/v1/people",
        {"code": "X1", "name": "新人", "role": "astronaut", "hire_date": "2026-13-01"},
        content_type="application/json",
    )
    assert response.status_code == 422
    fields = {error["loc"][-1] for error in response.json()["detail"]}
    assert {"role", "hire_date"} <= fields


def test_a_business_rule_error_names_the_field_as_the_api_does(org_tree):
    rep = org_tree.people["rep_east1a"]
    response = _api(org_tree, "admin").post(
        "/api/v1/memberships",
        {"person_id": rep.pk, "team_id": org_tree.teams["north1"].pk, "start_date": "2024-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert detail[0]["loc"] == ["body", "start_date"]
    assert "overlaps" in detail[0]["msg"]
    assert Membership.objects.filter(person=rep).count() == 1


def test_a_duplicate_code_and_an_unknown_reference_are_400_naming_the_fields(org_tree):
    response = _api(org_tree, "admin").post(
        "/api/v1/teams",
        {"code": "EAST1", "name": "重复", "region_id": 999999},
        content_type="application/json",
    )
    assert response.status_code == 400
    fields = {error["loc"][-1] for error in response.json()["detail"]}
    assert fields == {"code", "region_id"}


def test_hidden_and_missing_objects_get_the_same_404(org_tree):
    client = _api(org_tree, "rep_east1a")
    hidden = client.get(f"/api/v1/people/{org_tree.people['rep_north1a'].pk}")
    missing = client.get("/api/v1/people/999999")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def test_deleting_a_referenced_record_is_a_409_not_a_500(org_tree):
    response = _api(org_tree, "admin").delete(f"/api/v1/teams/{org_tree.teams['east1'].pk}")
    assert response.status_code == 409


def test_openapi_document_is_served(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "SalesOrg API"
    assert "/api/v1/auth/token" in schema["paths"]
