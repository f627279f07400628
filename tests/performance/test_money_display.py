"""Scorecard bonuses read ¥1,500.00 on the page and in Excel, never a bare 1500.00."""

from io import BytesIO

from openpyxl import load_workbook

from salesorg.performance.services.scorecards import scorecards_compute
from tests.performance.test_scorecards import JAN, card, january  # noqa: F401 (fixture)
from tests.performance.test_views import JAN as JANUARY
from tests.performance.test_views import URL as KPI_URL
from tests.performance.test_views import director  # noqa: F401 (fixture)


def test_bonus_is_grouped_yuan_on_the_period_page_the_card_and_in_excel(january):  # noqa: F811
    period = scorecards_compute(actor=january.user("director"), kind="month", start=JAN)
    client = january.client("manager_east1")
    table = client.get(period.get_absolute_url()).content.decode()
    assert "¥1,500.00" in table and "¥1500.00" not in table
    detail = client.get(card(january, "rep_east1b", period).get_absolute_url()).content.decode()
    assert "¥1,500.00" in detail
    sheet = load_workbook(BytesIO(client.get(period.get_absolute_url() + "?format=xlsx").content))
    bonus = sheet.active.cell(row=2, column=8)
    assert bonus.value == 1500 and bonus.number_format == "¥#,##0.00"


def test_kpi_excel_money_cells_are_numbers_that_read_as_grouped_yuan(director):  # noqa: F811
    response = director.get(KPI_URL, JANUARY | {"level": "person", "format": "xlsx"})
    sheet = load_workbook(BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    sales = sheet.cell(row=2, column=header.index("Sales") + 1)
    assert sales.number_format == "¥#,##0.00" and not isinstance(sales.value, str)
