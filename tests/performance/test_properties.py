"""Properties of the indicator table on random small data sets (hypothesis)."""

from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from salesorg.core.roles import Role
from salesorg.core.scoping import SYSTEM
from salesorg.customers.models import Customer
from salesorg.org.models import Membership, Person, Region, Team
from salesorg.performance.kpi.indicators import indicator_table
from salesorg.performance.kpi.periods import Period
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

BASE = date(2025, 12, 1)
WINDOW = 120  # days of facts from BASE
ADDITIVE = ("sales", "gross_margin", "ar_opening", "invoiced", "collected", "expenses", "visits")

day_offsets = st.integers(min_value=0, max_value=WINDOW - 1)
cents = st.integers(min_value=0, max_value=500_000)


def money(amount: int) -> Decimal:
    return Decimal(amount) / 100


@st.composite
def data_sets(draw):
    """A small organization with random memberships and facts (plain data, no database)."""
    team_count = draw(st.integers(min_value=1, max_value=3))
    teams = [(f"T{n}", draw(st.integers(min_value=0, max_value=1))) for n in range(team_count)]
    people = []
    for n in range(draw(st.integers(min_value=1, max_value=4))):
        role = draw(st.sampled_from([Role.REP, Role.REP, Role.MANAGER]))
        cuts = sorted(draw(st.sets(day_offsets, max_size=3)))
        bounds = [-400, *cuts, None]
        stints = []
        for start, end in pairwise(bounds):
            team = draw(st.one_of(st.none(), st.integers(0, team_count - 1)))
            if team is not None and (end is None or end > start):
                stints.append((team, start, None if end is None else end - 1))
        people.append((f"P{n}", role, stints))
    person_index = st.integers(0, len(people) - 1)
    orders = draw(
        st.lists(
            st.tuples(
                person_index, st.integers(0, 2), day_offsets,
                st.sampled_from(["confirmed", "confirmed", "cancelled"]),
                st.lists(st.tuples(cents, cents), min_size=1, max_size=2),
            ),
            max_size=6,
        )
    )  # fmt: skip
    invoices = []
    for person, day, amount in draw(
        st.lists(st.tuples(person_index, day_offsets, cents), max_size=5)
    ):
        payments, left = [], amount
        for _ in range(draw(st.integers(0, 2))):
            paid = draw(st.integers(0, left))
            payments.append((day + draw(st.integers(0, 60)), paid))
            left -= paid
        invoices.append((person, day, amount, payments))
    expenses = draw(st.lists(st.tuples(person_index, day_offsets, cents), max_size=4))
    visits = draw(
        st.lists(
            st.tuples(person_index, st.integers(0, 2), day_offsets,
                      st.sampled_from(["visit", "joint", "service"])),
            max_size=8,
        )
    )  # fmt: skip
    return teams, people, orders, invoices, expenses, visits


def at(offset: int) -> date:
    return BASE + timedelta(days=offset)


