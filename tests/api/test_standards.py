"""Standards as revisions and closing PDCA cycles over the API: the same rules as the pages,
refusals as 4xx JSON naming the field."""

from salesorg.targets.models import StandardVersion
from tests.targets.test_pdca import closed_plan
from tests.targets.test_pdca_close import LESSON, plan_at_act
from tests.targets.test_reviews_api import api, fields, post
from tests.targets.test_standards import IN_FORCE, visit_standard


def test_promote_edit_diff_and_approve_over_the_api(org_tree):
    standard, first = visit_standard(org_tree)
    plan = closed_plan(org_tree)
    manager, rep = api(org_tree, "manager_east1"), api(org_tree, "rep_east1a")
    url = f"/api/v1/pdca-plans/{plan.pk}/promote"
    assert post(rep, url, {"standard_id": standard.pk}).status_code == 403
    response = post(manager, url, {"standard_id": 999999})
    assert response.status_code == 400 and fields(response) == {"standard_id"}
    response = post(manager, url, {"code": "", "title": "", "category": "other"})
    assert response.status_code == 400 and {"code", "title"} <= fields(response)
    # promoting keeps the text in force; promoting again answers the same draft
    response = post(manager, url, {"standard_id": standard.pk})
    assert response.status_code == 201
    draft = response.json()
    assert draft["number"] is None and draft["body"].startswith(IN_FORCE)
    assert draft["based_on_id"] == first.pk
    again = post(manager, url, {"standard_id": standard.pk})
    assert again.status_code == 200 and again.json()["id"] == draft["id"]
    # the author edits the draft; others may not
    version_url = f"/api/v1/standard-versions/{draft['id']}"
    edit_url = f"{version_url}/edit"
    response = post(manager, edit_url, {"body": ""})
    assert response.status_code == 400 and fields(response) == {"body"}
    response = post(manager, edit_url, {"body": IN_FORCE + "\n拜访前准备资料。"})
    assert response.status_code == 200 and response.json()["body"].endswith("拜访前准备资料。")
    assert post(api(org_tree, "manager_east2"), edit_url, {"body": "x"}).status_code == 404
    assert post(rep, edit_url, {"body": "x"}).status_code == 404
    assert rep.get(version_url).status_code == 404
    # the draft's diff against the version in force
    director = api(org_tree, "director")
    detail = director.get(version_url).json()
    assert detail["compared_with_id"] == first.pk
    assert [line["text"] for line in detail["diff"] if line["kind"] == "added"] == [
        "拜访前准备资料。"
    ]
    # approval: not before the version it replaces; then numbered and in force
    response = post(director, f"{version_url}/approve", {"effective_date": "2025-12-31"})
    assert response.status_code == 400 and fields(response) == {"effective_date"}
    response = post(director, f"{version_url}/approve", {"effective_date": "2026-05-01"})
    assert response.status_code == 200 and response.json()["number"] == 2
    response = post(director, edit_url, {"body": "x"})
    assert response.status_code == 400 and fields(response) == {"body"}
    # the old version stays readable, with its text
    versions = rep.get(f"/api/v1/standards/{standard.pk}").json()["versions"]
    assert {v["number"]: v["body"] for v in versions}[1] == IN_FORCE


def test_one_draft_per_author_over_the_api(org_tree):
    standard, _first = visit_standard(org_tree)
    director = api(org_tree, "director")
    url = f"/api/v1/standards/{standard.pk}/versions"
    assert post(director, url, {"body": "甲"}).status_code == 201
    response = post(director, url, {"body": "乙"})
    assert response.status_code == 400 and fields(response) == {"body"}
    assert StandardVersion.objects.filter(standard=standard, approved_by=None).count() == 1


def test_closing_a_cycle_over_the_api_needs_its_items_done_or_carried_over(org_tree):
    plan, (first, second) = plan_at_act(org_tree)
    manager = api(org_tree, "manager_east1")
    url = f"/api/v1/pdca-plans/{plan.pk}/advance"
    response = post(manager, url, {"lesson": LESSON})
    assert response.status_code == 400 and fields(response) == {"carry_over"}
    assert "约定还款计划" in response.json()["detail"][0]["msg"]
    carry = [
        {"action_item_id": first.pk, "note": "下季度"},
        {"action_item_id": second.pk, "note": ""},
    ]
    response = post(manager, url, {"lesson": LESSON, "carry_over": carry})
    assert response.status_code == 400 and fields(response) == {"carry_over"}
    carry[1]["note"] = "等法务"
    response = post(manager, url, {"lesson": LESSON, "carry_over": carry})
    assert response.status_code == 200 and response.json()["status"] == "closed"
    assert response.json()["carried_over"] == carry
