"""Demo coaching data: one-on-ones with action items (some still open and carried over),
joint-visit reviews over the months, targeted-training rules with a few proposals, and
personnel reviews (a promotion awaiting approval and an approved one)."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from salesorg.core.roles import Role
from salesorg.core.scoping import SYSTEM
from salesorg.demo.leavers import demo_leavers_create
from salesorg.development.models import (
    CoachingComment,
    CoachingSession,
    JointVisitReview,
    Material,
    PersonnelReview,
    PositionChange,
    ReviewStatus,
    RubricScore,
    TrainingProposal,
    TrainingRule,
)
from salesorg.development.selectors.coaching import SESSION_INDICATORS
from salesorg.development.selectors.joint_visits import (
    default_rubric,
    improvement_points,
    rubric_criteria,
)
from salesorg.development.selectors.personnel import evidence_snapshot
from salesorg.development.selectors.targeted import rules_fire
from salesorg.development.services.training import material_code_new
from salesorg.org.models import Person, Position
from salesorg.performance.kpi.indicators import indicator_table
from salesorg.performance.kpi.periods import Period, month_end
from salesorg.sales.choices import VisitKind
from salesorg.sales.models import Visit
from salesorg.targets.choices import ActionOrigin, ActionStatus
from salesorg.targets.models import ActionItem

SESSION_MONTHS = 3
REPS_COACHED_PER_TEAM = 3
STRENGTHS = ("客户关系维护得好，回访及时", "产品知识扎实，讲解清楚", "执行力强，计划按时完成")
WEAKNESSES = ("需求挖掘不够深入，问题太少", "回款跟进不及时", "拜访前准备不足，目标不清")
CONTEXTS = ("重点客户本季度预算收紧", "竞争对手在本区域降价促销", "两家老客户有扩产计划")
PLANS = ("每次拜访前写好三个开放式问题", "每周一梳理应收款并电话跟进", "每周至少开发两家新客户")
ITEMS = ("整理重点客户需求清单", "跟进逾期应收款", "准备新品演示材料", "拜访两家潜在客户")
STRENGTH_NOTES = ("开场自然，建立了信任", "产品演示清楚", "及时确认了下一步")
IMPROVEMENTS = (
    "1. 多问开放式问题，少讲产品\n2. 拜访前确认客户的决策人",
    "1. 遇到价格异议先了解原因再回应\n2. 演示时结合客户的实际用量",
    "1. 结束前明确提出成交请求\n2. 当天发出拜访纪要\n3. 约定下次拜访时间",
)
# The coached rep's side of the plan discussion (双方共同讨论、拟订) and the coach's answer.
REP_COMMENTS = (
    "周一上午有例会，能否改到周一下午？",
    "同意，需要新品资料支持",
    "目标可以，客户名单我来定",
)
COACH_REPLIES = ("可以，改到周一下午", "资料周三前发给你", "好，名单周五前给我看一下")
# Points to improve of reviews older than this are all action items (most done); newer ones
# have their first point made an item, still open.
POINTS_SETTLED_DAYS = 30
RULES = (
    ("回款率低于80% → 回款技巧", "indicator", "collection_rate", "", "80", "collections"),
    (
        "日均拜访低于2次 → 区域规划",
        "indicator",
        "visits_per_workday",
        "",
        "2",
        "territory_planning",
    ),
    ("“成交”平均分低于3 → 成交技巧", "rubric", "", "closing", "3", "selling_skills"),
)


def _month_start(day: date, back: int) -> date:
    """The first day of the month `back` months before `day`'s month."""
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def _snapshots(*, people: list[Person], months: list[date]) -> dict[tuple[int, date], dict]:
    """Each person's session indicators per month (one engine call per month)."""
    codes = {person.code: person.pk for person in people}
    snapshots = {}
    for start in months:
        end = month_end(year=start.year, month=start.month)
        table = indicator_table(user=SYSTEM, start=start, end=end, level="person")
        for row in table.rows:
            if row.code in codes:
                values = {name: row.value(name) for name in SESSION_INDICATORS}
                snapshots[(codes[row.code], start)] = {
                    "start": start.isoformat(),
                    "end": end.isoformat(),
                    "values": {k: None if v is None else str(v) for k, v in values.items()},
                }
    return snapshots


def _session_snapshot(snapshots: dict, *, person: Person, start: date) -> dict:
    """A session's snapshot in month `start`: the last ended month and (`before`) the one before."""
    latest = snapshots.get((person.pk, _month_start(start, 1)), {})
    return {**latest, "before": snapshots.get((person.pk, _month_start(start, 2)), {})}


