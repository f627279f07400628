"""Sales meetings: the agenda is exactly the misses; countermeasures become action items.

The agenda's rules in detail (every metric, budgets, running periods): test_meeting_agenda.py.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from salesorg.performance.kpi.periods import Period
from salesorg.performance.models import SalesMeeting
from salesorg.performance.selectors.meetings import agenda_misses, carried_actions, meeting_owners
from salesorg.performance.services.meetings import (
    meeting_create,
    meeting_item_record,
    meeting_minutes_save,
)
from salesorg.targets.choices import ActionOrigin, ActionStatus
from salesorg.work.actions import action_item_set_status, action_items_for_source
from tests.factories import MembershipFactory, TargetFactory
from tests.performance.scorecard_helpers import sell, target

JAN = Period(start=date(2026, 1, 1), end=date(2026, 1, 31))


@pytest.fixture
def misses_world(org_tree):
    """East-1a: Jan 900 of a 1000 sales and margin target; east-1b: Jan 600 of a 500 target
    (less than December's 700: no miss) and no new customer of the one targeted; east-2a:
    Jan 100 of 1000 (another team)."""
    people = org_tree.people
    a, b = people["rep_east1a"], people["rep_east1b"]
    old_a = sell(a, amount="1000", day=date(2025, 12, 10))
    sell(a, amount="900", customer=old_a)
    target(a, realistic="1000")
    TargetFactory(person=a, metric="gross_margin", realistic=Decimal("1000"))
    old_b = sell(b, amount="700", day=date(2025, 12, 10))
    sell(b, amount="600", customer=old_b)
    target(b, realistic="500")
    TargetFactory(person=b, metric="new_customers", realistic=Decimal("1"))
    sell(people["rep_east2a"], amount="100")
    target(people["rep_east2a"], realistic="1000")
    return org_tree


def create(org_tree, key="manager_east1", team="east1", held_on=date(2026, 2, 3)):
    return meeting_create(
        actor=org_tree.user(key),
        team=org_tree.teams[team],
        period_start=JAN.start,
        period_end=JAN.end,
        held_on=held_on,
    )


def test_agenda_lists_exactly_the_misses(misses_world):
    a, b = misses_world.people["rep_east1a"], misses_world.people["rep_east1b"]
    misses = agenda_misses(team=misses_world.teams["east1"], period=JAN)
    assert [(m.person_id, m.indicator, m.reason, m.value, m.reference) for m in misses] == [
        (a.pk, "sales", "below_target", "900.00", "1000.00"),
        (a.pk, "gross_margin", "below_target", "900.00", "1000.00"),
        (b.pk, "new_customers", "below_target", "0", "1"),
    ]


def test_meeting_stores_the_agenda_and_countermeasure_becomes_an_action_item(misses_world):
    meeting = create(misses_world)
    items = list(meeting.items.order_by("position"))
    assert [(item.indicator, item.reason) for item in items] == [
        ("sales", "below_target"),
        ("gross_margin", "below_target"),
        ("new_customers", "below_target"),
    ]
    item = items[0]
    # when the manager records the cause and a countermeasure
    meeting_item_record(
        actor=misses_world.user("manager_east1"),
        item=item,
        cause_category="activity",
        cause="拜访太少",
        countermeasure="每周多拜访五家客户",
        due_date=date(2026, 2, 28),
    )
    # then an action item exists for the rep, from the meeting, with the due date
    (action,) = action_items_for_source(item)
    assert action.origin == ActionOrigin.MEETING
    assert action.owner == misses_world.people["rep_east1a"]
    assert action.due_date == date(2026, 2, 28) and action.title == "每周多拜访五家客户"
    assert action.created_by == misses_world.people["manager_east1"]
    # and recording the cause again does not make a second one
    meeting_item_record(
        actor=misses_world.user("manager_east1"),
        item=item,
        cause_category="skill",
        cause="产品知识不足",
        countermeasure="每周多拜访五家客户",
    )
    assert len(action_items_for_source(item)) == 1


def test_countermeasure_needs_a_due_date_and_cause_a_category(misses_world):
    item = create(misses_world).items.first()
    with pytest.raises(ValidationError) as error:
        meeting_item_record(
            actor=misses_world.user("manager_east1"),
            item=item,
            cause_category="",
            cause="",
            countermeasure="做点什么",
        )
    assert set(error.value.message_dict) == {"cause_category", "cause", "due_date"}


def test_next_meeting_opens_with_the_last_ones_open_actions(misses_world):
    manager = misses_world.user("manager_east1")
    first = create(misses_world)
    done_item, open_item = first.items.order_by("position")[:2]
    for item in (done_item, open_item):
        meeting_item_record(
            actor=manager,
            item=item,
            cause_category="market",
            cause="竞争",
            countermeasure=f"对策{item.pk}",
            due_date=date(2026, 2, 20),
        )
    (done,) = action_items_for_source(done_item)
    action_item_set_status(item=done, status=ActionStatus.DONE, actor=manager)
    second = create(misses_world, held_on=date(2026, 3, 3))
    assert [action.title for action in carried_actions(meeting=second)] == [f"对策{open_item.pk}"]
    assert carried_actions(meeting=first) == []
    page = misses_world.client("rep_east1b").get(second.get_absolute_url())
    assert f"对策{open_item.pk}" in page.content.decode()


@pytest.mark.parametrize("key", ["rep_east1a", "manager_east2", "finance", "trainer"])
def test_only_leaders_of_the_team_run_its_meetings(misses_world, key):
    with pytest.raises(ValidationError) as error:
        create(misses_world, key=key)
    assert "team" in error.value.message_dict


def test_head_and_director_run_meetings_minutes_visible_to_the_team(misses_world):
    create(misses_world, key="head_east")
    meeting = create(misses_world, key="director")
    meeting_minutes_save(actor=misses_world.user("director"), meeting=meeting, minutes="会议纪要")
    with pytest.raises(ValidationError):
        meeting_minutes_save(actor=misses_world.user("rep_east1a"), meeting=meeting, minutes="x")
    url = meeting.get_absolute_url()
    assert "会议纪要" in misses_world.client("rep_east1b").get(url).content.decode()
    assert misses_world.client("rep_east2a").get(url).status_code == 404
    assert misses_world.client("manager_east2").get(url).status_code == 404
    listing = misses_world.client("rep_east2a").get("/performance/meetings/").content.decode()
    assert meeting.title not in listing


def test_meeting_pages_create_and_record(misses_world, django_assert_max_num_queries):
    client = misses_world.client("manager_east1")
    team = misses_world.teams["east1"]
    assert client.get("/performance/meetings/new/").status_code == 200
    response = client.post(
        "/performance/meetings/new/",
        {
            "team": team.pk,
            "period_start": "2026-01-01",
            "period_end": "2026-01-31",
            "held_on": "2026-02-03",
        },
    )
    meeting = SalesMeeting.objects.get()
    assert response.status_code == 302
    item = meeting.items.first()
    prefix = f"item{item.pk}"
    client.post(
        f"/performance/meetings/items/{item.pk}/",
        {
            f"{prefix}-cause_category": "customer",
            f"{prefix}-cause": "客户预算冻结",
            f"{prefix}-countermeasure": "拜访新客户",
            f"{prefix}-owner": misses_world.people["rep_east1a"].pk,
            f"{prefix}-due_date": "2026-02-27",
        },
    )
    assert len(action_items_for_source(item)) == 1
    with django_assert_max_num_queries(25):
        page = client.get(meeting.get_absolute_url())
    assert "客户预算冻结" in page.content.decode()
    # a rep may not record causes even in their own team's meeting
    rep = misses_world.client("rep_east1a")
    assert rep.get("/performance/meetings/new/").status_code == 403
    rep.post(f"/performance/meetings/items/{item.pk}/", {f"{prefix}-cause": "x"})
    item.refresh_from_db()
    assert item.cause == "客户预算冻结"
    report = client.get(f"/performance/teams/{team.pk}/report/?kind=month&start=2026-01-01")
    assert report.status_code == 200 and "客户预算冻结" in report.content.decode()
    other = misses_world.teams["north1"]
    assert client.get(f"/performance/teams/{other.pk}/report/").status_code == 404


def test_home_reminders_for_the_meeting_and_the_scorecards(org_tree):
    from salesorg.core.reminders import reminders_for

    def kinds(key):
        return [r.kind for r in reminders_for(org_tree.user(key), today=date(2026, 2, 12))]

    assert kinds("manager_east1").count("sales_meeting") == 1
    assert "scorecards_close" in kinds("director")
    assert "sales_meeting" not in kinds("rep_east1a")
    create(org_tree)  # the January meeting of east-1
    assert "sales_meeting" not in kinds("manager_east1")
    overdue = [r for r in reminders_for(org_tree.user("manager_east2"), today=date(2026, 2, 12))]
    assert any(r.kind == "sales_meeting" and r.overdue for r in overdue)


def test_the_period_report_shows_the_teams_achievement_charts(org_tree, org_records):
    team = org_tree.teams["east1"]
    page = org_tree.client("manager_east1").get(
        f"/performance/teams/{team.pk}/report/?kind=month&start=2026-01-01"
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-chart="achievement-monthly"' in html
    assert "vendor/echarts/echarts.min.js" in html
    assert "format=xlsx" not in html  # the report's charts have no download of their own


def test_a_running_month_is_judged_against_its_target_to_date(org_tree, monkeypatch):
    # given on 8 December (6 of 23 working days) east-1a sold 690 of a 2300 target (to date
    # 600: not a miss) and east-1b 100 of 2300 (a miss against 600, not against 2300)
    from django.utils import timezone

    a, b = org_tree.people["rep_east1a"], org_tree.people["rep_east1b"]
    target(a, realistic="2300", month=12)
    target(b, realistic="2300", month=12)
    customer = sell(a, amount="690", day=date(2026, 12, 3))
    sell(b, amount="100", day=date(2026, 12, 3))
    # November: east-1a sold 500 in its first six working days and 5000 later in the month
    # (December's 690 is less than November's whole month: that is no miss)
    sell(a, amount="500", day=date(2026, 11, 4), customer=customer)
    sell(a, amount="5000", day=date(2026, 11, 25), customer=customer)
    monkeypatch.setattr(timezone, "localdate", lambda *args: date(2026, 12, 8))
    december = Period(start=date(2026, 12, 1), end=date(2026, 12, 31))
    misses = agenda_misses(team=org_tree.teams["east1"], period=december, today=date(2026, 12, 8))
    sales = [
        (miss.person_id, miss.reason, miss.value, miss.reference)
        for miss in misses
        if miss.indicator == "sales"
    ]
    # then only east-1b misses, against the 600 due
    assert sales == [(b.pk, "below_target", "100.00", "600.00")]
    # and the meeting page says the agenda judged a running month
    meeting = meeting_create(
        actor=org_tree.user("manager_east1"),
        team=org_tree.teams["east1"],
        period_start=december.start,
        period_end=december.end,
        held_on=date(2026, 12, 8),
    )
    page = org_tree.client("manager_east1").get(
        f"/performance/meetings/{meeting.pk}/", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "data-provisional" in page.content.decode()
    assert "drawn up on 2026-12-08, before the period ended" in page.content.decode()


def test_countermeasure_owners_are_the_teams_people_during_the_period(misses_world):
    """Whoever was in the team in the meeting's period, whatever their other memberships
    (#16 S13): one who moved in for January, one who moved away after it; not a later
    joiner, nor someone who has left the company."""
    people, east1 = misses_world.people, misses_world.teams["east1"]
    mover_in, late = people["rep_east2a"], people["rep_north1a"]
    mover_in.memberships.update(end_date=date(2025, 12, 31))
    MembershipFactory(person=mover_in, team=east1, start_date=date(2026, 1, 1))
    moved_away = people["rep_east1b"]
    moved_away.memberships.update(end_date=date(2026, 1, 31))
    MembershipFactory(
        person=moved_away, team=misses_world.teams["east2"], start_date=date(2026, 2, 1)
    )
    MembershipFactory(person=late, team=east1, start_date=date(2026, 3, 1))
    owners = {person.code for person in meeting_owners(meeting=create(misses_world))}
    assert owners == {"MGR-east1", "REP-east1a", "REP-east1b", "REP-east2a"}


def test_a_rep_who_sees_the_meeting_gets_a_link_to_every_countermeasure(misses_world):
    """Every action item the meeting page links opens for its readers (#16 S13)."""
    meeting = create(misses_world)
    by_person = {item.person.code: item for item in meeting.items.select_related("person")}
    for code in ("REP-east1a", "REP-east1b"):
        meeting_item_record(
            actor=misses_world.user("manager_east1"),
            item=by_person[code],
            cause_category="activity",
            cause="拜访太少",
            countermeasure=f"对策{code}",
            due_date=date(2026, 2, 28),
        )
    (own,) = action_items_for_source(by_person["REP-east1b"])
    (colleagues,) = action_items_for_source(by_person["REP-east1a"])
    client = misses_world.client("rep_east1b")
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "对策REP-east1a" in page and "对策REP-east1b" in page
    assert f'href="{own.get_absolute_url()}"' in page
    assert f'href="{colleagues.get_absolute_url()}"' in page
    assert client.get(own.get_absolute_url()).status_code == 200
    assert client.get(colleagues.get_absolute_url()).status_code == 200
    manager_page = misses_world.client("manager_east1").get(meeting.get_absolute_url())
    assert f'href="{colleagues.get_absolute_url()}"' in manager_page.content.decode()


def test_editing_a_countermeasure_carries_to_its_open_action_item(misses_world):
    """#16 item 5: the action item follows its countermeasure's text, due date and owner."""
    item = create(misses_world).items.order_by("position").first()
    manager = misses_world.user("manager_east1")
    record = {"actor": manager, "item": item, "cause_category": "activity", "cause": "拜访太少"}
    meeting_item_record(**record, countermeasure="每周多拜访五家", due_date=date(2026, 2, 28))
    # when the manager rewrites the countermeasure with a new date and owner
    meeting_item_record(
        **record,
        countermeasure="每周多拜访八家\n重点：老客户",
        due_date=date(2026, 3, 15),
        owner=misses_world.people["rep_east1b"],
    )
    (action,) = action_items_for_source(item)
    assert (action.title, action.detail) == ("每周多拜访八家", "每周多拜访八家\n重点：老客户")
    assert action.due_date == date(2026, 3, 15)
    assert action.owner == misses_world.people["rep_east1b"]
    # a done action item is history: a later edit of the countermeasure leaves it as it was
    action_item_set_status(item=action, status=ActionStatus.DONE, actor=manager)
    meeting_item_record(**record, countermeasure="另一个对策", due_date=date(2026, 4, 1))
    (action,) = action_items_for_source(item)
    assert action.title == "每周多拜访八家" and action.due_date == date(2026, 3, 15)
