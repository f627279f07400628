"""The API of policies, scorecards and meetings: scoped reads, writes with 400 naming fields."""

from datetime import date

import pytest
from django.test import Client

from salesorg.api.models import ApiToken
from salesorg.performance.models import ScorecardReopening
from salesorg.performance.services.scorecards import scorecards_compute
from salesorg.work.actions import action_items_for_source
from tests.performance.scorecard_helpers import RULES, published, sell, target


def bearer(org_tree, role) -> Client:
    _token, raw = ApiToken.objects.issue(user=org_tree.user(role))
    return Client(headers={"authorization": f"Bearer {raw}"})


def test_policies_create_publish_and_errors_name_the_field(org_tree):
    director = bearer(org_tree, "director")
    body = {"name": "2026", "effective_from": "2026-01-01", "indicators": RULES,
            "bonus_base": "1000", "bonus_tiers": "80 1"}  # fmt: skip
    created = director.post("/api/v1/policies", body, content_type="application/json")
    assert created.status_code == 201, created.content
    policy = created.json()
    assert policy["status"] == "draft" and policy["bonus_base"] == "1000.00"
    assert [rule["indicator"] for rule in policy["indicators"]] == [
        "sales_achievement",
        "new_customers",
    ]
    assert policy["indicators"][0]["bands"][1] == {
        "from": "0.8", "to": "1", "points_from": "60", "points_to": "100"
    }  # fmt: skip
    rep = bearer(org_tree, "rep_east1a")
    assert rep.get(f"/api/v1/policies/{policy['id']}").status_code == 404  # a draft
    assert rep.post("/api/v1/policies", body, content_type="application/json").status_code == 403
    published_ = director.post(f"/api/v1/policies/{policy['id']}/publish")
    assert published_.json()["status"] == "published"
    assert rep.get(f"/api/v1/policies/{policy['id']}").status_code == 200
    assert rep.get("/api/v1/policies").json()["count"] == 1
    bad = dict(body, indicators=[dict(RULES[0], weight="10")], effective_from=None)
    response = director.post("/api/v1/policies", bad, content_type="application/json")
    assert response.status_code == 400
    assert {item["loc"][-1] for item in response.json()["detail"]} == {
        "effective_from",
        "indicators",
    }


