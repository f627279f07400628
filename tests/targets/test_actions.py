"""Action items: who may create and change them, and the home page's reminders."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from salesorg.core.reminders import reminders_for
from salesorg.targets.choices import ActionOrigin, ActionStatus
from salesorg.work.actions import action_item_create, action_item_set_status


@pytest.fixture
def today():
    return timezone.localdate()


def test_a_manager_gives_a_rep_an_item_that_shows_on_the_reps_home(org_tree, today):
    rep = org_tree.people["rep_east1a"]
    item = action_item_create(
        title="Call the buyer",
        owner=rep,
        due_date=today + timedelta(days=3),
        origin=ActionOrigin.COACHING,
        actor=org_tree.user("manager_east1"),
    )
    assert item.created_by == org_tree.people["manager_east1"]
    page = org_tree.client("rep_east1a").get("/")
    assert "Call the buyer" in page.content.decode()
    manager_reminders = reminders_for(org_tree.user("manager_east1"))
    assert [r.text for r in manager_reminders if r.kind.startswith("action_item")] == []


def test_overdue_items_come_first_and_are_flagged(org_tree, today):
    rep = org_tree.people["rep_east1a"]
    action_item_create(title="Later", owner=rep, due_date=today + timedelta(days=9))
    action_item_create(title="Late", owner=rep, due_date=today - timedelta(days=1))
    reminders = [
        r
        for r in reminders_for(org_tree.user("rep_east1a"), today=today)
        if r.kind.startswith("action_item")
    ]
    assert [(r.text, r.overdue) for r in reminders] == [("Overdue: Late", True), ("Later", False)]


def test_a_manager_cannot_give_items_outside_their_team(org_tree, today):
    with pytest.raises(ValidationError) as error:
        action_item_create(
            title="x",
            owner=org_tree.people["rep_north1a"],
            due_date=today,
            actor=org_tree.user("manager_east1"),
        )
    assert "owner" in error.value.message_dict


def test_a_rep_may_not_give_another_rep_an_item(org_tree, today):
    with pytest.raises(ValidationError):
        action_item_create(
            title="x",
            owner=org_tree.people["rep_east1b"],
            due_date=today,
            actor=org_tree.user("rep_east1a"),
        )


def test_done_items_leave_the_home_page_and_record_when(org_tree, today):
    rep = org_tree.people["rep_east1a"]
    item = action_item_create(title="Send samples", owner=rep, due_date=today)
    client = org_tree.client("rep_east1a")
    response = client.post(f"/targets/actions/{item.pk}/status/", {"status": "done"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ActionStatus.DONE and item.completed_at is not None
    assert "Send samples" not in client.get("/").content.decode()


def test_another_rep_cannot_close_an_item_they_cannot_see(org_tree, today):
    item = action_item_create(
        title="Private", owner=org_tree.people["rep_east1a"], due_date=date(2026, 1, 1)
    )
    response = org_tree.client("rep_east1b").post(
        f"/targets/actions/{item.pk}/status/", {"status": "done"}
    )
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.status == ActionStatus.OPEN


def test_finance_sees_items_but_cannot_change_them(org_tree, today):
    item = action_item_create(title="x", owner=org_tree.people["rep_east1a"], due_date=today)
    with pytest.raises(ValidationError):
        action_item_set_status(item=item, status="done", actor=org_tree.user("finance"))
