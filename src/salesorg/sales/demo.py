"""Two years of realistic, deterministic demo sales records for the demo company.

Catalogue, customers and contacts, orders with lines, invoices, payments, visits,
expenses and targets of an industrial-supplies field-sales company, from January 1
of last year up to `today`. The same company, seed and `today` always give the same
records. Records get a creation history row (simple_history) for demo companies of
up to four regions (scale ≤ 2); larger ones skip it, which halves the load time.
"""

from __future__ import annotations

import gc
import math
import random
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import models, transaction
from simple_history.utils import bulk_create_with_history

from salesorg.core.calendar import workday_set
from salesorg.core.money import CENT, quantize_cents
from salesorg.core.record_codes import record_code
from salesorg.core.roles import Role
from salesorg.customers.choices import ContactRole
from salesorg.customers.models import Contact, Customer
from salesorg.org.demo import GIVEN, SURNAMES, DemoCompany
from salesorg.org.models import Membership, Person, Team
from salesorg.sales.choices import OrderStatus, VisitKind
from salesorg.sales.models import (
    Category,
    Expense,
    Invoice,
    Order,
    OrderLine,
    Payment,
    Product,
    Visit,
)
from salesorg.targets.choices import Metric, OwnerType
from salesorg.targets.models import Target

BATCH_SIZE = 2000
HISTORY_MAX_REGIONS = 4  # scale ≤ 2

# (code, name, focus, products as (name, list price))
CATALOGUE = [
    (
        "CAT01",
        "自动化控制",
        True,
        [
            ("可编程控制器 HK-1200", "3800"),
            ("可编程控制器 HK-1500", "12800"),
            ("变频器 HV-7.5kW", "4200"),
            ("变频器 HV-22kW", "9800"),
            ("伺服驱动器套装 1kW", "6500"),
            ("触摸屏 HMI 10寸", "2600"),
        ],
    ),
    (
        "CAT02",
        "工业传感器",
        True,
        [
            ("光电传感器 PS-30", "280"),
            ("电感式接近开关 M18", "160"),
            ("压力变送器 PT-400", "1350"),
            ("温度变送器 TT-100", "980"),
            ("激光测距传感器 LD-50", "3200"),
            ("视觉检测相机 VC-5M", "15800"),
        ],
    ),
    (
        "CAT03",
        "低压电器",
        False,
        [
            ("塑壳断路器 250A", "860"),
            ("交流接触器 40A", "320"),
            ("中间继电器 24VDC", "45"),
            ("开关电源 24V 10A", "380"),
            ("低压配电柜（成套）", "26000"),
        ],
    ),
    (
        "CAT04",
        "流体与气动",
        False,
        [
            ("标准气缸 SC-63", "420"),
            ("二位五通电磁阀", "260"),
            ("过滤减压阀", "310"),
            ("不锈钢球阀 DN50", "720"),
            ("气动隔膜泵", "5600"),
        ],
    ),
    (
        "CAT05",
        "工业耗材",
        False,
        [
            ("工业齿轮油 18L", "680"),
            ("耐高温润滑脂 1kg", "150"),
            ("深沟球轴承 6205", "38"),
            ("机械密封件", "520"),
            ("聚氨酯同步带", "95"),
        ],
    ),
    (
        "CAT06",
        "安全防护",
        False,
        [
            ("安全光幕 SL-20", "2800"),
            ("防切割手套（打）", "180"),
            ("安全帽", "45"),
            ("急停按钮盒", "120"),
            ("安全继电器", "950"),
        ],
    ),
    (
        "CAT07",
        "技术服务",
        False,
        [
            ("安装调试服务（人天）", "2000"),
            ("年度维保合同", "36000"),
            ("操作培训课程", "8000"),
            ("产线改造方案设计", "50000"),
        ],
    ),
]

