"""API of quarterly reviews, PDCA, standards and action items: flow, 400s naming fields, 403s."""

from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from salesorg.api.models import ApiToken
from salesorg.targets.models import PdcaPlan, QuarterlyReview
from salesorg.targets.quarters import quarter_after, quarter_of
from tests.targets.test_reviews import ANSWERS


def api(org_tree, role) -> Client:
    _token, raw = ApiToken.objects.issue(user=org_tree.user(role))
    return Client(headers={"authorization": f"Bearer {raw}"})


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def fields(response) -> set:
    return {item["loc"][-1] for item in response.json()["detail"]}


def test_review_flow_over_the_api(org_tree):
    rep, manager = api(org_tree, "rep_east1a"), api(org_tree, "manager_east1")
    # A quarter outside 1..4 does not match the schema (422), naming the field.
    response = post(rep, "/api/v1/reviews", {"year": 2026, "quarter": 7})
    assert response.status_code == 422 and fields(response) == {"quarter"}
    response = post(rep, "/api/v1/reviews", {"year": 2026, "quarter": 2})
    assert response.status_code == 201
    review = response.json()
    assert review["status"] == "draft" and review["figures"]["quarter"] == 2
    pk = review["id"]
    response = post(rep, f"/api/v1/reviews/{pk}/file", {"obstacles": "价格"})
    assert response.status_code == 400 and "year_end_result" in fields(response)
    assert post(manager, f"/api/v1/reviews/{pk}/file", ANSWERS).status_code == 403
    response = post(rep, f"/api/v1/reviews/{pk}/file", ANSWERS)
    assert response.status_code == 200 and response.json()["status"] == "filed"
    other = api(org_tree, "manager_east2")
    assert post(other, f"/api/v1/reviews/{pk}/sign-off", {"comment": "ok"}).status_code == 404
    assert post(rep, f"/api/v1/reviews/{pk}/sign-off", {"comment": "ok"}).status_code == 403
    response = post(manager, f"/api/v1/reviews/{pk}/sign-off", {"comment": " "})
    assert response.status_code == 400 and fields(response) == {"manager_comment"}
    response = post(manager, f"/api/v1/reviews/{pk}/sign-off", {"comment": "同意"})
    assert response.json()["status"] == "signed_off"
    assert rep.get(f"/api/v1/reviews/{pk}").json()["manager_comment"] == "同意"
    assert api(org_tree, "rep_east1b").get(f"/api/v1/reviews/{pk}").status_code == 404
    listing = manager.get("/api/v1/reviews").json()
    assert listing["count"] == 1 and listing["items"][0]["rep_code"] == "REP-east1a"


def test_pdca_over_the_api(org_tree):
    manager = api(org_tree, "manager_east1")
    payload = {
        "title": "回款",
        "unit_type": "team",
        "unit_id": org_tree.teams["east2"].pk,
        "owner_id": org_tree.people["manager_east1"].pk,
        "period_start": "2026-01-01",
        "period_end": "2026-03-31",
        "objective": "九成",
    }
    response = post(manager, "/api/v1/pdca-plans", payload)
    assert response.status_code == 400 and fields(response) == {"unit_id"}
    response = post(
        manager, "/api/v1/pdca-plans", {**payload, "unit_id": org_tree.teams["east1"].pk}
    )
    assert response.status_code == 201
    pk = response.json()["id"]
    response = post(
        manager,
        f"/api/v1/pdca-plans/{pk}/measures",
        {"what": "x", "due_date": "2026-02-01", "metric": "bogus", "target_value": "1"},
    )
    assert response.status_code == 400 and fields(response) == {"metric"}
    post(
        manager,
        f"/api/v1/pdca-plans/{pk}/measures",
        {"what": "跟进", "due_date": "2026-02-01", "metric": "sales", "target_value": "10"},
    )
    assert post(manager, f"/api/v1/pdca-plans/{pk}/advance", {}).json()["status"] == "do"
    check = post(manager, f"/api/v1/pdca-plans/{pk}/checks", {"checked_on": "2026-03-31"}).json()
    assert check["results"][0]["actual"] == "0.00"
    problem = post(
        manager,
        f"/api/v1/pdca-plans/{pk}/problems",
        {
            "description": "慢",
            "cause_category": "customer",
            "cause": "账期",
            "check_id": check["id"],
        },
    ).json()
    response = post(
        manager,
        f"/api/v1/pdca-problems/{problem['id']}/actions",
        {"title": "约谈", "owner_id": org_tree.people["rep_east1a"].pk, "due_date": "2026-04-01"},
    )
    assert response.status_code == 201 and response.json()["origin"] == "pdca"
    assert response.json()["source_type"] == "pdcaproblem"
    rep = api(org_tree, "rep_east1a")
    detail = rep.get(f"/api/v1/pdca-plans/{pk}").json()
    assert len(detail["measures"]) == 1 and len(detail["problems"]) == 1
    assert post(rep, f"/api/v1/pdca-plans/{pk}/advance", {}).status_code == 403
    assert api(org_tree, "rep_east2a").get(f"/api/v1/pdca-plans/{pk}").status_code == 404
    assert PdcaPlan.objects.get().status == "check"


