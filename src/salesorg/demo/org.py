"""A realistic, deterministic demo company: regions, teams, people, memberships, calendar.

The same scale, seed and reference date always give the same company.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from salesorg.core.models import CalendarDay
from salesorg.core.roles import Role
from salesorg.org.models import Membership, Person, Position, Region, Team
from salesorg.org.services import person_set_password

DEMO_PASSWORD = "salesorg2026"

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余"
    "杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙"
    "史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红鹏辉建国晓东宇浩凯文斌波宁"
    "雪梅琳俊峰志海亮婷欣怡佳晨阳"
)

REGIONS = [
    ("EAST", "华东大区", "华东"),
    ("NORTH", "华北大区", "华北"),
    ("SOUTH", "华南大区", "华南"),
    ("WEST", "西南大区", "西南"),
    ("CENTRAL", "华中大区", "华中"),
    ("NORTHEAST", "东北大区", "东北"),
    ("NORTHWEST", "西北大区", "西北"),
]
TEAM_ORDINALS = "一二三四五六七八九十"

POSITIONS = {
    Role.REP: (
        "POS-REP",
        "销售代表",
        "1. 按计划拜访客户，记录每次拜访的目的、结果和下一步；\n"
        "2. 完成月度、季度和年度销售目标（现实目标与理想目标）；\n"
        "3. 跟踪应收账款，按期回款；\n"
        "4. 开发新客户，维护老客户，了解客户关系人的变化；\n"
        "5. 费用控制在预算之内。",
    ),
    Role.MANAGER: (
        "POS-MGR",
        "销售经理",
        "1. 分解并落实小组的销售目标；\n"
        "2. 与组员进行一对一沟通辅导，开展联合拜访；\n"
        "3. 主持销售会议，分析未达成目标的真正原因并制定对策；\n"
        "4. 对组员进行绩效评估，提出培训、晋升或辞退建议。",
    ),
    Role.REGION_HEAD: (
        "POS-RH",
        "大区经理",
        "1. 制定大区销售规划并分解到各小组；\n2. 指挥协调各小组，控制费用与应收账款；\n"
        "3. 审批人事评估与新客户开发方案。",
    ),
    Role.DIRECTOR: (
        "POS-DIR",
        "销售总监",
        "1. 根据市场调查确定公司目标和销售规划；\n2. 建立销售组织与激励政策；\n"
        "3. 评价与改进整个销售体系。",
    ),
    Role.FINANCE: ("POS-FIN", "财务专员", "1. 管理发票与应收账款；\n2. 登记回款并提供回收率报表。"),
    Role.TRAINER: (
        "POS-TRN",
        "培训专员",
        "1. 组织入职基本培训和日常销售业务培训；\n2. 根据绩效差距安排针对性培训。",
    ),
    Role.ADMIN: ("POS-ADM", "系统管理员", "1. 维护组织架构、用户与系统设置；\n2. 导入导出数据。"),
}

# Public holidays (0) and make-up working days (1) of the Chinese calendar.
CHINESE_CALENDAR = {
    2025: {
        "holidays": [
            ("2025-01-01", "元旦"),
            *[(f"2025-01-{d}", "春节") for d in (28, 29, 30, 31)],
            *[(f"2025-02-0{d}", "春节") for d in (1, 2, 3, 4)],
            *[(f"2025-04-0{d}", "清明节") for d in (4, 5, 6)],
            *[(f"2025-05-0{d}", "劳动节") for d in (1, 2, 3, 4, 5)],
            ("2025-05-31", "端午节"),
            ("2025-06-01", "端午节"),
            ("2025-06-02", "端午节"),
            *[(f"2025-10-0{d}", "国庆节、中秋节") for d in range(1, 9)],
        ],
        "makeup": ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"],
    },
    2026: {
        "holidays": [
            *[(f"2026-01-0{d}", "元旦") for d in (1, 2, 3)],
            *[(f"2026-02-{d}", "春节") for d in range(15, 24)],
            *[(f"2026-04-0{d}", "清明节") for d in (4, 5, 6)],
            *[(f"2026-05-0{d}", "劳动节") for d in (1, 2, 3, 4, 5)],
            *[(f"2026-06-{d}", "端午节") for d in (19, 20, 21)],
            *[(f"2026-09-{d}", "中秋节") for d in (25, 26, 27)],
            *[(f"2026-10-0{d}", "国庆节") for d in range(1, 8)],
        ],
        "makeup": [
            "2026-01-04",
            "2026-02-14",
            "2026-02-28",
            "2026-05-09",
            "2026-09-20",
            "2026-10-10",
        ],
    },
}


@dataclass
class DemoCompany:
    """What the demo generator created, with the people who can log in."""

    regions: list[Region] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    logins: list[Person] = field(default_factory=list)


class _Names:
    """Distinct Chinese names from a seeded generator."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def next(self) -> str:
        for _attempt in range(1000):
            length = self.rng.choice((1, 2, 2))
            name = self.rng.choice(SURNAMES) + "".join(
                self.rng.choice(GIVEN) for _ in range(length)
            )
            if name not in self.used:
                self.used.add(name)
                return name
        name = f"{self.rng.choice(SURNAMES)}{len(self.used)}"
        self.used.add(name)
        return name