def _sessions(*, company, rng: random.Random, today: date, counts: dict) -> None:
    managers = [team.manager for team in company.teams if team.manager_id]
    coached = []
    for manager in managers:
        reps = list(
            Person.objects.filter(manager=manager, role=Role.REP, leave_date__isnull=True).order_by(
                "code"
            )[:REPS_COACHED_PER_TEAM]
        )
        coached.extend((manager, rep) for rep in reps)
    months = [_month_start(today, back) for back in range(SESSION_MONTHS - 1, -1, -1)]
    # A session compares ended months: the one before its own, and the one before that.
    ended = [_month_start(today, back) for back in range(SESSION_MONTHS + 1, 0, -1)]
    snapshots = _snapshots(people=[rep for _m, rep in coached], months=ended)
    session_type = ContentType.objects.get_for_model(CoachingSession)
    for manager, rep in coached:
        previous = None
        open_items: list[ActionItem] = []
        for index, start in enumerate(months):
            day = min(start + timedelta(days=rng.randint(3, 20)), today)
            session = CoachingSession.objects.create(
                person=rep,
                coach=manager,
                session_date=day,
                strengths=rng.choice(STRENGTHS),
                weaknesses=rng.choice(WEAKNESSES),
                context=rng.choice(CONTEXTS),
                improvement_plan=rng.choice(PLANS),
                follow_up_date=day + timedelta(days=14),
                follow_up_checked_at=None
                if index == len(months) - 1
                else timezone.make_aware(datetime.combine(day + timedelta(days=14), time(10))),
                follow_up_note="" if index == len(months) - 1 else "计划执行中，有进步",
                previous=previous,
                indicators=_session_snapshot(snapshots, person=rep, start=start),
            )
            session.carried_items.set(open_items)
            _plan_discussion(session, manager=manager, latest=index == len(months) - 1)
            new_items = []
            for title in rng.sample(ITEMS, 2):
                due = day + timedelta(days=rng.randint(5, 20))
                done = index < len(months) - 1 and rng.random() < 0.7
                new_items.append(
                    ActionItem(
                        title=title,
                        owner=rep,
                        due_date=due,
                        status=ActionStatus.DONE if done else ActionStatus.OPEN,
                        origin=ActionOrigin.COACHING,
                        source_type=session_type,
                        source_id=session.pk,
                        created_by=manager,
                        completed_at=timezone.make_aware(datetime.combine(due, time(17)))
                        if done
                        else None,
                    )
                )
            ActionItem.objects.bulk_create(new_items)
            open_items = [
                item for item in [*open_items, *new_items] if item.status == ActionStatus.OPEN
            ]
            previous = session
            counts["coaching sessions"] += 1
            counts["coaching action items"] += len(new_items)


def _plan_discussion(session: CoachingSession, *, manager: Person, latest: bool) -> None:
    """The rep comments on the plan and the coach answers; the rep agrees the next day.
    The latest session of every other rep still awaits the rep's agreement."""
    pick = session.pk % len(REP_COMMENTS)
    asked = timezone.make_aware(datetime.combine(session.session_date, time(18)))
    CoachingComment.objects.create(session=session, author=session.person, text=REP_COMMENTS[pick])
    CoachingComment.objects.create(session=session, author=manager, text=COACH_REPLIES[pick])
    comments = CoachingComment.objects.filter(session=session).order_by("id")
    for minutes, comment in enumerate(comments):  # auto_now_add: set the demo times after
        CoachingComment.objects.filter(pk=comment.pk).update(
            created_at=asked + timedelta(minutes=30 * minutes)
        )
    if not (latest and session.person_id % 2):
        session.plan_agreed_at = asked + timedelta(hours=15)
        session.save(update_fields=["plan_agreed_at"])


def _review_point_items(reviews: list[JointVisitReview], *, today: date) -> int:
    """Points to improve made the rep's action items, linked to their review."""
    review_type = ContentType.objects.get_for_model(JointVisitReview)
    items = []
    for review in reviews:
        settled = review.visit.visit_date < today - timedelta(days=POINTS_SETTLED_DAYS)
        points = improvement_points(review.improvements)
        for number, point in enumerate(points if settled else points[:1]):
            due = review.visit.visit_date + timedelta(days=14 + 7 * number)
            done = settled and (review.pk + number) % 4 != 0
            items.append(
                ActionItem(
                    title=point,
                    owner_id=review.visit.rep_id,
                    due_date=due,
                    status=ActionStatus.DONE if done else ActionStatus.OPEN,
                    origin=ActionOrigin.COACHING,
                    source_type=review_type,
                    source_id=review.pk,
                    customer_id=review.visit.customer_id,
                    created_by_id=review.reviewer_id,
                    completed_at=timezone.make_aware(datetime.combine(due, time(17)))
                    if done
                    else None,
                )
            )
    ActionItem.objects.bulk_create(items, batch_size=1000)
    return len(items)


