"""Exporting: the same files the importer reads, byte for byte, scoped to a user on request."""

import csv

import pytest

from salesorg.interchange.exporter import interchange_export
from salesorg.interchange.files import FILENAMES
from salesorg.interchange.importer import interchange_import
from salesorg.org.models import Person
from tests.factories import login_for
from tests.interchange.helpers import import_sample, snapshot, wipe
from tests.interchange.sample import SAMPLE

pytestmark = pytest.mark.django_db


def _read(folder):
    return {name: (folder / name).read_bytes() for name in FILENAMES}


def test_export_import_export_gives_identical_files(tmp_path):
    import_sample(tmp_path / "source")
    interchange_export(folder=tmp_path / "first")
    first = _read(tmp_path / "first")
    # The sample is written in canonical form, so the first export gives it back exactly.
    assert first == {name: text.encode("utf-8") for name, text in SAMPLE.items()}

    wipe()
    assert all(rows == 0 for rows, _history in snapshot().values())
    result = interchange_import(folder=tmp_path / "first")
    assert result.ok, result.problems
    interchange_export(folder=tmp_path / "second")
    assert _read(tmp_path / "second") == first


def test_export_format_utf8_without_bom_and_unix_line_ends(tmp_path):
    import_sample(tmp_path / "source")
    counts = interchange_export(folder=tmp_path / "out")
    assert counts["people.csv"] == 11
    raw = (tmp_path / "out" / "visits.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert b"\r" not in raw
    assert raw.count(b"\n") == 5  # header, three rows, one line break inside an outcome


def test_an_empty_database_exports_headers_only(tmp_path):
    counts = interchange_export(folder=tmp_path)
    assert set(counts.values()) == {0}
    assert (tmp_path / "order_lines.csv").read_text(encoding="utf-8") == (
        "order_code,line_no,product_code,quantity,amount,cost\n"
    )


def test_export_for_a_user_holds_only_what_they_may_see(tmp_path):
    import_sample(tmp_path / "source")
    login_for(Person.objects.get(code="REP-E1A"))
    user = Person.objects.get(code="REP-E1A").user
    interchange_export(folder=tmp_path / "out", user=user)

    def codes(name, column="code"):
        with (tmp_path / "out" / name).open(encoding="utf-8", newline="") as stream:
            return [row[column] for row in csv.DictReader(stream)]

    assert codes("customers.csv") == ["C-001"]
    assert codes("orders.csv") == ["O-1001"]
    assert codes("people.csv") == ["REP-E1A"]
    assert codes("invoices.csv") == ["I-1"]
    assert codes("payments.csv") == ["PM-1", "PM-2"]
    assert codes("visits.csv") == ["V-1", "V-2"]
    assert codes("memberships.csv", "person_code") == ["REP-E1A", "REP-E1A"]
    assert codes("targets.csv", "owner_code") == ["REP-E1A", "REP-E1A", "EAST"]
    # The catalogue and the calendar are the same for everyone.
    assert codes("products.csv") == ["P-100", "P-200", "P-300"]
    assert codes("calendar.csv", "date") == ["2024-02-10", "2024-02-12"]
