"""Backup and restore: every record and its history survive a round trip, on any database."""

import gzip
import io
import json
from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management import CommandError, call_command
from django.core.management.sql import emit_post_migrate_signal

from salesorg.core.backup import stored_models
from salesorg.core.scoping import SYSTEM
from salesorg.performance.kpi.indicators import indicator_table
from salesorg.work.actions import action_item_create


def snapshot() -> dict:
    """Every stored row as Django serializes it, with content types as natural keys."""
    rows = {}
    for model in stored_models():
        objects = model._base_manager.order_by("pk")
        data = serializers.serialize("python", objects, use_natural_foreign_keys=True)
        rows[model._meta.label_lower] = data
    return rows


def empty_database_with_other_content_type_ids() -> None:
    """Flush everything, then recreate content types and permissions under new ids."""
    call_command("flush", "--no-input")
    ContentType.objects.all().delete()
    ContentType.objects.clear_cache()
    ContentType.objects.create(app_label="backup_test", model="shifts_every_id")
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_every_record_and_its_history(org_tree, org_records, tmp_path):
    visit = org_records.visits["rep_east1a"]
    action_item_create(
        title="Follow the buyer", owner=visit.rep, due_date=visit.visit_date, source=visit
    )
    org_records.customers["rep_east1a"].name = "改名后的客户"
    org_records.customers["rep_east1a"].save()  # a second history row
    before = snapshot()
    assert before["customers.historicalcustomer"] and before["sales.visit"]
    table = indicator_table(user=SYSTEM, start=date(2000, 1, 1), end=date(2030, 12, 31)).rows
    assert any(row.sales for row in table)
    path = tmp_path / "salesorg.backup.gz"

    call_command("backup", str(path), stdout=io.StringIO())
    empty_database_with_other_content_type_ids()
    assert not any(m._base_manager.exists() for m in stored_models())
    call_command("restore", str(path), stdout=io.StringIO())

    assert snapshot() == before
    # the rollups are not in the file: the restore derives them again from the records
    assert (
        indicator_table(user=SYSTEM, start=date(2000, 1, 1), end=date(2030, 12, 31)).rows == table
    )
    restored = visit.rep.action_items.get(title="Follow the buyer")
    assert restored.source == visit  # the generic reference survived the new content type ids


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_has_records(org_tree, tmp_path):
    path = tmp_path / "b.gz"
    call_command("backup", str(path), stdout=io.StringIO())
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(path))


@pytest.mark.django_db
def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    path = tmp_path / "x.gz"
    with gzip.open(path, "wt") as out:
        out.write(json.dumps({"hello": 1}) + "\n")
    with pytest.raises(CommandError, match="not a SalesOrg backup"):
        call_command("restore", str(path))


@pytest.mark.django_db
def test_restore_refuses_a_backup_of_another_schema(tmp_path):
    path = tmp_path / "old.gz"
    header = {"format": "salesorg-backup", "version": 1, "migrations": [["org", "0001"]]}
    with gzip.open(path, "wt") as out:
        out.write(json.dumps({**header, "content_types": {}, "permissions": {}}) + "\n")
    with pytest.raises(CommandError, match="different schema"):
        call_command("restore", str(path))
