"""What the customers' own answers feed: satisfaction and NPS per team and period, and the
satisfaction factor of the credit rating (the customer's answers first, else the rep's)."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from salesorg.core.scoping import SYSTEM
from salesorg.customers.models import SatisfactionSurvey
from salesorg.customers.selectors.credit import customer_facts
from salesorg.customers.selectors.surveys import satisfaction_by_team
from salesorg.customers.services.surveys import survey_link_answer, survey_link_create
from tests.factories import CustomerFactory, MembershipFactory

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()


def _answer(org_tree, customer, day: date, overall: int, recommend: int):
    """The customer's answer through a link made and answered on `day`."""
    now = datetime(day.year, day.month, day.day, 10, tzinfo=SHANGHAI)
    _link, token = survey_link_create(customer=customer, actor=org_tree.user("admin"), now=now)
    return survey_link_answer(token=token, overall=overall, recommend=recommend, now=now)


@pytest.fixture
def answers(org_tree):
    """East-1: 5/10, 4/9, 2/3, 3/7 in March; East-2: 5/10 in March, 1/0 in May."""
    east1 = CustomerFactory(owner=org_tree.people["rep_east1a"])
    east1b = CustomerFactory(owner=org_tree.people["rep_east1b"])
    east2 = CustomerFactory(owner=org_tree.people["rep_east2a"])
    for customer, overall, recommend in [
        (east1, 5, 10),
        (east1, 4, 9),
        (east1b, 2, 3),
        (east1b, 3, 7),
        (east2, 5, 10),
    ]:
        _answer(org_tree, customer, date(2026, 3, 10), overall, recommend)
    _answer(org_tree, east2, date(2026, 5, 2), 1, 0)
    # a rep-recorded score is not a customer's answer: it counts in no team's NPS
    SatisfactionSurvey.objects.create(customer=east1, surveyed_on=date(2026, 3, 11), overall=1)
    return {"east1": east1, "east1b": east1b, "east2": east2}


def test_satisfaction_and_nps_per_team_are_exact(org_tree, answers):
    report = satisfaction_by_team(
        user=org_tree.user("director"), start=date(2026, 3, 1), end=date(2026, 3, 31)
    )
    rows = {row.name: row for row in report.teams}
    east1 = rows[org_tree.teams["east1"].name]
    # 5+4+2+3 = 14 / 4 = 3.50; promoters 10, 9; detractors 3; passives 7 → (2−1)/4 = 25.0
    assert (east1.answers, east1.satisfaction) == (4, Decimal("3.50"))
    assert (east1.promoters, east1.passives, east1.detractors) == (2, 1, 1)
    assert east1.nps == Decimal("25.0")
    assert east1.low_answers == 1
    east2 = rows[org_tree.teams["east2"].name]
    assert (east2.answers, east2.satisfaction, east2.nps) == (1, Decimal("5.00"), Decimal("100.0"))
    assert set(rows) == {org_tree.teams["east1"].name, org_tree.teams["east2"].name}
    # all: 19/5 = 3.80; promoters 3, detractors 1 of 5 → 40.0
    assert (report.total.answers, report.total.satisfaction) == (5, Decimal("3.80"))
    assert report.total.nps == Decimal("40.0")


def _queries(user) -> int:
    with CaptureQueriesContext(connection) as context:
        satisfaction_by_team(user=user, start=date(2026, 1, 1), end=date(2026, 12, 31))
    return len(context)


def test_the_report_takes_the_same_queries_whatever_the_answers(org_tree, answers):
    user = org_tree.user("director")
    _queries(user)  # the first read of a user's scope is cached
    before = _queries(user)
    assert before <= 2  # the answers grouped by team, the teams' names
    for key in ("rep_north1a", "rep_north2a", "rep_east2b"):
        customer = CustomerFactory(owner=org_tree.people[key])
        for overall in (1, 3, 5):
            _answer(org_tree, customer, date(2026, 4, 1), overall, overall * 2)
    assert _queries(user) == before


def test_the_period_chooses_the_answers(org_tree, answers):
    report = satisfaction_by_team(
        user=org_tree.user("director"), start=date(2026, 3, 1), end=date(2026, 5, 31)
    )
    east2 = {row.name: row for row in report.teams}[org_tree.teams["east2"].name]
    # 5/10 and 1/0: (5+1)/2 = 3.00; one promoter, one detractor → 0.0
    assert (east2.answers, east2.satisfaction, east2.nps) == (2, Decimal("3.00"), Decimal("0.0"))


