"""The tricky rules of KPI.md, each on its own small data set."""

from datetime import date
from decimal import Decimal

import pytest

from salesorg.core.models import CalendarDay
from salesorg.core.roles import Role
from salesorg.core.scoping import SYSTEM
from salesorg.performance.kpi.indicators import indicator_table, product_mix
from salesorg.performance.kpi.periods import Period
from tests.factories import (
    CustomerFactory,
    InvoiceFactory,
    MembershipFactory,
    OrderFactory,
    OrderLineFactory,
    PaymentFactory,
    PersonFactory,
    TargetFactory,
    TeamFactory,
)
from tests.performance.conftest import JAN, d

pytestmark = pytest.mark.django_db


def rows(period=JAN, level="all"):
    table = indicator_table(user=SYSTEM, start=period[0], end=period[1], level=level)
    return {(row.level, row.code): row for row in table.rows}


def test_ties_for_a_first_order_go_to_the_smaller_code_in_plain_string_order():
    # Given two reps who both sold to a new customer on its first day, with codes whose
    # plain string order differs from their numeric order ("ORD-10" < "ORD-9").
    nine, ten = PersonFactory(code="X9"), PersonFactory(code="X10")
    customer = CustomerFactory(owner=nine)
    OrderFactory(code="ORD-9", rep=nine, customer=customer, order_date=d(5))
    OrderFactory(code="ORD-10", rep=ten, customer=customer, order_date=d(5))
    # An earlier order that was cancelled does not make the customer old.
    OrderFactory(code="ORD-1", rep=nine, customer=customer, order_date=d(2), status="cancelled")
    # When computing January
    table = rows()
    # Then the customer is new for the rep of ORD-10 only, and the company counts it once.
    assert table[("person", "X10")].new_customers == 1
    assert table[("person", "X9")].new_customers == 0
    assert table[("company", "")].new_customers == 1
    assert table[("person", "X9")].customers == table[("person", "X10")].customers == 1


def test_a_customer_with_an_earlier_confirmed_order_is_not_new():
    rep = PersonFactory(code="R")
    customer = CustomerFactory(owner=rep)
    OrderFactory(rep=rep, customer=customer, order_date=date(2019, 5, 1))
    OrderFactory(rep=rep, customer=customer, order_date=d(5))
    assert rows()[("person", "R")].new_customers == 0
    assert rows(period=(date(2019, 5, 1), date(2019, 5, 31)))[("person", "R")].new_customers == 1


def test_a_cancelled_order_counts_nowhere():
    rep = PersonFactory(code="R")
    customer = CustomerFactory(owner=rep, industry="零售")
    line = OrderLineFactory(order=OrderFactory(rep=rep, customer=customer, status="cancelled"))
    assert line.amount == Decimal("100.00")
    row = rows()[("person", "R")]
    assert (row.sales, row.gross_margin, row.customers, row.new_customers, row.industries) == (
        Decimal("0.00"),
        Decimal("0.00"),
        0,
        0,
        0,
    )
    assert product_mix(user=SYSTEM, start=JAN[0], end=JAN[1]) == []


def test_invoices_count_whatever_their_order_status():
    rep = PersonFactory(code="R")
    cancelled = OrderFactory(rep=rep, customer=CustomerFactory(owner=rep), status="cancelled")
    InvoiceFactory(rep=rep, customer=cancelled.customer, order=cancelled, invoice_date=d(9))
    assert rows()[("person", "R")].invoiced == Decimal("100.00")


def test_payments_before_the_period_reduce_the_opening_and_later_ones_are_not_collected():
    rep = PersonFactory(code="R")
    customer = CustomerFactory(owner=rep)
    december = InvoiceFactory(rep=rep, customer=customer, invoice_date=d(1, 12, 2025),
                              amount=Decimal("1000.00"))  # fmt: skip
    PaymentFactory(invoice=december, payment_date=d(15, 12, 2025), amount=Decimal("250.50"))
    PaymentFactory(invoice=december, payment_date=d(31), amount=Decimal("100.25"))
    january = InvoiceFactory(rep=rep, customer=customer, invoice_date=d(20),
                             amount=Decimal("300.00"))  # fmt: skip
    PaymentFactory(invoice=january, payment_date=d(20), amount=Decimal("300.00"))
    PaymentFactory(invoice=december, payment_date=d(1, 2), amount=Decimal("649.25"))
    row = rows()[("person", "R")]
    assert row.ar_opening == Decimal("749.50")
    assert row.invoiced == Decimal("300.00")
    assert row.collected == Decimal("400.25")
    assert row.collection_rate == Decimal("400.25") / Decimal("1049.50")


def test_a_rep_who_moves_mid_month_credits_each_team_with_its_own_days():
    # Given R in team A until Wednesday Jan 14, in team B from Thursday Jan 15
    rep = PersonFactory(code="R")
    team_a, team_b = TeamFactory(code="TA"), TeamFactory(code="TB")
    MembershipFactory(person=rep, team=team_a, start_date=date(2020, 1, 1), end_date=d(14))
    MembershipFactory(person=rep, team=team_b, start_date=d(15))
    customer = CustomerFactory(owner=rep)
    OrderLineFactory(order=OrderFactory(rep=rep, customer=customer, order_date=d(14)))
    OrderLineFactory(
        order=OrderFactory(rep=rep, customer=customer, order_date=d(15)), amount=Decimal("7.77")
    )
    table = rows()
    # Then each team gets the sales of its days, and both count the customer.
    assert table[("team", "TA")].sales == Decimal("100.00")
    assert table[("team", "TB")].sales == Decimal("7.77")
    assert table[("team", "TA")].customers == table[("team", "TB")].customers == 1
    # Workdays without overrides: Jan 1–14 has 10, Jan 15–31 has 12.
    assert table[("team", "TA")].workdays == 10
    assert table[("team", "TB")].workdays == 12
    assert table[("person", "R")].workdays == 22


