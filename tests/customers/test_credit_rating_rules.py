"""The rating's history rules (docs/kpi.md, "Customer credit rating"): a customer with too
little history is unrated with a provisional limit, a dormant one is rated no better than
the model's dormant cap and its limit is never raised; numbers exact."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from salesorg.customers.models import CustomerEvaluation
from salesorg.customers.services.credit import customers_evaluate
from tests.factories import (
    CustomerFactory,
    InvoiceFactory,
    OrderFactory,
    OrderLineFactory,
    PaymentFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db
AS_OF = date(2026, 6, 30)


def order(customer, day, amount):
    OrderLineFactory(
        order=OrderFactory(customer=customer, order_date=day),
        amount=Decimal(amount),
        cost=Decimal(amount) / 2,
    )


def paid_invoice(customer, day, amount="1000.00"):
    invoice = InvoiceFactory(
        customer=customer, invoice_date=day, due_date=day + timedelta(days=30), amount=amount
    )
    PaymentFactory(invoice=invoice, payment_date=day + timedelta(days=10), amount=invoice.amount)


def evaluated(customer) -> CustomerEvaluation:
    customers_evaluate(as_of=AS_OF, customer_ids=[customer.pk])
    return CustomerEvaluation.objects.get(customer=customer, as_of=AS_OF)


@pytest.mark.parametrize(
    "limit,provisional",
    [(None, "50000.00"), ("20000.00", "20000.00"), ("80000.00", "50000.00")],
)
def test_a_new_customer_is_unrated_with_the_lower_of_the_new_customer_and_current_limit(
    org_tree, limit, provisional
):
    # given a customer whose first order is three months old, paid on time
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"], credit_limit=limit)
    order(customer, date(2026, 4, 1), "9000.00")
    paid_invoice(customer, date(2026, 4, 2))
    # when it is evaluated, then it is unrated, not AAA, with the provisional limit
    evaluation = evaluated(customer)
    assert (evaluation.rating, evaluation.rating_rule) == ("unrated", "new_customer")
    assert evaluation.suggested_credit_limit == Decimal(provisional)
    assert evaluation.credit_limit == (Decimal(limit) if limit else None)
    assert not evaluation.is_downgrade


def test_a_customer_without_any_record_is_unrated(org_tree):
    evaluation = evaluated(CustomerFactory(owner=org_tree.people["rep_east1a"]))
    assert evaluation.rating == "unrated" and evaluation.suggested_credit_limit == Decimal(
        "50000.00"
    )


@pytest.mark.parametrize("invoices,rated", [(2, False), (3, True)])
def test_a_customer_needs_three_invoices_to_be_rated(org_tree, invoices, rated):
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"])
    order(customer, date(2025, 11, 1), "9000.00")
    order(customer, date(2026, 6, 1), "9000.00")
    for number in range(invoices):
        paid_invoice(customer, date(2025, 11 + number, 5) if number < 2 else date(2026, 1, 5))
    assert (evaluated(customer).rating != "unrated") is rated


def _steady_customer(org_tree, last_order: date, limit="250000.00"):
    """Buying since January 2025, always paid on time, six recent visits: 6000 in September
    2025 and 9000 on `last_order` (the 12 months' sales 15,000.00, +50 % against the six
    months before): a score of 92.5 (25 + 15 + 20 + 15 + 10 + 7.5), AAA by score."""
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"], credit_limit=limit)
    order(customer, date(2025, 1, 15), "10000.00")
    order(customer, date(2025, 9, 1), "6000.00")
    order(customer, last_order, "9000.00")
    for day in (date(2025, 2, 1), date(2025, 9, 10), last_order + timedelta(days=5)):
        paid_invoice(customer, day)
    for offset in range(6):
        VisitFactory(customer=customer, visit_date=AS_OF - timedelta(days=5 + offset * 10))
    return customer


def test_an_active_customer_is_rated_by_its_score(org_tree):
    evaluation = evaluated(_steady_customer(org_tree, last_order=date(2026, 5, 1)))
    assert (evaluation.score, evaluation.rating, evaluation.rating_rule) == (
        Decimal("92.5"),
        "AAA",
        "score",
    )
    assert evaluation.suggested_credit_limit == Decimal("3750.00")  # 15,000 / 12 × 3


def test_a_dormant_customer_is_capped_at_a_and_its_limit_not_raised(org_tree):
    # the last order 2026-03-01 is 121 days before the evaluation (dormant after 90)
    evaluation = evaluated(_steady_customer(org_tree, last_order=date(2026, 3, 1)))
    assert (evaluation.score, evaluation.rating, evaluation.rating_rule) == (
        Decimal("92.5"),
        "A",
        "dormant",
    )
    assert evaluation.suggested_credit_limit == Decimal("1875.00")  # 15,000 / 12 × 1.5
    assert evaluation.credit_limit == Decimal("250000.00")
    small = _steady_customer(org_tree, last_order=date(2026, 3, 1), limit="1000.00")
    assert evaluated(small).suggested_credit_limit == Decimal("1000.00")


def test_the_page_says_unrated_and_why(org_tree):
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"], credit_limit="20000.00")
    evaluation = evaluated(customer)
    client = org_tree.client("rep_east1a")
    page = client.get(evaluation.get_absolute_url()).content.decode()
    assert "Unrated" in page and "Too little history" in page and "¥20,000.00" in page
    panel = client.get(customer.get_absolute_url()).content.decode()
    assert 'id="credit-rating">Unrated<' in panel


@pytest.mark.parametrize(
    "previous,rating,downgrade",
    [("unrated", "C", False), ("AA", "unrated", False), ("AA", "A", True), ("", "C", False)],
)
def test_unrated_is_never_part_of_a_downgrade(previous, rating, downgrade):
    evaluation = CustomerEvaluation(previous_rating=previous, rating=rating)
    assert evaluation.is_downgrade is downgrade
