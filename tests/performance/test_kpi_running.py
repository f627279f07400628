"""The indicator screen on a period that has not ended: marked, and judged to date."""

import io
from datetime import date

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tests.performance.scorecard_helpers import sell, target

pytestmark = pytest.mark.django_db

MID_DECEMBER = date(2026, 12, 8)  # 6 of December's 23 working days have begun


@pytest.fixture
def december(org_tree, monkeypatch):
    """East-1a: 690 sold of a 2300 December target (30% of the month, 115% to date)."""
    rep = org_tree.people["rep_east1a"]
    target(rep, realistic="2300", month=12)
    sell(rep, amount="690", day=date(2026, 12, 3))
    monkeypatch.setattr(timezone, "localdate", lambda *args: MID_DECEMBER)
    return org_tree


def rep_row(page, code):
    text = page.content.decode()
    start = text.index(f'data-code="{code}"')
    return text[start : text.index("</tr>", start)]


def test_a_running_month_is_marked_and_each_achievement_has_its_figure_to_date(december):
    client = december.client("director")
    page = client.get("/performance/kpi/", {"level": "person"}, HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert "data-provisional" in text
    assert "December 2026 (to day 8)" in text and "6 of 23 working days" in text
    row = rep_row(page, "REP-east1a")
    # the engine's whole-month figures stay, with the figures due to date beneath them
    assert "30.00%" in row
    assert "to date ¥600.00" in row and "to date 115.00%" in row


def test_an_ended_month_has_no_figures_to_date(december):
    client = december.client("director")
    page = client.get(
        "/performance/kpi/",
        {"from": "2026-11-01", "to": "2026-11-30", "level": "person"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "data-provisional" not in page.content.decode()
    assert "data-to-date" not in page.content.decode()


def test_the_excel_of_a_running_month_adds_the_columns_to_date(december):
    client = december.client("director")
    response = client.get(
        "/performance/kpi/", {"level": "person", "format": "xlsx"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    header = list(rows[0])
    assert header[-4:] == [
        "Sales target to date",
        "Sales achievement to date",
        "Gross margin target to date",
        "Gross margin achievement to date",
    ]
    rep = next(row for row in rows if row[1] == "REP-east1a")
    assert rep[-4] == 600 and float(rep[-3]) == pytest.approx(1.15)


def test_the_csv_of_a_running_month_with_chosen_columns_keeps_the_kpi_format(december):
    client = december.client("director")
    response = client.get(
        "/performance/kpi/",
        {"level": "person", "format": "csv", "cols": "sales,sales_achievement"},
    )
    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "level,code,name,sales,sales_achievement"
