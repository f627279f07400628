"""`salesorg kpi` and `salesorg product-mix`: the CSV and JSON of KPI.md, Output."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_kpi_csv_has_the_columns_and_formats_of_kpi_md(world):
    out, err = run("kpi", "--from", "2026-01-01", "--to", "2026-01-31", "--level", "all")
    assert err == ""
    rows = list(csv.DictReader(io.StringIO(out)))
    header = out.splitlines()[0].split(",")
    assert header[:2] == ["level", "code"]
    assert {"sales", "collection_rate", "visits_per_workday", "expense_ratio"} <= set(header)
    assert len(header) == 2 + 26
    by_code = {(row["level"], row["code"]): row for row in rows}
    a = by_code[("person", "A")]
    assert a["sales"] == "1700.50"  # amounts with 2 decimals
    assert a["expenses"] == "300.00"
    assert a["visits"] == "2" and a["workdays"] == "21"  # counts as integers
    assert a["sales_achievement"] == "0.85025"  # exact rates, trailing zeros dropped
    assert a["expense_ratio"] == "0.3"
    assert a["collection_rate"] == "0.5833333333333333333333333333"  # 28 significant digits
    c = by_code[("person", "C")]
    assert c["sales_target"] == "" and c["collection_rate"] == "" and c["focus_share"] == ""
    assert c["sales"] == "0.00" and c["visits_per_workday"] == "0"
    company = by_code[("company", "")]
    assert company["sales"] == "2550.50"
    assert list(by_code)[-1] == ("company", "")


def test_kpi_warns_on_stderr_when_the_period_is_not_whole_months(world):
    out, err = run("kpi", "--from", "2026-01-05", "--to", "2026-01-31", "--level", "person")
    assert "whole months" in err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {row["level"] for row in rows} == {"person"}
    assert all(row["sales_target"] == "" and row["expense_budget"] == "" for row in rows)


def test_kpi_json_keeps_decimals_as_strings_and_counts_as_numbers(world, tmp_path):
    target = tmp_path / "kpi.json"
    out, _err = run(
        "kpi", "--from", "2026-01-01", "--to", "2026-01-31", "--level", "team",
        "--format", "json", "--output", str(target),
    )  # fmt: skip
    assert out == ""
    rows = json.loads(target.read_text(encoding="utf-8"))
    t1 = next(row for row in rows if row["code"] == "T1")
    assert t1["sales"] == "2100.50"
    assert t1["sales_achievement"] == "0.6001428571428571428571428571"
    assert t1["customers"] == 3
    t3 = next(row for row in rows if row["code"] == "T3")
    assert t3["visits_per_workday"] is None and t3["sales_target"] is None


def test_kpi_refuses_bad_dates_and_reversed_periods(world):
    with pytest.raises(CommandError, match="--from"):
        run("kpi", "--from", "2026-13-01", "--to", "2026-01-31")
    with pytest.raises(CommandError, match="before the start"):
        run("kpi", "--from", "2026-02-01", "--to", "2026-01-31")


def test_product_mix_csv(world):
    out, _err = run("product-mix".replace("-", "_"), "--from", "2026-01-01", "--to", "2026-01-31")
    lines = out.splitlines()
    assert lines[0] == "level,code,category,amount,share"
    assert "person,A,FOCUS,1000.00,0.5880623346074683916495148486" in lines
    assert "team,T2,OTHER,400.00,1" in lines
    assert ",,FOCUS,1350.00," in lines[-2] and lines[-2].startswith("company")
    out, _err = run(
        "product_mix", "--from", "2026-01-01", "--to", "2026-01-31", "--level", "region",
        "--format", "json",
    )  # fmt: skip
    rows = json.loads(out)
    assert {(row["code"], row["category"], row["amount"]) for row in rows} == {
        ("R1", "FOCUS", "1300.00"),
        ("R1", "OTHER", "1200.50"),
    }


def test_the_salesorg_entry_point_accepts_the_hyphenated_name(world, capsys):
    from salesorg.cli import main

    main(["salesorg", "product-mix", "--from", "2026-01-01", "--to", "2026-01-31",
          "--level", "company"])  # fmt: skip
    assert capsys.readouterr().out.splitlines()[1].startswith("company,,FOCUS,1350.00,")
