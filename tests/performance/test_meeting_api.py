"""The meeting API says what the meeting page shows: how far the analysis has come, and the
day a running period's agenda was judged to (its targets pro-rated by working days)."""

from datetime import date

from django.utils import timezone

from tests.performance.scorecard_helpers import sell, target
from tests.performance.test_scorecard_api import bearer


def _meeting(manager, team, start: str, end: str, held_on: str) -> dict:
    body = {"team_id": team.pk, "period_start": start, "period_end": end, "held_on": held_on}
    created = manager.post("/api/v1/meetings", body, content_type="application/json")
    assert created.status_code == 201, created.content
    return created.json()


def test_a_meeting_reports_its_progress_as_items_are_analysed(org_tree):
    a, b = org_tree.people["rep_east1a"], org_tree.people["rep_east1b"]
    for rep in (a, b):
        target(rep, realistic="1000")
        sell(rep, amount="900")
    manager = bearer(org_tree, "manager_east1")
    meeting = _meeting(manager, org_tree.teams["east1"], "2026-01-01", "2026-01-31", "2026-02-02")
    assert (meeting["analysed"], meeting["total"]) == (0, 2)
    assert meeting["agenda_as_of"] is None  # judged after the period: whole targets
    item_id = meeting["agenda"][0]["id"]
    manager.post(
        f"/api/v1/meeting-items/{item_id}",
        {"cause_category": "activity", "cause": "拜访少", "countermeasure": "多拜访",
         "due_date": "2026-02-28"},
        content_type="application/json",
    )  # fmt: skip
    again = bearer(org_tree, "rep_east1b").get(f"/api/v1/meetings/{meeting['id']}").json()
    assert (again["analysed"], again["total"]) == (1, 2)


def test_a_running_periods_agenda_says_the_day_it_was_judged_to(org_tree, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: date(2026, 12, 8))
    rep = org_tree.people["rep_east1a"]
    target(rep, realistic="2300", year=2026, month=12)
    manager = bearer(org_tree, "manager_east1")
    meeting = _meeting(manager, org_tree.teams["east1"], "2026-12-01", "2026-12-31", "2026-12-08")
    assert meeting["agenda_as_of"] == "2026-12-08"
    (item,) = meeting["agenda"]
    assert item["reference"] == "600.00"  # 6 of 23 working days of 2,300 due by then
