"""Pages and API of a published plan: the goal beside the company targets, publishing with a
reason for a deviation, revisions proposed from the grid and decided on the plan page."""

from decimal import Decimal

import pytest
from django.test import Client

from salesorg.api.models import ApiToken
from salesorg.targets.models import CompanyGoal, RevisionStatus, Target, TargetRevision
from tests.targets.plan_helpers import YEAR, person_unit, team_unit
from tests.targets.revision_helpers import decomposed_plan, month_target, published_plan

pytestmark = pytest.mark.django_db


def _api(org_tree, role) -> Client:
    _token, raw = ApiToken.objects.issue(user=org_tree.user(role))
    return Client(headers={"authorization": f"Bearer {raw}"})


def _field_errors(response) -> dict:
    return {item["loc"][-1]: item["msg"] for item in response.json()["detail"]}


def _swap_march_april(org_tree, amount: int = 100) -> dict:
    """Grid fields moving `amount` of March from rep b to rep a, and of April back."""
    data = {}
    for key, sign in (("rep_east1a", 1), ("rep_east1b", -1)):
        unit, person = person_unit(org_tree, key), org_tree.people[key]
        data[f"r-{unit.key}-3"] = str(month_target(person, 3) + sign * amount)
        data[f"r-{unit.key}-4"] = str(month_target(person, 4) - sign * amount)
    return data


def test_the_plan_page_shows_the_goal_beside_the_targets_and_publishing_needs_a_reason(
    org_tree,
):
    # given a plan that adds up, with sales 1,200,000, and a goal of 1,250,000
    plan = decomposed_plan(org_tree)
    CompanyGoal.objects.create(
        year=YEAR, statement="增长", sales_goal=Decimal("1250000"), gross_margin_goal=0
    )
    client = org_tree.client("director")
    page = client.get(f"/targets/plans/{plan.pk}/").content.decode()
    assert "¥1,250,000.00" in page and "¥1,200,000.00" in page and "-¥50,000.00" in page
    assert "data-goal-deviation" in page
    # when the director publishes without a reason, the page is shown again with why
    url = f"/targets/plans/{plan.pk}/publish/"
    response = client.post(url, {"action": "publish", "deviation_reason": " "})
    assert response.status_code == 400
    text = response.content.decode()
    assert "set them to the goal or give the reason for the deviation" in text
    assert 'name="deviation_reason"' in text
    # with a reason it publishes, and the page shows the reason and no way to reopen it
    response = client.post(url, {"action": "publish", "deviation_reason": "华北市场萎缩"})
    assert response.status_code == 302
    page = client.get(f"/targets/plans/{plan.pk}/").content.decode()
    assert "华北市场萎缩" in page and "Reopen" not in page and 'id="publish-plan"' not in page


def test_a_grid_save_on_a_published_plan_is_proposed_then_approved_on_the_plan_page(
    org_tree, django_assert_max_num_queries
):
    plan = published_plan(org_tree)
    team = team_unit(org_tree)
    manager = org_tree.client("manager_east1")
    grid = f"/targets/plans/{plan.pk}/grid/?metric=sales&unit={team.key}"
    assert "Propose the revision" in manager.get(grid).content.decode()
    rep_a = org_tree.people["rep_east1a"]
    before = month_target(rep_a, 3)
    base = {"metric": "sales", "unit": team.key, **_swap_march_april(org_tree)}
    # without a reason: the grid again, with the message and what was typed
    response = manager.post(grid, base)
    assert response.status_code == 400
    assert "Say why the targets of a published plan change." in response.content.decode()
    # with a reason: a revision, nothing in force changed
    response = manager.post(grid, {**base, "reason": "客户提前下单"})
    assert response.status_code == 302 and response.url.endswith("#revisions")
    assert month_target(rep_a, 3) == before
    revision = TargetRevision.objects.get()
    # the proposer sees it without buttons; the region head sees approve and return
    page = manager.get(f"/targets/plans/{plan.pk}/").content.decode()
    assert "客户提前下单" in page and "data-approve" not in page
    head = org_tree.client("head_east")
    with django_assert_max_num_queries(40):
        page = head.get(f"/targets/plans/{plan.pk}/").content.decode()
    assert "data-approve" in page and f"¥{before:,.2f}" in page
    # returning needs a reason: the page again with the message
    decision = f"/targets/revisions/{revision.pk}/decision/"
    response = head.post(decision, {"action": "return", "return_reason": ""})
    assert response.status_code == 400
    assert "Say why the revision is returned." in response.content.decode()
    # approved: the targets in force change; the page lists the old and the new value
    response = head.post(decision, {"action": "approve"})
    assert response.status_code == 302
    assert month_target(rep_a, 3) == before + 100
    page = head.get(f"/targets/plans/{plan.pk}/").content.decode()
    assert f"¥{before:,.2f}" in page and f"¥{before + 100:,.2f}" in page
    assert TargetRevision.objects.get().status == RevisionStatus.APPROVED
    # another region's manager cannot even find it
    other = org_tree.client("manager_north1")
    assert other.post(decision, {"action": "approve"}).status_code == 404


