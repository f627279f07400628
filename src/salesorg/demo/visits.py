"""The sales demo's visits (with the contacts met) and expenses."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from salesorg.customers.models import Contact, Customer
from salesorg.demo.checklists import visit_purposes_create
from salesorg.demo.records import BATCH_SIZE, Account, SalesGenerator, Seller
from salesorg.sales.choices import VisitKind
from salesorg.sales.models import ChecklistStep, Expense, Visit, VisitPurpose, VisitStep

VISIT_PURPOSES = (
    "例行拜访，了解近期生产计划",
    "介绍新品并演示样机",
    "跟进报价",
    "商务谈判：年度框架协议",
    "催收应收账款",
    "了解竞争对手动态",
    "技术交流：产品选型",
    "样品试用跟进",
    "节前客情维护",
)
PROSPECT_PURPOSES = ("新客户初次拜访", "了解客户需求与采购流程", "递交公司资料与产品目录")
JOINT_PURPOSES = ("经理陪同拜访：关键客户关系维护", "联合拜访：推进大单谈判", "辅导拜访：需求挖掘")
SERVICE_PURPOSES = ("设备安装调试", "售后回访", "故障排查与维修", "操作培训", "定期巡检")
VISIT_OUTCOMES = (
    "客户对新品感兴趣，要求提供详细报价。",
    "确认下月有采购需求，金额待定。",
    "客户正在比较竞品，价格是主要顾虑。",
    "当场确认订单。",
    "采购经理出差，未见到关键人。",
    "回款承诺本月底前到账。",
    "需要技术部门进一步支持。",
    "客户预算冻结，暂缓采购。",
    "结识生产部新负责人，建立联系。",
    "客户反馈交期偏长，需协调库存。",
)
SERVICE_OUTCOMES = (
    "问题已解决，客户满意。",
    "设备运行正常，已完成巡检记录。",
    "更换备件后恢复运行，建议签订维保合同。",
    "培训完成，客户操作人员已掌握基本操作。",
)
NEXT_STEPS = (
    "三天内发送报价单",
    "安排技术工程师上门",
    "下周电话跟进",
    "邀请客户参观工厂",
    "准备合同文本",
    "月底前再次拜访",
    "",
)
# The standard purpose (demo/checklists.py) of each kind of visit; those not listed have none.
PURPOSE_CODES = {
    "例行拜访，了解近期生产计划": "ROUTINE",
    "介绍新品并演示样机": "PRODUCT",
    "跟进报价": "NEGOTIATE",
    "商务谈判：年度框架协议": "NEGOTIATE",
    "催收应收账款": "COLLECT",
    "了解竞争对手动态": "ROUTINE",
    "技术交流：产品选型": "PRODUCT",
    "样品试用跟进": "PRODUCT",
    "新客户初次拜访": "FIRST",
    "了解客户需求与采购流程": "FIRST",
    "递交公司资料与产品目录": "PRODUCT",
    "经理陪同拜访：关键客户关系维护": "ROUTINE",
    "联合拜访：推进大单谈判": "NEGOTIATE",
    **dict.fromkeys(SERVICE_PURPOSES, "SERVICE"),
}
STEP_FIELDS = (
    "visit",
    "step",
    "done",
    "skip_reason",
    "purpose_version",
    "position",
    "text",
    "text_en",
    "required",
)
SKIP_REASONS = (
    "关键人不在，改约下次",
    "客户临时有事，时间不够",
    "本次以送样为主，下次补做",
    "客户不愿谈这个话题",
    "已在电话中完成",
)
# How often a rep skips a required step: most rarely, a few often (the report's outliers).
SKIP_RATES = (0.01, 0.02, 0.03, 0.05, 0.12)
# (category, how many a month as (fewest, most), amount range in CNY)
EXPENSE_KINDS = [
    ("差旅", (0, 2), (300, 3000)),
    ("招待", (0, 2), (200, 2000)),
    ("交通", (1, 3), (30, 300)),
    ("通讯", (1, 1), (100, 200)),
]


def visits_create(generator: SalesGenerator) -> None:
    rng = generator.rng(7)
    spans = generator.spans(buying=False)
    visits: list[Visit] = []
    met: list[tuple[Visit, Contact]] = []
    for seller in generator.sellers:
        rep = seller.person
        for (year, month), month_days in sorted(generator.workdays_by_month.items()):
            if (year, month) > (generator.today.year, generator.today.month):
                break
            for day in month_days:
                if day > generator.today or not seller.employed(day) or rng.random() < 0.07:
                    continue
                candidates = [a for a, first, last in spans[rep.id] if first <= day <= last]
                count = min(len(candidates), rng.choices((2, 3, 4), (30, 45, 25))[0])
                chosen = rng.sample(candidates, count)
                for hour, account in zip(
                    sorted(rng.sample(range(9, 18), count)), chosen, strict=True
                ):
                    visit = _visit(rng, seller, account, day, time(hour, 30 * rng.randint(0, 1)))
                    visits.append(visit)
                    if account.contacts and rng.random() < 0.4:
                        for contact in rng.sample(
                            account.contacts, min(len(account.contacts), rng.choice((1, 1, 2)))
                        ):
                            met.append((visit, contact))
    visits.sort(
        key=lambda visit: (visit.visit_date, generator.rep_codes[visit.rep_id], visit.visit_time)
    )
    for visit in visits:
        visit.code = generator.code(Visit, visit.visit_date)
    checklists = _purposes_assign(visits)
    located = _check_ins_add(generator, visits)
    generator.save(Visit, visits, "visits")
    _customer_locations_save(located)
    through = Visit.contacts.through
    Visit.contacts.through.objects.bulk_create(
        [through(visit_id=visit.id, contact_id=contact.id) for visit, contact in met],
        batch_size=BATCH_SIZE * 5,
    )
    generator.counts["visit_contacts"] = len(met)
    generator.visits = visits
    _visit_steps_create(generator, visits, checklists)


# Where the demo's customers are: around a city per region (first region Shanghai, ...).
CITY_CENTRES = (
    (Decimal("31.2304"), Decimal("121.4737")),  # 上海
    (Decimal("39.9042"), Decimal("116.4074")),  # 北京
    (Decimal("23.1291"), Decimal("113.2644")),  # 广州
    (Decimal("30.5728"), Decimal("104.0668")),  # 成都
    (Decimal("30.5928"), Decimal("114.3055")),  # 武汉
)
# The phone app (#18) came about three months ago: visits since then may have a check-in.
CHECK_IN_DAYS = 92
# Each rep checks in on this share of their visits (a few rarely: the dashboard's outliers).
CHECK_IN_RATES = (0.35, 0.6, 0.8, 0.9, 0.95, 0.95)
METRES_PER_DEGREE = 111_000


def _degrees_off(rng: random.Random, metres: float) -> Decimal:
    return Decimal(rng.uniform(-metres, metres) / METRES_PER_DEGREE).quantize(Decimal("0.000001"))


def _check_ins_add(generator: SalesGenerator, visits: list[Visit]) -> dict[int, tuple]:
    """Check-ins on recent visits, each rep at their own rate: most within 150 m of the
    customer, a few far from it; returns the customers' locations (most customers visited
    with a check-in have one, as the first check-in or a manager set it)."""
    rng = generator.rng(11)
    since = generator.today.toordinal() - CHECK_IN_DAYS
    rate = {seller.person.id: rng.choice(CHECK_IN_RATES) for seller in generator.sellers}
    regions = sorted({a.customer.region_id or 0 for a in generator.accounts})
    where: dict[int, tuple[Decimal, Decimal]] = {}
    for account in generator.accounts:
        customer = account.customer
        lat, lng = CITY_CENTRES[regions.index(customer.region_id or 0) % len(CITY_CENTRES)]
        where[customer.id] = (lat + _degrees_off(rng, 15_000), lng + _degrees_off(rng, 15_000))
    located: dict[int, tuple[Decimal, Decimal]] = {}
    for visit in visits:
        if visit.visit_date.toordinal() < since or rng.random() >= rate[visit.rep_id]:
            continue
        lat, lng = where[visit.customer_id]
        off = 150 if rng.random() < 0.95 else rng.choice((1_500, 3_000, 8_000))
        visit.checkin_latitude = lat + _degrees_off(rng, off)
        visit.checkin_longitude = lng + _degrees_off(rng, off)
        visit.checkin_accuracy_m = rng.choice((5, 10, 15, 20, 35, 65))
        at = datetime.combine(visit.visit_date, visit.visit_time or time(10))
        visit.checkin_at = timezone.make_aware(at - timedelta(minutes=rng.randint(0, 10)))
        if visit.customer_id not in located and rng.random() < 0.9:
            located[visit.customer_id] = (lat, lng)
    return located


def _customer_locations_save(located: dict[int, tuple[Decimal, Decimal]]) -> None:
    customers = Customer.objects.in_bulk(list(located))
    for customer_id, (lat, lng) in located.items():
        customers[customer_id].latitude, customers[customer_id].longitude = lat, lng
    Customer.objects.bulk_update(customers.values(), ["latitude", "longitude"], batch_size=500)


def _purposes_assign(visits: list[Visit]) -> dict[int, list[ChecklistStep]]:
    """Give most visits their standard purpose; the checklist of each purpose used, by id."""
    visit_purposes_create()
    purposes = {p.code: p for p in VisitPurpose.objects.prefetch_related("steps")}
    for visit in visits:
        code = PURPOSE_CODES.get(visit.purpose)
        if code in purposes:
            visit.purpose_type = purposes[code]
    return {
        p.pk: sorted((s for s in p.steps.all() if s.active), key=lambda s: s.position)
        for p in purposes.values()
    }


def _visit_steps_create(
    generator: SalesGenerator, visits: list[Visit], checklists: dict[int, list[ChecklistStep]]
) -> None:
    """The checklist's answers of visits with a purpose: steps done, a few required ones
    skipped with a reason (each rep at their own rate), optional ones left undone at times."""
    rng = generator.rng(10)
    skip_rate = {seller.person.id: rng.choice(SKIP_RATES) for seller in generator.sellers}
    answers: list[tuple] = []
    for visit in visits:
        if visit.purpose_type is None:
            continue
        purpose = visit.purpose_type
        for step in checklists[purpose.pk]:
            done = rng.random() >= (skip_rate[visit.rep_id] if step.required else 0.3)
            reason = "" if done or not step.required else rng.choice(SKIP_REASONS)
            snapshot = (step.position, step.text, step.text_en, step.required)
            answers.append((visit.id, step.id, done, reason, purpose.version, *snapshot))
    # Plain rows, not model objects: compiling 80,000 model inserts would double the time
    # the visits take (the audit trail of answers starts with the demo's later edits).
    columns = [VisitStep._meta.get_field(name).column for name in STEP_FIELDS]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        connection.ops.quote_name(VisitStep._meta.db_table),
        ", ".join(connection.ops.quote_name(column) for column in columns),
        ", ".join(["%s"] * len(columns)),
    )
    with connection.cursor() as cursor:
        for start in range(0, len(answers), BATCH_SIZE * 5):
            cursor.executemany(sql, answers[start : start + BATCH_SIZE * 5])
    generator.counts["visit_steps"] = len(answers)


def _visit(rng: random.Random, seller: Seller, account: Account, day: date, at: time) -> Visit:
    customer = account.customer
    team = seller.team_on(day)
    coach_id = team.manager_id if team and team.manager_id else seller.person.manager_id
    roll = rng.random()
    prospect = account.buys_from is None or account.buys_from > day
    if roll < 0.05 and coach_id:
        kind, purpose, outcomes = VisitKind.JOINT, rng.choice(JOINT_PURPOSES), VISIT_OUTCOMES
    elif roll < 0.15 and not prospect:
        kind, purpose, outcomes = (
            VisitKind.SERVICE,
            rng.choice(SERVICE_PURPOSES),
            SERVICE_OUTCOMES,
        )
    else:
        kind, outcomes = VisitKind.VISIT, VISIT_OUTCOMES
        purpose = rng.choice(PROSPECT_PURPOSES if prospect else VISIT_PURPOSES)
    return Visit(
        rep_id=seller.person.id,
        customer_id=customer.id,
        visit_date=day,
        visit_time=at,
        kind=kind,
        coach_id=coach_id if kind == VisitKind.JOINT else None,
        purpose=purpose,
        outcome=rng.choice(outcomes),
        next_step=rng.choice(NEXT_STEPS),
    )


def expenses_create(generator: SalesGenerator) -> None:
    rng = generator.rng(8)
    expenses: list[Expense] = []
    for seller in generator.sellers:
        for year, month in generator.months():
            days = [
                d
                for d in generator.workdays_by_month.get((year, month), [])
                if d <= generator.today and seller.employed(d)
            ]
            if not days:
                continue
            for category, (low, high), (least, most) in EXPENSE_KINDS:
                for _ in range(rng.randint(low, high)):
                    amount = Decimal(rng.randint(least * 100, most * 100)) / 100
                    expenses.append(
                        Expense(
                            rep_id=seller.person.id,
                            expense_date=rng.choice(days),
                            category=category,
                            amount=amount,
                        )
                    )
    expenses.sort(key=lambda expense: (expense.expense_date, generator.rep_codes[expense.rep_id]))
    for expense in expenses:
        expense.code = generator.code(Expense, expense.expense_date)
    generator.save(Expense, expenses, "expenses")
    generator.expenses = expenses
