"""Demo data of training and culture: the curriculum with quizzes, three recent hires who
were onboarded automatically (some training done with scores, some overdue), courses
assigned by managers, the vision and values, and recognition posts."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from salesorg.core.roles import Role
from salesorg.demo.org import DEMO_PASSWORD
from salesorg.development.models import Assignment, AssignmentStatus, Material
from salesorg.development.services.culture import culture_page_save, recognition_create
from salesorg.development.services.curriculum import curriculum_install
from salesorg.development.services.onboarding import onboarding_assign
from salesorg.org.models import Membership, Person, Position
from salesorg.org.services import person_set_password
from salesorg.sales.models import Order

VISION = (
    "# 我们的远景\n"
    "成为客户最信赖的合作伙伴：用标准化、流程化的销售动作服务客户，"
    "提升品牌、客户满意度与客户忠诚度。"
)
VALUES = (
    "# 我们的价值观\n"
    "- **客户第一**：内部服务团队，外部服务客户与市场；\n"
    "- **目标导向**：现实目标必达，理想目标全力以赴；\n"
    "- **持续改进**：计划、检查、找原因、改进，形成标准和制度；\n"
    "- **团队协作**：良好有效的沟通，一起成长。"
)
NEW_HIRE_NAMES = ("林晓", "高翔", "叶青")
PRAISES = (
    "本月回款率第一",
    "拿下重点新客户",
    "连续三个月达成理想目标",
    "联合拜访表现出色",
    "客户满意度调查满分",
)


def demo_training_create(*, company, seed: int, today: date) -> dict[str, int]:
    """Create the training and culture demo data; returns counts by kind."""
    rng = random.Random(seed + 606)
    materials = curriculum_install()
    director = next(p for p in company.people if p.role == Role.DIRECTOR)
    director_user = _user_of(director)
    culture_page_save(vision=VISION, values=VALUES, actor=director_user)

    first_team = company.teams[0]
    hires = _new_hires(company=company, team=first_team, today=today)
    onboarded = _progress(hires=hires, today=today, rng=rng)
    assigned = _courses(company=company, today=today, rng=rng, hires=hires)
    posts = _recognitions(company=company, rng=rng)
    return {
        "training materials": len(materials),
        "new hires onboarded": len(hires),
        "training assignments": onboarded + assigned,
        "recognition posts": posts,
    }


def _user_of(person: Person):
    """The person's login, or a temporary unsaved one that carries the person."""
    if person.user_id:  # read afresh: a login caches its scope, and this step adds people
        return get_user_model().objects.get(pk=person.user_id)
    user = get_user_model()(username=person.code, is_active=True)
    user._salesorg_person = person
    return user


def _new_hires(*, company, team, today: date) -> list[Person]:
    """Three reps hired 4 weeks, 2 weeks and 2 days ago; the signal onboards each one."""
    position = Position.objects.filter(code="POS-REP").first()
    hires = []
    for number, (days_ago, name) in enumerate(zip((28, 14, 2), NEW_HIRE_NAMES, strict=True), 1):
        hired = today - timedelta(days_ago)
        person = Person.objects.create(
            code=f"N{number:04d}",
            name=name,
            role=Role.REP,
            manager=team.manager,
            position=position,
            hire_date=hired,
            email=f"n{number:04d}@example.cn",
        )
        Membership.objects.create(person=person, team=team, start_date=hired)
        onboarding_assign(person=person)  # the signal already did; this shows it runs once
        company.people.append(person)
        hires.append(person)
    person_set_password(person=hires[0], password=DEMO_PASSWORD)
    company.logins.append(hires[0])
    return hires


def _progress(*, hires: list[Person], today: date, rng: random.Random) -> int:
    """The earliest hire finished most of the curriculum; the others are partway."""
    assignments = list(
        Assignment.objects.filter(person__in=hires)
        .select_related("material")
        .order_by("person_id", "due_date", "id")
    )
    done_share = {hires[0].pk: 0.8, hires[1].pk: 0.4, hires[2].pk: 0.0}
    by_person: dict[int, list[Assignment]] = {}
    for assignment in assignments:
        by_person.setdefault(assignment.person_id, []).append(assignment)
    changed = []
    for person_id, items in by_person.items():
        finished = int(len(items) * done_share.get(person_id, 0))
        for assignment in items[:finished]:
            day = min(assignment.due_date, today)
            assignment.status = AssignmentStatus.COMPLETED
            assignment.completed_at = timezone.make_aware(datetime.combine(day, time(17, 0)))
            assignment.quiz_score = rng.choice((80, 100, 100))
            assignment.passed = True
            changed.append(assignment)
        if finished < len(items) and done_share.get(person_id):
            failed = items[finished]  # one failed attempt, still open (and maybe overdue)
            failed.quiz_score = 50
            failed.passed = False
            changed.append(failed)
    Assignment.objects.bulk_update(changed, ["status", "completed_at", "quiz_score", "passed"])
    return len(assignments)


def _courses(*, company, today: date, rng: random.Random, hires: list[Person]) -> int:
    """Each team manager assigns a course to two reps who are not new (one is overdue)."""
    courses = list(Material.objects.filter(is_onboarding=False).order_by("code"))
    if not courses:
        return 0
    team_ids = [team.pk for team in company.teams]
    reps_by_team: dict[int, list[int]] = {}
    for team_id, person_id in (
        Membership.objects.filter(
            team_id__in=team_ids, end_date__isnull=True, person__role=Role.REP
        )
        .exclude(person__in=hires)
        .order_by("team_id", "person__code")
        .values_list("team_id", "person_id")
    ):
        reps_by_team.setdefault(team_id, []).append(person_id)
    assignments = []
    for team in company.teams:
        reps = reps_by_team.get(team.pk, [])[:2]
        for index, rep_id in enumerate(reps):
            assignments.append(
                Assignment(
                    person_id=rep_id,
                    material=rng.choice(courses),
                    due_date=today + timedelta(10 if index else -3),
                    assigned_by=team.manager,
                    reason="针对性培训：根据上季度指标",
                )
            )
    Assignment.objects.bulk_create(assignments)
    return len(assignments)


def _recognitions(*, company, rng: random.Random) -> int:
    """Managers praise one rep each in the first teams, linked to the rep's latest order."""
    created = 0
    for team in company.teams[:4]:
        if team.manager is None:
            continue
        rep = (
            Membership.objects.filter(team=team, end_date__isnull=True, person__role=Role.REP)
            .select_related("person")
            .order_by("person__code")
            .first()
        )
        if rep is None:
            continue
        order = Order.objects.filter(rep=rep.person).order_by("-order_date", "-id").first()
        recognition_create(
            person=rep.person,
            title=rng.choice(PRAISES),
            message="感谢你的努力，大家向你学习！",
            actor=_user_of(team.manager),
            order=order,
        )
        created += 1
    return created
