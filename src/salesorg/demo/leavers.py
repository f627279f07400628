"""Demo dismissal and handovers (S15): a dismissal filed after a coaching stage, approved with
its leave scheduled and its records handed over; every earlier leaver's records handed over to
a teammate, except the latest leaver's, left for the leaver check to show."""

from __future__ import annotations

from datetime import date, timedelta

from salesorg.core.roles import Role
from salesorg.core.scoping import SYSTEM
from salesorg.development.models import HandoverKind
from salesorg.development.selectors.handover import leavers_holding
from salesorg.development.selectors.personnel import training_stage
from salesorg.development.services.coaching import coaching_session_create
from salesorg.development.services.handover import handover_apply
from salesorg.development.services.personnel import (
    personnel_review_approve,
    personnel_review_file,
)
from salesorg.org.models import Membership, Person

# The dismissed rep's last day employed, this many days after the demo's today.
NOTICE_DAYS = 24


# The dismissed rep's coaching stage: sessions this many days before the demo's today.
STAGE_SESSIONS = (
    (150, "回款跟进不及时，应收账款逾期增加", "每周一核对逾期应收，逐户电话催收并记录承诺日期"),
    (110, "拜访准备不足，客户需求了解不够", "每次拜访前准备客户档案和三个开放式问题"),
    (70, "报价随意，毛利率低于团队平均", "报价前按价格政策核算毛利，低于底线须经理审批"),
    (35, "改进计划执行不到位，指标没有改善", "每周五与经理复盘本周拜访和回款，未完成项写明原因"),
)


def _coaching_stage(*, manager: Person, rep: Person, today: date) -> int:
    """Four monthly one-on-ones over five months: the stage a dismissal needs behind it;
    returns how many sessions."""
    for days_before, weakness, plan in STAGE_SESSIONS:
        coaching_session_create(
            person=rep,
            actor=manager.user,
            session_date=today - timedelta(days=days_before),
            weaknesses=weakness,
            improvement_plan=plan,
        )
    return len(STAGE_SESSIONS)


def _team_reps(manager: Person, today: date) -> list[Person]:
    """The reps in post of the manager's team today, by code."""
    return list(
        Person.objects.filter(
            memberships__in=Membership.objects.current(today).filter(team__manager=manager),
            role=Role.REP,
            leave_date__isnull=True,
        )
        .distinct()
        .order_by("code")
    )


def _dismissal(*, today: date, counts: dict) -> None:
    """The manager with a demo login dismisses a rep of their team coached for the policy's
    length (not the demo rep), the next level approves; the team's demo rep takes the records
    over."""
    manager = (
        Person.objects.filter(role=Role.MANAGER, user__isnull=False, manager__user__isnull=False)
        .order_by("code")
        .first()
    )
    if manager is None or manager.manager is None:
        return
    reps = _team_reps(manager, today)
    if len(reps) < 2:
        return
    # The longest-serving rep with a demo login takes over (not a new hire).
    successor = min(
        (rep for rep in reps if rep.user_id), key=lambda rep: rep.hire_date, default=reps[0]
    )
    others = [rep for rep in reps if rep != successor and rep.customers.exists()]
    if not others:
        return
    # A rep coached for the policy's length, if the demo coached one long enough.
    dismissed = next(
        (rep for rep in reversed(others) if training_stage(rep, today)["meets_policy"]),
        others[-1],
    )
    if not training_stage(dismissed, today)["meets_policy"]:
        counts["coaching sessions"] += _coaching_stage(manager=manager, rep=dismissed, today=today)
    stage = training_stage(dismissed, today)
    review = personnel_review_file(
        person=dismissed,
        actor=manager.user,
        stage="2026 年下半年辅导期",
        outcome="dismiss",
        summary="辅导期内销售额与回款率连续低于团队平均，联合拜访评分没有改善。",
        effective_date=today + timedelta(days=NOTICE_DAYS),
        override_reason=""
        if stage["meets_policy"]
        else "辅导期不足三个月，但连续两次违反报价纪律，经区域经理同意提前评定。",
        today=today,
    )
    personnel_review_approve(
        review=review,
        actor=manager.manager.user,
        comment="同意辞退，请在离职前完成交接。",
        today=today,
    )
    handover_apply(
        person=dismissed,
        actor=manager.user,
        successors=dict.fromkeys(HandoverKind.values, successor),
        today=today,
    )
    counts["dismissals"] += 1
    counts["handovers"] += 1


def _teammate(leaver: Person, today: date) -> Person | None:
    """Someone in post today from the team the leaver was in on their last day."""
    last = Membership.objects.filter(person=leaver).order_by("-start_date").first()
    if last is None:
        return None
    return (
        Person.objects.filter(
            memberships__in=Membership.objects.current(today).filter(team=last.team_id),
            role__in=(Role.REP, Role.MANAGER),
            leave_date__isnull=True,
        )
        .order_by("-role", "code")  # a rep before the manager
        .first()
    )


def _earlier_leavers(*, today: date, counts: dict) -> None:
    """The director hands every earlier leaver's records to a teammate, all but the latest
    leaver's (a handover still to do)."""
    director = Person.objects.filter(role=Role.DIRECTOR, user__isnull=False).first()
    if director is None:
        return
    rows = [row for row in leavers_holding(user=SYSTEM, today=today) if row.has_left]
    for row in rows[:-1]:  # by leave date: the latest leaver keeps theirs
        heir = _teammate(row.person, today)
        if heir is None:
            continue
        handover_apply(
            person=row.person,
            actor=director.user,
            successors=dict.fromkeys(HandoverKind.values, heir),
            today=today,
        )
        counts["handovers"] += 1


def demo_leavers_create(*, today: date) -> dict[str, int]:
    """Create the demo dismissal and handovers; returns counts by kind."""
    counts = {"coaching sessions": 0, "dismissals": 0, "handovers": 0}
    _dismissal(today=today, counts=counts)
    _earlier_leavers(today=today, counts=counts)
    return counts
