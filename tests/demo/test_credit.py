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
    RootCause,
    RootCauseStatus,
)
from salesorg.demo.credit import demo_credit_create
from salesorg.demo.org import demo_company_create
from salesorg.demo.sales import demo_records_create

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 27)


def test_demo_credit_records_are_consistent():
    company = demo_company_create(scale=1, seed=3, today=TODAY)
    demo_records_create(company=company, seed=3, today=TODAY)
    counts = demo_credit_create(company=company, seed=3, today=TODAY)
    customers = Customer.objects.count()
    assert CustomerEvaluation.objects.filter(as_of=TODAY).count() == customers
    assert CustomerEvaluation.objects.values("as_of").distinct().count() == 2
    assert counts["downgrade root causes"] >= 8
    assert set(RootCause.objects.values_list("status", flat=True)) == set(RootCauseStatus.values)
    for cause in RootCause.objects.select_related("evaluation")[:20]:
        assert cause.evaluation.is_downgrade and cause.owner_id == cause.customer.owner_id
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
