"""Demo data of customer evaluation, credit control and new-customer development: the scoring
model, evaluations of every customer at three dates (new customers unrated, downgrades with
root causes in every state and action items in their plans, earlier downgrades recovered and
not recovered at the next evaluation), pipeline stages with steps, proposals in every state
with their pipeline items, and one order awaiting credit approval."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from salesorg.core.roles import Role
from salesorg.customers.models import (
    CauseCategory,
    CustomerEvaluation,
    DevelopmentProposal,
    PipelineItem,
    PipelineItemStatus,
    PipelineStage,
    PipelineStep,
    PipelineStepCheck,
    ProposalStatus,
    Rating,
    RootCause,
    RootCauseStatus,
    ScoringModel,
)
from salesorg.customers.services.credit import (
    customer_credit_position,
    customers_evaluate,
    order_credit_check,
)
from salesorg.customers.services.root_causes import root_causes_open, root_causes_recovery_record
from salesorg.org.models import Person
from salesorg.sales.choices import OrderStatus
from salesorg.sales.models import Order
from salesorg.targets.choices import ActionOrigin, ActionStatus
from salesorg.work.actions import action_item_create

MIN_DOWNGRADES = 8
# (name, English name, ((step, English step, required), ...))
STAGES = (
    (
        "接触与需求调研",
        "Contact and needs research",
        (
            ("拜访决策人", "Visit the decision maker", True),
            ("了解采购流程和预算", "Learn the purchasing process and budget", True),
            ("寄送产品资料", "Send product information", False),
        ),
    ),
    (
        "方案与报价",
        "Proposal and quotation",
        (
            ("提交技术方案", "Submit the technical proposal", True),
            ("提交报价", "Submit the quotation", True),
        ),
    ),
    (
        "试用与谈判",
        "Trial and negotiation",
        (
            ("安排样品试用", "Arrange a sample trial", True),
            ("商务谈判", "Negotiate the terms", True),
            ("联合拜访", "Joint visit", False),
        ),
    ),
    ("签约", "Contract", (("签订合同", "Sign the contract", True),)),
)
PROSPECTS = ("宏达机械", "恒信电子", "瑞丰食品", "金桥物流", "华美建材", "东方精工", "远航化工")
# The action items of each cause category's plan: (title, days from the cause to the due date)
ACTIONS = {
    CauseCategory.PAYMENT: (("与客户财务约定分期回款计划", 7), ("每周跟进逾期发票回款", 30)),
    CauseCategory.COMPETITOR: (("提交季度返利方案", 10), ("安排技术交流会", 21)),
    CauseCategory.DEMAND: (("推荐两款新品并寄送样品", 14), ("拜访客户生产负责人", 21)),
    CauseCategory.RELATIONSHIP: (("经理陪同拜访新采购经理", 7), ("更新客户决策链信息", 14)),
}
CAUSES = (
    (CauseCategory.PAYMENT, "客户资金周转困难，两张发票逾期超过60天。", "每周跟进回款，暂停赊销。"),
    (
        CauseCategory.COMPETITOR,
        "竞争对手降价10%，客户转移了部分订单。",
        "申请季度返利，安排技术交流。",
    ),
    (CauseCategory.DEMAND, "客户下游需求下降，采购量减少。", "推荐新品，开发新的使用场景。"),
    (
        CauseCategory.RELATIONSHIP,
        "采购经理更换，新经理尚未建立关系。",
        "安排经理联合拜访新采购经理。",
    ),
)


def _stages_create() -> list[PipelineStage]:
    stages = []
    for position, (name, name_en, steps) in enumerate(STAGES, start=1):
        stage = PipelineStage.objects.create(name=name, name_en=name_en, position=position)
        PipelineStep.objects.bulk_create(
            PipelineStep(
                stage=stage, position=number, text=text, text_en=text_en, required=required
            )
            for number, (text, text_en, required) in enumerate(steps, start=1)
        )
        stages.append(stage)
    return stages


def _force_downgrades(as_of: date, rng: random.Random) -> None:
    """Make sure the demo shows downgrades: raise a few earlier ratings one step."""
    missing = MIN_DOWNGRADES - RootCause.objects.count()
    if missing <= 0:
        return
    later = list(
        CustomerEvaluation.objects.filter(as_of=as_of)
        .exclude(rating__in=[Rating.AAA, Rating.UNRATED])
        .exclude(customer__root_causes__isnull=False)
        .select_related("customer")
        .order_by("customer__code")
    )
    chosen = rng.sample(later, min(missing, len(later)))
    order = [Rating.C, Rating.B, Rating.A, Rating.AA, Rating.AAA]
    for evaluation in chosen:
        better = order[Rating.rank(evaluation.rating)].value
        CustomerEvaluation.objects.filter(customer=evaluation.customer, as_of__lt=as_of).update(
            rating=better
        )
        evaluation.previous_rating = better
        evaluation.save(update_fields=["previous_rating"])
    owners = {e.customer_id: e.customer.owner_id for e in chosen}
    root_causes_open(chosen, owners)


def _plan_create(cause: RootCause, category: str, *, done: bool) -> None:
    """The action items of a cause's plan, owned by its owner (done ones for accepted
    causes whose next evaluation has come)."""
    opened = cause.evaluation.as_of
    for title, days in ACTIONS[category]:
        item = action_item_create(
            title=title,
            owner=cause.owner,
            due_date=opened + timedelta(days=days),
            origin=ActionOrigin.CUSTOMER,
            source=cause,
            customer=cause.customer,
        )
        if done:
            item.status = ActionStatus.DONE
            item.completed_at = timezone.now()
            item.save(update_fields=["status", "completed_at"])


def _root_causes_progress(rng: random.Random, reviewer_users: dict) -> None:
    """Move the demo's root causes through every state; earlier downgrades (whose next
    evaluation has come) are accepted, their plans done."""
    now = timezone.now()
    causes = list(RootCause.objects.select_related("evaluation", "owner").order_by("pk"))
    for index, cause in enumerate(causes):
        state = 3 if cause.recovered is not None else index % 4
        if state == 0:  # open, no plan yet
            continue
        category, explanation, plan = CAUSES[rng.randrange(len(CAUSES))]
        cause.cause_category, cause.explanation, cause.action_plan = category, explanation, plan
        _plan_create(cause, category, done=cause.recovered is not None)
        cause.submitted_at = now - timedelta(days=3)
        cause.status = RootCauseStatus.SUBMITTED
        if state in (2, 3):
            cause.reviewed_by = reviewer_users.get(cause.reviewer_id)
            cause.reviewed_at = now - timedelta(days=1)
            if state == 2:
                cause.status = RootCauseStatus.RETURNED
                cause.review_comment = "原因分析不够具体，请补充客户回款计划。"
            else:
                cause.status = RootCauseStatus.ACCEPTED
                cause.review_comment = "同意，按计划执行，月底复盘。"
        cause.save()


def _recoveries_ensure(first: date, earlier: date, today: date) -> None:
    """Make sure the demo shows a downgrade at `earlier` that recovered by `today` and one
    that did not: where the three real runs gave none, a customer's `first` rating is set
    one step above its `earlier` one, so that `earlier` was a downgrade."""
    order = [Rating.C, Rating.B, Rating.A, Rating.AA, Rating.AAA]
    for recovered in (True, False):
        if RootCause.objects.filter(recovered=recovered).exists():
            continue
        middles = {
            e.customer_id: e
            for e in CustomerEvaluation.objects.filter(
                as_of=earlier, rating__in=order[:-1]
            ).exclude(customer__root_causes__isnull=False)
        }
        latest = CustomerEvaluation.objects.filter(as_of=today, customer_id__in=list(middles))
        for later in latest.select_related("customer").order_by("customer__code"):
            middle = middles[later.customer_id]
            better = order[Rating.rank(middle.rating)]  # one step above the middle rating
            back = Rating.rank(later.rating) >= Rating.rank(better)
            if Rating.rank(later.rating) == 0 or back != recovered:
                continue
            CustomerEvaluation.objects.filter(customer_id=later.customer_id, as_of=first).update(
                rating=better.value
            )
            middle.previous_rating = better.value
            middle.save(update_fields=["previous_rating"])
            root_causes_open([middle], {later.customer_id: later.customer.owner_id})
            root_causes_recovery_record([later])
            break


def _proposals_create(company, stages, rng: random.Random, today: date) -> dict[str, int]:
    reps = [p for p in company.people if p.role == Role.REP and p.leave_date is None]
    reps = rng.sample(reps, min(len(reps), 12))
    decider = {p.pk: p.manager for p in reps}
    statuses = [
        ProposalStatus.SUBMITTED,
        ProposalStatus.RETURNED,
        ProposalStatus.APPROVED,
        ProposalStatus.REJECTED,
        ProposalStatus.APPROVED,
        ProposalStatus.APPROVED,
    ]
    proposals = []
    for index, rep in enumerate(reps):
        status = statuses[index % len(statuses)]
        sales = Decimal(rng.randrange(20, 200) * 10000)
        manager = decider[rep.pk]
        decided = status != ProposalStatus.SUBMITTED
        proposals.append(
            DevelopmentProposal(
                rep=rep,
                prospect_name=f"{PROSPECTS[index % len(PROSPECTS)]}{index + 1}号",
                market_analysis="区域内同类企业约30家，年采购规模约5000万元，增长稳定。",
                competitor_analysis="主要竞争对手价格低5%，但交货周期长、服务响应慢。",
                planned_approach="先拜访技术负责人做交流，再提供样品试用，以服务和交期取胜。",
                expected_sales=sales,
                expected_margin=(sales * Decimal("0.25")).quantize(Decimal("0.01")),
                needed_resources="技术支持2人天，样品费用5000元。",
                status=status,
                decided_by=manager.user if decided and manager and manager.user_id else None,
                decided_at=timezone.now() - timedelta(days=rng.randrange(1, 30))
                if decided
                else None,
                decision_comment={
                    ProposalStatus.RETURNED: "请补充竞争对手的价格和客户决策流程。",
                    ProposalStatus.REJECTED: "目标客户信用风险高，暂不开发。",
                    ProposalStatus.APPROVED: "同意，按计划推进。",
                }.get(status, ""),
            )
        )
    for proposal in proposals:  # saved one by one: the audit trail records them
        proposal.save()
    items = 0
    for index, proposal in enumerate(p for p in proposals if p.status == ProposalStatus.APPROVED):
        stage = stages[index % len(stages)]
        item = PipelineItem.objects.create(
            proposal=proposal, rep=proposal.rep, name=proposal.prospect_name, stage=stage
        )
        for earlier in stages[: stages.index(stage)] + [stage] * (index % 2):
            for step in earlier.steps.all():
                PipelineStepCheck.objects.get_or_create(item=item, step=step)
        if index % 4 == 3:
            item.status = PipelineItemStatus.LOST
            item.lost_reason = "客户最终选择了价格更低的竞争对手。"
            item.closed_at = timezone.now()
            item.save()
        items += 1
    return {"development proposals": len(proposals), "pipeline items": items}


def _held_order_create(company, today: date) -> int:
    """Hold the latest order not yet invoiced for credit approval: its customer's credit
    limit is set to the receivables still open, so the order takes it past the limit."""
    candidates = (
        Order.objects.filter(status=OrderStatus.CONFIRMED, invoices__isnull=True)
        .select_related("customer", "rep")
        .order_by("-order_date", "-code")[:50]
    )
    for order in candidates:  # the first whose customer still owes something
        position = customer_credit_position(customer=order.customer, today=today)
        if position.open_receivables > 0:
            order.customer.credit_limit = position.open_receivables
            order.customer.save(update_fields=["credit_limit"])
            rep_user = order.rep.user if order.rep.user_id else None
            return 1 if order_credit_check(order=order, actor=rep_user, baseline=None) else 0
    return 0


def demo_credit_create(*, company, seed: int, today: date) -> dict[str, int]:
    """Create the evaluation, credit-control and development demo data (deterministic)."""
    rng = random.Random(seed * 7919 + 19)
    ScoringModel.current()
    stages = _stages_create()
    first, earlier = today - timedelta(days=182), today - timedelta(days=91)
    customers_evaluate(as_of=first)
    customers_evaluate(as_of=earlier)
    customers_evaluate(as_of=today)
    _force_downgrades(today, rng)
    _recoveries_ensure(first, earlier, today)
    reviewer_ids = set(RootCause.objects.values_list("reviewer_id", flat=True))
    reviewers = Person.objects.filter(pk__in=reviewer_ids, user__isnull=False)
    reviewer_users = {person.pk: person.user for person in reviewers.select_related("user")}
    _root_causes_progress(rng, reviewer_users)
    counts = {
        "customer evaluations": CustomerEvaluation.objects.count(),
        "downgrade root causes": RootCause.objects.count(),
        "pipeline stages": len(stages),
    }
    counts |= _proposals_create(company, stages, rng, today)
    counts["orders awaiting credit approval"] = _held_order_create(company, today)
    return counts
