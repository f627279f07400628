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


# --- every body the API parses, whatever its content type (issue #21 F6, F8) ---------------------

BODY_TYPES = ["application/json", "text/plain", "application/x-www-form-urlencoded", ""]


@pytest.mark.django_db
@pytest.mark.parametrize("content_type", BODY_TYPES)
@pytest.mark.parametrize("text", ["a\\u0000b", "a\\ud800b", "\\udfff"])
def test_bad_text_in_an_api_body_of_any_content_type_is_refused_naming_the_field(
    org_tree, content_type, text
):
    # given a JSON body, sent with whatever content type, whose title holds a NUL or a lone
    # surrogate (django-ninja reads any body as JSON)
    from salesorg.targets.models import ActionItem

    body = '{"title": "' + text + '", "due_date": "2026-01-01"}'
    response = api_client(org_tree).post("/api/v1/action-items", body, content_type=content_type)
    assert response.status_code == 400, response.content
    assert response.json()["detail"][0]["loc"] == ["body", "title"]
    assert not ActionItem.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("number", "field"),
    [
        ("NaN", "credit_limit"),
        ("Infinity", "credit_limit"),
        ("1e400", "credit_limit"),
        ("12345678901234567890123", "owner_id"),
    ],
)
def test_a_non_finite_or_overlong_number_in_an_api_body_is_refused_naming_the_field(
    org_tree, number, field
):
    from salesorg.customers.models import Customer

    payload = {
        "name": "N",
        "owner_id": org_tree.people["rep_east1a"].pk,
        "created_date": "2026-01-05",
        "credit_limit": "1.00",
    }
    body = json.dumps({**payload, field: "__n__"}).replace('"__n__"', number)
    response = api_client(org_tree).post("/api/v1/customers", body, content_type="text/plain")
    assert response.status_code == 400, response.content
    assert response.json()["detail"][0]["loc"] == ["body", field]
    assert not Customer.objects.filter(name="N").exists()


@pytest.mark.django_db
def test_a_bad_key_in_an_api_body_is_refused(org_tree):
    body = '{"title": "x", "due_date": "2026-01-01", "a\\u0000": 1}'
    response = api_client(org_tree).post("/api/v1/action-items", body, content_type="text/plain")
    assert response.status_code == 400
    assert response.json()["detail"][0]["loc"] == ["body", "a"]


@pytest.mark.django_db
@pytest.mark.parametrize("content_type", ["multipart", "urlencoded"])
def test_a_nul_in_a_page_form_field_read_directly_is_refused(org_tree, org_records, content_type):
    # given a page whose view reads `reason` straight from the form (not through a Django
    # form), sent with a NUL: nothing may be stored (PostgreSQL: a 500)
    client = org_tree.client("director")
    data = {"reason": "a\x00b", "status": "done", "result": "r\x00"}
    url = "/targets/actions/1/status/"
    if content_type == "multipart":
        response = client.post(url, data)
    else:
        from urllib.parse import urlencode

        response = client.post(
            url, urlencode(data), content_type="application/x-www-form-urlencoded"
        )
    assert response.status_code == 400
    assert response.content.decode().startswith("reason:")