def _reviews(*, rng: random.Random, today: date, counts: dict) -> None:
    rubric = default_rubric()
    if rubric is None:
        return
    criteria = rubric_criteria(rubric=rubric)
    visits = list(
        Visit.objects.filter(
            kind=VisitKind.JOINT,
            coach__isnull=False,
            visit_date__lte=today,
            visit_date__gte=today - timedelta(days=240),
        ).order_by("visit_date", "id")
    )
    seen: dict[int, int] = {}
    reviews, scores = [], []
    for visit in visits:
        number = seen.get(visit.rep_id, 0)
        seen[visit.rep_id] = number + 1
        values = [
            max(1, min(5, rng.randint(2, 4) + (1 if number > 2 and rng.random() < 0.4 else 0)))
            for _criterion in criteria
        ]
        average = (Decimal(sum(values)) / len(values)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
        reviews.append(
            JointVisitReview(
                visit=visit,
                rubric=rubric,
                reviewer_id=visit.coach_id,
                strengths=rng.choice(STRENGTH_NOTES),
                improvements=rng.choice(IMPROVEMENTS),
                average_score=average,
            )
        )
        scores.append(values)
    JointVisitReview.objects.bulk_create(reviews)
    saved = dict(JointVisitReview.objects.filter(visit__in=visits).values_list("visit_id", "id"))
    RubricScore.objects.bulk_create(
        RubricScore(review_id=saved[review.visit_id], criterion=criterion, score=value)
        for review, values in zip(reviews, scores, strict=True)
        for criterion, value in zip(criteria, values, strict=True)
    )
    counts["joint-visit reviews"] += len(reviews)
    counts["review points made action items"] += _review_point_items(
        list(JointVisitReview.objects.filter(visit__in=visits).select_related("visit")),
        today=today,
    )


def _material(topic: str, title: str) -> Material:
    material = Material.objects.filter(topic=topic, is_published=True).order_by("id").first()
    if material is None:
        material = Material.objects.create(
            code=material_code_new(), title=title, topic=topic, body=title
        )
    return material


def _rules_and_proposals(*, company, today: date, counts: dict) -> None:
    rules = [
        TrainingRule.objects.create(
            name=name,
            source=source,
            indicator=indicator,
            criterion_code=criterion,
            comparison="lt",
            threshold=Decimal(threshold),
            material=_material(topic, name.split("→")[-1].strip()),
        )
        for name, source, indicator, criterion, threshold, topic in RULES
    ]
    counts["training rules"] += len(rules)
    last_month_end = today.replace(day=1) - timedelta(days=1)
    period = Period(start=last_month_end.replace(day=1), end=last_month_end)
    team = company.teams[0]
    people = list(Person.objects.filter(manager=team.manager, role=Role.REP).order_by("code"))
    firings = rules_fire(user=SYSTEM, people=people, period=period, rules=rules)[:6]
    TrainingProposal.objects.bulk_create(
        TrainingProposal(
            person_id=firing.person_id,
            rule=firing.rule,
            material_id=firing.rule.material_id,
            period_start=period.start,
            period_end=period.end,
            value=firing.value.quantize(Decimal("0.0001")),
        )
        for firing in firings
    )
    counts["training proposals"] += len(firings)


def _personnel(*, company, rng: random.Random, today: date, counts: dict) -> None:
    senior, _created = Position.objects.get_or_create(
        code="POS-SREP",
        defaults={"name": "高级销售代表", "duties": "1. 负责重点客户；\n2. 带教新销售代表。"},
    )
    teams = [team for team in company.teams if team.manager_id][:2]
    for index, team in enumerate(teams):
        manager = team.manager
        rep = (
            Person.objects.filter(manager=manager, role=Role.REP, leave_date__isnull=True)
            .order_by("code")
            .first()
        )
        if rep is None:
            continue
        approved = index == 1
        effective = today.replace(day=1) if approved else today + timedelta(days=30)
        review = PersonnelReview.objects.create(
            person=rep,
            filed_by=manager,
            stage="试用期结束评定" if not approved else "年度晋升评定",
            outcome="promote",
            summary="业绩稳定达成现实目标，辅导行动项完成率高，联合拜访评分持续提升。",
            new_position=senior,
            effective_date=effective,
            evidence=evidence_snapshot(user=SYSTEM, person=rep, today=today),
            approver=manager.manager,
            status=ReviewStatus.APPROVED if approved else ReviewStatus.PENDING,
            decided_by=manager.manager if approved else None,
            decided_at=timezone.now() if approved else None,
            decision_comment="同意晋升。" if approved else "",
        )
        counts["personnel reviews"] += 1
        if approved:
            PositionChange.objects.create(
                person=rep,
                review=review,
                old_position=rep.position,
                new_position=senior,
                effective_date=effective,
                applied_at=timezone.now(),
            )
            rep.position = senior
            rep.save(update_fields=["position"])


def demo_coaching_create(*, company, seed: int, today: date) -> dict[str, int]:
    """Create the demo coaching records; returns counts by kind."""
    rng = random.Random(seed * 7919 + 6)
    counts = dict.fromkeys(
        (
            "coaching sessions",
            "coaching action items",
            "joint-visit reviews",
            "review points made action items",
            "training rules",
            "training proposals",
            "personnel reviews",
        ),
        0,
    )
    _sessions(company=company, rng=rng, today=today, counts=counts)
    _reviews(rng=rng, today=today, counts=counts)
    _rules_and_proposals(company=company, today=today, counts=counts)
    _personnel(company=company, rng=rng, today=today, counts=counts)
    leavers = demo_leavers_create(today=today)  # with the dismissed rep's coaching stage
    counts["coaching sessions"] += leavers.pop("coaching sessions")
    return counts | leavers