class IndicatorProperties(TestCase):
    def build(self, data):
        teams, people, orders, invoices, expenses, visits = data
        regions = [Region.objects.create(code=f"R{n}", name=f"R{n}") for n in range(2)]
        team_rows = [
            Team.objects.create(code=code, name=code, region=regions[region])
            for code, region in teams
        ]
        person_rows = []
        for code, role, stints in people:
            person = Person.objects.create(
                code=code, name=code, role=role, hire_date=date(2020, 1, 1)
            )
            person_rows.append(person)
            for team, start, end in stints:
                Membership.objects.create(
                    person=person,
                    team=team_rows[team],
                    start_date=at(start),
                    end_date=None if end is None else at(end),
                )
        customers = [
            Customer.objects.create(
                code=f"C{n}", name=f"C{n}", owner=person_rows[0], created_date=BASE
            )
            for n in range(3)
        ]
        category = Category.objects.create(code="CAT", name="CAT")
        product = Product.objects.create(code="PRD", name="PRD", category=category)
        facts = {"lines": [], "invoices": [], "payments": [], "expenses": [], "visits": []}
        for number, (person, customer, day, status, lines) in enumerate(orders):
            order = Order.objects.create(
                code=f"O{number}",
                customer=customers[customer],
                rep=person_rows[person],
                order_date=at(day),
                status=status,
            )
            for line_no, (amount, cost) in enumerate(lines, start=1):
                OrderLine.objects.create(
                    order=order, line_no=line_no, product=product, quantity=1,
                    amount=money(amount), cost=money(cost),
                )  # fmt: skip
                if status == "confirmed":
                    facts["lines"].append((person, at(day), amount, cost))
        for number, (person, day, amount, payments) in enumerate(invoices):
            invoice = Invoice.objects.create(
                code=f"I{number}", customer=customers[0], rep=person_rows[person],
                invoice_date=at(day), due_date=at(day), amount=money(amount),
            )  # fmt: skip
            facts["invoices"].append((person, at(day), amount))
            for paid_number, (paid_day, paid) in enumerate(payments):
                Payment.objects.create(
                    code=f"Y{number}-{paid_number}", invoice=invoice,
                    payment_date=at(paid_day), amount=money(paid),
                )  # fmt: skip
                facts["payments"].append((person, at(day), at(paid_day), paid))
        for number, (person, day, amount) in enumerate(expenses):
            Expense.objects.create(
                code=f"E{number}", rep=person_rows[person], expense_date=at(day),
                category="差旅", amount=money(amount),
            )  # fmt: skip
            facts["expenses"].append((person, at(day), amount))
        for number, (person, customer, day, kind) in enumerate(visits):
            coach = person_rows[0] if kind == "joint" else None
            Visit.objects.create(
                code=f"V{number}", rep=person_rows[person], customer=customers[customer],
                visit_date=at(day), kind=kind, coach=coach,
            )  # fmt: skip
            if kind != "service" and people[person][1] == Role.REP:
                facts["visits"].append((person, customer, at(day)))
        return people, teams, facts

    @staticmethod
    def oracle(*, facts, period: Period, counts) -> dict[str, Decimal | int]:
        """Σ of the facts for which counts(person, credited date) holds, straight from the data."""

        def inside(day: date) -> bool:
            return period.start <= day <= period.end

        lines = [(a, c) for p, day, a, c in facts["lines"] if inside(day) and counts(p, day)]
        before = period.start
        opening = sum(a for p, day, a in facts["invoices"] if day < before and counts(p, day))
        opening -= sum(
            paid
            for p, day, paid_day, paid in facts["payments"]
            if day < before and paid_day < before and counts(p, day)
        )
        return {
            "sales": money(sum(a for a, _c in lines)),
            "gross_margin": money(sum(a - c for a, c in lines)),
            "ar_opening": money(opening),
            "invoiced": money(
                sum(a for p, day, a in facts["invoices"] if inside(day) and counts(p, day))
            ),
            # A payment is credited on its invoice's date (KPI.md).
            "collected": money(
                sum(
                    paid
                    for p, day, paid_day, paid in facts["payments"]
                    if inside(paid_day) and counts(p, day)
                )
            ),
            "expenses": money(
                sum(a for p, day, a in facts["expenses"] if inside(day) and counts(p, day))
            ),
            "visits": len(
                {(p, c, day) for p, c, day in facts["visits"] if inside(day) and counts(p, day)}
            ),
        }

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=data_sets(), start=day_offsets, length=st.integers(0, 70))
    def test_teams_regions_and_company_add_up_their_members_facts(self, data, start, length):
        people, teams, facts = self.build(data)
        period = Period(start=at(start), end=at(start) + timedelta(days=length))
        table = indicator_table(user=SYSTEM, start=period.start, end=period.end)
        by_unit = {(row.level, row.code): row for row in table.rows}
        region_sums = {code: dict.fromkeys(ADDITIVE, 0) for code in ("R0", "R1")}

        def member_of(team: int):
            def counts(person: int, day: date) -> bool:
                return any(
                    t == team and at(first) <= day and (last is None or day <= at(last))
                    for t, first, last in people[person][2]
                )

            return counts

        # A team has exactly the facts of its members on the facts' dates.
        for index, (code, region) in enumerate(teams):
            expected = self.oracle(facts=facts, period=period, counts=member_of(index))
            row = by_unit[("team", code)]
            assert {name: row.value(name) for name in ADDITIVE} == expected, code
            for name in ADDITIVE:
                region_sums[f"R{region}"][name] += expected[name]
        # A region is the sum of its teams.
        for code, sums in region_sums.items():
            row = by_unit[("region", code)]
            assert {name: row.value(name) for name in ADDITIVE} == sums, code
        # A rep's row has all their facts, whatever their team.
        for index, (code, role, _stints) in enumerate(people):
            if role == Role.REP:
                expected = self.oracle(
                    facts=facts, period=period, counts=lambda p, _day, index=index: p == index
                )
                row = by_unit[("person", code)]
                assert {name: row.value(name) for name in ADDITIVE} == expected, code
        # The company has everyone's facts, with or without a team.
        expected = self.oracle(facts=facts, period=period, counts=lambda _p, _day: True)
        row = by_unit[("company", "")]
        assert {name: row.value(name) for name in ADDITIVE} == expected

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=data_sets(), start=day_offsets, length=st.integers(0, 70))
    def test_opening_plus_invoiced_minus_collected_is_the_next_opening(self, data, start, length):
        self.build(data)
        period = Period(start=at(start), end=at(start) + timedelta(days=length))
        following = period.following()
        now = indicator_table(user=SYSTEM, start=period.start, end=period.end).rows
        later = indicator_table(user=SYSTEM, start=following.start, end=following.end).rows
        assert [(r.level, r.code) for r in now] == [(r.level, r.code) for r in later]
        for row, next_row in zip(now, later, strict=True):
            assert row.ar_opening + row.invoiced - row.collected == next_row.ar_opening, (
                row.level,
                row.code,
            )
