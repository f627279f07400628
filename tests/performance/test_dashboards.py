"""Dashboards: every chart's numbers are the engine's, scoped to the viewer, drillable."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from openpyxl import load_workbook

from salesorg.core.scoping import SYSTEM
from salesorg.performance.charts.tables import DASHBOARDS, DashboardNotFound, percent_value
from salesorg.performance.kpi.indicators import indicator_table, product_mix
from salesorg.performance.kpi.periods import Period, month_end
from salesorg.performance.selectors.dashboards import dashboard_build, dashboard_period
from tests.performance.dashboard_world import YEAR, build_year

pytestmark = pytest.mark.django_db

PAGE_QUERY_BUDGET = 32
SLUGS = [kind.slug for kind in DASHBOARDS]


@pytest.fixture
def year_world(org_tree):
    build_year(org_tree)
    return org_tree


def today():
    # The last day of YEAR: the year has run its course (running periods are tested below).
    return date(YEAR, 12, 31)


def period():
    return dashboard_period(year=YEAR, today=today())


def engine_row(*, start, end, level, code):
    table = indicator_table(user=SYSTEM, start=start, end=end, level=level)
    return next(row for row in table.rows if row.code == code)


def build(user, slug, level=None, unit_id=None):
    return dashboard_build(
        user=user, slug=slug, level=level, unit_id=unit_id, year=YEAR, today=today()
    )


def units(tree):
    """(level, id, code) of a unit at every level, for the director."""
    return [
        ("company", None, ""),
        ("region", tree.regions["east"].id, "EAST"),
        ("team", tree.teams["east1"].id, "EAST1"),
        ("person", tree.people["rep_east1a"].id, "REP-east1a"),
    ]


def test_monthly_achievement_equals_the_engine_table_of_each_month(year_world):
    director = year_world.user("director")
    for level, unit_id, code in units(year_world):
        # when the director opens the achievement dashboard of the unit
        board = build(director, "achievement", level, unit_id)
        monthly = board.chart("achievement-monthly").table.rows
        # then each month's sales, both targets and achievements are the engine's for that month
        for (year, month), row in zip(period().months(), monthly, strict=True):
            start, end = date(year, month, 1), month_end(year=year, month=month)
            expected = engine_row(start=start, end=end, level=level, code=code)
            assert row[1:] == [
                expected.sales,
                expected.sales_target,
                expected.sales_target_ideal,
                expected.sales_achievement,
                expected.sales_achievement_ideal,
            ], (level, month)
        # and the cumulative line ends at the engine's year-to-date figures
        last = board.chart("achievement-cumulative").table.rows[-1]
        ytd = engine_row(start=period().start, end=period().end, level=level, code=code)
        assert last[1:] == [ytd.sales, ytd.sales_target, ytd.sales_target_ideal]
        assert ytd.sales > 0


def test_team_with_its_own_target_shows_it_instead_of_the_members_sum(year_world):
    board = build(year_world.user("director"), "achievement", "team", year_world.teams["east1"].id)
    march = board.chart("achievement-monthly").table.rows[2]
    assert march[2:4] == [Decimal("2000.00"), Decimal("2500.00")]


def test_chart_series_are_the_table_columns(year_world):
    board = build(year_world.user("director"), "achievement")
    chart = board.chart("achievement-monthly")
    sales, realistic, ideal = (series["data"] for series in chart.option["series"])
    assert sales == [row[1] for row in chart.table.rows]
    assert realistic == [row[2] for row in chart.table.rows]
    assert ideal == [row[3] for row in chart.table.rows]
    assert chart.option["xAxis"]["data"] == [row[0] for row in chart.table.rows]


def test_ranking_lists_the_child_units_by_achievement(year_world):
    board = build(year_world.user("director"), "achievement")
    ranking = board.chart("achievement-ranking")
    table = indicator_table(user=SYSTEM, start=period().start, end=period().end, level="region")
    expected = sorted(table.rows, key=lambda row: row.sales_achievement, reverse=True)
    assert [row[1] for row in ranking.table.rows] == [row.name for row in expected]
    assert [row[4] for row in ranking.table.rows] == [row.sales_achievement for row in expected]
    bars = ranking.option["series"][0]["data"]
    assert bars == [percent_value(row.sales_achievement) for row in reversed(expected)]


def test_receivables_collection_and_ageing_add_up_to_the_engine(year_world):
    team = year_world.teams["north1"]
    board = build(year_world.user("director"), "receivables", "team", team.id)
    row = engine_row(start=period().start, end=period().end, level="team", code="NORTH1")
    collection = board.chart("receivables-collection").table.rows[0]
    assert collection[1:] == [row.ar_opening, row.invoiced, row.collected, row.collection_rate]
    ageing = board.chart("receivables-ageing").table.rows
    # the open balance by age is the engine's closing balance: opening + invoiced − collected
    assert sum(amount for _label, amount in ageing) == row.ar_opening + row.invoiced - row.collected
    assert sum(amount for _label, amount in ageing) > 0


def test_visit_calendar_adds_up_to_the_engine_visits(year_world):
    rep = year_world.people["rep_north2b"]
    board = build(year_world.user("director"), "visits", "person", rep.id)
    row = engine_row(start=period().start, end=period().end, level="person", code=rep.code)
    days = board.chart("visits-calendar").table.rows
    assert sum(count for _day, count in days) == row.visits == 3 * 3
    heat = board.chart("visits-calendar").option["series"][0]["data"]
    assert heat == [[day, count] for day, count in days]
    rhythm = board.chart("visits-rhythm").table.rows[0]
    assert rhythm[1:] == [row.visits, row.workdays, row.visits_per_workday]
    # service calls are not visits (KPI.md, Visits)
    assert row.service_calls == 3


def test_visit_calendar_of_a_day_with_service_only_shows_nothing(year_world):
    board = build(year_world.user("director"), "visits")
    days = dict(board.chart("visits-calendar").table.rows)
    assert all(count > 0 for count in days.values())


def test_product_mix_and_focus_share_are_the_engine_rows(year_world):
    region = year_world.regions["east"]
    board = build(year_world.user("director"), "products", "region", region.id)
    mix = product_mix(user=SYSTEM, start=period().start, end=period().end)
    shown = {("region", "EAST"), ("team", "EAST1"), ("team", "EAST2")}
    expected = [
        [m.name, m.category_name, m.amount, m.share] for m in mix if (m.level, m.code) in shown
    ]
    assert sorted(board.chart("products-mix").table.rows, key=str) == sorted(expected, key=str)
    focus = board.chart("products-focus").table.rows
    row = engine_row(start=period().start, end=period().end, level="region", code="EAST")
    assert focus[0] == [row.name, row.sales, row.focus_share]
    # each unit's stacked shares add up to 100 %
    stacked = board.chart("products-mix").option["series"]
    for index in range(len(stacked[0]["data"])):
        total = sum(series["data"][index] or 0 for series in stacked)
        assert abs(total - 100) <= Decimal("0.02")


def test_customer_breadth_is_the_engine_row(year_world):
    board = build(year_world.user("director"), "customers")
    rows = board.chart("customers-breadth").table.rows
    company = engine_row(start=period().start, end=period().end, level="company", code="")
    assert rows[0][1:] == [
        company.customers,
        company.new_customers,
        company.industries,
        company.prospects_added,
    ]
    assert company.customers == 16 and company.industries == 2


@pytest.mark.parametrize("slug", SLUGS)
def test_a_rep_sees_only_their_own_numbers(year_world, slug):
    rep = year_world.people["rep_east1a"]
    user = year_world.user("rep_east1a")
    board = build(user, slug)
    assert (board.unit.level, board.unit.id) == ("person", rep.id)
    assert board.children == [] and board.breadcrumbs == [board.unit]
    for level, unit_id in [
        ("company", None),
        ("region", year_world.regions["east"].id),
        ("team", year_world.teams["east1"].id),
        ("person", year_world.people["rep_east1b"].id),
    ]:
        with pytest.raises(DashboardNotFound):
            build(user, slug, level, unit_id)


@pytest.mark.parametrize(
    "role,level,key,status",
    [
        ("rep_east1a", "person", "rep_east1a", 200),
        ("rep_east1a", "person", "rep_east1b", 404),
        ("rep_east1a", "team", "east1", 404),
        ("rep_east1a", "company", None, 404),
        ("manager_east1", "team", "east1", 200),
        ("manager_east1", "person", "rep_east1b", 200),
        ("manager_east1", "team", "east2", 404),
        ("manager_east1", "person", "rep_east2a", 404),
        ("manager_east1", "region", "east", 404),
        ("head_east", "region", "east", 200),
        ("head_east", "team", "east2", 200),
        ("head_east", "region", "north", 404),
        ("head_east", "person", "rep_north1a", 404),
        ("director", "person", "rep_north1a", 200),
        ("finance", "company", None, 200),
    ],
)
def test_dashboard_pages_and_data_are_scoped(year_world, role, level, key, status):
    unit = {
        "person": year_world.people,
        "team": year_world.teams,
        "region": year_world.regions,
    }.get(level, {}).get(key)
    query = {"level": level, "year": YEAR} | ({"unit": unit.id} if unit else {})
    client = year_world.client(role)
    for slug in ("achievement", "visits"):
        assert client.get(f"/performance/dashboards/{slug}/", query).status_code == status
        assert client.get(f"/api/v1/dashboards/{slug}", query).status_code == status
        download = query | {"format": "xlsx", "table": f"{slug}-" + (
            "monthly" if slug == "achievement" else "calendar")}  # fmt: skip
        assert client.get(f"/performance/dashboards/{slug}/", download).status_code == status


def test_malformed_parameters_are_not_found(year_world):
    client = year_world.client("director")
    for query in ({"level": "team"}, {"level": "galaxy", "unit": 1}, {"unit": "x"},
                  {"year": "1900"}, {"level": "team", "unit": 999999}):  # fmt: skip
        assert client.get("/performance/dashboards/achievement/", query).status_code == 404
    assert client.get("/performance/dashboards/nothing/").status_code == 404
    assert client.get("/api/v1/dashboards/nothing").status_code == 404


def test_drill_links_go_company_region_team_person(year_world):
    client = year_world.client("director")
    tree = year_world
    page = client.get("/performance/dashboards/achievement/", {"year": YEAR}).content.decode()
    for region in tree.regions.values():
        assert f"level=region&amp;unit={region.id}&amp;year={YEAR}" in page
    east = tree.regions["east"]
    page = client.get(
        "/performance/dashboards/achievement/", {"level": "region", "unit": east.id, "year": YEAR}
    ).content.decode()
    assert f"level=team&amp;unit={tree.teams['east1'].id}" in page
    assert f"level=team&amp;unit={tree.teams['north1'].id}" not in page
    team = tree.teams["east1"]
    page = client.get(
        "/performance/dashboards/achievement/", {"level": "team", "unit": team.id, "year": YEAR}
    ).content.decode()
    for key in ("rep_east1a", "rep_east1b"):
        assert f"level=person&amp;unit={tree.people[key].id}" in page
    # the former rep left the team long ago, the manager is not a rep: neither is drillable
    assert f"unit={tree.people['rep_former'].id}&amp;" not in page
    assert f"unit={tree.people['manager_east1'].id}&amp;" not in page
    # a click on a child's bar drills down too: the chart script gets the same links
    assert 'id="dashboard-drill-links"' in page
    # the breadcrumbs lead back up: company, region, team
    assert 'data-level="company"' in page and 'data-level="region"' in page


def test_a_manager_starts_at_the_team_and_drills_to_its_reps(year_world):
    board = build(year_world.user("manager_east1"), "customers")
    assert (board.unit.level, board.unit.id) == ("team", year_world.teams["east1"].id)
    assert [kid.code for kid in board.children] == ["REP-east1a", "REP-east1b"]
    head = build(year_world.user("head_east"), "customers")
    assert [kid.code for kid in head.children] == ["EAST1", "EAST2"]


def test_trainer_without_figures_gets_an_empty_state(year_world):
    response = year_world.client("trainer").get("/performance/dashboards/achievement/")
    assert response.status_code == 200
    assert b"There are no sales figures for you to see." in response.content


@pytest.mark.parametrize("slug", SLUGS)
def test_pages_render_charts_tables_and_downloads(year_world, slug):
    response = year_world.client("director").get(f"/performance/dashboards/{slug}/")
    page = response.content.decode()
    board = response.context["board"]
    for chart in board.charts:
        assert f'data-chart="{chart.key}"' in page
        assert f'id="chart-data-{chart.key}"' in page
        assert f'data-table="{chart.key}"' in page
        assert f'<caption class="caption-top">{chart.table.caption}</caption>' in page
        assert f"table={chart.key}" in page
    assert "<script>" not in page.replace('<script src="', "")  # no inline JavaScript


def test_pages_render_in_chinese_and_english(year_world):
    client = year_world.client("director")
    url = "/performance/dashboards/achievement/"
    chinese = client.get(url, {"year": YEAR}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert chinese.context["board"].charts[0].payload["locale"] == "ZH"
    assert '<html lang="zh-hans">' in chinese.content.decode()
    english = client.get(url, {"year": YEAR}, HTTP_ACCEPT_LANGUAGE="en")
    payload = english.context["board"].charts[0].payload
    assert payload["locale"] == "EN"
    assert [s["name"] for s in payload["option"]["series"]][:3] == [
        "Sales",
        "Realistic target",
        "Ideal target",
    ]
    assert payload["option"]["xAxis"]["data"][0] == "January 2026"


@pytest.mark.parametrize("slug", SLUGS)
def test_dashboard_pages_use_a_fixed_number_of_queries(org_tree, slug):
    client = org_tree.client("director")
    url = f"/performance/dashboards/{slug}/"
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as empty:
        client.get(url)
    build_year(org_tree)
    with CaptureQueriesContext(connection) as full:
        response = client.get(url)
    assert response.status_code == 200
    assert len(full) == len(empty) <= PAGE_QUERY_BUDGET


def test_excel_download_holds_the_table(year_world, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: today())
    client = year_world.client("director")
    board = build(year_world.user("director"), "achievement")
    response = client.get(
        "/performance/dashboards/achievement/",
        {"year": YEAR, "format": "xlsx", "table": "achievement-monthly"},
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment;" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    table = board.chart("achievement-monthly").table
    assert values[0][0] == table.caption
    assert list(values[1]) == [column.label for column in table.columns]
    for got, expected in zip(values[2:], table.rows, strict=True):
        assert got[0] == expected[0]
        for cell, value in zip(got[1:], expected[1:], strict=True):
            assert (
                (cell is None and value is None)
                or Decimal(str(cell))
                == value.quantize(Decimal("0.01") if value.as_tuple().exponent == -2 else value)
                or abs(Decimal(str(cell)) - value) < Decimal("1e-12")
            )
    assert sheet.cell(row=3, column=2).number_format == "¥#,##0.00"
    assert sheet.cell(row=3, column=5).number_format == "0.00%"
    unknown = client.get(
        "/performance/dashboards/achievement/", {"format": "xlsx", "table": "nope"}
    )
    assert unknown.status_code == 404


def test_api_returns_the_same_numbers_as_the_page(year_world):
    client = year_world.client("manager_east1")
    team = year_world.teams["east1"]
    body = client.get(
        "/api/v1/dashboards/achievement", {"level": "team", "unit": team.id, "year": YEAR}
    ).json()
    board = build(year_world.user("manager_east1"), "achievement", "team", team.id)
    assert body["level"] == "team" and body["unit"] == team.id
    monthly = next(chart for chart in body["charts"] if chart["key"] == "achievement-monthly")
    table = board.chart("achievement-monthly").table
    assert [row[1] for row in monthly["rows"]] == [f"{row[1]:f}" for row in table.rows]
    assert monthly["series"][0]["data"] == [f"{row[1]:f}" for row in table.rows]
    kinds = client.get("/api/v1/dashboards").json()
    assert [kind["slug"] for kind in kinds] == SLUGS


def test_api_operations_are_marked_as_scoped_rows():
    from salesorg.api.routes import api

    paths = api.get_openapi_schema()["paths"]
    assert paths["/api/v1/dashboards/{slug}"]["get"]["x-scoped-rows"] is True
    assert paths["/api/v1/dashboards"]["get"]["x-scoped-rows"] is True


def test_dashboard_period_is_whole_months_to_date():
    assert dashboard_period(year=2026, today=date(2026, 11, 27)) == Period(
        date(2026, 1, 1), date(2026, 11, 30)
    )
    assert dashboard_period(year=2025, today=date(2026, 11, 27)) == Period(
        date(2025, 1, 1), date(2025, 12, 31)
    )


# A running period: marked, compared with the target due to date, drawn as partial -----

MID_JUNE = date(YEAR, 6, 15)  # a Monday: 11 of June's 22 working days have begun


def test_mid_year_the_running_month_is_partial_and_judged_against_its_target_to_date(
    year_world,
):
    director = year_world.user("director")
    with translation.override("en"):
        board = dashboard_build(
            user=director, slug="achievement", level=None, unit_id=None, year=YEAR, today=MID_JUNE
        )
        assert board.heading == "2026 (to 2026-06-15)"
        monthly = board.chart("achievement-monthly")
        june = monthly.table.rows[5]
        assert june[0] == "June 2026 (to day 15)"
    assert monthly.partial == 5 and monthly.payload["partial"] == 5
    whole_june = june[2]
    # the June target due by the 15th is half of it (11 of 22 working days)
    assert june[6] == (whole_june / 2).quantize(Decimal("0.01"))
    assert june[7] == june[1] / june[6]
    # the dash of the target to date stands on June only
    dash = next(s for s in monthly.option["series"] if s["type"] == "scatter")["data"]
    assert dash == [None] * 5 + [june[6]]
    # the header compares year-to-date sales with the year-to-date target, not the whole one
    year_row = engine_row(start=date(YEAR, 1, 1), end=date(YEAR, 6, 30), level="company", code="")
    assert board.to_date.sales_target < year_row.sales_target
    assert board.to_date.sales_achievement > year_row.sales_achievement


def test_mid_year_ranking_goes_by_achievement_against_the_target_to_date(year_world):
    board = dashboard_build(
        user=year_world.user("director"),
        slug="achievement",
        level=None,
        unit_id=None,
        year=YEAR,
        today=MID_JUNE,
    )
    ranking = board.chart("achievement-ranking").table
    to_date_rates = [row[7] for row in ranking.rows]
    assert to_date_rates == sorted(to_date_rates, reverse=True)
    for row in ranking.rows:
        assert row[7] == row[2] / row[6]  # sales against the target due to date


def test_an_ended_year_has_no_partial_month_and_no_to_date_columns(year_world):
    board = build(year_world.user("director"), "achievement")
    monthly = board.chart("achievement-monthly")
    assert monthly.partial is None
    assert len(monthly.table.columns) == 6
    assert not board.progress.running


def test_the_page_marks_a_running_year_provisional(year_world, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: MID_JUNE)
    client = year_world.client("director")
    page = client.get("/performance/dashboards/achievement/", HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert "data-provisional" in text
    assert "2026 (to 2026-06-15)" in text
    assert "Achievement to date" in text and "Whole-period target" in text


def test_mid_year_the_ageing_is_as_of_today_not_the_end_of_the_period(year_world):
    with translation.override("en"):
        board = dashboard_build(
            user=year_world.user("director"),
            slug="receivables",
            level=None,
            unit_id=None,
            year=YEAR,
            today=MID_JUNE,
        )
        assert board.chart("receivables-ageing").table.caption == (
            "Open receivables by age on 2026-06-15"
        )


def test_the_excel_of_a_running_year_names_its_date(year_world, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: MID_JUNE)
    response = year_world.client("director").get(
        "/performance/dashboards/achievement/",
        {"year": YEAR, "format": "xlsx", "table": "achievement-monthly"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    first = next(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert first[1] == "2026 (to 2026-06-15)"


@pytest.mark.parametrize("slug", SLUGS)
def test_every_header_shows_the_units_sales_and_target_of_the_engine(year_world, slug):
    """Dashboards whose charts show no sales still head with the unit's sales, target and
    achievement: the engine's row of that unit, at every level."""
    director = year_world.user("director")
    for level, unit_id, code in units(year_world):
        board = build(director, slug, None if level == "company" else level, unit_id)
        row = engine_row(start=period().start, end=period().end, level=level, code=code)
        assert (board.row.sales, board.row.sales_target, board.row.sales_achievement) == (
            row.sales,
            row.sales_target,
            row.sales_achievement,
        ), (slug, level)
        assert board.row.sales is not None


def test_table_cells_do_not_break_unit_names_on_a_phone(year_world):
    """At 390 px the tables scroll sideways: a unit name (华东大区) or a heading (单位) broken
    one character per line was hard to read."""
    import re

    page = year_world.client("director").get("/performance/dashboards/receivables/")
    html = page.content.decode()
    for cell in re.findall(r'<th scope="(?:row|col)"[^>]*>', html):
        assert "text-nowrap" in cell, cell
