"""A NUL character in a request answers 400 naming the field, never 500 (PostgreSQL refuses it)."""

import json

import pytest
from django.test import Client

from salesorg.api.models import ApiToken


def api_client(tree) -> Client:
    _token, raw = ApiToken.objects.issue(user=tree.user("director"))
    return Client(headers={"authorization": f"Bearer {raw}"})


URLS = ["/customers/?q=%00", "/sales/orders/?q=a%00b", "/org/people/?q=%00"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", URLS)
def test_a_nul_in_a_page_query_answers_400(org_tree, url):
    response = org_tree.client("director").get(url)
    assert response.status_code == 400
    assert "q" in response.content.decode()


@pytest.mark.django_db
def test_a_nul_in_an_api_query_answers_400_naming_the_parameter(org_tree):
    response = api_client(org_tree).get("/api/v1/customers?search=%00")
    assert response.status_code == 400
    assert response.json()["detail"][0]["loc"] == ["query", "search"]


@pytest.mark.django_db
def test_a_nul_in_a_json_body_answers_400_naming_the_field(org_tree):
    body = json.dumps({"title": "a\u0000b", "due_date": "2026-01-01"})
    response = api_client(org_tree).post(
        "/api/v1/action-items", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"][0]["loc"] == ["body", "title"]
