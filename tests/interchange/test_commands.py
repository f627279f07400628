"""The `salesorg import` and `salesorg export` commands."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from salesorg.org.models import Person, Region
from tests.interchange.helpers import sample_folder, snapshot

pytestmark = pytest.mark.django_db


def test_import_command_reports_each_file(tmp_path):
    out = StringIO()
    call_command("import", str(sample_folder(tmp_path)), stdout=out, stderr=StringIO())
    text = out.getvalue()
    assert "people.csv: 11 rows, 11 created, 0 updated, 0 unchanged." in text
    assert "Inferred 3 team managers and 2 region heads." in text
    assert Region.objects.get(code="EAST").head.code == "HEAD-E"


def test_import_command_dry_run_writes_nothing(tmp_path):
    out = StringIO()
    call_command("import", str(sample_folder(tmp_path)), "--dry-run", stdout=out)
    assert "nothing was written" in out.getvalue()
    assert Person.objects.count() == 0


def test_import_command_lists_problems_and_fails(tmp_path):
    rows = "".join(f"R{number},\n" for number in range(120))
    folder = sample_folder(tmp_path, regions=f"code,name\n{rows}")
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import", str(folder), stdout=StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert lines[0] == "regions.csv, line 2, column name: A value is required."
    assert lines[100].startswith("… and ") and lines[100].endswith("more problems.")
    assert all(rows == 0 for rows, _history in snapshot().values())


def test_import_command_refuses_a_missing_folder(tmp_path):
    with pytest.raises(CommandError, match="not a folder"):
        call_command("import", str(tmp_path / "nowhere"))


def test_export_command_writes_every_file(tmp_path):
    call_command("import", str(sample_folder(tmp_path / "in")), stdout=StringIO())
    out = StringIO()
    call_command("export", str(tmp_path / "out"), stdout=out)
    assert "customers.csv: 3 rows." in out.getvalue()
    assert len(list((tmp_path / "out").glob("*.csv"))) == 16


def test_export_command_for_a_person_without_login_is_refused(tmp_path):
    call_command("import", str(sample_folder(tmp_path / "in")), stdout=StringIO())
    with pytest.raises(CommandError, match="has no login"):
        call_command("export", str(tmp_path / "out"), "--user", "REP-E1A")
    with pytest.raises(CommandError, match="No person"):
        call_command("export", str(tmp_path / "out"), "--user", "NOBODY")
