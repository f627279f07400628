"""Services refuse what INTERCHANGE.md's import rules refuse, naming the field."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from salesorg.sales import services
from salesorg.sales.models import ChecklistStep, Expense, Invoice, Payment, Visit, VisitPurpose
from tests.factories import (
    ContactFactory,
    CustomerFactory,
    ExpenseFactory,
    InvoiceFactory,
    OrderFactory,
    OrderLineFactory,
    PaymentFactory,
    ProductFactory,
)

pytestmark = pytest.mark.django_db


def fields_of(excinfo) -> dict:
    return excinfo.value.message_dict


def test_a_negative_expense_amount_is_refused(org_tree):
    rep = org_tree.people["rep_east1a"]
    expense = Expense(rep=rep, expense_date=date(2026, 1, 5), category="差旅", amount=-1)
    with pytest.raises(ValidationError) as excinfo:
        services.expense_save(instance=expense, actor=rep.user)
    assert "amount" in fields_of(excinfo)


def test_a_payment_before_its_invoice_is_refused(org_tree):
    invoice = InvoiceFactory(invoice_date=date(2026, 3, 1))
    with pytest.raises(ValidationError) as excinfo:
        services.payment_record(
            invoice=invoice,
            payment_date=date(2026, 2, 28),
            amount=Decimal("10"),
            actor=org_tree.user("finance"),
        )
    assert "2026-03-01" in fields_of(excinfo)["payment_date"][0]


def test_payments_beyond_the_invoice_are_refused(org_tree):
    invoice = InvoiceFactory(amount=Decimal("100.00"))
    PaymentFactory(invoice=invoice, amount=Decimal("60.00"))
    with pytest.raises(ValidationError) as excinfo:
        services.payment_record(
            invoice=invoice,
            payment_date=date(2026, 2, 1),
            amount=Decimal("40.01"),
            actor=org_tree.user("finance"),
        )
    assert "more than the invoice amount" in fields_of(excinfo)["amount"][0]
    assert Payment.objects.filter(invoice=invoice).count() == 1


def test_a_payment_that_exactly_settles_the_invoice_is_recorded(org_tree):
    invoice = InvoiceFactory(amount=Decimal("100.00"))
    PaymentFactory(invoice=invoice, amount=Decimal("60.00"))
    payment = services.payment_record(
        invoice=invoice,
        payment_date=date(2026, 2, 1),
        amount=Decimal("40.00"),
        actor=org_tree.user("finance"),
    )
    assert payment.pk and payment.code.startswith("PAY-")


def test_an_invoice_cannot_drop_below_its_payments(org_tree):
    invoice = InvoiceFactory(amount=Decimal("100.00"))
    PaymentFactory(invoice=invoice, amount=Decimal("60.00"))
    invoice.amount = Decimal("50.00")
    with pytest.raises(ValidationError) as excinfo:
        services.invoice_save(instance=invoice, actor=org_tree.user("finance"))
    assert "amount" in fields_of(excinfo)


def test_an_invoice_cannot_move_after_its_first_payment(org_tree):
    invoice = InvoiceFactory(invoice_date=date(2026, 1, 15))
    PaymentFactory(invoice=invoice, payment_date=date(2026, 2, 1))
    invoice.invoice_date = date(2026, 2, 2)
    with pytest.raises(ValidationError) as excinfo:
        services.invoice_save(instance=invoice, actor=org_tree.user("finance"))
    assert "invoice_date" in fields_of(excinfo)


def test_a_negative_invoice_amount_is_refused(org_tree):
    invoice = InvoiceFactory.build(
        customer=CustomerFactory(owner=org_tree.people["rep_east1a"]),
        rep=org_tree.people["rep_east1a"],
        amount=Decimal("-5"),
    )
    with pytest.raises(ValidationError) as excinfo:
        services.invoice_save(instance=invoice, actor=org_tree.user("finance"))
    assert "amount" in fields_of(excinfo)


def _visit(rep, **kwargs):
    customer = kwargs.pop("customer", None) or CustomerFactory(owner=rep)
    return Visit(rep=rep, customer=customer, visit_date=date(2026, 1, 5), **kwargs)


def test_a_joint_visit_without_a_coach_is_refused(org_tree):
    rep = org_tree.people["rep_east1a"]
    with pytest.raises(ValidationError) as excinfo:
        services.visit_save(visit=_visit(rep, kind="joint"), actor=rep.user)
    assert fields_of(excinfo)["coach"] == ["A joint visit needs a coach."]


def test_a_joint_visit_with_a_coach_is_logged(org_tree):
    rep = org_tree.people["rep_east1a"]
    coach = org_tree.people["manager_east1"]
    visit = services.visit_save(visit=_visit(rep, kind="joint", coach=coach), actor=rep.user)
    assert visit.pk and visit.coach == coach


def test_a_visit_to_an_unknown_customer_is_refused(org_tree):
    rep = org_tree.people["rep_east1a"]
    visit = Visit(rep=rep, customer_id=999999, visit_date=date(2026, 1, 5))
    with pytest.raises(ValidationError) as excinfo:
        services.visit_save(visit=visit, actor=rep.user)
    assert "customer" in fields_of(excinfo)


def test_a_visit_to_a_customer_out_of_scope_is_refused(org_tree):
    rep = org_tree.people["rep_east1a"]
    other = CustomerFactory(owner=org_tree.people["rep_north1a"])
    with pytest.raises(ValidationError) as excinfo:
        services.visit_save(visit=_visit(rep, customer=other), actor=rep.user)
    assert "customer" in fields_of(excinfo)


def test_contacts_met_must_belong_to_the_visited_customer(org_tree):
    rep = org_tree.people["rep_east1a"]
    stranger = ContactFactory(customer=CustomerFactory(owner=rep))
    with pytest.raises(ValidationError) as excinfo:
        services.visit_save(visit=_visit(rep), contacts=[stranger], actor=rep.user)
    assert "contacts" in fields_of(excinfo)


def test_a_required_step_not_done_needs_a_reason_naming_it(org_tree):
    rep = org_tree.people["rep_east1a"]
    purpose = VisitPurpose.objects.create(code="COLLECT", name="回款跟进")
    step = ChecklistStep.objects.create(purpose=purpose, position=1, text="核对应收账款")
    ChecklistStep.objects.create(purpose=purpose, position=2, text="顺便问候", required=False)
    checks = [services.StepCheck(step_id=step.id, done=False)]
    with pytest.raises(ValidationError) as excinfo:
        services.visit_save(
            visit=_visit(rep, purpose_type=purpose), checklist=checks, actor=rep.user
        )
    assert "核对应收账款" in fields_of(excinfo)["checklist"][0]

    checks = [services.StepCheck(step_id=step.id, done=False, skip_reason="客户财务不在")]
    visit = services.visit_save(
        visit=_visit(rep, purpose_type=purpose), checklist=checks, actor=rep.user
    )
    assert visit.purpose == "回款跟进"
    assert [(s.done, s.skip_reason) for s in visit.steps.order_by("step__position")] == [
        (False, "客户财务不在"),
        (False, ""),
    ]


def test_duplicate_codes_are_refused(org_tree):
    rep = org_tree.people["rep_east1a"]
    ExpenseFactory(code="EXP-1", rep=rep)
    expense = Expense(
        code="EXP-1", rep=rep, expense_date=date(2026, 1, 5), category="差旅", amount=1
    )
    with pytest.raises(ValidationError) as excinfo:
        services.expense_save(instance=expense, actor=rep.user)
    assert "code" in fields_of(excinfo)


def test_order_lines_refuse_negative_values_and_duplicate_numbers(org_tree):
    manager = org_tree.people["manager_east1"]
    order = OrderFactory(customer=CustomerFactory(owner=org_tree.people["rep_east1a"]))
    product = ProductFactory()
    lines = [
        services.LineData(1, product.pk, Decimal("1"), Decimal("-1"), Decimal("0")),
        services.LineData(1, product.pk, Decimal("1"), Decimal("1"), Decimal("0")),
    ]
    with pytest.raises(ValidationError) as excinfo:
        services.order_save(order=order, lines=lines, actor=manager.user)
    messages = " ".join(fields_of(excinfo)["lines"])
    assert "appears twice" in messages and "cannot be negative" in messages


def test_order_save_replaces_the_lines(org_tree):
    manager = org_tree.people["manager_east1"]
    order = OrderFactory(customer=CustomerFactory(owner=org_tree.people["rep_east1a"]))
    OrderLineFactory(order=order, line_no=1)
    product = ProductFactory()
    lines = [services.LineData(2, product.pk, Decimal("3"), Decimal("300"), Decimal("120"))]
    services.order_save(order=order, lines=lines, actor=manager.user)
    assert list(order.lines.values_list("line_no", "amount")) == [(2, Decimal("300.00"))]


def test_an_order_line_with_an_unknown_product_is_refused(org_tree):
    from salesorg.sales.models import OrderLine

    order = OrderFactory(customer=CustomerFactory(owner=org_tree.people["rep_east1a"]))
    line = OrderLine(order=order, line_no=1, product_id=999999, quantity=1, amount=1, cost=1)
    with pytest.raises(ValidationError) as excinfo:
        services.order_line_save(instance=line, actor=org_tree.user("director"))
    assert "product" in fields_of(excinfo)


def test_a_negative_credit_limit_is_refused(org_tree):
    from salesorg.customers.services.customers import customer_save

    customer = CustomerFactory.build(owner=org_tree.people["rep_east1a"], credit_limit=-1)
    with pytest.raises(ValidationError) as excinfo:
        customer_save(instance=customer, actor=org_tree.user("director"))
    assert "credit_limit" in fields_of(excinfo)


def test_targets_refuse_ideal_below_realistic_and_months_outside_the_year(org_tree):
    from salesorg.targets.models import Target
    from salesorg.targets.services.targets import target_save

    target = Target(
        owner_type="person",
        person=org_tree.people["rep_east1a"],
        year=2026,
        month=13,
        metric="sales",
        realistic=Decimal("100"),
        ideal=Decimal("90"),
    )
    with pytest.raises(ValidationError) as excinfo:
        target_save(instance=target, actor=org_tree.user("director"))
    assert {"month", "ideal"} <= set(fields_of(excinfo))


def test_invoice_is_not_written_when_refused(org_tree):
    before = Invoice.objects.count()
    test_a_negative_invoice_amount_is_refused(org_tree)
    assert Invoice.objects.count() == before
