"""Demo data of the pipeline funnel and of competitor intelligence: a year of approved
proposals whose items moved through the stages (with the days spent in each), were won or
lost for the usual reasons or are still open; and competitor notes reps recorded on their
own customers."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from salesorg.core.roles import Role
from salesorg.customers.choices import LifecycleStage
from salesorg.customers.models import (
    Customer,
    DevelopmentProposal,
    PipelineItem,
    PipelineItemStatus,
    PipelineStage,
    PipelineStageEntry,
    ProposalStatus,
)
from salesorg.targets.models import ResearchKind, ResearchNote
from salesorg.targets.services.plans import research_note_save

ITEMS_PER_REP = (2, 5)
# The chance an item goes on from each stage (the rest are lost there or still in it).
GO_ON = (Decimal("0.75"), Decimal("0.6"), Decimal("0.65"))
WON_AT_LAST = Decimal("0.7")
DAYS_IN_STAGE = ((3, 20), (7, 35), (10, 45), (3, 15))
LOST_REASONS = (
    "客户最终选择了价格更低的竞争对手。",
    "客户预算被削减，项目暂停。",
    "技术方案未通过客户评审。",
    "竞争对手交期更短。",
)
WON_REASONS = ("交期短、服务响应快。", "样品试用效果好，技术认可。", "价格和账期有竞争力。")
PROSPECTS = ("宏达机械", "恒信电子", "瑞丰食品", "金桥物流", "华美建材", "东方精工", "远航化工")
COMPETITOR_NOTES = (
    ("华东机电报价低5%", "华东机电", "主轴组件", Decimal("880.00"), "采购经理透露报价单"),
    ("对手提供免费试用三个月", "精工装备", "数控系统", None, "客户技术负责人"),
)


def _moment(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=hour))


def _path(rng: random.Random, stages: list[PipelineStage], entered: date, today: date):
    """Where an item entered on `entered` got to: its stays [(stage, entered, left)], status
    and reason (open items are still in their last stay, which has no end)."""
    stays, day = [], entered
    for position, stage in enumerate(stages):
        low, high = DAYS_IN_STAGE[min(position, len(DAYS_IN_STAGE) - 1)]
        left = day + timedelta(days=rng.randint(low, high))
        if left >= today:
            stays.append((stage, day, None))
            return stays, PipelineItemStatus.OPEN, ""
        stays.append((stage, day, left))
        last = position == len(stages) - 1
        chance = WON_AT_LAST if last else GO_ON[min(position, len(GO_ON) - 1)]
        if Decimal(str(rng.random())) >= chance:
            return stays, PipelineItemStatus.LOST, rng.choice(LOST_REASONS)
        if last:
            return stays, PipelineItemStatus.WON, rng.choice(WON_REASONS)
        day = left
    return stays, PipelineItemStatus.OPEN, ""


def _proposal(rep, rng: random.Random, number: int, customer, decided: datetime):
    sales = Decimal(rng.randrange(10, 150) * 10000)
    proposal = DevelopmentProposal(
        rep=rep,
        customer=customer,
        prospect_name="" if customer else f"{PROSPECTS[number % len(PROSPECTS)]}{number + 20}号",
        market_analysis="区域内同类企业约30家，年采购规模稳定增长。",
        competitor_analysis="主要竞争对手价格略低，但交货周期长、服务响应慢。",
        planned_approach="先拜访技术负责人，再提供样品试用，以服务和交期取胜。",
        expected_sales=sales,
        expected_margin=(sales * Decimal("0.25")).quantize(Decimal("0.01")),
        status=ProposalStatus.APPROVED,
        decided_by=rep.manager.user if rep.manager and rep.manager.user_id else None,
        decided_at=decided,
        decision_comment="同意，按计划推进。",
    )
    proposal.save()  # one by one: the audit trail records it
    return proposal


def _funnel_items_create(company, rng: random.Random, today: date) -> int:
    stages = list(PipelineStage.objects.filter(active=True).order_by("position", "pk"))
    reps = [p for p in company.people if p.role == Role.REP and p.leave_date is None]
    prospects: dict[int, list] = {}
    for customer in Customer.objects.filter(lifecycle_stage=LifecycleStage.PROSPECT):
        prospects.setdefault(customer.owner_id, []).append(customer)
    entries, number = [], 0
    for rep in reps:
        for _ in range(rng.randint(*ITEMS_PER_REP)):
            entered = today - timedelta(days=rng.randint(5, 330))
            own = prospects.get(rep.pk) or []
            customer = own.pop() if own and rng.random() < 0.5 else None
            proposal = _proposal(rep, rng, number, customer, _moment(entered, 9))
            stays, status, reason = _path(rng, stages, entered, today)
            closed = _moment(stays[-1][2], 17) if status != PipelineItemStatus.OPEN else None
            item = PipelineItem.objects.create(
                proposal=proposal,
                rep=rep,
                customer=customer,
                name=proposal.target_name[:200],
                stage=stays[-1][0],
                status=status,
                won_reason=reason if status == PipelineItemStatus.WON else "",
                lost_reason=reason if status == PipelineItemStatus.LOST else "",
                closed_at=closed,
            )
            PipelineItem.objects.filter(pk=item.pk).update(created_at=_moment(entered, 9))
            entries.extend(
                PipelineStageEntry(
                    item=item,
                    stage=stage,
                    entered_at=_moment(start, 9),
                    left_at=_moment(end, 17) if end else None,
                )
                for stage, start, end in stays
            )
            number += 1
    PipelineStageEntry.objects.bulk_create(entries)
    return number


def _entries_for_items_without(today: date) -> None:
    """Items made without their stage times (the proposals in every state) get one entry."""
    missing = PipelineItem.objects.filter(stage__isnull=False, stage_entries__isnull=True)
    PipelineStageEntry.objects.bulk_create(
        PipelineStageEntry(
            item=item,
            stage_id=item.stage_id,
            entered_at=item.created_at,
            left_at=item.closed_at
            if item.closed_at and item.closed_at >= item.created_at
            else None,
        )
        for item in missing
    )


def _competitor_notes_create(company, today: date) -> int:
    """Competitor notes by the first rep with a login on one of their own customers."""
    rep = next((p for p in company.logins if p.role == Role.REP and p.user_id), None)
    customer = Customer.objects.filter(owner=rep).order_by("code").first() if rep else None
    if rep is None or customer is None:
        return 0
    for days, (subject, competitor, product, price, source) in enumerate(COMPETITOR_NOTES):
        note = ResearchNote(
            kind=ResearchKind.COMPETITOR,
            subject=subject,
            competitor=competitor,
            product=product,
            price=price,
            source=source,
            observed_on=today - timedelta(days=7 * days + 3),
            notes="客户正在比较两家的方案，下次拜访带上交期承诺和服务方案。",
        )
        research_note_save(instance=note, actor=rep.user, customers=[customer])
    return len(COMPETITOR_NOTES)


def demo_pipeline_create(*, company, seed: int, today: date) -> dict[str, int]:
    """Create the funnel's year of pipeline items and the reps' competitor notes."""
    rng = random.Random(seed * 104729 + 17)
    _entries_for_items_without(today)
    items = _funnel_items_create(company, rng, today)
    notes = _competitor_notes_create(company, today)
    return {"funnel pipeline items": items, "competitor notes by reps": notes}
