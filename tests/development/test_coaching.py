"""One-on-one coaching: action items carried to the next session, indicator changes from the
engine, who may coach whom, who sees the notes, follow-up reminders, query budgets."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from salesorg.core.reminders import reminders_for
from salesorg.core.scoping import SYSTEM
from salesorg.development.models import CoachingSession
from salesorg.development.selectors.coaching import session_changes, session_start
from salesorg.development.services.coaching import (
    coaching_follow_up_check,
    coaching_session_create,
)
from salesorg.performance.kpi.indicators import indicator_table
from salesorg.targets.choices import ActionOrigin, ActionStatus
from salesorg.work.actions import action_item_set_status, action_items_for_source
from tests.factories import CustomerFactory, VisitFactory


def _session(org_tree, *, person="rep_east1a", coach="manager_east1", on=date(2026, 1, 10), **kw):
    return coaching_session_create(
        person=org_tree.people[person],
        actor=org_tree.user(coach),
        session_date=on,
        improvement_plan=kw.pop("plan", "Plan the week on Monday"),
        **kw,
    )


def test_a_session_creates_coaching_action_items_owned_by_the_person(org_tree):
    session = _session(
        org_tree,
        action_items=[
            {"title": "Visit three prospects", "due_date": date(2026, 1, 20)},
            {"title": "Call overdue payers", "due_date": date(2026, 1, 17)},
        ],
    )
    items = list(action_items_for_source(session))
    assert sorted(item.title for item in items) == ["Call overdue payers", "Visit three prospects"]
    assert {item.owner for item in items} == {org_tree.people["rep_east1a"]}
    assert {item.origin for item in items} == {ActionOrigin.COACHING}
    assert session.coach == org_tree.people["manager_east1"]


def test_the_next_session_opens_with_the_last_sessions_open_items(org_tree):
    # given a session with two items, one of which the rep completes
    first = _session(
        org_tree,
        action_items=[
            {"title": "Visit three prospects", "due_date": date(2026, 1, 20)},
            {"title": "Call overdue payers", "due_date": date(2026, 1, 17)},
        ],
    )
    done, still_open = sorted(action_items_for_source(first), key=lambda item: item.title)
    action_item_set_status(item=done, status=ActionStatus.DONE, actor=org_tree.user("rep_east1a"))
    # when the manager opens and then records the next session
    start = session_start(
        person=org_tree.people["rep_east1a"],
        user=org_tree.user("manager_east1"),
        today=date(2026, 2, 10),
    )
    second = _session(org_tree, on=date(2026, 2, 10))
    # then the still-open item is carried over, the completed one is not
    assert start.previous == first
    assert [item.title for item in start.open_items] == ["Visit three prospects"]
    assert list(second.carried_items.all()) == [still_open]
    assert second.previous == first


def test_indicator_changes_compare_ended_months_from_the_engine(org_tree):
    rep = org_tree.people["rep_east1a"]
    customer = CustomerFactory(owner=rep)
    VisitFactory(customer=customer, rep=rep, visit_date=date(2026, 1, 6))
    for day in (3, 4, 5):
        VisitFactory(customer=customer, rep=rep, visit_date=date(2026, 2, day))
    VisitFactory(customer=customer, rep=rep, visit_date=date(2026, 3, 2))  # March runs
    # a session on 10 March compares February (ended) with January, not March to date
    session = _session(org_tree, on=date(2026, 3, 10))

    february = indicator_table(
        user=SYSTEM, start=date(2026, 2, 1), end=date(2026, 2, 28), level="person"
    )
    row = next(row for row in february.rows if row.code == rep.code)
    with translation.override("en"):
        comparison = session_changes(session=session)
        assert (comparison.then_label, comparison.now_label) == ("January 2026", "February 2026")
    changes = {change.name: change for change in comparison.changes}
    assert changes["visits"].then == 1 and changes["visits"].now == 3
    assert changes["visits"].direction == "up"
    assert changes["visits_per_workday"].now == row.visits_per_workday
    assert Decimal(session.indicators["values"]["visits"]) == 3


def test_mid_month_the_next_session_opens_with_the_last_two_ended_months(org_tree, monkeypatch):
    # given a rep far ahead in November and just started in December (the 6th)
    rep = org_tree.people["rep_east1a"]
    customer = CustomerFactory(owner=rep)
    for day in (2, 3, 4, 5, 6, 9):
        VisitFactory(customer=customer, rep=rep, visit_date=date(2026, 10, day))
    for day in (2, 3):
        VisitFactory(customer=customer, rep=rep, visit_date=date(2026, 11, day))
    VisitFactory(customer=customer, rep=rep, visit_date=date(2026, 12, 2))
    monkeypatch.setattr(timezone, "localdate", lambda *args: date(2026, 12, 6))
    client = org_tree.client("manager_east1")
    # when the manager opens a new one-on-one with the rep
    page = client.get("/development/coaching/new/", {"person": rep.pk}, HTTP_ACCEPT_LANGUAGE="en")
    start = page.context["start"]
    # then November (ended) is compared with October, never with December to date
    assert (start.comparison.then_label, start.comparison.now_label) == (
        "October 2026",
        "November 2026",
    )
    visits = next(change for change in start.changes if change.name == "visits")
    assert (visits.then, visits.now) == (6, 2)
    text = page.content.decode()
    assert "October 2026" in text and "November 2026" in text
    assert "December 2026" not in text


def test_an_old_session_with_a_month_to_date_snapshot_says_so(org_tree):
    old = _session(org_tree, on=date(2026, 11, 28))
    old.indicators = {"start": "2026-11-01", "end": "2026-11-30", "values": {}}
    old.save()
    newer = _session(org_tree, on=date(2026, 12, 6))
    newer.indicators = {"start": "2026-12-01", "end": "2026-12-31", "values": {}}
    newer.save()
    with translation.override("en"):
        comparison = session_changes(session=newer)
    assert comparison.then_label == "November 2026 (to day 28)"
    assert comparison.now_label == "December 2026 (to day 6)"


def test_only_the_persons_leaders_may_coach_them(org_tree):
    with pytest.raises(ValidationError) as error:
        _session(org_tree, coach="rep_east1b")
    assert "person" in error.value.message_dict
    with pytest.raises(ValidationError):
        _session(org_tree, coach="manager_north1")
    assert _session(org_tree, coach="head_east").coach == org_tree.people["head_east"]
    assert _session(org_tree, coach="director").pk


def test_a_session_needs_a_plan_and_complete_action_items(org_tree):
    with pytest.raises(ValidationError) as error:
        _session(
            org_tree,
            plan="",
            follow_up_date=date(2026, 1, 1),
            action_items=[{"title": "No date", "due_date": None}],
        )
    assert {"improvement_plan", "follow_up_date", "items-1-due_date"} <= set(
        error.value.message_dict
    )
    assert not CoachingSession.objects.exists()


def test_a_rep_never_sees_another_reps_coaching_notes(org_tree):
    session = _session(org_tree, weaknesses="Talks too much, listens too little")
    url = f"/development/coaching/{session.pk}/"
    assert org_tree.client("rep_east1a").get(url).status_code == 200
    assert org_tree.client("manager_east1").get(url).status_code == 200
    assert org_tree.client("head_east").get(url).status_code == 200
    assert org_tree.client("rep_east1b").get(url).status_code == 404
    assert org_tree.client("manager_east2").get(url).status_code == 404
    assert org_tree.client("finance").get(url).status_code == 404
    listing = org_tree.client("rep_east1b").get("/development/coaching/").content.decode()
    assert "listens too little" not in listing and "No coaching sessions yet." in listing


def test_the_rep_sees_the_session_and_its_items(org_tree):
    session = _session(
        org_tree, action_items=[{"title": "Visit three prospects", "due_date": date(2026, 1, 20)}]
    )
    page = org_tree.client("rep_east1a").get(session.get_absolute_url()).content.decode()
    assert "Visit three prospects" in page and "Plan the week on Monday" in page


def test_the_coach_is_reminded_of_a_due_follow_up_check_until_it_is_done(org_tree):
    today = timezone.localdate()
    session = _session(
        org_tree, on=today - timedelta(days=7), follow_up_date=today - timedelta(days=1)
    )
    kinds = [r.kind for r in reminders_for(org_tree.user("manager_east1"), today=today)]
    assert "coaching_follow_up" in kinds
    coaching_follow_up_check(session=session, actor=org_tree.user("manager_east1"), note="Better")
    kinds = [r.kind for r in reminders_for(org_tree.user("manager_east1"), today=today)]
    assert "coaching_follow_up" not in kinds


def test_the_new_session_page_shows_the_carried_items(org_tree):
    _session(
        org_tree, action_items=[{"title": "Visit three prospects", "due_date": date(2026, 1, 20)}]
    )
    rep = org_tree.people["rep_east1a"]
    page = org_tree.client("manager_east1").get(f"/development/coaching/new/?person={rep.pk}")
    assert page.status_code == 200
    assert "Visit three prospects" in page.content.decode()
    assert org_tree.client("rep_east1a").get("/development/coaching/new/").status_code == 403


def test_the_new_session_form_saves_with_two_items(org_tree):
    rep = org_tree.people["rep_east1a"]
    response = org_tree.client("manager_east1").post(
        "/development/coaching/new/",
        {
            "person": rep.pk,
            "session_date": "2026-01-10",
            "improvement_plan": "Plan the week",
            "items-1-title": "First",
            "items-1-due_date": "2026-01-20",
            "items-2-title": "Second",
            "items-2-due_date": "2026-01-21",
        },
    )
    session = CoachingSession.objects.get()
    assert response.status_code == 302 and response.url == session.get_absolute_url()
    assert action_items_for_source(session).count() == 2


def test_coaching_pages_run_a_bounded_number_of_queries(org_tree, django_assert_max_num_queries):
    for day in range(1, 16):
        _session(
            org_tree,
            person="rep_east1a" if day % 2 else "rep_east1b",
            on=date(2026, 1, day),
            follow_up_date=date(2026, 1, day),
        )
    client = org_tree.client("manager_east1")
    with django_assert_max_num_queries(25):
        assert client.get("/development/coaching/").status_code == 200
    session = CoachingSession.objects.first()
    with django_assert_max_num_queries(35):
        assert client.get(session.get_absolute_url()).status_code == 200


def test_the_menu_offers_coaching_to_leaders_and_my_coaching_to_reps(org_tree):
    manager_page = org_tree.client("manager_east1").get("/").content.decode()
    rep_page = org_tree.client("rep_east1a").get("/").content.decode()
    assert "/development/coaching/" in manager_page and "My coaching" not in manager_page
    assert "My coaching" in rep_page and "/development/coaching/" in rep_page
    assert "/development/coaching/" not in org_tree.client("finance").get("/").content.decode()