# Industries with the words a company of that industry puts in its name.
INDUSTRIES = {
    "汽车零部件": ("汽车部件", "汽配制造", "车桥"),
    "电子制造": ("电子科技", "精密电子", "电路"),
    "食品饮料": ("食品", "饮料", "乳业"),
    "医药": ("制药", "生物医药", "药业"),
    "化工": ("化工", "新材料", "涂料"),
    "新能源": ("新能源科技", "光伏", "储能科技"),
    "机械设备": ("机械", "重工", "装备制造"),
    "纺织服装": ("纺织", "服饰", "印染"),
    "建材": ("建材", "水泥", "玻璃"),
    "物流仓储": ("物流", "供应链", "仓储"),
}
GENERIC_WORDS = ("实业", "工贸", "科技", "工业")
CITIES = {
    "EAST": ("上海", "苏州", "杭州", "宁波", "南京", "无锡", "常州", "合肥", "济南", "青岛"),
    "NORTH": ("北京", "天津", "石家庄", "保定", "唐山", "太原", "廊坊", "沧州"),
    "SOUTH": ("广州", "深圳", "东莞", "佛山", "珠海", "厦门", "泉州", "中山"),
    "WEST": ("成都", "重庆", "昆明", "贵阳", "绵阳", "宜宾"),
    "CENTRAL": ("武汉", "长沙", "郑州", "南昌", "宜昌", "株洲", "洛阳"),
    "NORTHEAST": ("沈阳", "大连", "长春", "哈尔滨", "鞍山", "吉林"),
    "NORTHWEST": ("西安", "兰州", "银川", "西宁", "宝鸡", "咸阳"),
}
OTHER_CITIES = ("南通", "嘉兴", "温州", "烟台", "潍坊", "芜湖", "襄阳", "柳州", "赣州", "包头")
_TRADE_NAME_TEXT = (
    "恒信 华瑞 金鼎 宏达 鑫源 远航 博众 创新 正泰 天成 瑞丰 永盛 联合 中科 凯达 东方 "
    "德隆 华通 新纪元 信达 宏图 顺发 安泰 精诚 海纳 汇丰 百川 长江 银河 同创"
)
TRADE_NAMES = tuple(_TRADE_NAME_TEXT.split())
COMPANY_SUFFIXES = ("有限公司", "有限公司", "有限公司", "股份有限公司", "集团有限公司")

CONTACT_TITLES = [
    ("总经理", ContactRole.DECISION_MAKER),
    ("副总经理", ContactRole.DECISION_MAKER),
    ("采购经理", ContactRole.DECISION_MAKER),
    ("设备部经理", ContactRole.INFLUENCER),
    ("生产厂长", ContactRole.INFLUENCER),
    ("技术总工", ContactRole.INFLUENCER),
    ("维修主管", ContactRole.USER),
    ("电气工程师", ContactRole.USER),
    ("采购专员", ContactRole.GATEKEEPER),
    ("总经理助理", ContactRole.GATEKEEPER),
    ("财务经理", ContactRole.OTHER),
]

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
# (category, how many a month as (fewest, most), amount range in CNY)
EXPENSE_KINDS = [
    ("差旅", (0, 2), (300, 3000)),
    ("招待", (0, 2), (200, 2000)),
    ("交通", (1, 3), (30, 300)),
    ("通讯", (1, 1), (100, 200)),
]

# Orders per month relative to an average month: Spring Festival dip, June and
# December pushes, the National Day week in October.
SEASONALITY = {
    1: 0.95,
    2: 0.6,
    3: 1.05,
    4: 1.0,
    5: 0.95,
    6: 1.1,
    7: 0.9,
    8: 0.9,
    9: 1.05,
    10: 0.85,
    11: 1.05,
    12: 1.35,
}
DISCOUNTS = (Decimal("0"), Decimal("0.03"), Decimal("0.05"), Decimal("0.08"), Decimal("0.10"))
DISCOUNT_WEIGHTS = (30, 20, 25, 15, 10)
ONE = Decimal(1)


@dataclass
class _Seller:
    """A rep with the dates and memberships the generator needs."""

    person: Person
    memberships: list[tuple[date, date | None, Team]]
    orders_per_month: float
    ambition: float

    def employed(self, day: date) -> bool:
        leave = self.person.leave_date
        return self.person.hire_date <= day and (leave is None or day <= leave)

    def team_on(self, day: date) -> Team | None:
        for start, end, team in self.memberships:
            if start <= day and (end is None or day <= end):
                return team
        return None


@dataclass
class _Account:
    """A customer with how it buys and pays, and who serves it when."""

    customer: Customer
    size: float
    payer: str  # prompt, slow or poor
    terms_days: int
    buys_from: date | None  # None: a prospect that never ordered
    stints: list[tuple[int, date, date | None]] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)

    def leaves_after(self, rep_id: int, day: date) -> bool:
        """Whether `day` is after the last day the rep serves this customer."""
        return any(
            rep == rep_id and end is not None and end < day for rep, _start, end in self.stints
        )