def test_scorecards_compute_close_reopen_and_scoped_reads(org_tree):
    published(org_tree)
    target(org_tree.people["rep_east1a"], realistic="1000")
    sell(org_tree.people["rep_east1a"], amount="900")
    director = bearer(org_tree, "director")
    bad = director.post(
        "/api/v1/scorecard-periods",
        {"kind": "quarter", "start": "2026-02-01"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["detail"][0]["loc"] == ["body", "start"]
    period = director.post(
        "/api/v1/scorecard-periods",
        {"kind": "month", "start": "2026-01-01"},
        content_type="application/json",
    ).json()
    rep = bearer(org_tree, "rep_east1a")
    cards = rep.get("/api/v1/scorecards", {"period": period["id"]}).json()
    assert cards["count"] == 1 and cards["items"][0]["person_code"] == "REP-east1a"
    assert cards["items"][0]["total_score"] == "68.0000"
    detail = rep.get(f"/api/v1/scorecards/{cards['items'][0]['id']}").json()
    assert detail["lines"][0]["value"] == "0.9" and detail["lines"][0]["points"] == "80.0000"
    manager = bearer(org_tree, "manager_east1")
    assert manager.get("/api/v1/scorecards").json()["count"] == 2
    assert manager.post(f"/api/v1/scorecard-periods/{period['id']}/close").status_code == 403
    closed = director.post(f"/api/v1/scorecard-periods/{period['id']}/close").json()
    assert closed["status"] == "closed"
    no_reason = director.post(
        f"/api/v1/scorecard-periods/{period['id']}/reopen",
        {"reason": ""},
        content_type="application/json",
    )
    assert no_reason.status_code == 400 and no_reason.json()["detail"][0]["loc"][-1] == "reason"
    reopened = director.post(
        f"/api/v1/scorecard-periods/{period['id']}/reopen",
        {"reason": "补录订单"},
        content_type="application/json",
    )
    assert reopened.json()["status"] == "open"
    assert ScorecardReopening.objects.get().reason == "补录订单"


def test_meetings_create_agenda_record_and_minutes(org_tree):
    a = org_tree.people["rep_east1a"]
    target(a, realistic="1000")
    sell(a, amount="900")
    manager = bearer(org_tree, "manager_east1")
    team = org_tree.teams["east1"]
    body = {"team_id": team.pk, "period_start": "2026-01-01", "period_end": "2026-01-31",
            "held_on": "2026-02-02"}  # fmt: skip
    created = manager.post("/api/v1/meetings", body, content_type="application/json")
    assert created.status_code == 201, created.content
    meeting = created.json()
    assert [(i["indicator"], i["reason"]) for i in meeting["agenda"]] == [("sales", "below_target")]
    agenda = manager.get(f"/api/v1/meetings/{meeting['id']}/agenda").json()
    item_id = agenda[0]["id"]
    missing = manager.post(
        f"/api/v1/meeting-items/{item_id}",
        {"cause_category": "activity", "cause": "拜访少", "countermeasure": "多拜访"},
        content_type="application/json",
    )
    assert missing.status_code == 400 and missing.json()["detail"][0]["loc"][-1] == "due_date"
    recorded = manager.post(
        f"/api/v1/meeting-items/{item_id}",
        {"cause_category": "activity", "cause": "拜访少", "countermeasure": "多拜访",
         "due_date": "2026-02-28"},
        content_type="application/json",
    )  # fmt: skip
    assert recorded.status_code == 200 and recorded.json()["actions"][0]["owner_id"] == a.pk
    from salesorg.performance.models import MeetingItem

    assert len(action_items_for_source(MeetingItem.objects.get(pk=item_id))) == 1
    rep = bearer(org_tree, "rep_east1a")
    minutes = {"minutes": "纪要"}
    url = f"/api/v1/meetings/{meeting['id']}/minutes"
    assert rep.post(url, minutes, content_type="application/json").status_code == 403
    assert manager.post(url, minutes, content_type="application/json").json()["minutes"] == "纪要"
    assert rep.get(f"/api/v1/meetings/{meeting['id']}").json()["minutes"] == "纪要"
    other = bearer(org_tree, "manager_east2")
    assert other.get(f"/api/v1/meetings/{meeting['id']}").status_code == 404
    refused = other.post("/api/v1/meetings", body, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["detail"][0]["loc"][-1] == "team_id"


@pytest.mark.parametrize("role", ["rep_east1a", "finance"])
def test_non_writers_cannot_compute(org_tree, role):
    published(org_tree)
    response = bearer(org_tree, role).post(
        "/api/v1/scorecard-periods",
        {"kind": "month", "start": "2026-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert scorecards_compute(actor=None, kind="month", start=date(2026, 1, 1)).pk


def test_a_period_scored_before_it_ended_is_provisional_in_the_api(org_tree, monkeypatch):
    from django.utils import timezone

    published(org_tree)
    director = bearer(org_tree, "director")
    mid_month = timezone.make_aware(timezone.datetime(2026, 1, 15, 10, 0))
    monkeypatch.setattr(timezone, "now", lambda: mid_month)
    running = director.post(
        "/api/v1/scorecard-periods",
        {"kind": "month", "start": "2026-01-01"},
        content_type="application/json",
    ).json()
    assert running["provisional_as_of"] == "2026-01-15"
    listed = director.get("/api/v1/scorecard-periods").json()["items"]
    assert listed[0]["provisional_as_of"] == "2026-01-15"
    monkeypatch.setattr(timezone, "now", lambda: mid_month.replace(month=3))
    final = director.post(
        "/api/v1/scorecard-periods",
        {"kind": "month", "start": "2026-01-01"},
        content_type="application/json",
    ).json()
    assert final["id"] == running["id"] and final["provisional_as_of"] is None
