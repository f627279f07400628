"""Stored evaluations are exactly what the scoring model computes, on SQLite and PostgreSQL
(each stores them its own way), and a re-run updates them in place."""

from datetime import date
from decimal import Decimal

import pytest

from salesorg.core.scoping import SYSTEM
from salesorg.customers.models import CustomerEvaluation, RootCause, ScoringModel
from salesorg.customers.scoring import CustomerFacts, customer_rating
from salesorg.customers.selectors.credit import customer_facts
from salesorg.customers.services.credit import customers_evaluate
from tests.factories import CustomerFactory, InvoiceFactory, OrderFactory, OrderLineFactory

pytestmark = pytest.mark.django_db
EARLIER, AS_OF = date(2026, 3, 31), date(2026, 6, 30)


@pytest.mark.parametrize("chunk", [10_000, 2])
def test_stored_evaluations_are_the_scored_facts_to_the_cent(org_tree, monkeypatch, chunk):
    """Also when a run scores and stores its customers a few at a time (it does 10,000 at a
    time, to hold a large company's evaluations in bounded memory)."""
    from salesorg.customers.services import credit

    monkeypatch.setattr(credit, "EVALUATE_CHUNK", chunk)
    # given customers with odd amounts, an overdue invoice and a top rating before,
    # and a customer without any records
    rep = org_tree.people["rep_east1a"]
    rated = CustomerFactory.create_batch(3, owner=rep)
    for number, customer in enumerate(rated):
        order = OrderFactory(customer=customer, order_date=date(2026, 5, 3))
        OrderLineFactory(
            order=order, amount=Decimal("1000.07") + number, cost=Decimal("612.35") - number
        )
        first = OrderFactory(customer=customer, order_date=date(2025, 9, 1))
        OrderLineFactory(order=first, amount=Decimal("500.00"), cost=Decimal("400.00"))
        for month in (2, 3, 4):  # enough history to be rated
            InvoiceFactory(
                customer=customer,
                invoice_date=date(2026, month, 1),
                due_date=date(2026, month + 1, 1),
                amount=Decimal("333.33"),
            )
        CustomerEvaluation.objects.create(
            customer=customer,
            as_of=EARLIER,
            score=Decimal("99.9"),
            rating="AAA",
            suggested_credit_limit=Decimal("0.00"),
        )
    quiet = CustomerFactory(owner=rep)
    # when every customer is evaluated
    run = customers_evaluate(as_of=AS_OF)
    # then each stored evaluation is exactly the scoring model's result for its facts
    facts, model = customer_facts(user=SYSTEM, as_of=AS_OF), ScoringModel.current()
    for customer in [*rated, quiet]:
        stored = CustomerEvaluation.objects.get(customer=customer, as_of=AS_OF)
        scored = customer_rating(
            facts.get(customer.pk) or CustomerFacts(),
            model,
            as_of=AS_OF,
            dormant_after_days=90,
            credit_limit=customer.credit_limit,
        )
        assert (
            stored.score,
            stored.rating,
            stored.rating_rule,
            stored.suggested_credit_limit,
            stored.factors,
        ) == (
            scored.score,
            scored.rating,
            scored.rule,
            scored.suggested_credit_limit,
            scored.factors,
        )
        assert stored.credit_limit == customer.credit_limit
        assert stored.previous_rating == ("" if customer == quiet else "AAA")
    assert stored.rating == "unrated"  # the quiet customer has no history
    assert "unrated" not in {
        e.rating for e in CustomerEvaluation.objects.filter(customer__in=rated, as_of=AS_OF)
    }
    assert stored.factors["satisfaction"]["value"] is None
    assert {e.suggested_credit_limit for e in CustomerEvaluation.objects.filter(as_of=AS_OF)} != {
        Decimal("0")
    }
    # and every downgrade's root cause points at that customer's new evaluation
    assert run.downgrades == run.root_causes_opened == 3
    for cause in RootCause.objects.select_related("evaluation"):
        assert (cause.evaluation.customer_id, cause.evaluation.as_of) == (cause.customer_id, AS_OF)
    # when the same date is evaluated again
    ids = dict(CustomerEvaluation.objects.filter(as_of=AS_OF).values_list("customer_id", "pk"))
    again = customers_evaluate(as_of=AS_OF)
    # then the same rows are updated and no second root cause is opened
    assert dict(
        CustomerEvaluation.objects.filter(as_of=AS_OF).values_list("customer_id", "pk")
    ) == (ids)
    assert again.root_causes_opened == 0 and RootCause.objects.count() == 3
