"""The evaluation, credit-control and development demo data: two evaluation dates with
downgrades whose root causes are in every state, proposals in every state with pipeline
items, and one order awaiting credit approval."""

from datetime import date

import pytest

from salesorg.customers.models import (
    CreditApproval,
    Customer,
    CustomerEvaluation,
    DevelopmentProposal,
    PipelineItem,
    PipelineStep,
    ProposalStatus,
    Rating,
    RootCause,
    RootCauseStatus,
)
from salesorg.demo.credit import demo_credit_create
from salesorg.demo.org import demo_company_create
from salesorg.demo.sales import demo_records_create
from salesorg.work.actions import action_items_for_source

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 27)


def test_demo_credit_records_are_consistent():
    company = demo_company_create(scale=1, seed=3, today=TODAY)
    demo_records_create(company=company, seed=3, today=TODAY)
    counts = demo_credit_create(company=company, seed=3, today=TODAY)
    customers = Customer.objects.count()
    assert CustomerEvaluation.objects.filter(as_of=TODAY).count() == customers
    assert CustomerEvaluation.objects.values("as_of").distinct().count() == 3
    assert counts["downgrade root causes"] >= 8
    assert set(RootCause.objects.values_list("status", flat=True)) == set(RootCauseStatus.values)
    for cause in RootCause.objects.select_related("evaluation")[:20]:
        assert cause.evaluation.is_downgrade and cause.owner_id == cause.customer.owner_id
    # a downgrade that recovered at the next evaluation and one that did not
    for recovered in (True, False):
        cause = RootCause.objects.filter(recovered=recovered).select_related("recovery_evaluation")[
            0
        ]
        back = Rating.rank(cause.recovery_evaluation.rating) >= Rating.rank(cause.from_rating)
        assert back is recovered and cause.recovery_evaluation.as_of == TODAY
        assert cause.recovery_evaluation.customer_id == cause.customer_id
    # every submitted cause has a plan of action items owned by its owner
    for cause in RootCause.objects.exclude(status="open"):
        owners = set(action_items_for_source(cause).values_list("owner_id", flat=True))
        assert owners == {cause.owner_id}
    # new customers are unrated (with the provisional limit), never AAA
    unrated = CustomerEvaluation.objects.filter(as_of=TODAY, rating="unrated")
    assert unrated.exists()
    assert not CustomerEvaluation.objects.filter(
        as_of=TODAY, rating="AAA", rating_rule="new_customer"
    ).exists()
    assert set(DevelopmentProposal.objects.values_list("status", flat=True)) == set(
        ProposalStatus.values
    )
    assert (
        PipelineItem.objects.count()
        == DevelopmentProposal.objects.filter(status="approved").count()
    )
    assert PipelineStep.objects.filter(required=True).exists()
    approval = CreditApproval.objects.get()
    assert approval.status == "pending" and approval.order.status == "awaiting_credit"
