"""A big import on SQLite writes its pages once: a rollback journal instead of the write-ahead
log while it writes, the log restored afterwards (#19 point 3)."""

import sqlite3

import pytest
from django.db import connection

from salesorg.interchange import importer
from salesorg.interchange.importer import interchange_import
from tests.interchange.sample import SAMPLE, write_folder

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite journal modes"),
]


def _journal_mode() -> str:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        return cursor.fetchone()[0].lower()


def test_an_import_writes_without_the_log_and_leaves_it_as_it_was(tmp_path, monkeypatch):
    # given a database in WAL mode (as settings open it; an in-memory one has no log)
    before = _journal_mode()
    if before != "wal":
        pytest.skip("the test database is not a file in WAL mode")
    seen = []
    infer = importer._infer_leaders

    def spy(**kwargs):
        seen.append(_journal_mode())
        return infer(**kwargs)

    monkeypatch.setattr(importer, "_infer_leaders", spy)
    # when a folder is imported outside any transaction, as the command does
    result = interchange_import(folder=write_folder(tmp_path, SAMPLE))
    # then it was written with a rollback journal, and the log is back afterwards
    assert result.ok, result.problems
    assert seen == ["delete"]
    assert _journal_mode() == "wal"


def test_a_refused_import_leaves_the_log_as_it_was(tmp_path):
    if _journal_mode() != "wal":
        pytest.skip("the test database is not a file in WAL mode")
    bad = dict(SAMPLE)
    bad["orders.csv"] = SAMPLE["orders.csv"].replace("C-002,", "C-999,", 1)
    result = interchange_import(folder=write_folder(tmp_path, bad))
    assert not result.ok
    assert _journal_mode() == "wal"


def test_with_another_connection_open_the_import_keeps_the_log(tmp_path, monkeypatch):
    # given a second connection to the database file (a web worker, say)
    if _journal_mode() != "wal":
        pytest.skip("the test database is not a file in WAL mode")
    other = sqlite3.connect(connection.settings_dict["NAME"])
    other.execute("SELECT count(*) FROM sqlite_master").fetchone()
    seen = []
    infer = importer._infer_leaders

    def spy(**kwargs):
        seen.append(_journal_mode())
        return infer(**kwargs)

    monkeypatch.setattr(importer, "_infer_leaders", spy)
    try:
        # when a folder is imported
        result = interchange_import(folder=write_folder(tmp_path, SAMPLE))
    finally:
        other.close()
    # then it is written through the log, which stays
    assert result.ok, result.problems
    assert seen == ["wal"]
    assert _journal_mode() == "wal"
