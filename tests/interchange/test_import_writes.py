"""What the bulk writer leaves behind: history rows, versions, ids, onboarding, rollups."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from salesorg.customers.models import Contact, Customer
from salesorg.development.models import Assignment
from salesorg.development.services.curriculum import curriculum_install
from salesorg.interchange.importer import interchange_import
from salesorg.org.models import Person
from salesorg.sales.models import Order, OrderLine
from salesorg.targets.models import Target
from tests.interchange.helpers import import_sample, sample_folder
from tests.interchange.sample import SAMPLE

pytestmark = pytest.mark.django_db


def test_created_rows_have_creation_history_by_the_importing_user(tmp_path):
    user = get_user_model().objects.create_user(username="importer")
    result = interchange_import(folder=sample_folder(tmp_path), user=user)
    assert result.ok, result.problems
    record = Customer.objects.get(code="C-001").history.get()
    assert (record.history_type, record.history_change_reason) == ("+", "interchange import")
    assert record.history_user == user
    assert record.ip_address is None
    assert record.name == "仁和医院" and record.version == 1


def test_history_user_is_empty_without_a_user(tmp_path):
    import_sample(tmp_path)
    assert not OrderLine.history.filter(history_user__isnull=False).exists()


def test_an_update_raises_the_version_and_records_it(tmp_path):
    import_sample(tmp_path / "first")
    changed = {
        "customers": SAMPLE["customers.csv"].replace("C-002,康达诊所,,", "C-002,康达诊所,诊所,"),
        "contacts": SAMPLE["contacts.csv"].replace("郑院长,院长", "郑院长,书记"),
        "targets": SAMPLE["targets.csv"].replace(
            "company,,2024,1,sales,100000.00,120000.00", "company,,2024,1,sales,100000.00,"
        ),
    }
    result = interchange_import(folder=sample_folder(tmp_path / "second", **changed))
    assert result.ok, result.problems
    customer = Customer.objects.get(code="C-002")
    assert (customer.industry, customer.version) == ("诊所", 2)
    latest = customer.history.order_by("-history_id").first()
    assert (latest.history_type, latest.version, latest.industry) == ("~", 2, "诊所")
    assert Customer.objects.get(code="C-001").version == 1  # unchanged rows keep theirs
    assert Contact.objects.get(code="K-3").version == 2
    assert Target.objects.get(owner_type="company", month=1, metric="sales").version == 2


def test_references_point_at_the_rows_written_in_the_same_import(tmp_path):
    import_sample(tmp_path)
    for line in OrderLine.objects.select_related("order"):
        assert line.order_id == Order.objects.get(code=line.order.code).pk
    assert Person.objects.get(code="REP-E1A").manager.code == "MGR-E1"


def test_a_second_import_adds_to_rows_already_stored(tmp_path):
    import_sample(tmp_path / "first")
    orders = (
        "code,customer_code,rep_code,order_date,status\nO-2001,C-001,REP-E1A,2024-05-01,confirmed\n"
    )
    lines = "order_code,line_no,product_code,quantity,amount,cost\nO-2001,1,P-100,2,100.00,40.00\n"
    folder = tmp_path / "second"
    folder.mkdir()
    (folder / "orders.csv").write_text(orders, encoding="utf-8")
    (folder / "order_lines.csv").write_text(lines, encoding="utf-8")
    result = interchange_import(folder=folder)
    assert result.ok, result.problems
    line = OrderLine.objects.get(order__code="O-2001")
    assert line.order.customer.code == "C-001"
    assert line.history.get().history_type == "+"


def test_new_hires_imported_in_bulk_get_onboarding(tmp_path):
    curriculum_install()
    hired = (timezone.localdate() - timedelta(days=5)).isoformat()
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "people.csv").write_text(
        "code,name,role,manager_code,hire_date\n"
        f"NEW,新人,rep,OLD,{hired}\n"
        "OLD,老员工,manager,,2015-01-01\n",
        encoding="utf-8",
    )
    result = interchange_import(folder=folder)
    assert result.ok, result.problems
    assert Assignment.objects.filter(person__code="NEW").count() > 0
    assert not Assignment.objects.filter(person__code="OLD").exists()


def test_a_problem_found_after_rows_were_written_rolls_everything_back(tmp_path):
    # The payment total is only checked after every file was read (and written).
    payments = SAMPLE["payments.csv"] + "PAY-X,I-1,2024-03-01,99999999.00\n"
    result = interchange_import(folder=sample_folder(tmp_path, payments=payments))
    assert not result.ok
    assert not Customer.objects.exists()
    assert not Customer.history.exists()
    assert all(report.created == 0 for report in result.files.values())
