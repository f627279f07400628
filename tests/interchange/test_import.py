"""Importing a folder: all or nothing, dry runs, idempotent re-imports, inferred leaders."""

from datetime import date
from decimal import Decimal

import pytest

from salesorg.customers.models import Customer
from salesorg.interchange.importer import interchange_import
from salesorg.interchange.report import MAX_PROBLEMS
from salesorg.org.models import Membership, Person, Region, Team
from salesorg.sales.models import OrderLine
from salesorg.targets.models import Target
from tests.interchange.helpers import import_sample, sample_folder, snapshot
from tests.interchange.sample import SAMPLE

pytestmark = pytest.mark.django_db


def test_the_sample_imports_every_file(tmp_path):
    result = import_sample(tmp_path)
    assert {name: report.created for name, report in result.files.items()} == {
        name: text.count("\n") - 1 - ("下周再访" in text) for name, text in SAMPLE.items()
    }
    line = OrderLine.objects.get(order__code="O-1001", line_no=2)
    assert (line.quantity, line.amount, line.cost) == (
        Decimal("10.5"),
        Decimal("3680.25"),
        Decimal("1262.63"),
    )
    assert Person.objects.get(code="REP-E1B").leave_date == date(2023, 6, 30)
    assert Customer.objects.get(code="C-002").credit_limit is None


def test_every_created_row_has_a_history_record(tmp_path):
    import_sample(tmp_path)
    for name, (rows, history) in snapshot().items():
        extra = {"Team": 3, "Region": 2}.get(name, 0)  # inferred managers and heads
        assert history == rows + extra, name


def test_one_bad_row_in_the_last_file_writes_nothing_at_all(tmp_path):
    folder = sample_folder(tmp_path, calendar="date,workday\n2024-02-10,1\n2024-02-12,maybe\n")
    result = interchange_import(folder=folder)
    assert not result.ok
    assert all(rows == 0 for rows, _history in snapshot().values())


def test_a_dry_run_checks_and_writes_nothing(tmp_path):
    result = interchange_import(folder=sample_folder(tmp_path), dry_run=True)
    assert result.ok and not result.written
    assert result.files["people.csv"].rows == 11
    assert all(rows == 0 for rows, _history in snapshot().values())


def test_a_dry_run_still_reports_problems(tmp_path):
    result = interchange_import(
        folder=sample_folder(tmp_path, regions="code,name\nEAST,\n"), dry_run=True
    )
    first = result.problems[0]
    assert (first.file, first.line, first.column) == ("regions.csv", 2, "name")


def test_re_importing_the_same_folder_changes_nothing(tmp_path):
    import_sample(tmp_path)
    before = snapshot()
    result = interchange_import(folder=tmp_path)
    assert result.ok
    assert snapshot() == before  # same rows, no new history records
    for report in result.files.values():
        assert (report.created, report.updated) == (0, 0)
        assert report.unchanged == report.rows


def test_a_changed_row_is_updated_in_place_with_history(tmp_path):
    import_sample(tmp_path / "first")
    customer = Customer.objects.get(code="C-002")
    history = customer.history.count()
    changed = SAMPLE["customers.csv"].replace("C-002,康达诊所,,", "C-002,康达诊所,诊所,")
    folder = sample_folder(tmp_path / "second", customers=changed)
    result = interchange_import(folder=folder)
    assert result.files["customers.csv"].updated == 1
    customer.refresh_from_db()
    assert customer.industry == "诊所"
    assert customer.history.count() == history + 1
    assert Customer.objects.count() == 3


def test_composite_keys_match_existing_rows(tmp_path):
    import_sample(tmp_path / "first")
    files = {
        "memberships": SAMPLE["memberships.csv"].replace(
            "REP-E2A,EAST2,2020-02-01,", "REP-E2A,EAST2,2020-02-01,2030-12-31"
        ),
        "order_lines": SAMPLE["order_lines.csv"].replace("O-1003,2,P-100,1,", "O-1003,2,P-100,3,"),
        "targets": SAMPLE["targets.csv"].replace(
            "company,,2024,1,sales,100000.00,120000.00", "company,,2024,1,sales,100000.00,"
        ),
        "calendar": "date,workday\n2024-02-10,0\n",
    }
    result = interchange_import(folder=sample_folder(tmp_path / "second", **files))
    assert result.ok, result.problems
    for name in ("memberships.csv", "order_lines.csv", "targets.csv", "calendar.csv"):
        assert (result.files[name].created, result.files[name].updated) == (0, 1), name
    assert Membership.objects.get(person__code="REP-E2A").end_date == date(2030, 12, 31)
    assert OrderLine.objects.get(order__code="O-1003", line_no=2).quantity == 3
    company = Target.objects.get(owner_type="company")
    assert company.ideal == company.realistic == Decimal("100000.00")  # ideal defaults


