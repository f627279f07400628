"""Amounts in the customers' Excel exports stay numbers and read ¥1,234,567.50 in Excel."""

from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook

from tests.factories import CustomerFactory


def test_credit_limit_is_a_number_formatted_as_yuan_with_grouping(org_tree):
    rep = org_tree.people["rep_east1a"]
    CustomerFactory(code="C-BIG", owner=rep, credit_limit=Decimal("1234567.50"))
    export = org_tree.client("rep_east1a").get("/customers/", {"format": "xlsx"})
    sheet = load_workbook(BytesIO(export.content)).active
    credit_limit_column = 7  # code, name, industry, region, owner, created, credit limit
    cell = sheet.cell(row=2, column=credit_limit_column)
    assert Decimal(str(cell.value)) == Decimal("1234567.50")
    assert cell.number_format == "¥#,##0.00"
    # the code column is text, untouched
    assert sheet.cell(row=2, column=1).number_format == "General"
