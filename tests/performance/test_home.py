"""Role home pages: the rep's month and run-rate, the manager's team and grouped to-dos, the
director's company; running periods judged against the target due by today."""

from datetime import date, time
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from salesorg.core.calendar import workday_set
from salesorg.core.models import CalendarDay
from salesorg.core.money import format_money
from salesorg.core.scoping import SYSTEM, scope_for
from salesorg.development.home import home_context as development_home_context
from salesorg.development.models import Assignment, Material
from salesorg.performance.home import home_context, rep_month, run_rate
from salesorg.performance.kpi.indicators import indicator_table
from salesorg.performance.templatetags.indicator_format import percent
from salesorg.sales.models import VisitPurpose
from salesorg.work.actions import action_item_create
from tests.factories import CustomerFactory, InvoiceFactory, VisitFactory
from tests.performance.dashboard_world import build_year

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)  # a Monday
HOME_QUERY_BUDGET = 20  # director and finance: two engine calls (month, year) sharing the org


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
    engine = indicator_table(
        user=SYSTEM, start=date(2026, 6, 1), end=date(2026, 6, 30), level="person"
    )
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
    assert 'data-testid="per-workday-1">¥17.68<' in page
    assert 'data-testid="per-workday-2">¥26.77<' in page
    assert 'id="reminders"' in page and "回访华康" in page  # open tasks from the reminders
    # and the month is marked as running and judged against the target due by today:
    # 11 of its 21 workdays have passed on the 15th (today counts, the 19th is a holiday)
    assert "(to day 15)" in page
    assert 'data-testid="target-to-date-1">¥214.76<' in page  # 410 × 11 / 21
    assert 'data-testid="achievement-to-date-1">100.34%<' in page  # 215.50 / 214.76
    assert 'data-testid="target-to-date-2">¥267.14<' in page  # 510 × 11 / 21
    assert "52.56%" not in page  # never the month-to-date sales over the whole target


def test_rep_phone_shows_log_a_visit_and_the_month_above_the_to_dos(june):
    # given a rep with many open tasks
    rep = june.people["rep_east1a"]
    for number in range(13):
        action_item_create(title=f"任务{number}", owner=rep, due_date=TODAY)
    page = june.client("rep_east1a").get("/").content.decode()
    # then the log-a-visit button and this month's card come before the to-do list
    button = page.index("/sales/visits/log/")
    month = page.index('id="month-achievement"')
    todos = page.index('id="reminders"')
    assert button < month < todos
    # and the run-rate is a three-column table that fits a phone (no fourth column)
    card = page[month:todos]
    assert card.count('<th scope="col"') == 3


def test_rep_home_without_targets_or_visits_says_so(org_tree):
    page = org_tree.client("rep_north1b").get("/").content.decode()
    assert "No visits logged today yet." in page
    assert "No sales and no target for you this month yet." in page
    assert "Nothing here yet" not in page  # no placeholder card is left


def test_rep_home_with_sales_but_no_target_says_so(org_records, org_tree, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(2026, 1, 20))
    page = org_tree.client("rep_north1b").get("/").content.decode()
    assert "No target this month" in page


def test_manager_home_lists_each_member_with_links_and_the_month_to_date(june):
    manager = june.people["manager_east1"]
    response = june.client("manager_east1").get("/")
    page = response.content.decode()
    members = response.context["member_rows"]
    assert {row.figures.code for row in members} == {"REP-east1a", "REP-east1b"}
    assert [row.code for row in response.context["unit_rows"]] == ["EAST1"]
    engine = indicator_table(
        user=SYSTEM, start=date(2026, 6, 1), end=date(2026, 6, 30), level="person"
    )
    by_code = {row.code: row for row in engine.rows}
    for member in members:  # the month's sales and targets are the engine's
        row, engine_row = member.figures.row, by_code[member.figures.code]
        assert (row.sales, row.sales_target, row.sales_target_ideal) == (
            engine_row.sales,
            engine_row.sales_target,
            engine_row.sales_target_ideal,
        )
    assert manager.name in page
    # each rep is linked to their figures and to a new one-on-one with them preselected
    for key in ("rep_east1a", "rep_east1b"):
        rep = june.people[key]
        assert f"/performance/dashboards/achievement/?level=person&amp;unit={rep.pk}" in page
        assert f"/development/coaching/new/?person={rep.pk}" in page
    # and the month is judged against the target due by today (11 of 21 workdays)
    assert "(to day 15)" in page
    rep_a = next(m.figures for m in members if m.figures.code == "REP-east1a")
    assert rep_a.due.sales_target == Decimal("214.76")
    assert ">¥214.76<" in page and ">100.34%<" in page
    assert ">52.56%<" not in page  # not the sales so far over the whole month's target