def test_bom_free_column_order_and_a_missing_file(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "regions.csv").write_bytes("\ufeffname,code\r\n华东,EAST\r\n".encode())
    (folder / "teams.csv").write_text("region_code,code,name\nEAST,EAST1,一组\n", encoding="utf-8")
    result = interchange_import(folder=folder)
    assert result.ok, result.problems
    assert list(result.files) == ["regions.csv", "teams.csv"]
    assert Team.objects.get(code="EAST1").region.name == "华东"


def test_people_may_name_a_manager_listed_later_in_the_file(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "people.csv").write_text(
        "code,name,role,manager_code,hire_date\n"
        "REP,代表,rep,MGR,2020-01-01\n"
        "MGR,经理,manager,HEAD,2020-01-01\n"
        "HEAD,大区,region_head,,2020-01-01\n",
        encoding="utf-8",
    )
    assert interchange_import(folder=folder).ok
    assert Person.objects.get(code="REP").manager.code == "MGR"
    assert Person.objects.get(code="MGR").manager.code == "HEAD"
    result = interchange_import(folder=folder)
    assert result.files["people.csv"].unchanged == 3


def test_an_absent_optional_column_keeps_the_stored_value(tmp_path):
    import_sample(tmp_path / "first")
    folder = tmp_path / "second"
    folder.mkdir()
    (folder / "people.csv").write_text(
        "code,name,role,hire_date\nHEAD-E,李华东,region_head,2019-03-01\n", encoding="utf-8"
    )
    result = interchange_import(folder=folder)
    assert result.files["people.csv"].unchanged == 1
    assert Person.objects.get(code="HEAD-E").email == "li@example.com"


def test_team_managers_and_region_heads_are_inferred(tmp_path):
    result = import_sample(tmp_path)
    assert (result.inferred_team_managers, result.inferred_region_heads) == (3, 2)
    assert Team.objects.get(code="EAST1").manager.code == "MGR-E1"
    assert Region.objects.get(code="EAST").head.code == "HEAD-E"
    assert Region.objects.get(code="NORTH").head.code == "HEAD-N"


def test_no_manager_is_inferred_when_a_team_has_two(tmp_path):
    memberships = SAMPLE["memberships.csv"] + "MGR-E2,EAST1,2018-01-01,2018-12-31\n"
    memberships += "HEAD-E,EAST1,2019-03-01,\n"
    people = SAMPLE["people.csv"].replace("HEAD-E,李华东,region_head", "HEAD-E,李华东,manager")
    result = interchange_import(
        folder=sample_folder(tmp_path, memberships=memberships, people=people)
    )
    assert result.ok, result.problems
    assert Team.objects.get(code="EAST1").manager is None  # MGR-E1 and HEAD-E are managers
    assert Region.objects.get(code="EAST").head is None  # HEAD-E is not a region head


def test_the_problem_list_stops_at_the_first_hundred(tmp_path):
    rows = "".join(f"R{number},\n" for number in range(150))
    result = interchange_import(folder=sample_folder(tmp_path, regions=f"code,name\n{rows}"))
    assert result.problem_count > MAX_PROBLEMS
    assert len(result.problems) == MAX_PROBLEMS
    assert result.more_problems == result.problem_count - MAX_PROBLEMS
    assert [problem.line for problem in result.problems[:3]] == [2, 3, 4]


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "regions.csv").write_bytes("code,name\nEAST,华东\n".encode("gb18030"))
    result = interchange_import(folder=folder)
    assert [(p.file, p.line) for p in result.problems] == [("regions.csv", 2)]
    assert "UTF-8" in result.problems[0].reason


def test_a_folder_without_interchange_files_is_refused(tmp_path):
    (tmp_path / "notes.csv").write_text("a,b\n", encoding="utf-8")
    result = interchange_import(folder=tmp_path)
    assert not result.ok
    assert result.ignored_files == ["notes.csv"]
