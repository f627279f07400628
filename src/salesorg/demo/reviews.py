"""Demo quarterly reviews, a PDCA cycle and a standards library (deterministic from the seed)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from salesorg.core.roles import Role
from salesorg.core.scoping import SYSTEM
from salesorg.org.models import Membership, Person, Team
from salesorg.performance.kpi.periods import Period
from salesorg.targets.choices import ActionOrigin, Metric, OwnerType
from salesorg.targets.models import (
    ActionItem,
    PdcaCheck,
    PdcaMeasure,
    PdcaPlan,
    PdcaProblem,
    PdcaStatus,
    QuarterlyReview,
    ReviewStatus,
    Standard,
    StandardVersion,
)
from salesorg.targets.quarters import (
    last_finished_quarter,
    quarter_before,
    quarter_of,
    quarter_period,
)
from salesorg.targets.selectors.pdca import check_results
from salesorg.targets.selectors.review_territory import territory_summary
from salesorg.targets.selectors.reviews import review_figures_for
from salesorg.work.actions import action_item_create

ANSWERS = {
    "year_end_result": [
        "完成全年现实目标，争取理想目标",
        "全年销售额达到理想目标",
        "保住老客户并新增五家客户",
    ],
    "obstacles": ["竞争对手降价", "大客户采购推迟", "新产品上市慢", "回款周期长"],
    "territory_strengths_weaknesses": [
        "老客户关系稳定；新客户开发不足",
        "区域内行业集中；客户广度不够",
        "重点品类认可度高；价格偏高",
    ],
    "miss_effect": [
        "剩余月份每月需多完成一成",
        "全年缺口扩大，需要加快新客户开发",
        "本季度已完成，不影响全年",
    ],
    "progressive_targets": ["回款率比上季度提高", "拜访量持续增长", "新客户数量增长"],
    "how_progress": ["每周跟进应收账款", "按计划每天拜访", "联合拜访学习经理的方法"],
    "make_up_plan": ["下季度开发三家新客户", "推动大客户提前下单", "加强重点品类推广"],
}
VISIT_STANDARD = "\n".join(
    ["每位销售代表每天拜访不少于四家客户。", "拜访后当天录入系统。", "重点客户每月至少拜访一次。"]
)
VISIT_REVISION = "\n".join(  # the closed cycle's lesson worked into the text in force
    [
        "每位销售代表每天拜访不少于四家客户。",
        "拜访前准备客户资料，明确拜访目的。",
        "拜访后当天录入系统，记录拜访结果与下一步。",
        "重点客户每月至少拜访一次。",
    ]
)
RECEIVABLES_STANDARD = "\n".join(
    ["开票后三十天内回款。", "逾期十五天由销售经理跟进。", "逾期六十天上报销售总监。"]
)
COMMENTS = ["同意，注意回款", "分析到位，按计划执行", "新客户开发要加快", "继续保持"]


def demo_reviews_create(*, company, seed: int, today: date) -> dict[str, int]:
    """Reviews of the last finished quarter for most reps (one rep also drafts the running
    quarter's), a PDCA cycle and two standards."""
    rng = random.Random(seed * 7919 + 4)
    counts = {"quarterly reviews": _reviews_create(company=company, rng=rng, today=today)}
    counts.update(_pdca_create(company=company, rng=rng, today=today))
    return counts


def _reviews_create(*, company, rng: random.Random, today: date) -> int:
    year, quarter = last_finished_quarter(today=today)
    period = quarter_period(year=year, quarter=quarter)
    reps = [
        person
        for person in company.people
        if person.role == Role.REP
        and person.hire_date <= period.end
        and (person.leave_date is None or person.leave_date >= today)
    ]
    figures = review_figures_for(reps=reps, year=year, quarter=quarter, user=SYSTEM, today=today)
    now = timezone.now()
    reviews = []
    for index, rep in enumerate(reps):
        if index % 6 == 5:
            continue  # a few missing, so that the managers' reminder shows
        status = ReviewStatus.DRAFT if index % 6 == 4 else ReviewStatus.SIGNED_OFF
        answers = {name: rng.choice(choices) for name, choices in ANSWERS.items()}
        if status == ReviewStatus.DRAFT:
            answers = {"year_end_result": answers["year_end_result"]}
        signed = status == ReviewStatus.SIGNED_OFF
        reviews.append(
            QuarterlyReview(
                rep=rep,
                year=year,
                quarter=quarter,
                status=status,
                figures=figures[rep.pk],
                figures_computed_at=now,
                filed_at=now if signed else None,
                manager_comment=rng.choice(COMMENTS) if signed else "",
                reviewed_by=rep.manager if signed else None,
                signed_off_at=now if signed else None,
                **answers,
            )
        )
    bulk_create_with_history(reviews, QuarterlyReview, batch_size=500)
    drafts = _running_draft_create(rep=reps[0], today=today) if reps else 0
    return len(reviews) + drafts


def _running_draft_create(*, rep: Person, today: date) -> int:
    """One rep's draft of the running quarter, with its figures to date (filed once it ends)."""
    year, quarter = quarter_of(today)
    figures = review_figures_for(reps=[rep], year=year, quarter=quarter, user=SYSTEM, today=today)
    QuarterlyReview.objects.create(
        rep=rep,
        year=year,
        quarter=quarter,
        figures=figures[rep.pk],
        figures_computed_at=timezone.now(),
        territory_strengths_weaknesses=territory_summary(
            territory=figures[rep.pk]["territory"], running=True, as_of=today
        ),
        obstacles=ANSWERS["obstacles"][0],
    )
    return 1


def _pdca_create(*, company, rng: random.Random, today: date) -> dict[str, int]:
    team = company.teams[0]
    manager = team.manager
    director = next(person for person in company.people if person.role == Role.DIRECTOR)
    members = list(
        Membership.objects.current(today)
        .filter(team=team, person__role=Role.REP)
        .select_related("person")
        .order_by("person__code")
    )
    reps = ([membership.person for membership in members] + [manager, manager])[:2]
    year, quarter = last_finished_quarter(today=today)
    last = quarter_period(year=year, quarter=quarter)
    before_year, before_quarter = quarter_before(year=year, quarter=quarter)
    before = quarter_period(year=before_year, quarter=before_quarter)

    closed = _closed_cycle_create(team=team, manager=manager, period=before)
    items = _open_cycle_create(
        team=team, manager=manager, reps=reps, period=last, year=year, quarter=quarter, today=today
    )
    _standards_create(director=director, manager=manager, lesson_plan=closed, today=today)
    return {
        "PDCA plans": 2,
        "PDCA problems": 1,
        "action items": len(items),
        "standards": 2,
        "standard versions": 4,
    }


def _closed_cycle_create(*, team: Team, manager: Person, period: Period) -> PdcaPlan:
    """Last-but-one quarter's visit-quality cycle, closed with a lesson."""
    closed = PdcaPlan.objects.create(
        title=f"{team.name}：提高拜访质量",
        unit_type=OwnerType.TEAM,
        team=team,
        owner=manager,
        period_start=period.start,
        period_end=period.end,
        objective="每位代表每天有效拜访四家，重点客户每月至少一次",
        status=PdcaStatus.CLOSED,
        lesson="拜访前准备客户资料和拜访目的，拜访后当天记录结果与下一步",
        closed_at=timezone.now(),
        created_by=manager,
    )
    PdcaMeasure.objects.create(
        plan=closed,
        what="每天拜访四家客户",
        metric=Metric.VISITS,
        target_value=Decimal("200"),
        due_date=period.end,
        owner=manager,
    )
    PdcaCheck.objects.create(
        plan=closed,
        checked_on=period.end,
        checked_by=manager,
        summary="拜访量达标，记录完整",
        results=check_results(plan=closed, as_of=period.end, user=SYSTEM),
    )
    return closed


def _open_cycle_create(
    *,
    team: Team,
    manager: Person,
    reps: list[Person],
    period: Period,
    year: int,
    quarter: int,
    today: date,
) -> list[ActionItem]:
    """Last quarter's collections cycle, at Act: a check, a problem and two action items."""
    plan = PdcaPlan.objects.create(
        title=f"{team.name}：{year}年第{quarter}季度回款",
        unit_type=OwnerType.TEAM,
        team=team,
        owner=manager,
        period_start=period.start,
        period_end=period.end,
        objective="回款率达到九成，逾期应收减少一半",
        status=PdcaStatus.ACT,
        created_by=manager,
    )
    PdcaMeasure.objects.bulk_create(
        [
            PdcaMeasure(
                plan=plan,
                what="每周核对应收账款并电话跟进",
                metric=Metric.COLLECTIONS,
                target_value=Decimal("300000.00"),
                due_date=period.end,
                owner=manager,
            ),
            PdcaMeasure(
                plan=plan,
                what="新增潜在客户",
                metric=Metric.PROSPECTS_ADDED,
                target_value=Decimal("10"),
                due_date=period.end,
                owner=manager,
            ),
        ]
    )
    check = PdcaCheck.objects.create(
        plan=plan,
        checked_on=period.end,
        checked_by=manager,
        summary="回款未达计划，两家大客户拖欠",
        results=check_results(plan=plan, as_of=period.end, user=SYSTEM),
    )
    problem = PdcaProblem.objects.create(
        plan=plan,
        check_record=check,
        description="两家大客户回款逾期超过六十天",
        cause_category="customer",
        cause="合同账期约定不清，开票后未及时跟进",
        created_by=manager,
    )
    items = [
        action_item_create(
            title="与逾期客户财务约定还款计划",
            owner=reps[0],
            due_date=today - timedelta(days=3),
            origin=ActionOrigin.PDCA,
            source=problem,
        ),
        action_item_create(
            title="修订合同模板中的付款条款",
            owner=reps[1],
            due_date=today + timedelta(days=10),
            origin=ActionOrigin.PDCA,
            source=problem,
        ),
    ]
    for item in items:
        item.created_by = manager
        item.save(update_fields=["created_by"])
    return items


def _standards_create(
    *, director: Person, manager: Person, lesson_plan: PdcaPlan, today: date
) -> None:
    """Two published standards: the visit standard's second version is a revision from the
    closed cycle's lesson (its history shows the diff); the receivables standard has a
    manager's draft revision awaiting approval."""
    visit = Standard.objects.create(
        code="STD-VISIT",
        title="客户拜访标准",
        category="sales_process",
        is_published=True,
        proposed_by=director,
    )
    receivables = Standard.objects.create(
        code="STD-AR",
        title="应收账款管理制度",
        category="customers",
        is_published=True,
        proposed_by=director,
    )
    now = timezone.now()
    visit_first, receivables_first = StandardVersion.objects.bulk_create(
        [
            StandardVersion(
                standard=visit,
                number=1,
                body=VISIT_STANDARD,
                effective_date=date(today.year - 1, 1, 1),
                approved_by=director,
                approved_at=now,
                proposed_by=director,
            ),
            StandardVersion(
                standard=receivables,
                number=1,
                body=RECEIVABLES_STANDARD,
                effective_date=date(today.year, 1, 1),
                approved_by=director,
                approved_at=now,
                proposed_by=director,
            ),
        ]
    )
    StandardVersion.objects.bulk_create(
        [
            # the closed cycle's lesson, approved as a revision of the text in force
            StandardVersion(
                standard=visit,
                number=2,
                body=VISIT_REVISION,
                effective_date=lesson_plan.period_end + timedelta(days=1),
                approved_by=director,
                approved_at=now,
                proposed_by=manager,
                lesson_plan=lesson_plan,
                based_on=visit_first,
            ),
            # a revision the manager drafted, awaiting the director's approval
            StandardVersion(
                standard=receivables,
                body=RECEIVABLES_STANDARD + "\n签订合同时写明账期和对方财务联系人。",
                proposed_by=manager,
                based_on=receivables_first,
            ),
        ]
    )