def test_hire_and_leave_inside_the_period_bound_the_workdays():
    PersonFactory(code="H", hire_date=d(26))  # Monday Jan 26 → 26–30
    PersonFactory(code="L", hire_date=date(2019, 1, 1), leave_date=d(6))  # Jan 1, 2, 5, 6
    PersonFactory(code="G", hire_date=date(2019, 1, 1), leave_date=date(2025, 12, 31))
    table = rows()
    assert table[("person", "H")].workdays == 5
    assert table[("person", "L")].workdays == 4
    assert table[("person", "G")].workdays == 0
    assert table[("person", "G")].visits_per_workday is None
    assert table[("company", "")].workdays == 9


def test_holidays_and_make_up_days_change_the_workdays():
    # Given the 2026 Spring Festival: Feb 15–23 off, Saturdays Feb 14 and 28 worked.
    for day in range(15, 24):
        CalendarDay.objects.create(date=date(2026, 2, day), is_workday=False)
    for day in (14, 28):
        CalendarDay.objects.create(date=date(2026, 2, day), is_workday=True)
    PersonFactory(code="R")
    february = (date(2026, 2, 1), date(2026, 2, 28))
    # Then: 20 weekdays − 6 holiday weekdays (16–20, 23) + 2 make-up Saturdays.
    assert rows(period=february)[("person", "R")].workdays == 16


def test_a_team_target_row_wins_over_the_sum_of_its_members():
    rep, other = PersonFactory(code="R"), PersonFactory(code="S")
    with_row, without_row = TeamFactory(code="TW"), TeamFactory(code="TO")
    MembershipFactory(person=rep, team=with_row)
    MembershipFactory(person=other, team=without_row)
    # A person who joins on Jan 2 is not a member on the month's first day.
    late = PersonFactory(code="Z", role=Role.MANAGER)
    MembershipFactory(person=late, team=without_row, start_date=d(2))
    TargetFactory(person=rep, realistic=Decimal("100.00"))
    TargetFactory(person=other, realistic=Decimal("40.00"), ideal=Decimal("45.00"))
    TargetFactory(person=late, realistic=Decimal("1.00"))
    TargetFactory(owner_type="team", person=None, team=with_row, realistic=Decimal("90.00"))
    table = rows()
    assert table[("team", "TW")].sales_target == Decimal("90.00")
    assert table[("team", "TO")].sales_target == Decimal("40.00")
    assert table[("team", "TO")].sales_target_ideal == Decimal("45.00")


def test_a_region_or_company_row_wins_and_no_target_anywhere_is_null():
    rep = PersonFactory(code="R")
    team = TeamFactory(code="T")
    MembershipFactory(person=rep, team=team)
    table = rows()
    assert table[("team", "T")].sales_target is None
    assert table[("region", team.region.code)].sales_target is None
    assert table[("company", "")].sales_target is None
    TargetFactory(person=rep, realistic=Decimal("10.00"))
    TargetFactory(owner_type="company", person=None, realistic=Decimal("5000.00"))
    TargetFactory(owner_type="region", person=None, region=team.region, realistic=Decimal("20.00"))
    table = rows()
    assert table[("team", "T")].sales_target == Decimal("10.00")
    assert table[("region", team.region.code)].sales_target == Decimal("20.00")
    assert table[("company", "")].sales_target == Decimal("5000.00")


def test_a_zero_target_gives_a_null_rate_not_an_error():
    rep = PersonFactory(code="R")
    TargetFactory(person=rep, realistic=Decimal("0.00"))
    row = rows()[("person", "R")]
    assert row.sales_target == Decimal("0.00")
    assert row.sales_achievement is None


def test_product_mix_amounts_and_shares(world):
    mix = product_mix(user=SYSTEM, start=JAN[0], end=JAN[1])
    found = {(r.level, r.code, r.category): (r.amount, r.share) for r in mix}
    assert found[("person", "A", "FOCUS")] == (
        Decimal("1000.00"),
        Decimal(1000) / Decimal("1700.50"),
    )
    assert found[("person", "A", "OTHER")] == (
        Decimal("700.50"),
        Decimal("700.50") / Decimal("1700.50"),
    )
    assert found[("team", "T2", "OTHER")] == (Decimal("400.00"), Decimal(1))
    assert ("team", "T2", "FOCUS") not in found  # no line in P: no row
    assert found[("company", "", "FOCUS")] == (
        Decimal("1350.00"),
        Decimal(1350) / Decimal("2550.50"),
    )
    assert not any(code in {"C", "D", "T3", "R2"} for _level, code, _cat in found)


def test_periods_know_whole_months_and_their_months():
    assert Period(start=d(1), end=d(31)).covers_whole_months
    assert Period(start=date(2024, 2, 1), end=date(2024, 2, 29)).covers_whole_months
    assert not Period(start=date(2024, 2, 1), end=date(2024, 2, 28)).covers_whole_months
    assert not Period(start=d(2), end=d(31)).covers_whole_months
    assert Period(start=date(2025, 11, 5), end=date(2026, 2, 1)).months() == [
        (2025, 11), (2025, 12), (2026, 1), (2026, 2)
    ]  # fmt: skip
