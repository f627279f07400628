"""Dashboards in a real browser: a director drills down, a rep sees only themselves on a phone.

The numbers are read from the ECharts instances (echarts.getInstanceByDom) and compared
with the indicator engine and the KPI screen. Screenshots of every dashboard at desktop
(1280 px) and phone (390 px) width go to tests/e2e/screenshots/ (git-ignored).
"""

import re
from decimal import Decimal
from pathlib import Path

import pytest

from salesorg.core.scoping import SYSTEM
from salesorg.performance.charts.tables import DASHBOARDS
from salesorg.performance.kpi.indicators import indicator_table
from salesorg.performance.kpi.periods import month_end
from salesorg.performance.selectors.dashboards import dashboard_period
from tests.performance.dashboard_world import YEAR, build_year

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = Path(__file__).parent / "screenshots"
CENT = Decimal("0.01")

SERIES = """key => {
  const element = document.querySelector(`[data-chart="${key}"]`);
  const chart = window.echarts.getInstanceByDom(element);
  return chart.getOption().series.map((series) => series.data);
}"""


def login(page, live_server, code):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", code)
    page.fill("#id_password", "pw-for-tests-1")
    page.click("#main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def open_dashboard(page, url):
    page.goto(url)
    page.wait_for_function("document.documentElement.dataset.chartsReady !== undefined")
    assert int(page.evaluate("document.documentElement.dataset.chartsReady")) >= 1


def series(page, key):
    return page.evaluate(SERIES, key)


_TABLES: dict = {}


def engine_row(start, end, level, code):
    """The engine's row of a unit (each period's table computed once per test run)."""
    if (start, end) not in _TABLES:
        _TABLES[(start, end)] = indicator_table(user=SYSTEM, start=start, end=end).rows
    return next(row for row in _TABLES[(start, end)] if (row.level, row.code) == (level, code))


def as_cents(value) -> Decimal:
    if isinstance(value, dict):  # the running month's bar carries its partial style
        value = value["value"]
    return Decimal(str(value)).quantize(CENT)


def assert_monthly_chart_is_the_engine(page, period, level, code):
    """Each month's sales bar and target lines equal the engine's table for that month."""
    # A running month adds a fourth series, its target due to date (a dash on that bar only).
    sales, realistic, ideal = series(page, "achievement-monthly")[:3]
    for index, (year, month) in enumerate(period.months()):
        row = engine_row(
            start=period.start.replace(month=month), end=month_end(year=year, month=month),
            level=level, code=code,
        )  # fmt: skip
        assert as_cents(sales[index]) == row.sales, (level, month)
        expected = (row.sales_target, row.sales_target_ideal)
        got = tuple(
            None if v in (None, "-") else as_cents(v) for v in (realistic[index], ideal[index])
        )
        assert got == expected, (level, month)


def screenshot(page, name):
    """The whole page's height at the viewport's width."""
    SCREENSHOTS.mkdir(exist_ok=True)
    width = page.viewport_size["width"]
    height = page.evaluate("document.documentElement.scrollHeight")
    page.screenshot(
        path=str(SCREENSHOTS / f"{name}.png"),
        full_page=True,
        clip={"x": 0, "y": 0, "width": width, "height": height},
    )


def test_director_drills_down_and_charts_match_the_indicator_table(live_server, org_tree, browser):
    _TABLES.clear()
    build_year(org_tree)
    from django.utils import timezone

    period = dashboard_period(year=YEAR, today=timezone.localdate())
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    login(page, live_server, "DIR")
    base = f"{live_server.url}/performance/dashboards"

    # every dashboard opens at company level; screenshots at desktop and phone width
    for kind in DASHBOARDS:
        open_dashboard(page, f"{base}/{kind.slug}/?year={YEAR}")
        assert page.locator("#dashboard-title").get_attribute("data-level") == "company"
        screenshot(page, f"director-{kind.slug}-desktop")
        page.set_viewport_size({"width": 390, "height": 844})
        page.wait_for_timeout(150)  # the resize handler redraws the charts
        screenshot(page, f"director-{kind.slug}-phone")
        page.set_viewport_size({"width": 1280, "height": 900})

    # a long table (one row per day with visits) scrolls inside its card: the visits page
    # was a day per line, thousands of pixels tall, under its calendar
    open_dashboard(page, f"{base}/visits/?year={YEAR}")
    days = page.locator('[data-table="visits-calendar"] tbody tr').count()
    box = page.locator('.dashboard-table:has([data-table="visits-calendar"])').bounding_box()
    assert days > 15 and box is not None and box["height"] <= 420, (days, box)

    # the customers chart equals the KPI screen's company row
    open_dashboard(page, f"{base}/customers/?year={YEAR}")
    customers, new_customers, industries = series(page, "customers-breadth")
    page.goto(
        f"{live_server.url}/performance/kpi/?from={period.start}&to={period.end}&level=company"
    )
    kpi = page.locator("#kpi-table tbody tr").first
    assert int(kpi.locator("[data-column=customers]").inner_text()) == customers[0]
    assert int(kpi.locator("[data-column=new_customers]").inner_text()) == new_customers[0]
    assert int(kpi.locator("[data-column=industries]").inner_text()) == industries[0]

    # the ranking's achievements equal the KPI screen's region rows
    open_dashboard(page, f"{base}/achievement/?year={YEAR}")
    names = page.evaluate(
        """() => window.echarts.getInstanceByDom(
            document.querySelector('[data-chart="achievement-ranking"]')
        ).getOption().yAxis[0].data"""
    )
    ranking = dict(zip(names, series(page, "achievement-ranking")[0], strict=True))
    page.goto(
        f"{live_server.url}/performance/kpi/?from={period.start}&to={period.end}&level=region"
    )
    for row in page.locator("#kpi-table tbody tr").all():
        name = row.locator(".kpi-name").inner_text()
        # The ranking of a running year goes by achievement to date: the cell's last figure
        # (the engine's whole-period figure stands above it).
        cell = row.locator("[data-column=sales_achievement]").inner_text()
        shown = re.findall(r"[\d,]+\.\d+", cell)[-1]
        assert Decimal(shown.replace(",", "")) == as_cents(ranking[name])

    # click through company → region → team → person; each level's chart is the engine's
    open_dashboard(page, f"{base}/achievement/?year={YEAR}")
    assert_monthly_chart_is_the_engine(page, period, "company", "")
    steps = [
        ("region", org_tree.regions["east"]),
        ("team", org_tree.teams["east1"]),
        ("person", org_tree.people["rep_east1a"]),
    ]
    for level, unit in steps:
        page.click(f'#dashboard-drill a[data-level="{level}"][data-unit="{unit.id}"]')
        page.wait_for_function(
            f"document.querySelector('#dashboard-title').dataset.level === '{level}'"
        )
        page.wait_for_function("document.documentElement.dataset.chartsReady !== undefined")
        assert_monthly_chart_is_the_engine(page, period, level, unit.code)
        cumulative = series(page, "achievement-cumulative")[0]
        assert (
            as_cents(cumulative[-1]) == engine_row(period.start, period.end, level, unit.code).sales
        )
    assert page.locator("#dashboard-breadcrumbs a").count() == 3  # company, region, team
    context.close()


def test_rep_sees_only_their_own_dashboards_on_a_phone(live_server, org_tree, phone):
    _TABLES.clear()
    build_year(org_tree)
    from django.utils import timezone

    period = dashboard_period(year=YEAR, today=timezone.localdate())
    rep = org_tree.people["rep_north1b"]
    login(phone, live_server, rep.code)
    base = f"{live_server.url}/performance/dashboards"
    for kind in DASHBOARDS:
        open_dashboard(phone, f"{base}/{kind.slug}/?year={YEAR}")
        assert phone.locator("#dashboard-title").get_attribute("data-unit") == str(rep.id)
        assert phone.locator("#dashboard-drill").count() == 0
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(phone, f"rep-{kind.slug}-phone")
    open_dashboard(phone, f"{base}/visits/?year={YEAR}")
    heat = series(phone, "visits-calendar")[0]
    row = engine_row(period.start, period.end, "person", rep.code)
    assert sum(value[1] for value in heat) == row.visits
    open_dashboard(phone, f"{base}/achievement/?year={YEAR}")
    assert_monthly_chart_is_the_engine(phone, period, "person", rep.code)
    # another rep's dashboard is not found
    other = org_tree.people["rep_north1a"]
    response = phone.goto(f"{base}/achievement/?level=person&unit={other.id}")
    assert response.status == 404
