"""Well-formed quoted CSV (RFC 4180, as export writes text with commas) keeps the staged fast
path on PostgreSQL and on SQLite, with the same rows, history and problems as the Python path
(#19 point 3).
"""

import pytest

from salesorg.interchange import raw_cells
from salesorg.interchange.exporter import interchange_export
from salesorg.interchange.importer import interchange_import
from salesorg.sales.models import Expense, Visit
from tests.interchange.test_staged import FACT_FILES, PLAIN, _both, _folder, _same

pytestmark = pytest.mark.django_db

# What export writes for texts holding commas, quotes or blanks, and codes quoted by a
# spreadsheet that quotes every cell.
QUOTED = {
    "visits": PLAIN["visits.csv"]
    .replace("产品介绍,", '"产品介绍, 演示",')
    .replace("签约意向", '"说 ""签约意向"", 下月付款"'),
    "expenses": PLAIN["expenses.csv"]
    .replace("E-1,REP-E1A,2024-01-05,差旅,356.80", '"E-1","REP-E1A","2024-01-05","差旅","356.80"')
    .replace("招待,", '"招待, 晚餐",'),
    "orders": PLAIN["orders.csv"].replace(",cancelled", ',"cancelled"'),
    "payments": PLAIN["payments.csv"].replace("PM-3,I-2,", 'PM-3,"I-2",'),
}


def test_well_formed_quoted_fields_take_the_staged_path_with_the_same_rows(tmp_path, monkeypatch):
    # given fact files with quoted cells: texts with commas and quotes, quoted codes and dates
    folder = _folder(tmp_path, **QUOTED)
    # when it is imported on each path
    python, fast = _both(folder, monkeypatch)
    # then every fact file was staged, and the rows and history are those of the Python path
    assert python["ok"]
    assert fast["staged"] == FACT_FILES
    _same(python, fast)
    purposes = python["database"]["Visit"]
    assert any("产品介绍, 演示" in row for row in purposes)
    assert any('说 "签约意向", 下月付款' in row for row in purposes)


def _replace(name: str, old: str, new: str) -> dict[str, str]:
    text = PLAIN[f"{name}.csv"]
    assert old in text
    return {name: text.replace(old, new, 1)}


# Quoted cells that Python reads differently from a plain cell, or that PostgreSQL's CSV
# parser could split differently from Python's: each must end as on the Python path.
CASES = {
    "quoted empty required cell": _replace("payments", "PM-3,I-2,", 'PM-3,"",'),
    "quoted empty optional cell": _replace("invoices", "O-1001,", '"",'),
    "quoted blank cell": _replace("invoices", "O-1001,", '" ",'),
    "quoted leading space in a code": _replace("orders", "O-1002,", '" O-1002",'),
    "quoted trailing space in an amount": _replace("expenses", "356.80", '"356.80 "'),
    "quoted ideographic space in a text": _replace("expenses", "差旅", '"差旅\u3000"'),
    "quoted line break at a text's end": _replace("expenses", "差旅", '"差旅\n"'),
    "quoted tab at a text's start": _replace("expenses", "差旅", '"\t差旅"'),
    "quote inside a plain cell": _replace("expenses", "差旅", '差"旅'),
    "quote closing before more text": _replace("expenses", "差旅", '"差"旅'),
    "quoted comma in a code": _replace("expenses", "E-2,", '"E,2",'),
    "quoted comma in a date": _replace("expenses", "2024-01-05", '"2024-01-05,"'),
    "unclosed quote": _replace("expenses", "差旅", '"差旅'),
    "unclosed quote at the end": {"expenses": PLAIN["expenses.csv"] + '"E-3'},
    "doubled quotes only": _replace("expenses", "差旅", '""""'),
    "quoted end of copy marker": _replace("orders", "\nO-1002", '\n"\\."\nO-1002'),
    "quoted header": _replace("expenses", "code,", '"code",'),
    "quoted windows line ends": {
        "expenses": QUOTED["expenses"].replace("\n", "\r\n"),
    },
    "quoted cell without a line end at the end": {"expenses": QUOTED["expenses"].rstrip("\n")},
    "quoted NUL": _replace("expenses", "差旅", '"差\x00旅"'),
    "quoted text too long": _replace("expenses", "招待", '"' + "招," * 50 + '"'),
}


@pytest.mark.parametrize("case", CASES)
def test_an_unusual_quoted_cell_gives_the_same_outcome_on_both_paths(case, tmp_path, monkeypatch):
    # given a folder with one unusual quoted cell (or quote)
    folder = _folder(tmp_path, **CASES[case])
    # when it is imported on each path
    python, fast = _both(folder, monkeypatch)
    # then the outcome is the same: the same problems by line, or the same rows
    _same(python, fast)


def test_an_export_of_texts_with_commas_and_quotes_imports_back_the_same(tmp_path):
    # given a folder with quoted texts imported, and exported again
    assert interchange_import(folder=_folder(tmp_path / "in", **QUOTED)).ok
    before = sorted(Visit.objects.values_list("code", "purpose", "outcome"))
    expenses = sorted(Expense.objects.values_list("code", "category"))
    out = tmp_path / "out"
    interchange_export(folder=out)
    assert '"产品介绍, 演示"' in (out / "visits.csv").read_text()
    # when the export is imported into the same database
    again = interchange_import(folder=out)
    # then nothing changed
    assert again.ok
    assert all(report.updated == report.created == 0 for report in again.files.values())
    assert sorted(Visit.objects.values_list("code", "purpose", "outcome")) == before
    assert sorted(Expense.objects.values_list("code", "category")) == expenses


def test_the_listed_whitespace_is_what_python_strips_from_a_cell():
    # the staged path refuses cells with whitespace at an edge, which Python strips
    everything = map(chr, range(0x110000))
    spaces = "".join(c for c in everything if c.isspace() and c not in "\r\n")
    assert spaces == raw_cells.CELL_WHITESPACE