@transaction.atomic
def demo_records_create(*, company: DemoCompany, seed: int, today: date) -> dict[str, int]:
    """Fill the demo company with two years of sales records; return counts per record type."""
    generator = _Generator(company=company, seed=seed, today=today)
    with _collector_paused():
        return generator.run()


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building records.

    Hundreds of thousands of new model objects would otherwise set off full
    collections again and again: a quarter of the run time at scale 10.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _Generator:
    """Builds every record in memory, then writes each type in batches."""

    def __init__(self, *, company: DemoCompany, seed: int, today: date):
        self.company = company
        self.seed = seed
        self.today = today
        self.start = date(today.year - 1, 1, 1)
        self.with_history = len(company.regions) <= HISTORY_MAX_REGIONS
        self.workdays_by_month: dict[tuple[int, int], list[date]] = defaultdict(list)
        for day in sorted(workday_set(self.start, date(today.year, 12, 31))):
            self.workdays_by_month[(day.year, day.month)].append(day)
        self.counts: dict[str, int] = {}
        self.code_rng = self.rng(99)
        self.codes_used: dict[type[models.Model], set[str]] = defaultdict(set)

    def rng(self, offset: int) -> random.Random:
        return random.Random(self.seed * 1000 + 7000 + offset)

    def code(self, model: type[models.Model], day: date) -> str:
        """A code in the style the pages and the API give (core.record_codes.record_code)."""
        used = self.codes_used[model]
        while True:
            code = record_code(model, day=day, number=self.code_rng.randrange(16**6))
            if code not in used:
                used.add(code)
                return code

    def save(self, model: type[models.Model], objs: list, key: str) -> list:
        if self.with_history:
            created = bulk_create_with_history(objs, model, batch_size=BATCH_SIZE)
        else:
            created = model.objects.bulk_create(objs, batch_size=BATCH_SIZE)
        self.counts[key] = len(objs)
        return created

    def run(self) -> dict[str, int]:
        self.sellers = self._sellers()
        self.rep_codes = {seller.person.id: seller.person.code for seller in self.sellers}
        self.products = self._catalogue_create()
        self.accounts = self._customers_create()
        self._contacts_create()
        self._orders_create()
        self._invoices_and_payments_create()
        self._visits_create()
        self._expenses_create()
        self._targets_create()
        return self.counts

    # -- people ---------------------------------------------------------------

    def _sellers(self) -> list[_Seller]:
        rng = self.rng(1)
        teams = {team.id: team for team in self.company.teams}
        reps = sorted((p for p in self.company.people if p.role == Role.REP), key=lambda p: p.code)
        by_person: dict[int, list[tuple[date, date | None, Team]]] = defaultdict(list)
        for membership in Membership.objects.filter(person__in=reps).order_by("start_date"):
            by_person[membership.person_id].append(
                (membership.start_date, membership.end_date, teams[membership.team_id])
            )
        return [
            _Seller(
                person=rep,
                memberships=by_person[rep.id],
                orders_per_month=rng.uniform(8, 15),
                ambition=rng.uniform(0.85, 1.15),
            )
            for rep in reps
        ]

    # -- catalogue ------------------------------------------------------------

    def _catalogue_create(self) -> list[tuple[Product, float]]:
        rng = self.rng(2)
        categories = [
            Category(code=code, name=name, focus=focus) for code, name, focus, _ in CATALOGUE
        ]
        self.save(Category, categories, "categories")
        products: list[Product] = []
        weights: list[float] = []
        for category, (_, _, focus, items) in zip(categories, CATALOGUE, strict=True):
            for number, (name, price) in enumerate(items, start=1):
                list_price = Decimal(price)
                margin = Decimal(rng.randint(20, 45)) / 100
                products.append(
                    Product(
                        code=f"SKU-{category.code[-2:]}{number:02d}",
                        name=name,
                        category=category,
                        list_price=list_price,
                        standard_cost=quantize_cents(list_price * (ONE - margin)),
                    )
                )
                weight = 1.6 if focus else 1.0
                weights.append(weight * (0.4 if category.code == "CAT07" else 1.0))
        self.save(Product, products, "products")
        return list(zip(products, weights, strict=True))

    # -- customers and contacts ------------------------------------------------

    def _customers_create(self) -> list[_Account]:
        rng = self.rng(3)
        three_years_ago = self.today - timedelta(days=3 * 365)
        recent = self.today - timedelta(days=120)
        used_names: set[str] = set()
        accounts: list[_Account] = []
        for seller in self.sellers:
            rep = seller.person
            last_day = min(self.today, rep.leave_date or self.today)
            team = seller.team_on(last_day) or seller.memberships[-1][2]
            cities = CITIES.get(team.region.code, OTHER_CITIES)
            for _ in range(rng.randint(22, 28)):
                kind = rng.choices(("established", "new", "prospect"), (65, 20, 15))[0]
                if kind == "established":
                    low, high = three_years_ago, self.start - timedelta(days=1)
                elif kind == "new":
                    low, high = self.start, recent
                else:
                    low, high = recent, self.today
                low = max(low, rep.hire_date)
                high = min(max(high, low), last_day)
                created = low + timedelta(days=rng.randint(0, max(0, (high - low).days)))
                buys_from = None
                if kind == "established":
                    buys_from = max(created, self.start)
                elif kind == "new":
                    buys_from = created + timedelta(days=rng.randint(7, 75))
                industry = rng.choice(list(INDUSTRIES)) if rng.random() > 0.1 else ""
                size = rng.lognormvariate(0, 0.7)
                customer = Customer(
                    code=self.code(Customer, created),
                    name=self._company_name(rng, cities, industry, used_names),
                    industry=industry,
                    region=team.region,
                    owner=rep,
                    created_date=created,
                    credit_limit=(
                        Decimal(max(5, round(size * 30)) * 10_000) if kind != "prospect" else None
                    ),
                )
                accounts.append(
                    _Account(
                        customer=customer,
                        size=size,
                        payer=rng.choices(("prompt", "slow", "poor"), (60, 30, 10))[0],
                        terms_days=rng.choice((30, 30, 60)),
                        buys_from=buys_from,
                        stints=[(rep.id, created, rep.leave_date)],
                    )
                )
        self._leavers_hand_over(rng, accounts)
        self.save(Customer, [account.customer for account in accounts], "customers")
        return accounts

    def _leavers_hand_over(self, rng: random.Random, accounts: list[_Account]) -> None:
        """Give about half of a leaver's customers to a teammate; the rest stay with the leaver."""
        for seller in self.sellers:
            leave = seller.person.leave_date
            if leave is None or leave >= self.today:
                continue
            team = seller.team_on(leave)
            heirs = [
                other
                for other in self.sellers
                if other.person.leave_date is None and other.team_on(leave) == team
            ]
            if not heirs:
                continue
            for account in accounts:
                if account.customer.owner_id == seller.person.id and rng.random() < 0.5:
                    heir = rng.choice(heirs).person
                    account.customer.owner = heir
                    account.stints.append((heir.id, leave + timedelta(days=1), None))

    @staticmethod
    def _company_name(
        rng: random.Random, cities: tuple[str, ...], industry: str, used: set[str]
    ) -> str:
        words = INDUSTRIES.get(industry, GENERIC_WORDS)
        for _attempt in range(50):
            name = (
                rng.choice(cities)
                + rng.choice(TRADE_NAMES)
                + rng.choice(words)
                + rng.choice(COMPANY_SUFFIXES)
            )
            if name not in used:
                break
        else:
            name = f"{rng.choice(cities)}{rng.choice(TRADE_NAMES)}{len(used)}号{words[0]}有限公司"
        used.add(name)
        return name

    def _contacts_create(self) -> None:
        rng = self.rng(4)
        contacts: list[Contact] = []
        for account in self.accounts:
            titles = rng.sample(CONTACT_TITLES, rng.choice((1, 2, 2, 3, 3)))
            for title, role in titles:
                number = len(contacts) + 1
                contact = Contact(
                    code=self.code(Contact, account.customer.created_date),
                    customer_id=account.customer.id,
                    name=rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2)))),
                    title=title,
                    role=role,
                    phone=f"1{rng.choice((3, 5, 8))}{rng.randint(0, 999_999_999):09d}",
                    email=f"contact{number:06d}@example.cn" if rng.random() < 0.6 else "",
                )
                contacts.append(contact)
                account.contacts.append(contact)
        self.save(Contact, contacts, "contacts")

    # -- orders ----------------------------------------------------------------

    def _months(self) -> list[tuple[int, int]]:
        return [(self.start.year + i // 12, i % 12 + 1) for i in range(12 + self.today.month)]

    def _spans(self, *, buying: bool) -> dict[int, list[tuple[_Account, date, date]]]:
        """Per rep: the customers they serve, each with the first and last day they may
        sell to it (buying) or visit it."""
        spans: dict[int, list[tuple[_Account, date, date]]] = defaultdict(list)
        for account in self.accounts:
            opens = account.buys_from if buying else account.customer.created_date
            if opens is None:
                continue
            for rep_id, start, end in account.stints:
                first, last = max(start, opens), end or date.max
                if first <= last:
                    spans[rep_id].append((account, first, last))
        return spans

    def _orders_create(self) -> None:
        rng = self.rng(5)
        product_choices = [product for product, _ in self.products]
        product_weights = [weight for _, weight in self.products]
        spans = self._spans(buying=True)
        planned: list[tuple[Order, list[OrderLine]]] = []
        for seller in self.sellers:
            rep = seller.person
            for year, month in self._months():
                month_days = self.workdays_by_month.get((year, month), [])
                days = [d for d in month_days if d <= self.today and seller.employed(d)]
                if not days:
                    continue
                expected = (
                    seller.orders_per_month * SEASONALITY[month] * len(days) / len(month_days)
                )
                count = max(0, round(rng.gauss(expected, math.sqrt(expected) * 0.6)))
                for _ in range(count):
                    day = rng.choice(days)
                    candidates = [a for a, first, last in spans[rep.id] if first <= day <= last]
                    if not candidates:
                        continue
                    account = rng.choices(candidates, [a.size for a in candidates])[0]
                    order = Order(
                        customer_id=account.customer.id,
                        rep_id=rep.id,
                        order_date=day,
                        status=(
                            OrderStatus.CANCELLED if rng.random() < 0.03 else OrderStatus.CONFIRMED
                        ),
                    )
                    order.account = account
                    lines = self._lines(rng, account, product_choices, product_weights)
                    planned.append((order, lines))
        planned.sort(key=lambda pair: (pair[0].order_date, self.rep_codes[pair[0].rep_id]))
        orders = []
        for order, _ in planned:
            order.code = self.code(Order, order.order_date)
            orders.append(order)
        self.save(Order, orders, "orders")
        lines = []
        for order, order_lines in planned:
            order.total = sum((line.amount for line in order_lines), Decimal(0))
            order.cost_total = sum((line.cost for line in order_lines), Decimal(0))
            for line in order_lines:
                line.order_id = order.id
                lines.append(line)
        self.save(OrderLine, lines, "order_lines")
        self.orders = orders

    @staticmethod
    def _lines(
        rng: random.Random, account: _Account, products: list[Product], weights: list[float]
    ) -> list[OrderLine]:
        count = rng.choices((1, 2, 3, 4), (40, 30, 20, 10))[0]
        chosen: list[Product] = []
        while len(chosen) < count:
            product = rng.choices(products, weights)[0]
            if product not in chosen:
                chosen.append(product)
        lines = []
        for line_no, product in enumerate(chosen, start=1):
            value = 6000 * account.size * rng.lognormvariate(0, 0.6)
            quantity = Decimal(max(1, round(value / float(product.list_price))))
            discount = rng.choices(DISCOUNTS, DISCOUNT_WEIGHTS)[0]
            if account.size > 2:
                discount += Decimal("0.05")  # key accounts get a better price
            lines.append(
                OrderLine(
                    line_no=line_no,
                    product_id=product.id,
                    quantity=quantity,
                    amount=quantize_cents(quantity * product.list_price * (ONE - discount)),
                    cost=quantize_cents(quantity * product.standard_cost),
                )
            )
        return lines

    # -- receivables -----------------------------------------------------------

    def _invoices_and_payments_create(self) -> None:
        rng = self.rng(6)
        invoices: list[Invoice] = []
        for order in self.orders:
            if order.status != OrderStatus.CONFIRMED or rng.random() < 0.06:
                continue
            invoice_date = order.order_date + timedelta(days=rng.choice((0, 0, 0, 1, 2, 3, 5, 7)))
            if order.account.leaves_after(order.rep_id, invoice_date):
                invoice_date = order.order_date  # invoiced before the rep's last day
            if invoice_date > self.today:
                continue
            invoice = Invoice(
                customer_id=order.customer_id,
                rep_id=order.rep_id,
                order_id=order.id,
                invoice_date=invoice_date,
                due_date=invoice_date + timedelta(days=order.account.terms_days),
                amount=order.total,
            )
            invoice.account = order.account
            invoice.order_code = order.code
            invoices.append(invoice)
        invoices.sort(key=lambda invoice: (invoice.invoice_date, invoice.order_code))
        for invoice in invoices:
            invoice.code = self.code(Invoice, invoice.invoice_date)
        self.save(Invoice, invoices, "invoices")
        self.invoices = invoices

        payments: list[Payment] = []
        for invoice in invoices:
            for payment_date, amount in self._instalments(rng, invoice):
                if payment_date <= self.today and amount > 0:
                    payment = Payment(
                        invoice_id=invoice.id, payment_date=payment_date, amount=amount
                    )
                    payment.invoice_code = invoice.code
                    payments.append(payment)
        payments.sort(key=lambda payment: (payment.payment_date, payment.invoice_code))
        for payment in payments:
            payment.code = self.code(Payment, payment.payment_date)
        self.save(Payment, payments, "payments")
        self.payments = payments

    @staticmethod
    def _instalments(rng: random.Random, invoice: Invoice) -> list[tuple[date, Decimal]]:
        """When and how much the customer pays: in full, in two parts, late or not at all."""
        account: _Account = invoice.account
        terms = account.terms_days
        if account.payer == "prompt":
            delays = [max(10, terms + round(rng.gauss(-5, 8)))]
        elif account.payer == "slow":
            delays = [terms + rng.randint(5, 60)]
        else:
            delays = [terms + rng.randint(0, 45), terms + rng.randint(60, 150)]
            if rng.random() < 0.25:
                delays = delays[:1]  # the rest is still outstanding
        if len(delays) == 1 and rng.random() < 0.08:
            delays.append(delays[0] + rng.randint(15, 60))
        if len(delays) == 1 and account.payer != "prompt" and rng.random() < 0.04:
            return []  # a bad debt
        if len(delays) == 1:
            return [(invoice.invoice_date + timedelta(days=delays[0]), invoice.amount)]
        first = quantize_cents(invoice.amount * Decimal(rng.randint(30, 70)) / 100)
        second = invoice.amount - first
        if account.payer == "poor" and rng.random() < 0.3:
            second = quantize_cents(second / 2)  # a partial payment, never settled
        return [
            (invoice.invoice_date + timedelta(days=delays[0]), first),
            (invoice.invoice_date + timedelta(days=delays[1]), second),
        ]

    # -- visits and expenses -----------------------------------------------------

    def _visits_create(self) -> None:
        rng = self.rng(7)
        spans = self._spans(buying=False)
        visits: list[Visit] = []
        met: list[tuple[Visit, Contact]] = []
        for seller in self.sellers:
            rep = seller.person
            for (year, month), month_days in sorted(self.workdays_by_month.items()):
                if (year, month) > (self.today.year, self.today.month):
                    break
                for day in month_days:
                    if day > self.today or not seller.employed(day) or rng.random() < 0.07:
                        continue
                    candidates = [a for a, first, last in spans[rep.id] if first <= day <= last]
                    count = min(len(candidates), rng.choices((2, 3, 4), (30, 45, 25))[0])
                    chosen = rng.sample(candidates, count)
                    for hour, account in zip(
                        sorted(rng.sample(range(9, 18), count)), chosen, strict=True
                    ):
                        visit = self._visit(
                            rng, seller, account, day, time(hour, 30 * rng.randint(0, 1))
                        )
                        visits.append(visit)
                        if account.contacts and rng.random() < 0.4:
                            for contact in rng.sample(
                                account.contacts, min(len(account.contacts), rng.choice((1, 1, 2)))
                            ):
                                met.append((visit, contact))
        visits.sort(
            key=lambda visit: (visit.visit_date, self.rep_codes[visit.rep_id], visit.visit_time)
        )
        for visit in visits:
            visit.code = self.code(Visit, visit.visit_date)
        self.save(Visit, visits, "visits")
        through = Visit.contacts.through
        Visit.contacts.through.objects.bulk_create(
            [through(visit_id=visit.id, contact_id=contact.id) for visit, contact in met],
            batch_size=BATCH_SIZE * 5,
        )
        self.counts["visit_contacts"] = len(met)
        self.visits = visits

    @staticmethod
    def _visit(
        rng: random.Random, seller: _Seller, account: _Account, day: date, at: time
    ) -> Visit:
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

    def _expenses_create(self) -> None:
        rng = self.rng(8)
        expenses: list[Expense] = []
        for seller in self.sellers:
            for year, month in self._months():
                days = [
                    d
                    for d in self.workdays_by_month.get((year, month), [])
                    if d <= self.today and seller.employed(d)
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
        expenses.sort(key=lambda expense: (expense.expense_date, self.rep_codes[expense.rep_id]))
        for expense in expenses:
            expense.code = self.code(Expense, expense.expense_date)
        self.save(Expense, expenses, "expenses")
        self.expenses = expenses

    # -- targets -----------------------------------------------------------------

    def _targets_create(self) -> None:
        """Monthly person targets near each rep's own pace, then the team and company rows."""
        rng = self.rng(9)
        pace = self._paces()
        targets: list[Target] = []
        person_targets: dict[tuple[int, int, int, str], Decimal] = {}
        for seller in self.sellers:
            rep = seller.person
            rep_pace = pace[rep.id]
            ambition = _factor(seller.ambition)
            expense_budget = _round_to(rep_pace["expenses"] * Decimal("1.05"), 100)
            for year in (self.today.year - 1, self.today.year):
                growth = Decimal("0.95") if year < self.today.year else Decimal("1.05")
                for month in range(1, 13):
                    first = date(year, month, 1)
                    if first < rep.hire_date.replace(day=1) or (
                        rep.leave_date and first > rep.leave_date
                    ):
                        continue
                    wobble = _factor(rng.uniform(0.95, 1.05))
                    season = _factor(SEASONALITY[month])
                    sales_target = _round_to(
                        rep_pace["sales"] * season * ambition * growth * wobble, 1000
                    )
                    workdays = len(self.workdays_by_month.get((year, month), []))
                    visits = _round_to(rep_pace["visits"] * workdays * ambition, 1)
                    new_customers = rep_pace["new_customers"] * ambition
                    prospects = rep_pace["prospects_added"] * ambition
                    values = {
                        Metric.SALES: (sales_target, _round_to(sales_target * Decimal("1.15"), 1)),
                        Metric.GROSS_MARGIN: (
                            _round_to(sales_target * rep_pace["margin_ratio"], 100),
                            _round_to(
                                sales_target * rep_pace["margin_ratio"] * Decimal("1.15"), 100
                            ),
                        ),
                        Metric.COLLECTIONS: (
                            _round_to(sales_target * Decimal("0.95"), 1000),
                            _round_to(sales_target * Decimal("1.05"), 1000),
                        ),
                        Metric.VISITS: (visits, _round_to(visits * Decimal("1.2"), 1)),
                        Metric.NEW_CUSTOMERS: (
                            _spread(new_customers, month),
                            _spread(new_customers * Decimal("1.5"), month),
                        ),
                        Metric.PROSPECTS_ADDED: (
                            _spread(prospects, month),
                            _spread(prospects * Decimal("1.5"), month),
                        ),
                        # A budget has no stretch: the ideal is the realistic one.
                        Metric.EXPENSE_BUDGET: (expense_budget, expense_budget),
                    }
                    for metric, (realistic, ideal) in values.items():
                        person_targets[(rep.id, year, month, metric)] = realistic
                        targets.append(
                            Target(
                                owner_type=OwnerType.PERSON,
                                person_id=rep.id,
                                year=year,
                                month=month,
                                metric=metric,
                                realistic=realistic,
                                ideal=max(ideal, realistic),
                            )
                        )
        targets += self._unit_targets(person_targets)
        self.save(Target, targets, "targets")

    def _unit_targets(
        self, person_targets: dict[tuple[int, int, int, str], Decimal]
    ) -> list[Target]:
        """This year: the first team's own sales and margin rows, above the sum of its members,
        and the company's sales rows, above the sum of everyone's."""
        year = self.today.year
        team = self.company.teams[0]
        members = list(
            Membership.objects.filter(team=team).values_list("person_id", "start_date", "end_date")
        )
        rep_ids = [seller.person.id for seller in self.sellers]
        targets: list[Target] = []
        for month in range(1, 13):
            first = date(year, month, 1)
            member_ids = [
                person_id
                for person_id, start, end in members
                if start <= first and (end is None or first <= end)
            ]
            for metric in (Metric.SALES, Metric.GROSS_MARGIN):
                total = sum(
                    (person_targets.get((pid, year, month, metric), 0) for pid in member_ids),
                    Decimal(0),
                )
                realistic = _round_to(total * Decimal("1.05"), 10_000)
                targets.append(
                    Target(
                        owner_type=OwnerType.TEAM,
                        team=team,
                        year=year,
                        month=month,
                        metric=metric,
                        realistic=realistic,
                        ideal=_round_to(realistic * Decimal("1.15"), 10_000),
                    )
                )
            total = sum(
                (person_targets.get((pid, year, month, Metric.SALES), 0) for pid in rep_ids),
                Decimal(0),
            )
            realistic = _round_to(total * Decimal("1.03"), 10_000)
            targets.append(
                Target(
                    owner_type=OwnerType.COMPANY,
                    year=year,
                    month=month,
                    metric=Metric.SALES,
                    realistic=realistic,
                    ideal=_round_to(realistic * Decimal("1.12"), 10_000),
                )
            )
        return targets

    def _paces(self) -> dict[int, dict[str, Decimal]]:
        """Per rep, what they achieved in the generated records: sales per average month
        (seasonality taken out), margin ratio, visits per workday, new customers, prospects
        added and expenses per month."""
        sales: dict[int, Decimal] = defaultdict(Decimal)
        margin: dict[int, Decimal] = defaultdict(Decimal)
        counts: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        first_orders: dict[int, Order] = {}
        for order in self.orders:  # sorted by date and code
            if order.status == OrderStatus.CONFIRMED:
                sales[order.rep_id] += order.total
                margin[order.rep_id] += order.total - order.cost_total
                first_orders.setdefault(order.customer_id, order)
        for order in first_orders.values():
            if order.account.customer.created_date >= self.start:
                counts["new_customers"][order.rep_id] += 1
        for account in self.accounts:
            if account.customer.created_date >= self.start:
                counts["prospects_added"][account.stints[0][0]] += 1
        for visit in self.visits:
            if visit.kind != VisitKind.SERVICE:
                counts["visits"][visit.rep_id] += 1
        spent: dict[int, Decimal] = defaultdict(Decimal)
        for expense in self.expenses:
            spent[expense.rep_id] += expense.amount
        paces: dict[int, dict[str, Decimal]] = {}
        for seller in self.sellers:
            rep_id = seller.person.id
            seasons = months = Decimal(0)
            employed_days = 0
            for key in self._months():
                month_days = self.workdays_by_month.get(key, [])
                days = sum(1 for day in month_days if day <= self.today and seller.employed(day))
                if days:
                    share = Decimal(days) / len(month_days)
                    seasons += _factor(SEASONALITY[key[1]]) * share
                    months += share
                    employed_days += days
            seasons, months = seasons or ONE, months or ONE
            paces[rep_id] = {
                "sales": sales[rep_id] / seasons,
                "margin_ratio": margin[rep_id] / sales[rep_id] if sales[rep_id] else Decimal("0.3"),
                "visits": Decimal(counts["visits"][rep_id]) / max(1, employed_days),
                "new_customers": counts["new_customers"][rep_id] / months,
                "prospects_added": counts["prospects_added"][rep_id] / months,
                "expenses": spent[rep_id] / months,
            }
        return paces


def _factor(value: float) -> Decimal:
    """A random or tabled factor as a Decimal with four places, so money maths stays Decimal."""
    return Decimal(f"{value:.4f}")


def _spread(per_month: Decimal, month: int) -> Decimal:
    """Month `month`'s share of a yearly count target spread evenly in whole units."""
    yearly = int((per_month * 12).quantize(ONE, rounding=ROUND_HALF_UP))
    return Decimal(yearly * month // 12 - yearly * (month - 1) // 12).quantize(CENT)


def _round_to(value: Decimal, unit: int) -> Decimal:
    """A target rounded half up to a whole `unit` (1000 CNY, 100 CNY, one visit), in cents."""
    steps = (Decimal(value) / unit).quantize(ONE, rounding=ROUND_HALF_UP)
    return (steps * unit).quantize(CENT)
