"""New-customer development (S17): proposals decided by the manager, pipeline items moving
through stages whose required steps must be ticked, won or lost."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from salesorg.customers.models import (
    PipelineItem,
    PipelineItemStatus,
    PipelineStage,
    PipelineStep,
    ProposalStatus,
)
from salesorg.customers.services.pipeline import (
    pipeline_item_advance,
    pipeline_item_close,
    pipeline_step_tick,
    proposal_decide,
    proposal_file,
)
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

PROPOSAL = {
    "prospect_name": "宏达机械",
    "market_analysis": "本地机床市场年增长 8%",
    "competitor_analysis": "主要竞争对手为 A 公司，价格低 5%",
    "planned_approach": "先做技术交流，再提供试用",
    "expected_sales": Decimal("500000"),
    "expected_margin": Decimal("120000"),
    "needed_resources": "技术支持两人天",
}


@pytest.fixture
def stages(db):
    first = PipelineStage.objects.create(name="接触", position=1)
    second = PipelineStage.objects.create(name="方案", position=2)
    PipelineStage.objects.create(name="旧阶段", position=3, active=False)
    required = PipelineStep.objects.create(stage=first, position=1, text="拜访决策人")
    optional = PipelineStep.objects.create(stage=first, position=2, text="寄样品", required=False)
    closing = PipelineStep.objects.create(stage=second, position=1, text="提交报价")
    return {
        "first": first,
        "second": second,
        "required": required,
        "optional": optional,
        "closing": closing,
    }


def test_proposal_is_approved_into_the_pipeline(org_tree, stages):
    rep, manager = org_tree.user("rep_east1a"), org_tree.user("manager_east1")
    proposal = proposal_file(actor=rep, data=PROPOSAL)
    assert (
        proposal.status == ProposalStatus.SUBMITTED
        and proposal.rep == org_tree.people["rep_east1a"]
    )
    with pytest.raises(PermissionDenied):
        proposal_decide(proposal=proposal, actor=rep, decision="approve")
    with pytest.raises(PermissionDenied):
        proposal_decide(
            proposal=proposal, actor=org_tree.user("manager_north1"), decision="approve"
        )
    proposal = proposal_decide(proposal=proposal, actor=manager, decision="approve")
    item = PipelineItem.objects.get(proposal=proposal)
    assert item.stage == stages["first"] and item.name == "宏达机械"
    assert item.status == PipelineItemStatus.OPEN


def test_returned_proposal_is_changed_and_resubmitted_rejected_needs_reason(org_tree, stages):
    rep, manager = org_tree.user("rep_east1a"), org_tree.user("manager_east1")
    proposal = proposal_file(actor=rep, data=PROPOSAL)
    with pytest.raises(ValidationError) as error:
        proposal_decide(proposal=proposal, actor=manager, decision="return")
    assert "comment" in error.value.message_dict
    proposal = proposal_decide(
        proposal=proposal, actor=manager, decision="return", comment="补充竞品价格"
    )
    assert proposal.status == ProposalStatus.RETURNED
    proposal = proposal_file(
        actor=rep, data={**PROPOSAL, "competitor_analysis": "A 公司报价 92 元"}, proposal=proposal
    )
    assert proposal.status == ProposalStatus.SUBMITTED
    proposal = proposal_decide(
        proposal=proposal, actor=manager, decision="reject", comment="不符合战略"
    )
    assert proposal.status == ProposalStatus.REJECTED
    assert not PipelineItem.objects.exists()


def test_proposal_validation_names_fields(org_tree):
    with pytest.raises(ValidationError) as error:
        proposal_file(
            actor=org_tree.user("rep_east1a"),
            data={
                **PROPOSAL,
                "prospect_name": "",
                "market_analysis": "",
                "expected_margin": Decimal("600000"),
            },
        )
    assert {"prospect_name", "market_analysis", "expected_margin"} <= set(error.value.message_dict)
    with pytest.raises(ValidationError) as error:
        other = CustomerFactory(owner=org_tree.people["rep_north1a"])
        proposal_file(actor=org_tree.user("rep_east1a"), data={**PROPOSAL, "customer_id": other.pk})
    assert "customer" in error.value.message_dict


def test_an_item_cannot_advance_before_its_required_steps(org_tree, stages):
    rep = org_tree.user("rep_east1a")
    proposal = proposal_file(actor=rep, data=PROPOSAL)
    proposal_decide(proposal=proposal, actor=org_tree.user("manager_east1"), decision="approve")
    item = PipelineItem.objects.get(proposal=proposal)
    pipeline_step_tick(item=item, step=stages["optional"], actor=rep)
    with pytest.raises(ValidationError) as error:
        pipeline_item_advance(item=item, actor=rep)
    assert "拜访决策人" in str(error.value)
    with pytest.raises(ValidationError):
        pipeline_step_tick(item=item, step=stages["closing"], actor=rep)  # not this stage's
    pipeline_step_tick(item=item, step=stages["required"], actor=rep)
    item = pipeline_item_advance(item=item, actor=rep)
    assert item.stage == stages["second"]
    with pytest.raises(ValidationError):
        pipeline_item_close(item=item, actor=rep, won=True)  # 提交报价 not ticked
    pipeline_step_tick(item=item, step=stages["closing"], actor=rep)
    with pytest.raises(ValidationError) as error:
        pipeline_item_advance(item=item, actor=rep)  # the inactive stage is skipped: last one
    assert "last stage" in str(error.value)
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"])
    item = pipeline_item_close(item=item, actor=rep, won=True, customer_id=customer.pk)
    assert item.status == PipelineItemStatus.WON and item.customer == customer
    with pytest.raises(ValidationError):
        pipeline_step_tick(item=item, step=stages["closing"], actor=rep, done=False)


def test_lost_needs_a_reason(org_tree, stages):
    rep = org_tree.user("rep_east1a")
    proposal = proposal_file(actor=rep, data=PROPOSAL)
    proposal_decide(proposal=proposal, actor=org_tree.user("manager_east1"), decision="approve")
    item = PipelineItem.objects.get(proposal=proposal)
    with pytest.raises(ValidationError) as error:
        pipeline_item_close(item=item, actor=rep, won=False)
    assert "lost_reason" in error.value.message_dict
    item = pipeline_item_close(item=item, actor=rep, won=False, reason="客户选择了竞争对手")
    assert item.status == PipelineItemStatus.LOST
    with pytest.raises(PermissionDenied):
        pipeline_item_close(item=item, actor=org_tree.user("rep_east1b"), won=False, reason="x")


def test_pages_file_decide_tick_advance_close(org_tree, stages):
    rep = org_tree.client("rep_east1a")
    data = {k: str(v) for k, v in PROPOSAL.items()}
    response = rep.post("/customers/proposals/new/", {**data, "market_analysis": ""})
    assert response.status_code == 200 and "invalid-feedback" in response.content.decode()
    response = rep.post("/customers/proposals/new/", data)
    assert response.status_code == 302
    proposal = org_tree.people["rep_east1a"].proposals.get()
    manager = org_tree.client("manager_east1")
    assert "宏达机械" in manager.get("/customers/proposals/", {"mine": "decide"}).content.decode()
    assert (
        "宏达机械"
        not in org_tree.client("manager_north1").get("/customers/proposals/").content.decode()
    )
    response = manager.post(f"/customers/proposals/{proposal.pk}/decide/", {"decision": "approve"})
    assert response.status_code == 302
    item = PipelineItem.objects.get()
    response = rep.post(f"/customers/pipeline/{item.pk}/advance/")
    assert response.status_code == 200 and "拜访决策人" in response.content.decode()
    rep.post(f"/customers/pipeline/{item.pk}/steps/{stages['required'].pk}/", {"done": "1"})
    assert rep.post(f"/customers/pipeline/{item.pk}/advance/").status_code == 302
    item.refresh_from_db()
    assert item.stage == stages["second"]
    response = rep.post(f"/customers/pipeline/{item.pk}/close/", {"outcome": "lost"})
    assert response.status_code == 200 and "invalid-feedback" in response.content.decode()
    response = rep.post(
        f"/customers/pipeline/{item.pk}/close/", {"outcome": "lost", "reason": "预算取消"}
    )
    assert response.status_code == 302
    assert "宏达机械" in rep.get("/customers/pipeline/", {"status": "lost"}).content.decode()
    assert (
        org_tree.client("rep_east1b").post(f"/customers/pipeline/{item.pk}/advance/").status_code
        == 404
    )
