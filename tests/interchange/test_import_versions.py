"""An import raises the version of every versioned record it changes (#21 deliverable 7), on
either import path and database: a person who read a record before the import is told (409
naming `version`) instead of overwriting what the import wrote."""

import threading

import pytest
from django.db import OperationalError, connection, connections, transaction
from django.test import Client

from salesorg.api.models import ApiToken
from salesorg.interchange import staged, writer
from salesorg.interchange.files import FILES
from salesorg.interchange.importer import interchange_import
from tests.interchange.helpers import import_sample, sample_folder
from tests.interchange.sample import SAMPLE

pytestmark = pytest.mark.django_db

CHANGED = {
    "customers": SAMPLE["customers.csv"].replace("C-002,康达诊所,,", "C-002,康达诊所,诊所,"),
    "contacts": SAMPLE["contacts.csv"].replace("郑院长,院长", "郑院长,书记"),
    "targets": SAMPLE["targets.csv"].replace(
        "person,REP-E1A,2024,1,sales,30000.00,36000.00",
        "person,REP-E1A,2024,1,sales,31000.00,36000.00",
    ),
}


def _versioned(model) -> bool:
    return any(field.name == "version" for field in model._meta.concrete_fields)


def test_the_versioned_files_are_the_ones_written_by_the_version_raising_writer():
    # the staged fast path only inserts new rows; it holds no file of a versioned record,
    # so every change of one goes through FileWriter, which raises the version
    versioned = {spec.name for spec in FILES if _versioned(spec.model)}
    assert versioned == {"customers", "contacts", "targets"}
    assert not versioned & staged.STAGED_FILES


@pytest.mark.parametrize("fast", [True, False], ids=["staged path on", "python path only"])
def test_a_record_read_before_an_import_that_changed_it_is_stale(tmp_path, monkeypatch, fast):
    from salesorg.customers.models import Contact, Customer
    from salesorg.targets.models import Target

    monkeypatch.setattr(staged, "STAGED", fast)
    # given the sample imported, and a director who reads three records (version 1)
    import_sample(tmp_path / "first")
    records = {
        "customers": Customer.objects.get(code="C-002"),
        "contacts": Contact.objects.get(code="K-3"),
        "targets": Target.objects.get(person__code="REP-E1A", month=1, metric="sales"),
        "unchanged": Customer.objects.get(code="C-001"),
    }
    assert {record.version for record in records.values()} == {1}
    # when an import changes the three (and not the fourth)
    result = interchange_import(folder=sample_folder(tmp_path / "second", **CHANGED))
    assert result.ok, result.problems
    # then each changed record is at version 2 and the unchanged one still at 1
    for name, record in records.items():
        assert type(record).objects.get(pk=record.pk).version == (1 if name == "unchanged" else 2)
    # and a second import that changes them again raises them again
    again = {
        "customers": CHANGED["customers"].replace("康达诊所,诊所", "康达诊所,牙科"),
        "contacts": CHANGED["contacts"].replace("郑院长,书记", "郑院长,院长"),
        "targets": CHANGED["targets"].replace("31000.00", "32000.00"),
    }
    assert interchange_import(folder=sample_folder(tmp_path / "third", **again)).ok
    assert Customer.objects.get(code="C-002").version == 3
    assert Contact.objects.get(code="K-3").version == 3
    assert Target.objects.get(pk=records["targets"].pk).version == 3


def test_a_writer_who_read_before_the_import_gets_409(tmp_path):
    from django.contrib.auth import get_user_model

    from salesorg.customers.models import Customer
    from salesorg.org.models import Person

    # given a customer stored by an import, read by someone at version 1
    import_sample(tmp_path / "first")
    customer = Customer.objects.get(code="C-002")
    read_version = customer.version
    # when an import changes it
    assert interchange_import(folder=sample_folder(tmp_path / "second", **CHANGED)).ok
    # then a PATCH with the version read before is refused, naming `version`
    director = get_user_model().objects.create_user(username="DIR")
    Person.objects.filter(code="DIR").update(user=director)
    _token, raw = ApiToken.objects.issue(user=director)
    api = Client(headers={"authorization": f"Bearer {raw}"})
    answer = api.patch(
        f"/api/v1/customers/{customer.pk}",
        {"name": "Mine", "version": read_version},
        content_type="application/json",
    )
    assert answer.status_code == 409, answer.content
    assert answer.json()["detail"][0]["loc"] == ["body", "version"]
    stored = Customer.objects.get(pk=customer.pk)
    assert (stored.name, stored.industry, stored.version) == ("康达诊所", "诊所", 2)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks")
def test_a_save_while_the_import_changes_the_record_waits_for_it(tmp_path, monkeypatch):
    from salesorg.customers.models import Customer

    # given the sample stored, and an import about to change customer C-002
    import_sample(tmp_path / "first")
    outcome: dict[str, str] = {}
    matched = writer.FileWriter._existing

    def existing_then_someone_saves(self, rows):
        found = matched(self, rows)
        if self.spec.name == "customers":
            thread = threading.Thread(target=_save_elsewhere, args=(outcome,))
            thread.start()
            thread.join(timeout=30)
        return found

    monkeypatch.setattr(writer.FileWriter, "_existing", existing_then_someone_saves)
    # when someone else saves C-002 over their own connection after the import read it
    result = interchange_import(folder=sample_folder(tmp_path / "second", **CHANGED))
    # then their save had to wait for the import (locked), and the import's change stands
    assert result.ok, result.problems
    assert outcome == {"save": "waited"}, outcome
    stored = Customer.objects.get(code="C-002")
    assert (stored.industry, stored.version) == ("诊所", 2)


def _save_elsewhere(outcome: dict[str, str]) -> None:
    from salesorg.customers.models import Customer

    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '500ms'")
            Customer.objects.filter(code="C-002").update(name="Elsewhere", version=2)
        outcome["save"] = "saved"
    except OperationalError:
        outcome["save"] = "waited"
    finally:
        connections.close_all()
