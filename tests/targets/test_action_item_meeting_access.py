"""A meeting's countermeasures are read by everyone who sees the meeting (#16 S13 point 5):
the action items the meeting page links open for the whole team, but only their owner and
the owner's leaders change them."""

from datetime import date

import pytest

from salesorg.performance.services.meetings import meeting_create, meeting_item_record
from salesorg.targets.choices import ActionStatus
from salesorg.work.actions import action_items_for_source
from salesorg.work.selectors import action_items_openable
from tests.performance.scorecard_helpers import sell, target


@pytest.fixture
def countermeasure(org_tree):
    """East-1's January meeting: east-1a missed the sales target; the countermeasure is theirs."""
    rep = org_tree.people["rep_east1a"]
    sell(rep, amount="100")
    target(rep, realistic="1000")
    meeting = meeting_create(
        actor=org_tree.user("manager_east1"),
        team=org_tree.teams["east1"],
        period_start=date(2026, 1, 1),
        period_end=date(2026, 1, 31),
        held_on=date(2026, 2, 3),
    )
    item = meeting.items.get(person=rep, indicator="sales")
    meeting_item_record(
        actor=org_tree.user("manager_east1"),
        item=item,
        cause_category="activity",
        cause="拜访太少",
        countermeasure="每周多拜访五家客户",
        due_date=date(2026, 2, 28),
    )
    (action,) = action_items_for_source(item)
    return action


def test_a_teammate_who_sees_the_meeting_opens_its_action_item(org_tree, countermeasure):
    client = org_tree.client("rep_east1b")
    page = client.get(countermeasure.get_absolute_url())
    assert page.status_code == 200
    assert "每周多拜访五家客户" in page.content.decode()
    assert action_items_openable(user=org_tree.user("rep_east1b"), ids=[countermeasure.pk]) == {
        countermeasure.pk
    }
    api = client.get(f"/api/v1/action-items/{countermeasure.pk}")
    assert api.status_code == 200


@pytest.mark.parametrize("key", ["rep_east2a", "manager_east2", "rep_former", "trainer"])
def test_one_who_cannot_see_the_meeting_gets_404(org_tree, countermeasure, key):
    client = org_tree.client(key)
    assert client.get(countermeasure.get_absolute_url()).status_code == 404
    assert action_items_openable(user=org_tree.user(key), ids=[countermeasure.pk]) == set()


def test_reading_is_widened_not_changing(org_tree, countermeasure):
    """The teammate sees no status form, and a status post changes nothing."""
    client = org_tree.client("rep_east1b")
    page = client.get(countermeasure.get_absolute_url()).content.decode()
    status_url = f"/targets/actions/{countermeasure.pk}/status/"
    assert status_url not in page
    client.post(status_url, {"status": ActionStatus.DONE})
    countermeasure.refresh_from_db()
    assert countermeasure.status == ActionStatus.OPEN
    api = client.post(
        f"/api/v1/action-items/{countermeasure.pk}/status",
        {"status": ActionStatus.DONE},
        content_type="application/json",
    )
    assert api.status_code == 403
    # while the owner still may
    owner = org_tree.client("rep_east1a")
    assert status_url in owner.get(countermeasure.get_absolute_url()).content.decode()


def test_a_reps_action_item_list_holds_their_own_not_a_teammates_countermeasure(
    org_tree, countermeasure
):
    """Reading is widened for the meeting's links; the rep's list stays their own work."""
    teammate = org_tree.client("rep_east1b").get("/targets/actions/").content.decode()
    assert "每周多拜访五家客户" not in teammate
    owner = org_tree.client("rep_east1a").get("/targets/actions/").content.decode()
    assert "每周多拜访五家客户" in owner
    manager = org_tree.client("manager_east1").get("/targets/actions/").content.decode()
    assert "每周多拜访五家客户" in manager