def test_the_one_on_one_link_opens_the_form_with_the_rep_chosen(june):
    rep = june.people["rep_east1a"]
    client = june.client("manager_east1")
    home = client.get("/")
    member = next(m for m in home.context["member_rows"] if m.figures.code == rep.code)
    form = client.get(member.coaching_url)
    assert form.status_code == 200
    assert str(form.context["form"]["person"].value()) == str(rep.pk)


def test_manager_to_dos_are_grouped_by_kind_with_counts_and_listed_once(june):
    # given the team's action items of three origins, one overdue, and one far ahead
    rep = june.people["rep_east1b"]
    action_item_create(title="辅导B拜访", owner=rep, due_date=date(2026, 6, 20), origin="coaching")
    action_item_create(title="会议对策", owner=rep, due_date=date(2026, 6, 10), origin="meeting")
    action_item_create(title="会议对策二", owner=rep, due_date=date(2026, 6, 22), origin="meeting")
    action_item_create(title="PDCA措施", owner=rep, due_date=date(2026, 6, 18), origin="pdca")
    action_item_create(title="太远的事", owner=rep, due_date=date(2026, 8, 1))
    action_item_create(title="别的小组", owner=june.people["rep_east2a"], due_date=TODAY)
    # when the manager opens the home page
    response = june.client("manager_east1").get("/")
    page = response.content.decode()
    groups = {group.key: group for group in response.context["todo_groups"]}
    # then each kind is a group with its count, and overdue groups come first
    assert (groups["coaching"].count, groups["coaching"].overdue) == (1, 0)
    # (the meeting group also holds the reminder to hold May's meeting, overdue since 10 June)
    assert (groups["meeting"].count, groups["meeting"].overdue) == (3, 2)
    assert any(item.kind == "sales_meeting" for item in groups["meeting"].items)
    assert groups["pdca"].count == 1
    assert response.context["todo_groups"][0].key == "meeting"
    # and a meeting countermeasure is not listed as coaching, nor listed twice
    coaching_texts = [item.text for item in groups["coaching"].items]
    assert coaching_texts == [f"{rep.name}: 辅导B拜访"]
    assert page.count("会议对策二") == 1 and page.count(">" + rep.name + ": 会议对策<") == 1
    assert "Coaching actions due" not in page
    assert "太远的事" not in page and "别的小组" not in page
    assert 'id="reminders" data-grouped="true"' in page  # no flat list of every to-do
    assert page.count('class="list-group-item') == page.count("data-kind=")  # each listed once


def test_director_year_card_compares_the_year_to_date_with_the_target_due_by_today(june):
    # given the year's records, seen on Monday 15 June (mid-year, mid-month)
    response = june.client("director").get("/")
    page = response.content.decode()
    company = response.context["company_year"]
    engine = indicator_table(user=SYSTEM, start=date(2026, 1, 1), end=date(2026, 6, 30))
    whole = next(row for row in engine.rows if row.level == "company")
    assert company.row == whole
    # then the target is pro-rated by the workdays elapsed of January–June
    workdays = sorted(workday_set(date(2026, 1, 1), date(2026, 6, 30)))
    elapsed = sum(1 for day in workdays if day <= TODAY)
    due = (whole.sales_target * elapsed / len(workdays)).quantize(Decimal("0.01"))
    assert company.due.sales_target == due < whole.sales_target
    assert company.due.sales_achievement == whole.sales / due
    assert f'data-testid="company-target-to-date">{format_money(due)}<' in page
    shown = percent(whole.sales / due)
    assert f'data-testid="company-achievement">{shown}<' in page
    assert percent(whole.sales_achievement) not in page  # never sales over the whole target
    assert "(to 2026-06-15)" in page  # the year is marked as running
    # and the month likewise: June's target due by the 15th
    month = response.context["company_month"]
    assert "(to day 15)" in page
    assert month.due.sales_target < month.row.sales_target
    assert f'data-testid="month-target-to-date">{format_money(month.due.sales_target)}<' in page
    # and regions are ranked by their achievement to date
    regions = response.context["region_rows"]
    assert len(regions) == 2
    assert regions[0].due.sales_achievement >= regions[1].due.sales_achievement


