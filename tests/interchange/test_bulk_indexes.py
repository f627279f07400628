"""Loading empty tables without their indexes: they all come back, the same (PostgreSQL)."""

import pytest
from django.db import connection

from salesorg.interchange import bulkindex
from salesorg.interchange.files import FILES
from salesorg.interchange.importer import interchange_import
from tests.interchange.helpers import import_sample, sample_folder, snapshot
from tests.interchange.sample import SAMPLE

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL bulk-load path"),
]

TABLES = [
    table
    for spec in FILES
    for table in (spec.model._meta.db_table, spec.model.history.model._meta.db_table)
]


def catalog() -> dict[str, tuple]:
    """Every index and constraint of the imported tables, with its definition."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
            "JOIN pg_class c ON c.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid "
            "WHERE c.relname = ANY(%s)",
            [TABLES],
        )
        indexes = sorted(cursor.fetchall())
        cursor.execute(
            "SELECT c.relname, k.conname, k.contype, pg_get_constraintdef(k.oid), "
            "k.condeferrable, k.condeferred, k.convalidated FROM pg_constraint k "
            "JOIN pg_class c ON c.oid = k.conrelid WHERE c.relname = ANY(%s)",
            [TABLES],
        )
        constraints = sorted(cursor.fetchall())
    return {"indexes": tuple(indexes), "constraints": tuple(constraints)}


@pytest.fixture
def drops(monkeypatch):
    """The tables whose indexes the import dropped."""
    dropped: list[str] = []
    original = bulkindex.SuspendedIndexes.drop

    def drop(self):
        dropped.extend(shape.table for shape in self.shapes)
        original(self)

    monkeypatch.setattr(bulkindex.SuspendedIndexes, "drop", drop)
    return dropped


def test_an_import_into_an_empty_database_rebuilds_every_index_and_constraint(tmp_path, drops):
    before = catalog()
    assert before["indexes"] and any(row[2] == "f" for row in before["constraints"])
    import_sample(tmp_path)
    assert "sales_orderline" in drops and "sales_historicalorderline" in drops
    assert catalog() == before


def test_a_failing_import_leaves_every_index_and_constraint(tmp_path, drops):
    before = catalog()
    # The bad row comes last in orders.csv: its indexes are dropped when it fails.
    orders = SAMPLE["orders.csv"].rstrip("\n") + "\nO-BAD,C-001,REP-E1A,2024-13-01,confirmed\n"
    result = interchange_import(folder=sample_folder(tmp_path, orders=orders))
    assert not result.ok
    assert "sales_order" in drops
    assert all(rows == 0 for rows, _history in snapshot().values())
    assert catalog() == before


def test_tables_with_rows_keep_their_indexes_while_importing(tmp_path, drops):
    import_sample(tmp_path / "first")
    before = catalog()
    drops.clear()
    result = interchange_import(folder=sample_folder(tmp_path / "second"))
    assert result.ok, result.problems
    assert drops == []
    assert catalog() == before


def test_a_duplicate_is_reported_by_line_before_any_constraint_is_rebuilt(tmp_path):
    lines = SAMPLE["customers.csv"].splitlines()
    customers = "\n".join([*lines, lines[1]]) + "\n"
    result = interchange_import(folder=sample_folder(tmp_path, customers=customers))
    assert not result.ok
    problem = result.problems[0]
    assert (problem.file, problem.line, problem.column) == ("customers.csv", len(lines) + 1, "code")
