"""The survey-link API (S4): make a link, read links in scope with their URL while open, and
satisfaction with NPS per team."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from salesorg.api.models import ApiToken
from salesorg.customers.models import SurveyLink
from salesorg.customers.services.surveys import survey_link_answer, survey_link_create
from tests.factories import ContactFactory, CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()


def _bearer(org_tree, role) -> Client:
    _token, raw = ApiToken.objects.issue(user=org_tree.user(role))
    return Client(headers={"authorization": f"Bearer {raw}"})


def test_a_rep_makes_a_link_and_the_contact_answers_it(org_tree):
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"])
    contact = ContactFactory(customer=customer)
    client = _bearer(org_tree, "rep_east1a")
    response = client.post(
        "/api/v1/survey-links",
        {"customer_id": customer.pk, "contact_id": contact.pk, "language": "en"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "open" and body["contact_id"] == contact.pk
    assert body["url"].startswith("http://testserver/customers/survey/")
    path = body["url"].removeprefix("http://testserver")
    assert Client().post(path, {"overall": "5", "recommend": "10"}).status_code == 200
    read = client.get(f"/api/v1/survey-links/{body['id']}").json()
    assert read["status"] == "answered" and read["url"] is None and read["survey_id"]
    survey = client.get(f"/api/v1/surveys/{read['survey_id']}").json()
    assert (survey["source"], survey["recommend"], survey["contact_id"]) == (
        "customer",
        10,
        contact.pk,
    )


def test_a_link_needs_a_contact_of_the_customer_and_a_known_language(org_tree):
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"])
    client = _bearer(org_tree, "rep_east1a")
    other = ContactFactory(customer=CustomerFactory(owner=org_tree.people["rep_east1a"]))
    bad_contact = client.post(
        "/api/v1/survey-links",
        {"customer_id": customer.pk, "contact_id": other.pk},
        content_type="application/json",
    )
    bad_language = client.post(
        "/api/v1/survey-links",
        {"customer_id": customer.pk, "language": "fr"},
        content_type="application/json",
    )
    assert bad_contact.status_code == 400 and "contact_id" in bad_contact.content.decode()
    assert bad_language.status_code == 400 and "language" in bad_language.content.decode()
    assert not SurveyLink.objects.exists()


def test_others_customers_are_not_found_and_finance_may_not_survey(org_tree):
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"])
    payload = {"customer_id": customer.pk}
    other_rep = _bearer(org_tree, "rep_east1b").post(
        "/api/v1/survey-links", payload, content_type="application/json"
    )
    finance = _bearer(org_tree, "finance").post(
        "/api/v1/survey-links", payload, content_type="application/json"
    )
    assert other_rep.status_code == 404
    assert finance.status_code == 400 and "customer_id" in finance.content.decode()
    assert not SurveyLink.objects.exists()


def test_satisfaction_per_team(org_tree):
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"])
    for overall, recommend in ((5, 10), (2, 4), (4, 8)):
        _link, token = survey_link_create(customer=customer, actor=org_tree.user("rep_east1a"))
        survey_link_answer(token=token, overall=overall, recommend=recommend)
    today = timezone.localdate().isoformat()
    client = _bearer(org_tree, "manager_east1")
    body = client.get("/api/v1/satisfaction/teams", {"start": "2020-01-01", "end": today})
    assert body.status_code == 200, body.content
    team = body.json()["teams"][0]
    assert team["team_id"] == org_tree.teams["east1"].pk
    assert (team["answers"], team["satisfaction"], team["nps"]) == (3, "3.67", "0.0")
    assert (team["promoters"], team["passives"], team["detractors"]) == (1, 1, 1)
    wrong = client.get("/api/v1/satisfaction/teams", {"start": today, "end": "2020-01-01"})
    assert wrong.status_code == 400 and "end" in wrong.content.decode()
