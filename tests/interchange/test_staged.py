"""The staged fast path (PostgreSQL and SQLite): the same rows, history and problems as the
Python path."""

import codecs
import importlib.util
from pathlib import Path

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salesorg.interchange import staged, staged_sqlite
from salesorg.interchange.bulkindex import SuspendedIndexes
from salesorg.interchange.files import FILES_BY_NAME
from salesorg.interchange.importer import interchange_import
from tests.interchange.sample import SAMPLE, write_folder

pytestmark = pytest.mark.django_db

FACT_FILES = ["orders", "order_lines", "invoices", "payments", "visits", "expenses"]
FACT_MODELS = [FILES_BY_NAME[name].model for name in FACT_FILES]
# The sample without its one quoted cell, so that every fact file can take the staged path.
PLAIN = {
    **SAMPLE,
    "visits.csv": SAMPLE["visits.csv"].replace('"客户有兴趣，\n下周再访"', "客户有兴趣"),
}
GENERATE = Path(__file__).resolve().parents[2] / "bench" / "generate.py"
STAGED_IMPORT = staged.import_file


def _dump(model) -> list[str]:
    """The rows of a table as comparable texts: references by code, ids and import time left out."""
    names = []
    for field in model._meta.concrete_fields:
        if field.name in ("id", "history_id", "history_date"):
            continue
        related = field.related_model
        if related is not None and any(f.name == "code" for f in related._meta.fields):
            names.append(f"{field.name}__code")
        else:
            names.append(field.attname)
    return sorted(repr(row) for row in model._base_manager.values_list(*names))


def _database() -> dict[str, list[str]]:
    state = {}
    for model in FACT_MODELS:
        state[model.__name__] = _dump(model)
        state[f"history of {model.__name__}"] = _dump(model.history.model)
    return state


def _import(folder: Path, *, fast: bool, monkeypatch) -> dict:
    """Import with or without the staged path: what the user sees, and what was written."""
    taken: list[str] = []

    def spy(**kwargs):
        done = STAGED_IMPORT(**kwargs)
        if done:
            taken.append(kwargs["spec"].name)
        return done

    monkeypatch.setattr(staged, "STAGED", fast)
    monkeypatch.setattr(staged, "import_file", spy)
    result = interchange_import(folder=folder)
    return {
        "ok": result.ok,
        "problems": [(p.file, p.line, p.column, p.reason) for p in result.problems],
        "problem_count": result.problem_count,
        "files": {name: vars(report) for name, report in result.files.items()},
        "database": _database(),
        "staged": taken,
    }


def _both(folder: Path, monkeypatch, *, before: list[Path] = ()) -> tuple[dict, dict]:
    """Import a folder on each path (after `before` folders), each time rolled back after."""
    outcomes = []
    for fast in (False, True):
        with transaction.atomic():
            for earlier in before:
                assert _import(earlier, fast=fast, monkeypatch=monkeypatch)["ok"]
            outcomes.append(_import(folder, fast=fast, monkeypatch=monkeypatch))
            transaction.set_rollback(True)
    python, fast = outcomes
    return python, fast


def _same(python: dict, fast: dict) -> None:
    assert python["staged"] == []
    for key in ("ok", "problems", "problem_count", "files", "database"):
        assert fast[key] == python[key], key


def _folder(path: Path, **changes: str) -> Path:
    files = dict(PLAIN)
    files.update({f"{name}.csv": text for name, text in changes.items()})
    return write_folder(path, files)


