"""Demo incentive policy, scorecards and sales meetings (deterministic from the seed).

A published policy effective since January of last year; closed scorecards for the last
three months and the last quarter, an open one for the current month; two meetings of
the first team with causes, countermeasures and their action items (some still open).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from salesorg.performance.kpi.periods import month_end
from salesorg.performance.models import CauseCategory, MeetingItem, Scorecard
from salesorg.performance.selectors.policies import DEFAULT_RULES, DEFAULT_TIERS
from salesorg.performance.services.meetings import meeting_create, meeting_item_record
from salesorg.performance.services.policies import policy_publish, policy_save
from salesorg.performance.services.scorecards import scorecards_close, scorecards_compute
from salesorg.targets.choices import ActionStatus
from salesorg.targets.models import ActionItem

CAUSES = {
    CauseCategory.ACTIVITY: ("拜访量不足，新客户开发太少", "每周至少拜访两家新客户"),
    CauseCategory.CUSTOMER: ("大客户预算推迟到下季度", "与采购经理确认下季度采购计划"),
    CauseCategory.MARKET: ("竞争对手降价抢单", "准备价值对比资料，拜访重点客户"),
    CauseCategory.SKILL: ("新产品知识不熟练", "参加新产品培训并与经理联合拜访"),
    CauseCategory.PRODUCT: ("重点产品缺货两周", "与物流确认备货，提前告知客户"),
}
# The cause a meeting finds for a miss of one indicator (else one of CAUSES at random).
CAUSE_OF_INDICATOR = {
    "visits": (
        CauseCategory.ACTIVITY,
        "内部事务占用时间，拜访计划没有执行",
        "每天至少拜访三家客户，周五与经理复盘下周拜访计划",
    ),
    "collected": (
        CauseCategory.CUSTOMER,
        "两家老客户付款周期延长，逾期未跟进",
        "每周跟进应收账款，逾期超过30天的由经理陪同上门催收",
    ),
    "gross_margin": (
        CauseCategory.MARKET,
        "竞争对手降价，低毛利订单占比高",
        "主推高毛利产品，报价低于底价须经理审批",
    ),
    "expenses": (
        CauseCategory.OTHER,
        "出差路线安排不合理，差旅费超支",
        "按区域集中安排拜访路线，出差前报经理审批",
    ),
}
ITEMS_ANALYSED = 4  # per meeting: one item of each of the first reps, the rest still open


def _month_start(day: date, back: int) -> date:
    year, month = day.year, day.month - back
    while month < 1:
        year, month = year - 1, month + 12
    return date(year, month, 1)


def demo_scorecards_create(*, company, seed: int, today: date) -> dict[str, int]:
    """Create the demo policy, scorecards and meetings; counts by kind."""
    rng = random.Random(seed * 7919 + 13)
    rules = [dict(rule) for rule in DEFAULT_RULES]
    policy = policy_save(
        actor=None,
        name="销售激励政策",
        effective_from=date(today.year - 1, 1, 1),
        description="按季度考核，月度评分；奖金按总分档位系数发放。",
        rules=rules,
        bonus_base=Decimal("2000.00"),
        bonus_tiers=DEFAULT_TIERS,
        total_cap=Decimal("130"),
    )
    policy_publish(actor=None, policy=policy)
    current_quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    last_quarter_start = _month_start(current_quarter_start, 3)
    periods = [("month", _month_start(today, back)) for back in (3, 2, 1)]
    periods.append(("quarter", last_quarter_start))
    for kind, start in periods:
        scored = scorecards_compute(actor=None, kind=kind, start=start)
        scorecards_close(actor=None, period=scored)
    scorecards_compute(actor=None, kind="month", start=today.replace(day=1))
    meetings, actions = _demo_meetings(company=company, rng=rng, today=today)
    return {
        "incentive policies": 1,
        "scorecards": Scorecard.objects.count(),
        "sales meetings": meetings,
        "meeting action items": actions,
    }


def _demo_meetings(*, company, rng: random.Random, today: date) -> tuple[int, int]:
    team = next((team for team in company.teams if team.manager_id), None)
    if team is None:
        return 0, 0
    actions = 0
    for back in (2, 1):
        start = _month_start(today, back)
        end = month_end(year=start.year, month=start.month)
        held_on = min(end + timedelta(days=3), today)
        meeting = meeting_create(
            actor=None,
            team=team,
            period_start=start,
            period_end=end,
            held_on=held_on,
            title=f"{team.name} {start:%Y-%m} 销售会议",
        )
        items = _items_to_analyse(meeting)
        for item in items:
            category, cause, countermeasure = CAUSE_OF_INDICATOR.get(item.indicator, (None, "", ""))
            if category is None:
                category = rng.choice(sorted(CAUSES))
                cause, countermeasure = CAUSES[category]
            meeting_item_record(
                actor=None,
                item=item,
                cause_category=category,
                cause=cause,
                countermeasure=countermeasure,
                due_date=held_on + timedelta(days=rng.choice((7, 14, 21))),
            )
            actions += 1
        meeting.minutes = (
            f"参会：{team.name}全体。逐项分析了本期未达成的指标，找出真正原因并确定了对策；"
            "对策已作为行动项分配到人，下次会议首先检查完成情况。"
        )
        meeting.save(update_fields=["minutes"])
        if back == 2:  # the earlier meeting's actions: half done, the rest still open
            done = list(
                ActionItem.objects.filter(origin="meeting", source_id__in=[i.pk for i in items])
                .order_by("id")
                .values_list("id", flat=True)
            )[::2]
            ActionItem.objects.filter(pk__in=done).update(
                status=ActionStatus.DONE, completed_at=timezone.now(), result="已完成"
            )
    return 2, actions


def _items_to_analyse(meeting) -> list[MeetingItem]:
    """The first item of each of the first reps on the agenda; for the first rep with a
    visits miss that one instead (so the demo shows a visits countermeasure)."""
    chosen: dict[int, MeetingItem] = {}
    for item in MeetingItem.objects.filter(meeting=meeting).order_by("position", "id"):
        if item.person_id not in chosen:
            if len(chosen) == ITEMS_ANALYSED:
                break
            chosen[item.person_id] = item
        elif item.indicator == "visits" and all(i.indicator != "visits" for i in chosen.values()):
            chosen[item.person_id] = item
    return list(chosen.values())
