"""The evaluation, credit-control and development demo data: two evaluation dates with
downgrades whose root causes are in every state, proposals in every state with pipeline
items, and one order awaiting credit approval."""

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
from salesorg.development.models import Handover
from salesorg.work.actions import action_items_for_source
from tests.demo.conftest import TODAY

pytestmark = pytest.mark.django_db


def test_demo_credit_records_are_consistent(demo):
    counts = demo.counts
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
    # every submitted cause has a plan of action items owned by its owner (but the causes and
    # the items a leaver's handover gave their successor)
    moved = {"action_items": set(), "root_causes": set()}
    for handover in Handover.objects.all():
        for kind, ids in moved.items():
            ids.update(handover.moved.get(kind, {}).get("ids", []))
    submitted = RootCause.objects.exclude(status="open").exclude(pk__in=moved["root_causes"])
    assert submitted.count() > 5
    for cause in submitted:
        items = action_items_for_source(cause)
        assert items.exists()
        kept = items.exclude(pk__in=moved["action_items"])
        assert set(kept.values_list("owner_id", flat=True)) <= {cause.owner_id}
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
