"""A hand-built January 2026 for the indicator tests; every expected number is in the tests.

Calendar: Jan 1–2 are holidays, Sunday Jan 4 is a make-up workday, so January has
21 workdays: 4, 5–9, 12–16, 19–23, 26–30.

Org: region R1 = teams T1, T2; region R2 = team T3 (empty).
- A: rep in T1 all along.
- B: rep in T1 until Jan 15, in T2 from Jan 16 (moves mid-month).
- C: rep hired Jan 12 into T2.
- D: rep in T2 who left on Jan 20.
- E: rep without a team (counts for the company only).
- M: manager of T1, member of T1 (not a rep: no person row).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pytest

from salesorg.core.models import CalendarDay
from salesorg.core.roles import Role
from tests.factories import (
    CategoryFactory,
    CustomerFactory,
    ExpenseFactory,
    InvoiceFactory,
    MembershipFactory,
    OrderFactory,
    OrderLineFactory,
    PaymentFactory,
    PersonFactory,
    ProductFactory,
    RegionFactory,
    TargetFactory,
    TeamFactory,
    VisitFactory,
)

JAN = (date(2026, 1, 1), date(2026, 1, 31))
OLD = date(2020, 1, 1)


@dataclass
class World:
    people: dict = field(default_factory=dict)
    teams: dict = field(default_factory=dict)
    regions: dict = field(default_factory=dict)
    customers: dict = field(default_factory=dict)


def d(day: int, month: int = 1, year: int = 2026) -> date:
    return date(year, month, day)


def order(*, code, rep, customer, day, lines, status="confirmed"):
    """An order with lines given as (product, amount, cost)."""
    placed = OrderFactory(code=code, rep=rep, customer=customer, order_date=day, status=status)
    for number, (product, amount, cost) in enumerate(lines, start=1):
        OrderLineFactory(
            order=placed,
            line_no=number,
            product=product,
            amount=Decimal(amount),
            cost=Decimal(cost),
        )
    return placed


@pytest.fixture
def world(db) -> World:
    w = World()
    CalendarDay.objects.create(date=d(1), is_workday=False, note="元旦")
    CalendarDay.objects.create(date=d(2), is_workday=False, note="元旦")
    CalendarDay.objects.create(date=d(4), is_workday=True, note="调休")

    r1, r2 = RegionFactory(code="R1"), RegionFactory(code="R2")
    w.regions.update(R1=r1, R2=r2)
    t1 = TeamFactory(code="T1", region=r1)
    t2 = TeamFactory(code="T2", region=r1)
    t3 = TeamFactory(code="T3", region=r2)
    w.teams.update(T1=t1, T2=t2, T3=t3)

    p = w.people
    p["A"] = PersonFactory(code="A", hire_date=OLD)
    p["B"] = PersonFactory(code="B", hire_date=OLD)
    p["C"] = PersonFactory(code="C", hire_date=d(12))
    p["D"] = PersonFactory(code="D", hire_date=OLD, leave_date=d(20))
    p["E"] = PersonFactory(code="E", hire_date=OLD)
    p["M"] = PersonFactory(code="M", role=Role.MANAGER, hire_date=OLD)
    MembershipFactory(person=p["A"], team=t1, start_date=OLD)
    MembershipFactory(person=p["B"], team=t1, start_date=OLD, end_date=d(15))
    MembershipFactory(person=p["B"], team=t2, start_date=d(16))
    MembershipFactory(person=p["C"], team=t2, start_date=d(12))
    MembershipFactory(person=p["D"], team=t2, start_date=OLD, end_date=d(20))
    MembershipFactory(person=p["M"], team=t1, start_date=OLD)

    focus = CategoryFactory(code="FOCUS", focus=True)
    other = CategoryFactory(code="OTHER", focus=False)
    pf = ProductFactory(code="PF", category=focus)
    pn = ProductFactory(code="PN", category=other)

    c = w.customers
    c["K1"] = CustomerFactory(code="K1", industry="制造业", owner=p["A"], created_date=OLD)
    c["K2"] = CustomerFactory(code="K2", industry="", owner=p["E"], created_date=OLD)
    c["K3"] = CustomerFactory(code="K3", industry="零售", owner=p["B"], created_date=d(8))
    c["K4"] = CustomerFactory(code="K4", industry="制造业", owner=p["M"], created_date=d(3))
    c["K5"] = CustomerFactory(code="K5", industry="医疗", owner=p["B"], created_date=d(20))

    order(code="O1", rep=p["A"], customer=c["K1"], day=d(5),
          lines=[(pf, "1000.00", "600.00"), (pn, "500.50", "300.25")])  # fmt: skip
    order(code="O2", rep=p["A"], customer=c["K1"], day=d(20), lines=[(pn, "200.00", "150.00")])
    order(code="O3", rep=p["A"], customer=c["K2"], day=d(6), lines=[(pf, "9999.00", "1.00")],
          status="cancelled")  # fmt: skip
    order(code="O4", rep=p["B"], customer=c["K3"], day=d(10), lines=[(pf, "300.00", "100.00")])
    order(code="O5", rep=p["B"], customer=c["K1"], day=d(25), lines=[(pn, "400.00", "390.00")])
    order(code="O6", rep=p["M"], customer=c["K4"], day=d(12), lines=[(pn, "100.00", "50.00")])
    order(code="O7", rep=p["E"], customer=c["K2"], day=d(7), lines=[(pf, "50.00", "20.00")])
    order(code="O8", rep=p["C"], customer=c["K5"], day=d(3, 2), lines=[(pf, "80.00", "1.00")])
    order(code="O9", rep=p["D"], customer=c["K1"], day=d(15, 12, 2025),
          lines=[(pn, "70.00", "10.00")])  # fmt: skip

    VisitFactory(rep=p["A"], customer=c["K1"], visit_date=d(5))
    VisitFactory(rep=p["A"], customer=c["K1"], visit_date=d(5))  # same person, customer, day
    VisitFactory(rep=p["A"], customer=c["K2"], visit_date=d(5), kind="joint", coach=p["M"])
    VisitFactory(rep=p["A"], customer=c["K1"], visit_date=d(6), kind="service")
    VisitFactory(rep=p["A"], customer=c["K1"], visit_date=d(1, 2))  # after January
    VisitFactory(rep=p["B"], customer=c["K3"], visit_date=d(14))  # in T1
    VisitFactory(rep=p["B"], customer=c["K1"], visit_date=d(16))  # in T2
    VisitFactory(rep=p["M"], customer=c["K4"], visit_date=d(12))  # a manager: not counted

    i1 = InvoiceFactory(rep=p["A"], customer=c["K1"], invoice_date=d(10, 12, 2025),
                        amount=Decimal("1000.00"))  # fmt: skip
    PaymentFactory(invoice=i1, payment_date=d(20, 12, 2025), amount=Decimal("300.00"))
    PaymentFactory(invoice=i1, payment_date=d(10), amount=Decimal("200.00"))
    i2 = InvoiceFactory(rep=p["A"], customer=c["K1"], invoice_date=d(8), amount=Decimal("500"))
    PaymentFactory(invoice=i2, payment_date=d(25), amount=Decimal("500.00"))
    # Invoiced by B while in T1, paid after B moved to T2: it stays T1's.
    i3 = InvoiceFactory(rep=p["B"], customer=c["K3"], invoice_date=d(28, 12, 2025),
                        amount=Decimal("800.00"))  # fmt: skip
    PaymentFactory(invoice=i3, payment_date=d(20), amount=Decimal("800.00"))
    i4 = InvoiceFactory(rep=p["B"], customer=c["K1"], invoice_date=d(18), amount=Decimal("100"))
    PaymentFactory(invoice=i4, payment_date=d(5, 2), amount=Decimal("100.00"))
    InvoiceFactory(rep=p["D"], customer=c["K1"], invoice_date=d(2), amount=Decimal("600.00"))

    ExpenseFactory(rep=p["A"], expense_date=d(9), amount=Decimal("300.00"))
    ExpenseFactory(rep=p["A"], expense_date=d(31, 12, 2025), amount=Decimal("999.00"))
    ExpenseFactory(rep=p["B"], expense_date=d(20), amount=Decimal("150.00"))

    def target(metric, realistic, ideal=None, **owner):
        owner_type = next(iter(owner)) if owner else "company"
        defaults = {"person": None}
        TargetFactory(
            owner_type=owner_type, metric=metric, year=2026, month=1,
            realistic=Decimal(realistic), ideal=Decimal(ideal or realistic),
            **(defaults | owner),
        )  # fmt: skip

    target("sales", "2000.00", "2500.00", person=p["A"])
    target("sales", "1000.00", person=p["B"])
    target("sales", "500.00", "600.00", person=p["M"])  # a manager's target counts for T1
    target("sales", "700.00", person=p["D"])  # ignored for T2, which has its own row
    target("sales", "3000.00", "4000.00", team=t2)
    target("gross_margin", "800.00", "1000.00", person=p["A"])
    target("expense_budget", "1000.00", "1200.00", person=p["A"])
    # Months outside January must not leak in.
    TargetFactory(person=p["A"], year=2026, month=2, realistic=Decimal("77777.00"))
    TargetFactory(person=p["A"], year=2025, month=12, realistic=Decimal("88888.00"))
    return w
