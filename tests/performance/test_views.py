"""The indicator screen at /performance/kpi/: period, level, sorting, downloads, scope."""

import csv
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import CustomerFactory, OrderLineFactory, login_for

pytestmark = pytest.mark.django_db

URL = "/performance/kpi/"
JAN = {"from": "2026-01-01", "to": "2026-01-31"}


@pytest.fixture
def director(world):
    """A superuser's browser on the hand-built January (sees every row)."""
    user = login_for(world.people["M"])
    user.is_superuser = True
    user.save()
    client = Client()
    client.force_login(user)
    return client


def codes_in_order(html: str) -> list[str]:
    """The codes of the table's rows top to bottom ("—" for the company)."""
    body = html.split("<tbody>")[1]
    return [code or "—" for code in re.findall(r'<tr [^>]*data-code="([^"]*)"', body)]


def test_the_url_is_named():
    assert reverse("performance:kpi") == URL


def test_anonymous_users_are_sent_to_login(db):
    response = Client().get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_screen_shows_formatted_values_and_dashes_for_nulls(director):
    response = director.get(URL, JAN)
    assert response.status_code == 200
    html = response.content.decode()
    assert "¥1,700.50" in html  # money filter
    assert "85.03%" in html  # A's sales achievement 0.85025 as a percentage
    assert 'data-column="sales_target">—</td>' in html  # C has no target
    assert "This quarter" in html and "whole months" not in html


def test_the_default_period_is_this_month(director):
    response = director.get(URL)
    assert response.status_code == 200
    assert response.context["table"].period.start.day == 1


def test_sorting_by_a_column_both_ways_with_nulls_last(director):
    by_sales = codes_in_order(director.get(URL, JAN | {"sort": "-sales"}).content.decode())
    assert by_sales[:3] == ["—", "R1", "T1"]  # company 2550.50, R1 2500.50, T1 2100.50
    ascending = codes_in_order(director.get(URL, JAN | {"sort": "sales_target"}).content.decode())
    assert ascending[0] == "D"  # 700.00 is the smallest target
    # Rows without a target (C, E, T3, R2) come last in both directions.
    descending = codes_in_order(director.get(URL, JAN | {"sort": "-sales_target"}).content.decode())
    assert set(ascending[-4:]) == set(descending[-4:]) == {"C", "E", "T3", "R2"}


def test_csv_download_is_what_is_on_screen(director):
    response = director.get(URL, JAN | {"level": "team", "sort": "-sales", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["code"] for row in rows] == ["T1", "T2", "T3"]
    assert rows[0]["sales"] == "2100.50" and rows[2]["visits_per_workday"] == ""


def test_xlsx_download_has_decimal_cells_and_empty_nulls(director):
    response = director.get(URL, JAN | {"level": "person", "format": "xlsx"})
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["Level", "Code", "Name", "Sales"]
    a = [cell.value for cell in sheet[2]]
    assert a[1] == "A" and Decimal(str(a[3])) == Decimal("1700.50")
    c = [cell.value for cell in sheet[4]]
    assert c[1] == "C" and c[header.index("Sales target")] is None
    assert sheet.max_row == 1 + 5


def test_a_period_that_is_not_whole_months_says_why_targets_are_empty(director):
    html = director.get(URL, {"from": "2026-01-01", "to": "2026-01-20"}).content.decode()
    assert "whole months" in html


def test_bad_dates_show_the_form_error_and_no_table(director):
    response = director.get(URL, {"from": "2026-02-01", "to": "2026-01-01"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "The end date cannot be before the start date." in html
    assert 'id="kpi-table"' not in html


def test_a_rep_sees_only_their_own_row(org_tree):
    rep = org_tree.people["rep_east1a"]
    OrderLineFactory(
        order__rep=rep,
        order__customer=CustomerFactory(owner=rep),
        order__order_date=date(2026, 1, 9),
    )
    html = org_tree.client("rep_east1a").get(URL, JAN).content.decode()
    assert codes_in_order(html) == ["REP-east1a"]
    manager = org_tree.client("manager_east1").get(URL, JAN | {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(manager.content.decode("utf-8-sig"))))
    assert {(row["level"], row["code"]) for row in rows} == {
        ("person", "REP-east1a"),
        ("person", "REP-east1b"),
        ("team", "EAST1"),
    }


def test_an_empty_table_shows_the_empty_state(org_tree):
    html = org_tree.client("trainer").get(URL, JAN).content.decode()
    assert 'id="kpi-table"' not in html
    assert "There are no indicator rows" in html


def test_the_company_comes_first_then_the_tree(director):
    html = director.get(URL, JAN).content.decode()
    # Each region is followed by its teams, each team by its people (B under T2, its
    # last team in January); E, a rep without a team, comes after the tree.
    assert codes_in_order(html) == ["—", "R1", "T1", "A", "T2", "B", "C", "D", "R2", "T3", "E"]
    reversed_ = codes_in_order(director.get(URL, JAN | {"sort": "-level"}).content.decode())
    assert reversed_[-1] == "—"


def test_columns_are_grouped_under_group_headers_and_the_unit_column_is_frozen(director):
    html = director.get(URL, JAN).content.decode()
    headers = re.findall(r'data-group-header="(\w+)"[^>]*>([^<]+)</th>', html)
    assert [name for name, _label in headers] == [
        "sales",
        "margin",
        "receivables",
        "activity",
        "customers",
        "expenses",
    ]
    assert [label for _name, label in headers][:2] == ["Sales", "Margin"]
    body = html.split("<tbody>")[1]
    assert body.count('<th scope="row" class="kpi-unit') == 11  # every row's unit is frozen
    assert "kpi_table.css" in html and "kpi_table.js" in html


def test_the_column_chooser_offers_every_group_and_column_with_a_default_subset(director):
    from salesorg.performance.choices import COLUMNS
    from salesorg.performance.kpi.columns import COLUMN_GROUPS, DEFAULT_COLUMNS

    html = director.get(URL, JAN).content.decode()
    assert 'id="kpi-column-chooser"' in html and "data-storage-key=" in html
    assert len(re.findall(r"data-group-toggle=", html)) == len(COLUMN_GROUPS)
    toggles = {
        re.search(r'value="(\w+)"', tag)[1]: " checked" in tag
        for tag in re.findall(r"<input[^>]*data-column-toggle[^>]*>", html)
    }
    assert sorted(toggles) == sorted(c.name for c in COLUMNS)
    assert {name for name, checked in toggles.items() if checked} == DEFAULT_COLUMNS
    assert 4 < len(DEFAULT_COLUMNS) < len(COLUMNS)
    # A column outside the default is in the page but hidden until chosen.
    assert 'class="text-end d-none" data-column="service_calls"' in html
    chosen = director.get(URL, JAN | {"cols": "service_calls,sales"}).content.decode()
    assert 'class="text-end" data-column="service_calls"' in chosen
    assert 'class="text-end d-none" data-column="collection_rate"' in chosen


def test_downloads_have_the_columns_chosen_on_screen(director):
    chosen = JAN | {"level": "team", "cols": "collection_rate,sales,bogus"}
    response = director.get(URL, chosen | {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert list(rows[0]) == ["level", "code", "name", "sales", "collection_rate"]
    sheet = load_workbook(io.BytesIO(director.get(URL, chosen | {"format": "xlsx"}).content)).active
    header = [cell.value for cell in sheet[1]]
    assert header == ["Level", "Code", "Name", "Sales", "Collection rate"]
