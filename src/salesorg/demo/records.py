"""The sales demo's shared machinery: its random streams, record codes, batched saves, the
sellers and accounts it builds on, and the seasonality every part follows."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import models
from simple_history.utils import bulk_create_with_history

from salesorg.core.calendar import workday_set
from salesorg.core.record_codes import record_code
from salesorg.customers.models import Contact, Customer
from salesorg.demo.org import DemoCompany
from salesorg.org.models import Person, Team
from salesorg.sales.models import Expense, Invoice, Order, Payment, Product, Visit

BATCH_SIZE = 2000
HISTORY_MAX_REGIONS = 4  # scale ≤ 2

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
ONE = Decimal(1)


@dataclass
class Seller:
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
class Account:
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


class SalesGenerator:
    """What the sales demo builds, step by step: every record in memory, then each type
    written in batches."""

    sellers: list[Seller]
    rep_codes: dict[int, str]
    products: list[tuple[Product, float]]
    accounts: list[Account]
    orders: list[Order]
    invoices: list[Invoice]
    payments: list[Payment]
    visits: list[Visit]
    expenses: list[Expense]

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

    def months(self) -> list[tuple[int, int]]:
        return [(self.start.year + i // 12, i % 12 + 1) for i in range(12 + self.today.month)]

    def spans(self, *, buying: bool) -> dict[int, list[tuple[Account, date, date]]]:
        """Per rep: the customers they serve, each with the first and last day they may
        sell to it (buying) or visit it."""
        spans: dict[int, list[tuple[Account, date, date]]] = defaultdict(list)
        for account in self.accounts:
            opens = account.buys_from if buying else account.customer.created_date
            if opens is None:
                continue
            for rep_id, start, end in account.stints:
                first, last = max(start, opens), end or date.max
                if first <= last:
                    spans[rep_id].append((account, first, last))
        return spans