def _region_spec(index: int) -> tuple[str, str, str]:
    if index < len(REGIONS):
        return REGIONS[index]
    number = index + 1
    return (f"R{number:02d}", f"第{number}大区", f"第{number}区")


@transaction.atomic
def demo_company_create(*, scale: int = 1, seed: int = 1, today: date) -> DemoCompany:
    """Create a demo company of 2×scale regions, two teams each, a manager and five reps a team."""
    rng = random.Random(seed)
    names = _Names(rng)
    company = DemoCompany()
    positions = {
        role: Position.objects.create(code=code, name=name, duties=duties)
        for role, (code, name, duties) in POSITIONS.items()
    }
    counters: dict[str, int] = {}

    def person(role: str, prefix: str, *, manager=None, hired: date | None = None) -> Person:
        counters[prefix] = counters.get(prefix, 0) + 1
        hired = hired or date(rng.randint(2016, today.year - 2), rng.randint(1, 12), 1)
        created = Person.objects.create(
            code=f"{prefix}{counters[prefix]:04d}",
            name=names.next(),
            role=role,
            manager=manager,
            position=positions[role],
            hire_date=hired,
            email=f"{prefix.lower()}{counters[prefix]:04d}@example.cn",
        )
        company.people.append(created)
        return created

    director = person(Role.DIRECTOR, "D", hired=date(2015, 3, 1))
    for role, prefix in ((Role.FINANCE, "F"), (Role.TRAINER, "T"), (Role.ADMIN, "A")):
        person(role, prefix, manager=director if role != Role.ADMIN else None)

    memberships: list[Membership] = []
    rep_teams: list[tuple[Person, Team]] = []
    for index in range(2 * scale):
        code, name, short = _region_spec(index)
        head = person(Role.REGION_HEAD, "H", manager=director)
        region = Region.objects.create(code=code, name=name, head=head)
        company.regions.append(region)
        for number in range(2):
            ordinal = TEAM_ORDINALS[number] if number < len(TEAM_ORDINALS) else str(number + 1)
            manager = person(Role.MANAGER, "M", manager=head)
            team = Team.objects.create(
                code=f"{code}-{number + 1}",
                name=f"{short}{ordinal}组",
                region=region,
                manager=manager,
            )
            company.teams.append(team)
            memberships.append(Membership(person=manager, team=team, start_date=manager.hire_date))
            for _rep in range(5):
                rep = person(Role.REP, "R", manager=manager)
                rep_teams.append((rep, team))

    memberships += _rep_memberships(company=company, rep_teams=rep_teams, rng=rng, today=today)
    Membership.objects.bulk_create(memberships)

    _calendar_create()
    company.logins = _demo_logins(company)
    return company


def _rep_memberships(
    *, company: DemoCompany, rep_teams: list[tuple[Person, Team]], rng: random.Random, today: date
) -> list[Membership]:
    """Membership history: most reps stay; some moved team last July; a few left this year."""
    year_ago = date(today.year - 1, 7, 1)
    memberships: list[Membership] = []
    for position, (rep, team) in enumerate(rep_teams):
        other_teams = [t for t in company.teams if t.region_id == team.region_id and t != team]
        if position % 7 == 3 and other_teams and rep.hire_date < year_ago:
            memberships.append(
                Membership(
                    person=rep,
                    team=other_teams[0],
                    start_date=rep.hire_date,
                    end_date=year_ago - timedelta(days=1),
                )
            )
            memberships.append(Membership(person=rep, team=team, start_date=year_ago))
        elif position % 11 == 5 and position > 0:
            leave = date(today.year, rng.randint(1, max(1, today.month - 1)), 1) - timedelta(1)
            leave = max(leave, rep.hire_date)
            rep.leave_date = leave
            rep.save(update_fields=["leave_date"])
            memberships.append(
                Membership(person=rep, team=team, start_date=rep.hire_date, end_date=leave)
            )
        else:
            memberships.append(Membership(person=rep, team=team, start_date=rep.hire_date))
    return memberships


def _calendar_create() -> None:
    days = []
    for spec in CHINESE_CALENDAR.values():
        for day, note in spec["holidays"]:
            days.append(CalendarDay(date=date.fromisoformat(day), is_workday=False, note=note))
        for day in spec["makeup"]:
            days.append(CalendarDay(date=date.fromisoformat(day), is_workday=True, note="调休上班"))
    CalendarDay.objects.bulk_create(days, ignore_conflicts=True)


def _demo_logins(company: DemoCompany) -> list[Person]:
    """Give one person of each role a login with the demo password."""
    first_team = company.teams[0]
    chosen: list[Person] = []
    for role in (
        Role.DIRECTOR,
        Role.REGION_HEAD,
        Role.MANAGER,
        Role.FINANCE,
        Role.TRAINER,
        Role.ADMIN,
    ):
        chosen.append(next(p for p in company.people if p.role == role))
    chosen.insert(
        3,
        next(
            m.person
            for m in Membership.objects.filter(
                team=first_team, person__role=Role.REP, end_date__isnull=True
            )
            .select_related("person")
            .order_by("person__code")
        ),
    )
    for member in chosen:
        user = person_set_password(person=member, password=DEMO_PASSWORD)
        if member.role == Role.ADMIN:
            get_user_model().objects.filter(id=user.id).update(is_staff=True, is_superuser=True)
    return chosen
