"""Every business record's detail page links to its history; the history keeps its scoping."""

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import RequestFactory
from simple_history.models import HistoricalRecords

from salesorg.core.templatetags.audit_tags import history_url
from tests.conftest import build_org_records, build_org_tree


@dataclass(frozen=True)
class Page:
    """A detail page: how to find its record, who can see it and who cannot."""

    find: Any  # (org_tree, org_records) -> record
    viewer: str
    outsider: str


def _rep_card(tree, records):
    person = tree.people["rep_east1a"]
    return next(card for card in records.extra["scorecards"] if card.person_id == person.pk)


REP = "rep_east1a"
PAGES = {
    "region": Page(lambda t, r: t.regions["east"], "head_east", "head_north"),
    "order": Page(lambda t, r: r.orders[REP], REP, "rep_east1b"),
    "invoice": Page(lambda t, r: r.invoices[REP], "finance", "manager_north1"),
    "visit": Page(lambda t, r: r.visits[REP], REP, "rep_north1a"),
    "expense": Page(lambda t, r: r.expenses[REP], "manager_east1", "manager_east2"),
    "action item": Page(lambda t, r: r.action_items[REP], REP, "trainer"),
    "root cause": Page(lambda t, r: r.extra["root_causes"][REP], "manager_east1", "rep_east1b"),
    "credit approval": Page(lambda t, r: r.extra["credit_approvals"][REP], "finance", "head_north"),
    "development proposal": Page(
        lambda t, r: r.extra["pipeline_items"][REP].proposal, REP, "rep_north1a"
    ),
    "pipeline item": Page(lambda t, r: r.extra["pipeline_items"][REP], REP, "manager_east2"),
    "quarterly review": Page(
        lambda t, r: r.extra["quarterly_reviews"][REP], "manager_east1", "finance"
    ),
    "pdca plan": Page(lambda t, r: r.extra["pdca_plans"][REP], REP, "rep_east1b"),
    "standard (draft)": Page(
        lambda t, r: r.extra["standards"]["draft"], "manager_east1", "manager_east2"
    ),
    "standard (published)": Page(lambda t, r: r.extra["standards"]["published"], REP, "rep_former"),
    "sales plan": Page(lambda t, r: r.extra["sales_plan"], "director", "rep_former"),
    "sales meeting": Page(lambda t, r: r.extra["meetings"]["east1"], REP, "manager_north1"),
    "incentive policy": Page(lambda t, r: r.extra["policies"][0], REP, "rep_former"),
    "scorecard period": Page(lambda t, r: r.extra["scorecard_period"], "director", "rep_former"),
    "scorecard": Page(_rep_card, REP, "rep_east1b"),
    "coaching session": Page(
        lambda t, r: r.extra["coaching_sessions"][REP], "manager_east1", "rep_east1b"
    ),
    "joint-visit review": Page(lambda t, r: r.extra["joint_reviews"][REP], REP, "manager_east2"),
    "personnel review": Page(
        lambda t, r: r.extra["personnel_reviews"][REP], "head_east", "finance"
    ),
    "training material": Page(lambda t, r: r.extra["materials"][0], REP, "rep_former"),
    "training assignment": Page(lambda t, r: r.extra["assignments"][REP], "trainer", "finance"),
}


def save_as(user, obj, *, ip: str) -> None:
    """Save `obj` unchanged as if during a web request of `user` from `ip`."""
    request = RequestFactory().post("/", REMOTE_ADDR=ip)
    request.user = user
    HistoricalRecords.context.request = request
    try:
        obj.save()
    finally:
        del HistoricalRecords.context.request


@pytest.fixture
def world(db):
    tree = build_org_tree()
    return tree, build_org_records(tree)


@pytest.mark.parametrize("name", PAGES)
def test_detail_page_links_to_a_scoped_history(world, name):
    # given a record of the page's kind, saved by someone who can see it from 10.9.8.7
    tree, records = world
    page = PAGES[name]
    record = page.find(tree, records)
    save_as(tree.user(page.viewer), record, ip="10.9.8.7")
    url = history_url(record)
    # when that person opens the record's page
    response = tree.client(page.viewer).get(record.get_absolute_url())
    # then it links to the history, which lists the creation and the save with its address
    assert response.status_code == 200
    assert f'href="{url}"' in response.content.decode()
    history = tree.client(page.viewer).get(url)
    assert history.status_code == 200
    content = history.content.decode()
    assert "Created" in content and "Changed" in content and "10.9.8.7" in content
    # and someone outside the record's scope finds no history at all
    assert tree.client(page.outsider).get(url).status_code == 404