def test_the_api_keeps_a_published_plan_locked(org_tree):
    plan = published_plan(org_tree)
    team = team_unit(org_tree)
    rep_a = org_tree.people["rep_east1a"]
    before = month_target(rep_a, 3)
    manager = _api(org_tree, "manager_east1")
    cells = [
        {"unit": person_unit(org_tree, key).key, "month": month, "realistic": value}
        for key, month, value in (
            ("rep_east1a", 3, str(before + 100)),
            ("rep_east1a", 4, str(month_target(rep_a, 4) - 100)),
        )
    ]
    payload = {"plan_id": plan.pk, "metric": "sales", "unit": team.key, "cells": cells}
    # the grid without a reason: 400 naming the field
    refused = manager.post("/api/v1/plan-grid", payload, content_type="application/json")
    assert refused.status_code == 400 and "reason" in _field_errors(refused)
    # with a reason: a revision, the targets in force unchanged
    saved = manager.post(
        "/api/v1/plan-grid", {**payload, "reason": "调整"}, content_type="application/json"
    )
    assert saved.status_code == 200 and saved.json()["revision_id"]
    assert month_target(rep_a, 3) == before
    # one target row cannot be changed directly in a published plan's year
    row = Target.objects.get(person=rep_a, year=YEAR, month=3, metric="sales")
    director = _api(org_tree, "director")
    patch = director.patch(
        f"/api/v1/targets/{row.pk}", {"realistic": "1"}, content_type="application/json"
    )
    assert patch.status_code == 400 and "year" in _field_errors(patch)
    assert director.delete(f"/api/v1/targets/{row.pk}").status_code == 400
    # the revisions are listed; the proposer may not decide; rep a's cells don't add up
    listed = manager.get("/api/v1/plan-revisions", {"plan_id": plan.pk}).json()
    assert [r["status"] for r in listed] == ["pending"] and not listed[0]["can_decide"]
    decision = {"revision_id": saved.json()["revision_id"], "approve": True}
    own = manager.post("/api/v1/plan-revision-decision", decision, content_type="application/json")
    assert own.status_code == 403
    head = _api(org_tree, "head_east")
    approve = head.post("/api/v1/plan-revision-decision", decision, content_type="application/json")
    assert approve.status_code == 400  # rep b's months were not changed: the team's don't add up
    returned = head.post(
        "/api/v1/plan-revision-decision",
        {**decision, "approve": False, "return_reason": "团队合计不变"},
        content_type="application/json",
    )
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    assert month_target(rep_a, 3) == before


def test_publishing_through_the_api_names_the_deviation_field(org_tree):
    plan = decomposed_plan(org_tree)
    CompanyGoal.objects.create(
        year=YEAR, statement="增长", sales_goal=Decimal("1"), gross_margin_goal=0
    )
    director = _api(org_tree, "director")
    refused = director.post(
        "/api/v1/plan-publish", {"plan_id": plan.pk}, content_type="application/json"
    )
    assert refused.status_code == 400 and "deviation_reason" in _field_errors(refused)
    published = director.post(
        "/api/v1/plan-publish",
        {"plan_id": plan.pk, "deviation_reason": "目标过低"},
        content_type="application/json",
    )
    assert published.status_code == 200 and published.json()["status"] == "published"


def test_the_region_head_finds_the_pending_revision_among_the_decisions_on_the_home_page(
    org_tree,
):
    plan = published_plan(org_tree)
    team = team_unit(org_tree)
    grid = f"/targets/plans/{plan.pk}/grid/?metric=sales&unit={team.key}"
    base = {"metric": "sales", "unit": team.key, **_swap_march_april(org_tree)}
    org_tree.client("manager_east1").post(grid, {**base, "reason": "客户提前下单"})
    home = org_tree.client("head_east").get("/").content.decode()
    assert "Decisions awaiting you" in home
    assert f"Approve or return revision 1 of {plan.title}" in home
    assert f"/targets/plans/{plan.pk}/#revisions" in home
    assert (
        "Approve or return revision" not in org_tree.client("head_north").get("/").content.decode()
    )
