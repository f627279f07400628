"""One code style per record kind: whatever writes a record without a code (a page, the API,
the demo) gives it the kind's prefix, its date and six hex digits (VIS-20261206-C13F2D); a code
brought in stays."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from salesorg.core.record_codes import (
    RECORD_CODE_PATTERN,
    record_code,
    record_code_new,
    record_code_prefix,
)
from salesorg.customers.models import Contact, Customer
from salesorg.customers.services.customers import contact_save, customer_save
from salesorg.sales import services
from salesorg.sales.choices import VisitKind
from salesorg.sales.models import Expense, Invoice, Order, Visit

pytestmark = pytest.mark.django_db


def code_style(code: str) -> tuple[str, date] | None:
    """The prefix and day of a code in the system's style, or None for any other code."""
    match = RECORD_CODE_PATTERN.match(code)
    if match is None:
        return None
    day = match.group("day")
    return match.group("prefix"), date(int(day[:4]), int(day[4:6]), int(day[6:]))


def test_a_code_names_its_kind_and_the_day_it_was_entered():
    assert record_code(Visit, day=date(2026, 12, 6), number=0xC13F2D) == "VIS-20261206-C13F2D"
    assert code_style("VIS-20261206-C13F2D") == ("VIS", date(2026, 12, 6))
    assert code_style("V00025646") is None
    prefixes = [
        record_code_prefix(model) for model in (Customer, Contact, Order, Invoice, Visit, Expense)
    ]
    assert len(set(prefixes)) == len(prefixes)


def test_every_service_gives_a_new_record_a_code_of_its_kind(org_tree):
    rep = org_tree.people["rep_east1a"]
    actor = org_tree.user("rep_east1a")
    today = timezone.localdate()
    customer = customer_save(
        instance=Customer(name="华东机械", owner=rep, created_date=today), actor=actor
    )
    contact = contact_save(instance=Contact(customer=customer, name="王经理"), actor=actor)
    order = services.order_save(
        order=Order(customer=customer, rep=rep, order_date=today), actor=actor
    )
    invoice = services.invoice_save(
        instance=Invoice(
            customer=customer,
            rep=rep,
            invoice_date=today,
            due_date=today,
            amount=Decimal("100.00"),
        ),
        actor=actor,
    )
    payment = services.payment_record(
        invoice=invoice, payment_date=today, amount=Decimal("40.00"), actor=actor
    )
    visit = services.visit_save(
        visit=Visit(rep=rep, customer=customer, visit_date=today, kind=VisitKind.VISIT),
        actor=actor,
    )
    expense = services.expense_save(
        instance=Expense(rep=rep, expense_date=today, category="travel", amount=Decimal("12.50")),
        actor=actor,
    )
    for record in (customer, contact, order, invoice, payment, visit, expense):
        assert code_style(record.code) == (record_code_prefix(type(record)), today), record.code


def test_a_code_given_by_the_writer_is_kept(org_tree):
    rep = org_tree.people["rep_east1a"]
    customer = customer_save(
        instance=Customer(code="K-000123", name="华东机械", owner=rep, created_date=date.today()),
        actor=org_tree.user("rep_east1a"),
    )
    assert customer.code == "K-000123"


def test_a_fresh_code_is_never_one_in_use(monkeypatch, org_tree):
    from salesorg.core import record_codes as references

    numbers = iter([1, 1, 2])
    monkeypatch.setattr(references.secrets, "randbelow", lambda _limit: next(numbers))
    day = date(2026, 12, 6)
    first = record_code_new(Customer, day=day)
    customer_save(
        instance=Customer(
            code=first, name="华东机械", owner=org_tree.people["rep_east1a"], created_date=day
        ),
        actor=org_tree.user("rep_east1a"),
    )
    assert record_code_new(Customer, day=day) == "CUST-20261206-000002"
