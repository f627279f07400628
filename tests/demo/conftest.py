"""One demo company for the demo tests: `salesorg demo` run once per package run and process.

Building the demo takes tens of seconds; each test used to build its own. The `demo` fixture
runs the command once (seed 3, a fixed day) inside a transaction held for the tests of this
package and rolled back after them; each test's own transaction nests as a savepoint, so a
test that writes leaves the demo as it found it. Tests of determinism compare against a
reference build of the sales records made (and rolled back) just before the command.
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import transaction

from salesorg.customers.models import Contact, Customer
from salesorg.demo import records as sales_records
from salesorg.demo.org import DemoCompany, demo_company_create
from salesorg.demo.plans import demo_plans_create
from salesorg.demo.sales import demo_records_create
from salesorg.sales.models import (
    Category,
    Expense,
    Invoice,
    Order,
    OrderLine,
    Payment,
    Product,
    Visit,
    VisitStep,
)
from salesorg.targets.models import Target

TODAY = date(2026, 11, 27)
SEED = 3


RECORD_MODELS = {
    "categories": Category,
    "products": Product,
    "customers": Customer,
    "contacts": Contact,
    "orders": Order,
    "order_lines": OrderLine,
    "invoices": Invoice,
    "payments": Payment,
    "visits": Visit,
    "visit_contacts": Visit.contacts.through,
    "expenses": Expense,
    "targets": Target,
}


def _exact_sum(records, field: str = "amount") -> Decimal:
    """Sum in Python: SQLite would add the amounts as floats."""
    return sum(records.values_list(field, flat=True), Decimal(0))


def fingerprint() -> dict:
    """What two builds of the same seed and day must share (tests/demo/conftest.py's too)."""
    return {
        "counts": {key: model.objects.count() for key, model in RECORD_MODELS.items()},
        "order_line_amount": _exact_sum(OrderLine.objects.all()),
        "payment_amount": _exact_sum(Payment.objects.all()),
        "target_realistic": _exact_sum(Target.objects.all(), "realistic"),
        "first_orders": list(
            Order.objects.order_by("code").values_list(
                "code", "customer__code", "rep__code", "order_date", "status"
            )[:50]
        ),
        "last_visits": list(
            Visit.objects.order_by("-code").values_list(
                "code", "customer__code", "rep__code", "visit_date", "kind", "purpose"
            )[:50]
        ),
    }


@dataclass
class DemoBuild:
    """The demo as the command made it, and a reference build of its sales records."""

    company: DemoCompany
    counts: dict[str, int]  # what the command printed, by kind
    output: str
    reference_counts: dict[str, int]  # the reference build's (records and plans demo)
    reference: dict  # the reference build's records (fingerprint()), visit steps, targets
    today: date = TODAY
    seed: int = SEED


def visit_steps() -> list[tuple]:
    return list(
        VisitStep.objects.order_by("visit__code", "position").values_list(
            "visit__code", "text", "done", "skip_reason"
        )
    )


def people_target_values() -> dict:
    rows = Target.objects.filter(owner_type="person").values_list(
        "person__code", "year", "month", "metric", "realistic", "ideal"
    )
    return {(person, year, month, metric): (r, i) for person, year, month, metric, r, i in rows}


def printed_counts(output: str) -> dict[str, int]:
    (line,) = [line for line in output.splitlines() if line.startswith("Demo records: ")]
    return {
        kind: int(count)
        for count, kind in re.findall(r"(\d+) ([^,]+?)(?:, |\.$)", line.removeprefix("Demo "))
    }


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker) -> DemoBuild:
    built: dict[str, DemoCompany] = {}

    def company_create(**kwargs):
        built["company"] = demo_company_create(**kwargs)
        return built["company"]

    with django_db_blocker.unblock(), transaction.atomic():
        # The reference: the sales records (and plans) of the same seed and day, rolled back.
        with transaction.atomic(), mock.patch.object(sales_records, "HISTORY_MAX_REGIONS", 0):
            company = demo_company_create(scale=1, seed=SEED, today=TODAY)
            reference_counts = demo_records_create(company=company, seed=SEED, today=TODAY)
            people_targets = people_target_values()
            # The plans demo makes this year's team, region and company rows add up.
            reference_counts |= demo_plans_create(company=company, seed=SEED, today=TODAY)
            reference = {
                "records": fingerprint(),
                "visit_steps": visit_steps(),
                "people_targets_before_plans": people_targets,
            }
            transaction.set_rollback(True)
        output = StringIO()
        with mock.patch(
            "salesorg.demo.management.commands.demo.demo_company_create", company_create
        ):
            call_command("demo", "--today", TODAY.isoformat(), "--seed", str(SEED), stdout=output)
        yield DemoBuild(
            company=built["company"],
            counts=printed_counts(output.getvalue()),
            output=output.getvalue(),
            reference_counts=reference_counts,
            reference=reference,
        )
        transaction.set_rollback(True)