def test_standards_and_action_items_over_the_api(org_tree):
    director, rep = api(org_tree, "director"), api(org_tree, "rep_east1a")
    body = {"code": "S-1", "title": "拜访", "category": "other", "body": "每天四家"}
    assert post(rep, "/api/v1/standards", body).status_code == 403
    response = post(director, "/api/v1/standards", {**body, "category": "nope"})
    assert response.status_code == 400 and fields(response) == {"category"}
    standard = post(director, "/api/v1/standards", body).json()
    assert rep.get(f"/api/v1/standards/{standard['id']}").status_code == 404
    version = standard["versions"][0]
    response = post(
        director,
        f"/api/v1/standard-versions/{version['id']}/approve",
        {"effective_date": "2026-01-01"},
    )
    assert response.status_code == 200
    assert rep.get("/api/v1/standards").json()["count"] == 1
    # action items: a manager gives a rep one; the rep marks it done
    manager = api(org_tree, "manager_east1")
    item = post(
        manager,
        "/api/v1/action-items",
        {"title": "回访", "owner_id": org_tree.people["rep_east1a"].pk, "due_date": "2026-12-01"},
    )
    assert item.status_code == 201
    response = post(
        rep,
        "/api/v1/action-items",
        {"title": "x", "owner_id": org_tree.people["rep_east1b"].pk, "due_date": "2026-12-01"},
    )
    assert response.status_code == 400 and fields(response) == {"owner_id"}
    pk = item.json()["id"]
    response = post(rep, f"/api/v1/action-items/{pk}/status", {"status": "done", "result": "ok"})
    assert response.json()["status"] == "done"
    assert api(org_tree, "rep_east2a").get(f"/api/v1/action-items/{pk}").status_code == 404
    assert rep.get("/api/v1/action-items", {"status": "done"}).json()["count"] == 1


@pytest.mark.parametrize("role", ["rep_east1a", "manager_east1", "director"])
def test_review_list_queries_are_bounded(org_tree, role, django_assert_max_num_queries):
    for key in ("rep_east1a", "rep_east1b", "rep_east2a"):
        for quarter in (1, 2):
            QuarterlyReview.objects.create(rep=org_tree.people[key], year=2026, quarter=quarter)
    client = api(org_tree, role)
    client.get("/api/v1/reviews")
    with django_assert_max_num_queries(12):
        assert client.get("/api/v1/reviews").status_code == 200
    assert date(2026, 1, 1)


def test_the_running_quarter_is_a_marked_draft_and_a_future_one_is_refused(org_tree):
    rep = api(org_tree, "rep_east1a")
    today = timezone.localdate()
    year, quarter = quarter_of(today)
    next_year, next_quarter = quarter_after(year=year, quarter=quarter)
    # a future quarter is refused, naming the quarter
    response = post(rep, "/api/v1/reviews", {"year": next_year, "quarter": next_quarter})
    assert response.status_code == 400 and fields(response) == {"quarter"}
    # the running quarter opens as a draft that says it is running and to which day
    response = post(rep, "/api/v1/reviews", {"year": year, "quarter": quarter})
    assert response.status_code == 201
    review = response.json()
    assert review["quarter_running"] is True and review["figures_as_of"] == today.isoformat()
    assert review["figures"]["running"] is True
    # answered in full, it still cannot be filed before the quarter ends
    response = post(rep, f"/api/v1/reviews/{review['id']}/file", ANSWERS)
    assert response.status_code == 400 and fields(response) == {"quarter"}
    assert rep.get(f"/api/v1/reviews/{review['id']}").json()["status"] == "draft"
    # an ended quarter is not running
    response = post(rep, "/api/v1/reviews", {"year": year - 1, "quarter": 4})
    assert response.json()["quarter_running"] is False
    assert response.json()["figures_as_of"] == f"{year - 1}-12-31"
