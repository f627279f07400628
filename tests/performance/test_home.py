"""Role home pages: the rep's month and run-rate, the manager's team, the director's company."""

from datetime import date, time
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from salesorg.core.models import CalendarDay
from salesorg.core.scoping import scope_for
from salesorg.performance.home import home_context, rep_month, run_rate
from salesorg.performance.indicators import indicator_table
from salesorg.sales.models import VisitPurpose
from salesorg.targets.actions import action_item_create
from tests.factories import CustomerFactory, VisitFactory
from tests.performance.dashboard_world import build_year

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)  # a Monday
HOME_QUERY_BUDGET = 21  # the engine (19) + a calendar or action query


@pytest.fixture
def june(org_tree, monkeypatch):
    """The year's records, seen on Monday 15 June 2026, with the Dragon Boat holiday."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    CalendarDay.objects.create(date=date(2026, 6, 19), is_workday=False, note="端午节")
    build_year(org_tree)
    return org_tree


def test_run_rate_spreads_the_gap_over_the_workdays_left():
    rate = run_rate(label="x", sales=Decimal("215.50"), target=Decimal("410.00"), workdays_left=11)
    assert rate.remaining == Decimal("194.50")
    assert rate.per_workday == Decimal("17.68")
    assert rate.achievement == Decimal("215.50") / Decimal("410.00")


def test_run_rate_when_the_target_is_reached_or_missing_or_no_day_is_left():
    reached = run_rate(label="x", sales=Decimal("500"), target=Decimal("410.00"), workdays_left=3)
    assert reached.remaining == 0 and reached.per_workday == 0
    late = run_rate(label="x", sales=Decimal("1"), target=Decimal("410.00"), workdays_left=0)
    assert late.remaining == Decimal("409.00") and late.per_workday is None
    none = run_rate(label="x", sales=Decimal("1"), target=None, workdays_left=5)
    assert none.remaining is None and none.per_workday is None


def test_rep_month_uses_the_engine_and_the_working_day_calendar(june):
    # given rep east1a sold 215.50 in June against targets of 410 and 510
    rep = june.people["rep_east1a"]
    # when the month is computed on Monday 15 June (Friday 19 June is a holiday)
    month = rep_month(user=june.user("rep_east1a"), person=rep, today=TODAY)
    # then the figures are the engine's row and the gap is spread over 11 workdays
    engine = indicator_table(start=date(2026, 6, 1), end=date(2026, 6, 30), level="person")
    row = next(r for r in engine.rows if r.code == rep.code)
    assert month.row == row
    assert row.sales == Decimal("215.50")
    assert (month.workdays_left, month.workdays_total) == (11, 21)
    realistic, ideal = month.run_rates
    assert (realistic.target, realistic.remaining, realistic.per_workday) == (
        Decimal("410.00"),
        Decimal("194.50"),
        Decimal("17.68"),
    )
    assert (ideal.target, ideal.remaining, ideal.per_workday) == (
        Decimal("510.00"),
        Decimal("294.50"),
        Decimal("26.77"),
    )


def test_rep_home_shows_todays_visits_month_and_tasks(june):
    rep = june.people["rep_east1a"]
    purpose = VisitPurpose.objects.create(code="DEMO", name="产品演示")
    customer = CustomerFactory(name="华康医院", owner=rep)
    VisitFactory(rep=rep, customer=customer, visit_date=TODAY, purpose_type=purpose,
                 visit_time=time(9, 30))  # fmt: skip
    VisitFactory(rep=june.people["rep_east1b"], visit_date=TODAY)  # someone else's
    action_item_create(title="回访华康", owner=rep, due_date=TODAY, customer=customer)
    response = june.client("rep_east1a").get("/")
    page = response.content.decode()
    assert [visit.customer for visit in response.context["todays_visits"]] == [customer]
    assert "华康医院" in page and "产品演示" in page and "09:30" in page
    assert "/sales/visits/log/" in page  # the log-a-visit button stays
    assert 'data-testid="month-sales">¥215.50<' in page
    assert 'data-testid="workdays-left">11 / 21<' in page
    assert "¥17.68" in page and "¥26.77" in page
    assert 'id="reminders"' in page and "回访华康" in page  # open tasks from the reminders


def test_rep_home_without_targets_or_visits_says_so(org_tree):
    page = org_tree.client("rep_north1b").get("/").content.decode()
    assert "No visits logged today yet." in page
    assert "Nothing here yet: this fills in as records are logged." in page


def test_rep_home_with_sales_but_no_target_says_so(org_records, org_tree, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(2026, 1, 20))
    page = org_tree.client("rep_north1b").get("/").content.decode()
    assert "No target this month" in page


def test_manager_home_lists_each_member_and_actions_due(june):
    manager = june.people["manager_east1"]
    rep = june.people["rep_east1b"]
    action_item_create(title="辅导B拜访", owner=rep, due_date=date(2026, 6, 20), origin="coaching")
    action_item_create(title="太远的事", owner=rep, due_date=date(2026, 8, 1))
    action_item_create(title="别的小组", owner=june.people["rep_east2a"], due_date=TODAY)
    response = june.client("manager_east1").get("/")
    page = response.content.decode()
    members = response.context["member_rows"]
    assert {row.code for row in members} == {"REP-east1a", "REP-east1b"}
    assert [row.code for row in response.context["unit_rows"]] == ["EAST1"]
    engine = indicator_table(start=date(2026, 6, 1), end=date(2026, 6, 30), level="person")
    by_code = {row.code: row for row in engine.rows}
    assert all(row == by_code[row.code] for row in members)
    assert "辅导B拜访" in page
    assert "太远的事" not in page and "别的小组" not in page
    assert manager.name in page


def test_director_home_shows_company_year_and_region_ranking(june):
    response = june.client("director").get("/")
    page = response.content.decode()
    company = response.context["company_row"]
    engine = indicator_table(start=date(2026, 1, 1), end=date(2026, 6, 30))
    assert company == next(row for row in engine.rows if row.level == "company")
    regions = response.context["region_rows"]
    assert len(regions) == 2
    assert regions[0].sales_achievement >= regions[1].sales_achievement
    assert 'data-testid="company-sales">' in page


@pytest.mark.parametrize("role", ["rep_east1a", "manager_east1", "head_east", "director"])
def test_home_figures_use_a_fixed_number_of_queries(org_tree, monkeypatch, role):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    user, person = org_tree.user(role), org_tree.people[role]
    scope_for(user)  # computed once per request, whatever the page shows

    def figures():
        with CaptureQueriesContext(connection) as captured:
            home_context(user=user, person=person, role=person.role, today=TODAY)
        return len(captured)

    empty = figures()
    build_year(org_tree)
    assert figures() == empty <= HOME_QUERY_BUDGET
    # and the whole page does not grow with the data either
    client = org_tree.client(role)
    client.get("/")
    with CaptureQueriesContext(connection) as page:
        assert client.get("/").status_code == 200
    build_year_again(org_tree)
    with CaptureQueriesContext(connection) as bigger:
        client.get("/")
    assert len(bigger) == len(page)


def build_year_again(org_tree):
    """More of the same records (other codes) for every rep."""
    for key in ("rep_east1a", "rep_north2b"):
        rep = org_tree.people[key]
        VisitFactory(rep=rep, visit_date=TODAY)
        action_item_create(title="再一件", owner=rep, due_date=TODAY)
