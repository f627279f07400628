"""Planning API: research, goals and plans (scoped CRUD), grid, decomposition, publishing."""

from decimal import Decimal

import pytest
from django.test import Client

from salesorg.api.models import ApiToken
from salesorg.targets.models import ResearchNote, Target
from tests.targets.plan_helpers import YEAR, person_unit, plan_with_target, team_unit

pytestmark = pytest.mark.django_db


def _api(org_tree, role) -> Client:
    _token, raw = ApiToken.objects.issue(user=org_tree.user(role))
    return Client(headers={"authorization": f"Bearer {raw}"})


def _field_errors(response) -> dict:
    return {item["loc"][-1]: item["msg"] for item in response.json()["detail"]}


def test_research_notes_are_read_by_all_and_written_by_leaders(org_tree):
    manager = _api(org_tree, "manager_east1")
    created = manager.post(
        "/api/v1/research-notes",
        {
            "kind": "competitor",
            "subject": "对手降价",
            "price": "88.80",
            "observed_on": "2026-04-01",
            "region_ids": [org_tree.regions["east"].pk],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["author_id"] == org_tree.people["manager_east1"].pk
    assert body["price"] == "88.80" and body["region_ids"] == [org_tree.regions["east"].pk]
    assert _api(org_tree, "rep_east1a").get("/api/v1/research-notes").json()["count"] == 1
    url = f"/api/v1/research-notes/{body['id']}"
    other = _api(org_tree, "manager_east2").patch(
        url, {"subject": "x"}, content_type="application/json"
    )
    assert other.status_code == 403
    bad = manager.patch(url, {"price": "-1"}, content_type="application/json")
    assert bad.status_code == 400 and "price" in _field_errors(bad)
    hidden_region = manager.patch(
        url, {"region_ids": [org_tree.regions["north"].pk]}, content_type="application/json"
    )
    assert hidden_region.status_code == 400 and "region_ids" in _field_errors(hidden_region)
    rep = _api(org_tree, "rep_east1a").post(
        "/api/v1/research-notes",
        {"subject": "x", "observed_on": "2026-04-01"},
        content_type="application/json",
    )
    assert rep.status_code == 403
    assert ResearchNote.objects.count() == 1


def test_goals_and_plans_are_written_by_the_director(org_tree):
    director = _api(org_tree, "director")
    goal = director.post(
        "/api/v1/company-goals",
        {"year": YEAR, "statement": "增长", "sales_goal": "100.00", "gross_margin_goal": "30"},
        content_type="application/json",
    )
    assert goal.status_code == 201
    plan = director.post(
        "/api/v1/sales-plans", {"year": YEAR, "title": "计划"}, content_type="application/json"
    )
    assert plan.status_code == 201 and plan.json()["status"] == "draft"
    again = director.post(
        "/api/v1/sales-plans", {"year": YEAR, "title": "again"}, content_type="application/json"
    )
    assert again.status_code == 400 and "year" in _field_errors(again)
    manager = _api(org_tree, "manager_east1")
    assert (
        manager.post(
            "/api/v1/sales-plans", {"year": YEAR + 1, "title": "x"}, content_type="application/json"
        ).status_code
        == 403
    )


def test_grid_read_write_decompose_and_publish(org_tree):
    team = team_unit(org_tree)
    plan = plan_with_target(unit=team, realistic="1200.00", ideal="1500.00")
    manager = _api(org_tree, "manager_east1")
    grid = manager.get("/api/v1/plan-grid", {"plan_id": plan.pk, "unit": team.key}).json()
    assert grid["rows"][0]["cells"][0] == {"month": 0, "realistic": "1200.00", "ideal": "1500.00"}
    assert grid["editable"] and grid["mismatches"]
    rep = person_unit(org_tree, "rep_east1a")
    bad = manager.post(
        "/api/v1/plan-grid",
        {
            "plan_id": plan.pk,
            "metric": "sales",
            "unit": team.key,
            "cells": [{"unit": rep.key, "month": 1, "realistic": "10", "ideal": "5"}],
        },
        content_type="application/json",
    )
    assert bad.status_code == 400 and f"{rep.key}-1" in _field_errors(bad)
    decomposed = manager.post(
        "/api/v1/plan-decompose",
        {"plan_id": plan.pk, "metric": "sales", "unit": team.key, "months": "even"},
        content_type="application/json",
    )
    assert decomposed.status_code == 200 and decomposed.json()["mismatches"] == []
    assert Target.objects.filter(year=YEAR, team=org_tree.teams["east1"]).count() == 12
    published = manager.post(
        "/api/v1/plan-unit-publish",
        {"plan_id": plan.pk, "unit": team.key},
        content_type="application/json",
    )
    assert published.status_code == 200 and published.json()["status"] == "published"
    refused = manager.post(
        "/api/v1/plan-publish", {"plan_id": plan.pk}, content_type="application/json"
    )
    assert refused.status_code == 403
    other = _api(org_tree, "manager_north1")
    assert other.get("/api/v1/plan-grid", {"plan_id": plan.pk, "unit": team.key}).status_code == 404
    assert (
        other.post(
            "/api/v1/plan-decompose",
            {"plan_id": plan.pk, "metric": "sales", "unit": team.key},
            content_type="application/json",
        ).status_code
        == 404
    )


def test_mismatches_proposals_and_history(org_tree):
    team = team_unit(org_tree)
    plan = plan_with_target(unit=team, realistic="1200")
    manager = _api(org_tree, "manager_east1")
    found = manager.get("/api/v1/plan-mismatches", {"plan_id": plan.pk, "unit": team.key}).json()
    assert {item["kind"] for item in found} == {"months", "children"}
    proposals = manager.get(
        "/api/v1/plan-proposals",
        {"plan_id": plan.pk, "unit": team.key, "growth_rate": "0.2"},
    ).json()
    assert proposals[0]["unit"] == team.key
    rep = person_unit(org_tree, "rep_east1a")
    saved = manager.post(
        "/api/v1/plan-proposals",
        {
            "plan_id": plan.pk,
            "metric": "sales",
            "unit": team.key,
            "targets": [{"unit": rep.key, "realistic": "500", "ideal": "600"}],
        },
        content_type="application/json",
    )
    assert saved.json() == {"changed": 1}
    Target.objects.create(
        owner_type="person", person=org_tree.people["rep_east1a"], year=2026, month=1,
        metric="sales", realistic=Decimal("10"), ideal=Decimal("10"),
    )  # fmt: skip
    history = manager.get(f"/api/v1/people/{rep.id}/target-history").json()
    assert history == [
        {
            "year": 2026,
            "metric": "sales",
            "realistic": "10.00",
            "ideal": "10.00",
            "change_percent": None,
        }
    ]
    hidden = _api(org_tree, "manager_north1").get(f"/api/v1/people/{rep.id}/target-history")
    assert hidden.status_code == 404