def _generate():
    spec = importlib.util.spec_from_file_location("bench_generate", GENERATE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- valid folders ---------------------------------------------------------------------------


def test_a_valid_folder_is_written_set_based_with_the_same_rows_and_history(tmp_path, monkeypatch):
    # given a valid folder whose fact files hold no quotes
    folder = _folder(tmp_path)
    # when it is imported on each path
    python, fast = _both(folder, monkeypatch)
    # then every fact file took the staged path and the database is the same
    assert fast["staged"] == FACT_FILES
    assert python["ok"] and python["database"]["Order"]
    _same(python, fast)


def test_a_quoted_file_takes_the_python_path_and_the_rest_the_staged_one(tmp_path, monkeypatch):
    # given the sample, whose visits.csv holds a quoted cell with a line break
    folder = write_folder(tmp_path, SAMPLE)
    # when it is imported on each path
    python, fast = _both(folder, monkeypatch)
    # then only visits.csv was left to Python, with the same outcome
    assert fast["staged"] == [name for name in FACT_FILES if name != "visits"]
    _same(python, fast)


def test_the_benchmark_company_and_its_next_day_import_alike(tmp_path, monkeypatch):
    # given a generated company and one more day of facts, with payments on stored invoices
    module = _generate()
    year, day = tmp_path / "year", tmp_path / "day"
    module.generate(reps=1, seed=5, out=year)
    module.generate_next_day(reps=1, seed=5, out=day)
    # when the year is imported on each path, then the day on top of it
    python, fast = _both(year, monkeypatch)
    _same(python, fast)
    assert fast["staged"] == FACT_FILES
    python, fast = _both(day, monkeypatch, before=[year])
    # then both give the same database
    assert fast["staged"] == FACT_FILES
    _same(python, fast)


def test_importing_the_same_folder_again_changes_nothing(tmp_path, monkeypatch):
    # given a folder imported on the staged path
    folder = _folder(tmp_path)
    with transaction.atomic():
        first = _import(folder, fast=True, monkeypatch=monkeypatch)
        # when it is imported again
        again = _import(folder, fast=True, monkeypatch=monkeypatch)
        transaction.set_rollback(True)
    # then its stored codes send every file to Python, which finds nothing changed
    assert first["staged"] == FACT_FILES and again["staged"] == []
    assert again["ok"] and again["database"] == first["database"]
    assert all(report["created"] == report["updated"] == 0 for report in again["files"].values())


# -- bad and unusual cells -------------------------------------------------------------------


def _replace(name: str, old: str, new: str) -> dict[str, str]:
    text = PLAIN[f"{name}.csv"]
    assert old in text
    return {name: text.replace(old, new, 1)}


CASES = {
    "malformed date": _replace("orders", "2024-01-10", "2024-1-10"),
    "impossible date": _replace("orders", "2024-02-05", "2024-02-30"),
    "year zero": _replace("expenses", "2024-01-05", "0000-01-05"),
    "three decimals": _replace("order_lines", "25600.00", "25600.001"),
    "negative amount": _replace("payments", "5000.00", "-5000.00"),
    "negative zero": _replace("payments", "5000.00", "-0.00"),
    "not a number": _replace("expenses", "356.80", "NaN"),
    "exponent": _replace("expenses", "356.80", "3e2"),
    "money without decimals": _replace("expenses", "356.80", "356"),
    "money with leading zeros": _replace("expenses", "356.80", "0356.80"),
    "quantity with trailing zeros": _replace("order_lines", ",10.5,", ",10.5000,"),
    "negative quantity": _replace("order_lines", ",10.5,", ",-10.5,"),
    "five decimals": _replace("order_lines", ",0.125,", ",0.12345,"),
    "line number zero": _replace("order_lines", "O-1003,1,", "O-1003,0,"),
    "line number with a sign": _replace("order_lines", "O-1003,1,", "O-1003,+1,"),
    "line number too large": _replace("order_lines", "O-1003,1,", "O-1003,2147483648,"),
    "unknown customer": _replace("orders", "C-002,", "C-999,"),
    "unknown optional order": _replace("invoices", "O-1001,", "O-9999,"),
    "unknown coach": _replace("visits", "MGR-E1", "MGR-X"),
    "unknown status": _replace("orders", "cancelled", "open"),
    "status in capitals": _replace("orders", "cancelled", "Cancelled"),
    "duplicate code": _replace("orders", "O-1003", "O-1002"),
    "duplicate order line": _replace("order_lines", "O-1003,2,", "O-1003,1,"),
    "code too long": _replace("expenses", "E-2", "E" * 65),
    "text too long": _replace("expenses", "招待", "招" * 101),
    "joint visit without coach": _replace("visits", "joint,MGR-E1", "joint,"),
    "due date before invoice date": _replace("invoices", "2024-04-04", "2024-03-04"),
    "payment before invoice": _replace("payments", "2024-03-30", "2024-03-01"),
    "overpaid invoice": _replace("payments", "9280.25", "9280.26"),
    "missing required value": _replace("payments", "PM-3,I-2", "PM-3,"),
    "leading space in a code": _replace("orders", "O-1002", " O-1002"),
    "trailing space in an amount": _replace("expenses", "356.80", "356.80 "),
    "ideographic space in text": _replace("expenses", "差旅", "差旅\u3000"),
    "space inside a text": _replace("expenses", "差旅", "差 旅"),
    "NUL in a text": _replace("visits", "设备维护", "设备\x00维护"),  # #21 F6, F11
    "NUL in a code": _replace("payments", "PM-3,", "PM-\x003,"),
    "overpayment before a valid payment": _replace("payments", "20000.00", "99999999.00"),
    "blank line": _replace("orders", "\nO-1002", "\n\nO-1002"),
    "blank cells only": _replace("orders", "\nO-1002", "\n,,,,\nO-1002"),
    "end of copy marker": _replace("orders", "\nO-1002", "\n\\.\nO-1002"),
    "missing cell": _replace("orders", "REP-E2A,2024-02-05,cancelled", "REP-E2A,2024-02-05"),
    "extra cell": _replace("orders", ",cancelled", ",cancelled,x"),
    "quoted newline in a code": _replace("expenses", "E-2,", '"E-\n2",'),
    "quoted plain cell": _replace("expenses", "E-2,", '"E-2",'),
    "missing required column": {
        "orders": PLAIN["orders.csv"]
        .replace(",status\n", "\n")
        .replace(",confirmed", "")
        .replace(",cancelled", "")
    },
    "unknown column": _replace("expenses", "amount\n", "amount,note\n"),
    "blank padded header": _replace("expenses", "code,", "code ,"),
    "windows line ends": {"expenses": PLAIN["expenses.csv"].replace("\n", "\r\n")},
    "no line end at the end": {"expenses": PLAIN["expenses.csv"].rstrip("\n")},
    "header only": {"expenses": "code,rep_code,expense_date,category,amount\n"},
    # Cells SQLite could read as other valid values than Python does.
    "date with a time": _replace("orders", "2024-01-10", "2024-01-10 00:00"),
    "date as a day number": _replace("orders", "2024-01-10", "2460000.5"),
    "date with a day past the month's end": _replace("invoices", "2024-04-04", "2024-04-31"),
    "quantity with an exponent": _replace("order_lines", ",10.5,", ",1.05e1,"),
    "quantity with a leading zero": _replace("order_lines", ",10.5,", ",010.5,"),
    "quantity with five decimals that a double shortens": _replace(
        "order_lines", ",10.5,", ",0.00001,"
    ),
    "line number with a leading zero": _replace("order_lines", "O-1003,1,", "O-1003,01,"),
    "money with one decimal": _replace("expenses", "356.80", "356.8"),
    "money too large for exact cents": {
        **_replace("invoices", "12000.00", "99999999999999.99"),
        **_replace("payments", "5000.00", "99999999999999.99"),
    },
    # Payments whose cents a double does not add up exactly (0.1 + 0.2 > 0.3).
    "invoice paid exactly in tenths": {
        **_replace("invoices", "12000.00", "0.30"),
        "payments": PLAIN["payments.csv"].replace("I-2,2024-03-30,5000.00", "I-2,2024-03-30,0.10")
        + "PM-4,I-2,2024-03-31,0.20\n",
    },
    "invoice overpaid by a cent in tenths": {
        **_replace("invoices", "12000.00", "0.30"),
        "payments": PLAIN["payments.csv"].replace("I-2,2024-03-30,5000.00", "I-2,2024-03-30,0.11")
        + "PM-4,I-2,2024-03-31,0.20\n",
    },
}


@pytest.mark.parametrize("case", CASES)
def test_a_bad_or_unusual_file_gives_the_same_outcome_on_both_paths(case, tmp_path, monkeypatch):
    # given a folder with one unusual cell, row or header
    folder = _folder(tmp_path, **CASES[case])
    # when it is imported on each path
    python, fast = _both(folder, monkeypatch)
    # then the outcome is the same: the same problems by line, or the same rows
    _same(python, fast)
    if not python["ok"]:
        assert all(not rows for rows in fast["database"].values())


def test_a_bom_before_the_header_is_accepted_on_the_staged_path(tmp_path, monkeypatch):
    # given a folder whose orders.csv starts with a byte order mark
    folder = _folder(tmp_path)
    path = folder / "orders.csv"
    path.write_bytes(codecs.BOM_UTF8 + path.read_bytes())
    # when it is imported on each path
    python, fast = _both(folder, monkeypatch)
    # then it was staged, with the same outcome
    assert "orders" in fast["staged"]
    _same(python, fast)


def test_bytes_that_are_not_utf8_give_the_same_problem(tmp_path, monkeypatch):
    folder = _folder(tmp_path)
    path = folder / "expenses.csv"
    path.write_bytes(path.read_bytes().replace("差旅".encode(), b"\xff\xfe"))
    python, fast = _both(folder, monkeypatch)
    assert not python["ok"]
    _same(python, fast)


def test_payments_over_an_invoice_with_stored_payments_give_the_same_problem(tmp_path, monkeypatch):
    # given the sample stored, and one more payment on the fully paid invoice I-1
    first = _folder(tmp_path / "first")
    second = write_folder(
        tmp_path / "second",
        {"payments.csv": "code,invoice_code,payment_date,amount\nPM-9,I-1,2024-03-01,0.01\n"},
    )
    # when it is imported on each path
    python, fast = _both(second, monkeypatch, before=[first])
    # then both refuse it for the same reason
    assert not python["ok"]
    _same(python, fast)


def test_payments_within_an_invoice_with_stored_payments_are_staged(tmp_path, monkeypatch):
    first = _folder(tmp_path / "first")
    second = write_folder(
        tmp_path / "second",
        {"payments.csv": "code,invoice_code,payment_date,amount\nPM-9,I-2,2024-04-01,7000.00\n"},
    )
    python, fast = _both(second, monkeypatch, before=[first])
    assert python["ok"] and fast["staged"] == ["payments"]
    _same(python, fast)


def test_a_stored_code_with_changes_is_updated_by_the_python_path(tmp_path, monkeypatch):
    first = _folder(tmp_path / "first")
    second = _folder(tmp_path / "second", **_replace("orders", "2024-03-01", "2024-03-02"))
    python, fast = _both(second, monkeypatch, before=[first])
    assert python["ok"] and python["files"]["orders.csv"]["updated"] == 1
    assert "orders" not in fast["staged"]
    _same(python, fast)


# -- random mutations ------------------------------------------------------------------------

MUTANTS = [
    "",
    " ",
    "x",
    "0",
    "1",
    "-1",
    "1.5",
    "1.50",
    "1.505",
    "99999999999999999",
    "2024-02-29",
    "2023-02-29",
    "2024-01-05 ",
    "joint",
    "visit",
    "confirmed",
    "O-1001",
    "O-1002",
    "I-1",
    "C-001",
    "REP-E1A",
    "MGR-E1",
    "P-100",
    "PM-1",
    "E-1",
    "V-1",
    "NaN",
    "\u3000",
    "é",
]


def _cells(name: str) -> list[list[str]]:
    return [line.split(",") for line in PLAIN[f"{name}.csv"].splitlines()]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_random_mutations_are_accepted_or_refused_alike(data, tmp_path_factory, monkeypatch):
    # given the sample with a few cells of its fact files replaced
    changes: dict[str, list[list[str]]] = {}
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        name = data.draw(st.sampled_from(FACT_FILES), label="file")
        rows = changes.setdefault(name, _cells(name))
        row = data.draw(st.integers(1, len(rows) - 1), label="row")
        column = data.draw(st.integers(0, len(rows[row]) - 1), label="column")
        rows[row][column] = data.draw(
            st.sampled_from(MUTANTS) | st.text("0123456789.-: aO", max_size=6), label="value"
        )
    folder = _folder(
        tmp_path_factory.mktemp("mutated"),
        **{name: "\n".join(",".join(row) for row in rows) + "\n" for name, rows in changes.items()},
    )
    # when it is imported on each path
    python, fast = _both(folder, monkeypatch)
    # then both accept it with the same rows, or refuse it with the same problems
    _same(python, fast)


def test_payments_adding_up_to_their_invoice_in_tenths_are_staged(tmp_path, monkeypatch):
    # given an invoice of 0.30 paid by 0.10 and 0.20 (a sum that binary fractions exceed)
    folder = _folder(tmp_path, **CASES["invoice paid exactly in tenths"])
    # when it is imported on each path
    python, fast = _both(folder, monkeypatch)
    # then both accept it, and the staged path kept it
    assert python["ok"] and fast["staged"] == FACT_FILES
    _same(python, fast)


def _sqlite_indexes() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name")
        return cursor.fetchall()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's index suspension")
@pytest.mark.parametrize("case", ["valid", "duplicate order line", "overpaid invoice"])
def test_big_files_into_empty_tables_build_their_indexes_after_the_rows(
    case, tmp_path, monkeypatch
):
    # given files counted as big, so that the staged path builds secondary indexes last
    monkeypatch.setattr(staged_sqlite, "SUSPEND_INDEXES_BYTES", 0)
    dropped: list[str] = []
    drop = SuspendedIndexes.drop

    def spy(self):
        dropped.extend(shape.table for shape in self.shapes)
        drop(self)

    monkeypatch.setattr(SuspendedIndexes, "drop", spy)
    indexes = _sqlite_indexes()
    folder = _folder(tmp_path, **({} if case == "valid" else CASES[case]))
    # when the folder is imported on each path
    python, fast = _both(folder, monkeypatch)
    # then the outcome is the same, and every index is there again, as it was
    _same(python, fast)
    assert "sales_orderline" in dropped and "sales_historicalorderline" in dropped
    if case == "valid":
        assert fast["staged"] == FACT_FILES
    assert _sqlite_indexes() == indexes
