"""The sales demo's customers, each with a rep over time, and their contacts."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from salesorg.customers.choices import ContactRole
from salesorg.customers.models import Contact, Customer
from salesorg.demo.org import GIVEN, SURNAMES
from salesorg.demo.records import Account, SalesGenerator

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


def customers_create(generator: SalesGenerator) -> list[Account]:
    rng = generator.rng(3)
    three_years_ago = generator.today - timedelta(days=3 * 365)
    recent = generator.today - timedelta(days=120)
    used_names: set[str] = set()
    accounts: list[Account] = []
    for seller in generator.sellers:
        rep = seller.person
        last_day = min(generator.today, rep.leave_date or generator.today)
        team = seller.team_on(last_day) or seller.memberships[-1][2]
        cities = CITIES.get(team.region.code, OTHER_CITIES)
        for _ in range(rng.randint(22, 28)):
            kind = rng.choices(("established", "new", "prospect"), (65, 20, 15))[0]
            if kind == "established":
                low, high = three_years_ago, generator.start - timedelta(days=1)
            elif kind == "new":
                low, high = generator.start, recent
            else:
                low, high = recent, generator.today
            low = max(low, rep.hire_date)
            high = min(max(high, low), last_day)
            created = low + timedelta(days=rng.randint(0, max(0, (high - low).days)))
            buys_from = None
            if kind == "established":
                buys_from = max(created, generator.start)
            elif kind == "new":
                buys_from = created + timedelta(days=rng.randint(7, 75))
            industry = rng.choice(list(INDUSTRIES)) if rng.random() > 0.1 else ""
            size = rng.lognormvariate(0, 0.7)
            customer = Customer(
                code=generator.code(Customer, created),
                name=_company_name(rng, cities, industry, used_names),
                industry=industry,
                region=team.region,
                owner=rep,
                created_date=created,
                credit_limit=(
                    Decimal(max(5, round(size * 30)) * 10_000) if kind != "prospect" else None
                ),
            )
            accounts.append(
                Account(
                    customer=customer,
                    size=size,
                    payer=rng.choices(("prompt", "slow", "poor"), (60, 30, 10))[0],
                    terms_days=rng.choice((30, 30, 60)),
                    buys_from=buys_from,
                    stints=[(rep.id, created, rep.leave_date)],
                )
            )
    _leavers_hand_over(generator, rng, accounts)
    generator.save(Customer, [account.customer for account in accounts], "customers")
    return accounts


def _leavers_hand_over(
    generator: SalesGenerator, rng: random.Random, accounts: list[Account]
) -> None:
    """Give about half of a leaver's customers to a teammate; the rest stay with the leaver."""
    for seller in generator.sellers:
        leave = seller.person.leave_date
        if leave is None or leave >= generator.today:
            continue
        team = seller.team_on(leave)
        heirs = [
            other
            for other in generator.sellers
            if other.person.leave_date is None and other.team_on(leave) == team
        ]
        if not heirs:
            continue
        for account in accounts:
            if account.customer.owner_id == seller.person.id and rng.random() < 0.5:
                heir = rng.choice(heirs).person
                account.customer.owner = heir
                account.stints.append((heir.id, leave + timedelta(days=1), None))


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


def contacts_create(generator: SalesGenerator) -> None:
    rng = generator.rng(4)
    contacts: list[Contact] = []
    for account in generator.accounts:
        titles = rng.sample(CONTACT_TITLES, rng.choice((1, 2, 2, 3, 3)))
        for title, role in titles:
            number = len(contacts) + 1
            contact = Contact(
                code=generator.code(Contact, account.customer.created_date),
                customer_id=account.customer.id,
                name=rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2)))),
                title=title,
                role=role,
                phone=f"1{rng.choice((3, 5, 8))}{rng.randint(0, 999_999_999):09d}",
                email=f"contact{number:06d}@example.cn" if rng.random() < 0.6 else "",
            )
            contacts.append(contact)
            account.contacts.append(contact)
    generator.save(Contact, contacts, "contacts")
