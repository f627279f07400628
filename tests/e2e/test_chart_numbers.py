"""Chart numbers in a real browser: a money axis reads 万 in Chinese, the tooltip the exact ¥."""

import pytest

from tests.e2e.test_dashboards import login, open_dashboard
from tests.performance.dashboard_world import YEAR, build_year

pytestmark = pytest.mark.django_db(transaction=True)

FORMATTERS = """key => {
  const chart = window.echarts.getInstanceByDom(document.querySelector(`[data-chart="${key}"]`));
  const option = chart.getOption();
  const axis = option.yAxis.find((item) => item.type === "value");
  return [axis.axisLabel.formatter(65508983.64), option.tooltip[0].valueFormatter(65508983.64)];
}"""


@pytest.mark.parametrize(
    ("locale", "axis", "tooltip"),
    [("zh-CN", "¥6,550.90万", "¥65,508,983.64"), ("en-US", "¥65.51M", "¥65,508,983.64")],
)
def test_money_axis_is_short_and_the_tooltip_exact(
    live_server, org_tree, browser, locale, axis, tooltip
):
    build_year(org_tree)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=locale)
    page = context.new_page()
    login(page, live_server, "DIR")
    open_dashboard(page, f"{live_server.url}/performance/dashboards/achievement/?year={YEAR}")
    assert page.evaluate(FORMATTERS, "achievement-monthly") == [axis, tooltip]
    context.close()
