"""A small year of sales on top of org_tree for the dashboard and home-page tests.

Every rep of org_tree sells in January, March and June of YEAR (two categories, one a
focus category), visits customers on a few days, invoices with payments of different
ages, and has monthly targets for January–June; team east1 also has its own March
target (so it does not take the sum of its members' then).
"""

from datetime import date
from decimal import Decimal

from tests.factories import (
    CategoryFactory,
    CustomerFactory,
    InvoiceFactory,
    OrderFactory,
    OrderLineFactory,
    PaymentFactory,
    ProductFactory,
    TargetFactory,
    VisitFactory,
)

YEAR = 2026
SALES_MONTHS = (1, 3, 6)
REP_KEYS = (
    "rep_east1a",
    "rep_east1b",
    "rep_east2a",
    "rep_east2b",
    "rep_north1a",
    "rep_north1b",
    "rep_north2a",
    "rep_north2b",
)


def build_year(org_tree) -> None:
    """Orders, visits, invoices, payments and targets of YEAR for every rep of org_tree."""
    focus = ProductFactory(code="DASH-F", category=CategoryFactory(code="DASH-FOCUS", focus=True))
    plain = ProductFactory(code="DASH-P", category=CategoryFactory(code="DASH-PLAIN", focus=False))
    for number, key in enumerate(REP_KEYS, start=1):
        rep = org_tree.people[key]
        customers = [
            CustomerFactory(
                code=f"DC-{number}-{n}",
                owner=rep,
                industry=("医院", "制药", "")[n % 3],
                created_date=date(YEAR, 2, n + 1),
            )
            for n in range(3)
        ]
        for month in SALES_MONTHS:
            for n, customer in enumerate(customers[: 1 + month % 3]):
                order = OrderFactory(
                    code=f"DO-{number}-{month}-{n}",
                    rep=rep,
                    customer=customer,
                    order_date=date(YEAR, month, 5 + n),
                )
                OrderLineFactory(
                    order=order,
                    line_no=1,
                    product=focus,
                    amount=Decimal(100 * number + 10 * month),
                    cost=Decimal(60 * number),
                )
                OrderLineFactory(
                    order=order, line_no=2, product=plain, amount=Decimal("55.50"), cost=Decimal(20)
                )
            invoice = InvoiceFactory(
                code=f"DI-{number}-{month}",
                rep=rep,
                customer=customers[0],
                invoice_date=date(YEAR, month, 10),
                amount=Decimal(300 + number),
            )
            PaymentFactory(invoice=invoice, payment_date=date(YEAR, month, 25), amount=Decimal(100))
            for day in (3, 4, 10 + number % 5):
                VisitFactory(
                    rep=rep, customer=customers[day % 3], visit_date=date(YEAR, month, day)
                )
            VisitFactory(
                rep=rep, customer=customers[1], visit_date=date(YEAR, month, 3), kind="service"
            )
        for month in range(1, 7):
            TargetFactory(
                person=rep,
                year=YEAR,
                month=month,
                realistic=Decimal(400 + 10 * number),
                ideal=Decimal(500 + 10 * number),
            )
    TargetFactory(
        owner_type="team",
        person=None,
        team=org_tree.teams["east1"],
        year=YEAR,
        month=3,
        realistic=Decimal("2000.00"),
        ideal=Decimal("2500.00"),
    )