def test_an_answer_counts_for_the_owners_team_on_its_day(org_tree, answers):
    # given rep_east1a moved to east-2 on 1 March (their east-1 membership ended the day before)
    rep = org_tree.people["rep_east1a"]
    membership = rep.memberships.get()
    membership.end_date = date(2026, 2, 28)
    membership.save()
    MembershipFactory(person=rep, team=org_tree.teams["east2"], start_date=date(2026, 3, 1))
    report = satisfaction_by_team(
        user=org_tree.user("director"), start=date(2026, 3, 1), end=date(2026, 3, 31)
    )
    rows = {row.name: row.answers for row in report.teams}
    assert rows == {org_tree.teams["east1"].name: 2, org_tree.teams["east2"].name: 3}


def test_a_manager_sees_only_their_teams_answers(org_tree, answers):
    report = satisfaction_by_team(
        user=org_tree.user("manager_east1"), start=date(2026, 1, 1), end=date(2026, 12, 31)
    )
    assert [row.name for row in report.teams] == [org_tree.teams["east1"].name]
    assert report.total.answers == 4


def test_the_satisfaction_page_shows_the_numbers_and_exports(org_tree, answers):
    client = org_tree.client("director")
    url = reverse("customers:satisfaction")
    page = client.get(url, {"start": "2026-03-01", "end": "2026-03-31"})
    html = page.content.decode()
    assert page.status_code == 200
    east1_row = html.split(f'data-team="{org_tree.teams["east1"].pk}"')[1].split("</tr>")[0]
    assert "3.50" in east1_row and "25.0" in east1_row
    total_row = html.split('data-team="total"')[1].split("</tr>")[0]
    assert "3.80" in total_row and "40.0" in total_row
    csv = client.get(url, {"start": "2026-03-01", "end": "2026-03-31", "format": "csv"})
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[-1] == "Total,5,3.80,3,1,1,40.0,1"


def test_a_wrong_period_is_shown_back_not_a_500(org_tree, answers):
    client = org_tree.client("director")
    url = reverse("customers:satisfaction")
    response = client.get(url, {"start": "2026-05-01", "end": "2026-03-01"})
    assert response.status_code == 200
    assert "The end cannot be before the start." in response.content.decode()
    assert client.get(url, {"start": "yesterday"}).status_code == 200


def test_the_rating_uses_the_customers_answers_first(org_tree):
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"])
    SatisfactionSurvey.objects.create(customer=customer, surveyed_on=date(2026, 3, 1), overall=5)
    SatisfactionSurvey.objects.create(customer=customer, surveyed_on=date(2026, 3, 2), overall=5)
    _answer(org_tree, customer, date(2026, 3, 10), 2, 5)
    _answer(org_tree, customer, date(2026, 3, 12), 3, 7)
    facts = customer_facts(user=SYSTEM, as_of=date(2026, 6, 30), customer_ids=[customer.pk])
    # the customer's own 2 and 3, not the rep's 5s
    assert (facts[customer.pk].survey_total, facts[customer.pk].survey_count) == (5, 2)


def test_the_rating_falls_back_to_the_reps_score(org_tree):
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"])
    SatisfactionSurvey.objects.create(customer=customer, surveyed_on=date(2026, 3, 1), overall=4)
    SatisfactionSurvey.objects.create(customer=customer, surveyed_on=date(2026, 3, 2), overall=5)
    # an answer of the customer older than the rating's window does not count
    _answer(org_tree, customer, date(2025, 3, 1), 1, 0)
    facts = customer_facts(user=SYSTEM, as_of=date(2026, 6, 30), customer_ids=[customer.pk])
    assert (facts[customer.pk].survey_total, facts[customer.pk].survey_count) == (9, 2)


def test_the_customer_dashboard_shows_satisfaction_per_team(org_tree, answers):
    client = org_tree.client("director")
    page = client.get(reverse("performance:dashboard", args=["customers"]), {"year": 2026})
    html = page.content.decode()
    assert page.status_code == 200
    card = html.split('id="satisfaction-by-team"')[1]
    east1_row = card.split(f'data-team="{org_tree.teams["east1"].pk}"')[1].split("</tr>")[0]
    # the year 2026: east-1's four March answers
    assert "3.50" in east1_row and "25.0" in east1_row
    east2_row = card.split(f'data-team="{org_tree.teams["east2"].pk}"')[1].split("</tr>")[0]
    # east-2: 5/10 and 1/0 → 3.00, NPS 0.0
    assert "3.00" in east2_row and "0.0" in east2_row