def test_director_year_card_on_6_december_is_not_sales_over_the_whole_years_target(
    june, monkeypatch
):
    # the day of the complaint: 85.47% was the year to date over the whole year's target
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(2026, 12, 6))
    response = june.client("director").get("/")
    page = response.content.decode()
    company = response.context["company_year"]
    workdays = sorted(workday_set(date(2026, 1, 1), date(2026, 12, 31)))
    elapsed = sum(1 for day in workdays if day <= date(2026, 12, 6))
    due = (company.row.sales_target * elapsed / len(workdays)).quantize(Decimal("0.01"))
    assert company.due.sales_target == due
    assert f'data-testid="company-achievement">{percent(company.row.sales / due)}<' in page
    assert (
        f'data-testid="company-achievement">{percent(company.row.sales_achievement)}<' not in page
    )
    assert "(to 2026-12-06)" in page and "(to day 6)" in page


def test_director_year_card_on_new_years_eve_uses_the_whole_target(june, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(2026, 12, 31))
    response = june.client("director").get("/")
    company = response.context["company_year"]
    assert company.due.sales_target == company.row.sales_target  # the last day: all due


def test_visits_per_workday_of_the_year_count_only_the_workdays_elapsed(june):
    response = june.client("director").get("/")
    company = response.context["company_year"]
    assert company.workdays_to_date < company.row.workdays
    assert company.visits_per_workday_to_date == Decimal(company.row.visits) / Decimal(
        company.workdays_to_date
    )


def test_director_to_dos_are_grouped(june):
    response = june.client("director").get("/")
    keys = [group.key for group in response.context["todo_groups"]]
    assert "targets" in keys  # May's scorecards to close are grouped with the targets
    assert 'id="reminders" data-grouped="true"' in response.content.decode()


def test_no_placeholder_card_is_left():
    from pathlib import Path

    import salesorg

    templates = Path(salesorg.__file__).parent / "templates" / "home"
    assert not (templates / "_empty_card.html").exists()
    assert not any("_empty_card" in path.read_text() for path in templates.glob("*.html"))


@pytest.mark.parametrize(
    "role", ["rep_east1a", "manager_east1", "head_east", "director", "finance", "trainer"]
)
def test_home_figures_use_a_fixed_number_of_queries(org_tree, monkeypatch, role):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    user, person = org_tree.user(role), org_tree.people[role]
    scope_for(user)  # computed once per request, whatever the page shows

    def figures():
        with CaptureQueriesContext(connection) as captured:
            home_context(user=user, person=person, role=person.role, today=TODAY)
            development_home_context(user=user, person=person, role=person.role, today=TODAY)
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
    """More of the same records (other codes) for every rep: visits, action items of two
    origins, overdue invoices and training assignments (one overdue)."""
    material = Material.objects.create(code="MAT-AGAIN", title="再学一次", topic="collections")
    for key in ("rep_east1a", "rep_north2b"):
        rep = org_tree.people[key]
        VisitFactory(rep=rep, visit_date=TODAY)
        action_item_create(title="再一件", owner=rep, due_date=TODAY)
        action_item_create(title="会议再一件", owner=rep, due_date=TODAY, origin="meeting")
        customer = CustomerFactory(owner=rep)
        for number in range(3):
            InvoiceFactory(customer=customer, invoice_date=date(2026, 1, 2 + number),
                           due_date=date(2026, 2, 1), amount=Decimal("99.00"))  # fmt: skip
        Assignment.objects.create(person=rep, material=material, due_date=date(2026, 6, 1))
