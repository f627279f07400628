"""The meeting page (#16 S13 point 5): how far the meeting has come, one item's form open
at a time, figures as the glossary writes them, a short page with a flat query count."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from salesorg.performance.services.meetings import meeting_create, meeting_item_record
from tests.factories import TargetFactory
from tests.performance.scorecard_helpers import sell

ITEM_FORM = re.compile(r'<form method="post" action="/performance/meetings/items/(\d+)/"')


def goal(rep, metric, realistic, month=1):
    return TargetFactory(person=rep, metric=metric, month=month, realistic=Decimal(realistic))


@pytest.fixture
def meeting(org_tree):
    """East-1's January: east-1a sold ¥900 of ¥514,860 and won 1 new customer of 3; east-1b
    sold nothing of ¥1,000."""
    a, b = org_tree.people["rep_east1a"], org_tree.people["rep_east1b"]
    sell(a, amount="900")
    goal(a, "sales", "514860")
    goal(a, "new_customers", "3")
    goal(b, "sales", "1000")
    return meeting_create(
        actor=org_tree.user("manager_east1"),
        team=org_tree.teams["east1"],
        period_start=date(2026, 1, 1),
        period_end=date(2026, 1, 31),
        held_on=date(2026, 2, 3),
    )


def analyse(org_tree, item, countermeasure="每周多拜访五家客户"):
    meeting_item_record(
        actor=org_tree.user("manager_east1"),
        item=item,
        cause_category="activity",
        cause="拜访太少",
        countermeasure=countermeasure,
        due_date=date(2026, 2, 28),
    )


def page(org_tree, meeting, key="manager_east1", query="", language="en"):
    response = org_tree.client(key).get(
        meeting.get_absolute_url() + query, HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200
    return response.content.decode()


def items_of(meeting):
    return list(meeting.items.order_by("position"))


def test_the_page_counts_the_items_with_a_cause_and_a_countermeasure(org_tree, meeting):
    first, second, _third = items_of(meeting)
    assert "Analysed 0/3 items" in page(org_tree, meeting)
    analyse(org_tree, first)
    # a cause without a countermeasure is not yet analysed
    analyse(org_tree, second, countermeasure="")
    assert "Analysed 1/3 items" in page(org_tree, meeting)
    assert "已分析 1/3 项" in page(org_tree, meeting, language="zh-hans")


def test_one_item_form_is_open_the_next_to_analyse(org_tree, meeting):
    first, second, third = items_of(meeting)
    html = page(org_tree, meeting)
    assert ITEM_FORM.findall(html) == [str(first.pk)]
    # the others are summary rows with an edit link
    for item in (second, third):
        assert f'href="?item={item.pk}#item-{item.pk}"' in html
    analyse(org_tree, first)
    assert ITEM_FORM.findall(page(org_tree, meeting)) == [str(second.pk)]
    # choosing "edit" on an analysed item opens it instead, with what was recorded
    html = page(org_tree, meeting, query=f"?item={first.pk}")
    assert ITEM_FORM.findall(html) == [str(first.pk)]
    assert "每周多拜访五家客户</textarea>" in html and 'value="2026-02-28"' in html
    # an unknown or foreign item id falls back to the next to analyse
    assert ITEM_FORM.findall(page(org_tree, meeting, query="?item=999999")) == [str(second.pk)]
    assert ITEM_FORM.findall(page(org_tree, meeting, query="?item=x")) == [str(second.pk)]


def test_once_every_item_is_analysed_no_form_is_open(org_tree, meeting):
    for item in items_of(meeting):
        analyse(org_tree, item)
    html = page(org_tree, meeting)
    assert ITEM_FORM.findall(html) == []
    assert "Analysed 3/3 items" in html


def test_a_rep_reads_the_agenda_without_forms_or_edit_links(org_tree, meeting):
    html = page(org_tree, meeting, key="rep_east1b")
    assert ITEM_FORM.findall(html) == [] and "?item=" not in html
    assert "Analysed 0/3 items" in html


def test_money_with_grouping_and_counts_as_whole_numbers(org_tree, meeting):
    html = page(org_tree, meeting)
    assert "¥900.00" in html and "¥514,860.00" in html
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert " 1 vs. target 3 " in text, "counts are whole numbers"


def test_a_bad_entry_is_shown_again_with_its_message(org_tree, meeting):
    first = items_of(meeting)[0]
    prefix = f"item{first.pk}"
    response = org_tree.client("manager_east1").post(
        f"/performance/meetings/items/{first.pk}/",
        {
            f"{prefix}-cause_category": "customer",
            f"{prefix}-cause": "客户预算冻结",
            f"{prefix}-countermeasure": "拜访新客户",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert ITEM_FORM.findall(html) == [str(first.pk)]
    assert "客户预算冻结</textarea>" in html  # what was typed is kept
    assert "Give the countermeasure a due date." in html
    first.refresh_from_db()
    assert first.cause == ""


def test_a_saved_item_moves_the_form_to_the_next(org_tree, meeting):
    first, second, _third = items_of(meeting)
    prefix = f"item{first.pk}"
    response = org_tree.client("manager_east1").post(
        f"/performance/meetings/items/{first.pk}/",
        {
            f"{prefix}-cause_category": "customer",
            f"{prefix}-cause": "客户预算冻结",
            f"{prefix}-countermeasure": "拜访新客户",
            f"{prefix}-due_date": "2026-02-27",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#item-{second.pk}")


def test_a_provisional_item_says_its_target_is_pro_rated(org_tree, monkeypatch):
    rep = org_tree.people["rep_east1a"]
    goal(rep, "visits", "23", month=12)
    monkeypatch.setattr(timezone, "localdate", lambda *args: date(2026, 12, 8))
    meeting = meeting_create(
        actor=org_tree.user("manager_east1"),
        team=org_tree.teams["east1"],
        period_start=date(2026, 12, 1),
        period_end=date(2026, 12, 31),
        held_on=date(2026, 12, 8),
    )
    text = " ".join(re.sub(r"<[^>]+>", " ", page(org_tree, meeting)).split())
    assert "0 vs. target due by 2026-12-08 6 (6 of 23 working days)" in text


def test_the_meeting_page_reads_a_fixed_number_of_queries(org_tree, meeting):
    """More items and more action items do not add queries."""
    manager = org_tree.client("manager_east1")
    with CaptureQueriesContext(connection) as few:
        manager.get(meeting.get_absolute_url())
    for item in items_of(meeting):
        analyse(org_tree, item)
    rep = org_tree.people["rep_east1b"]
    for metric in ("visits", "collections", "prospects_added"):
        goal(rep, metric, "5")
    bigger = meeting_create(
        actor=org_tree.user("manager_east1"),
        team=org_tree.teams["east1"],
        period_start=date(2026, 1, 1),
        period_end=date(2026, 1, 31),
        held_on=date(2026, 3, 3),
    )
    for item in items_of(bigger)[:4]:
        analyse(org_tree, item)
    assert bigger.items.count() == 6
    with CaptureQueriesContext(connection) as many:
        manager.get(bigger.get_absolute_url())
    assert len(many) <= len(few) + 2  # + the last meeting's open actions, once
    assert len(many) <= 22
