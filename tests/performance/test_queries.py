"""The engine is set-based: a fixed number of queries, however many people and months."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from salesorg.core.models import CalendarDay
from salesorg.core.scoping import SYSTEM
from salesorg.performance.kpi.attribution import COMPANY_KEY, org_snapshot
from salesorg.performance.kpi.indicators import indicator_table, product_mix
from salesorg.performance.selectors.dashboards import receivables_ageing
from tests.factories import (
    CategoryFactory,
    CustomerFactory,
    ExpenseFactory,
    InvoiceFactory,
    MembershipFactory,
    OrderLineFactory,
    PaymentFactory,
    PersonFactory,
    ProductFactory,
    RegionFactory,
    TargetFactory,
    TeamFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db

QUERY_BUDGET = 25
YEAR = (date(2026, 1, 1), date(2026, 12, 31))


def build(*, reps: int) -> None:
    """`reps` reps over two regions and four teams, each moving team mid-year, with facts."""
    CalendarDay.objects.get_or_create(date=date(2026, 5, 1), defaults={"is_workday": False})
    regions = [RegionFactory(), RegionFactory()]
    teams = [TeamFactory(region=regions[n % 2]) for n in range(4)]
    product = ProductFactory(category=CategoryFactory(focus=True))
    for n in range(reps):
        rep = PersonFactory()
        MembershipFactory(
            person=rep, team=teams[n % 4], start_date=date(2020, 1, 1), end_date=date(2026, 6, 14)
        )
        MembershipFactory(person=rep, team=teams[(n + 1) % 4], start_date=date(2026, 6, 15))
        customer = CustomerFactory(owner=rep, created_date=date(2026, 3, 1))
        for month in (2, 7, 11):
            day = date(2026, month, 10)
            OrderLineFactory(order__rep=rep, order__customer=customer, order__order_date=day,
                             product=product)  # fmt: skip
            VisitFactory(rep=rep, customer=customer, visit_date=day)
            ExpenseFactory(rep=rep, expense_date=day)
            invoice = InvoiceFactory(rep=rep, customer=customer, invoice_date=day)
            PaymentFactory(invoice=invoice, payment_date=date(2026, month, 20))
            TargetFactory(person=rep, month=month, realistic=Decimal("500.00"))
        InvoiceFactory(rep=rep, customer=customer, invoice_date=date(2025, 12, 1))


def queries_for(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def test_the_indicator_table_uses_the_same_queries_for_3_reps_as_for_30():
    build(reps=3)
    small = queries_for(
        lambda: indicator_table(user=SYSTEM, start=YEAR[0], end=YEAR[1], level="all")
    )
    small_mix = queries_for(
        lambda: product_mix(user=SYSTEM, start=YEAR[0], end=YEAR[1], level="all")
    )
    build(reps=27)
    large = queries_for(
        lambda: indicator_table(user=SYSTEM, start=YEAR[0], end=YEAR[1], level="all")
    )
    large_mix = queries_for(
        lambda: product_mix(user=SYSTEM, start=YEAR[0], end=YEAR[1], level="all")
    )
    assert small == large <= QUERY_BUDGET
    assert small_mix == large_mix <= 8
    table = indicator_table(user=SYSTEM, start=YEAR[0], end=YEAR[1], level="person")
    assert len(table.rows) == 30
    assert all(row.sales == Decimal("300.00") for row in table.rows)
    assert all(row.sales_target == Decimal("1500.00") for row in table.rows)


def test_scoped_table_adds_only_the_scope_queries(org_tree):
    director = org_tree.user("director")
    rep = org_tree.user("rep_east1a")
    unscoped = queries_for(lambda: indicator_table(user=SYSTEM, start=YEAR[0], end=YEAR[1]))
    for user in (director, rep):
        scoped = queries_for(
            lambda user=user: indicator_table(start=YEAR[0], end=YEAR[1], user=user)
        )
        assert scoped <= unscoped + 8


def test_a_reps_own_month_reads_the_database_nine_times(org_tree):
    """A rep's page shows their month: the org (4), the month sums, the opening balance,
    the customers, the calendar and the targets; no focus categories without split months."""
    build(reps=3)
    rep = org_tree.user("rep_east1a")
    month = (date(2026, 11, 1), date(2026, 11, 30))
    indicator_table(start=month[0], end=month[1], level="person", user=rep)  # scope cached
    assert (
        queries_for(lambda: indicator_table(start=month[0], end=month[1], level="person", user=rep))
        <= 9
    )


def test_the_company_ageing_reads_as_much_for_3_reps_as_for_30():
    """The company's receivables by age sum the rollups per month and bucket: the reps'
    team moves inside months (split months) add no query and no row per person."""

    def ageing():
        return receivables_ageing(
            org=org_snapshot(), as_of=date(2026, 12, 31), unit=COMPANY_KEY, today=date(2027, 1, 5)
        )

    build(reps=3)
    small = queries_for(ageing)
    build(reps=27)
    assert queries_for(ageing) == small <= 8
    total = sum(amount for _label, amount in ageing())
    assert total == sum(amount for _label, amount in receivables_ageing(
        org=org_snapshot(), as_of=date(2026, 12, 31), unit=COMPANY_KEY,
        today=date(2027, 1, 5), source="raw",
    ))  # fmt: skip


@pytest.mark.parametrize("level", ["company", "team"])
def test_an_achievement_dashboard_reads_its_targets_once(org_tree, level):
    """The table's targets and the monthly chart's come from one read of the targets."""
    from salesorg.performance.selectors.dashboards import dashboard_build
    from salesorg.targets.models import Target

    build(reps=3)
    team = org_tree.teams["east1"]
    with CaptureQueriesContext(connection) as captured:
        dashboard_build(
            user=SYSTEM,
            slug="achievement",
            level=None if level == "company" else "team",
            unit_id=None if level == "company" else team.pk,
            year=2026,
            today=date(2027, 1, 5),
        )
    table = Target._meta.db_table
    reads = [q for q in captured.captured_queries if f'FROM "{table}"' in q["sql"]]
    assert len(reads) == 1


def test_a_reps_own_month_loads_their_own_part_of_the_organization(org_tree):
    """A rep's month shows their row only: the engine loads them and their memberships, not
    the company's thousand people (about half of the time of that table at 1,000 reps)."""
    from salesorg.org.models import Membership, Person

    build(reps=3)
    rep = org_tree.user("rep_east1a")
    month = (date(2026, 11, 1), date(2026, 11, 30))
    indicator_table(start=month[0], end=month[1], level="person", user=rep)  # scope cached
    with CaptureQueriesContext(connection) as captured:
        table = indicator_table(start=month[0], end=month[1], level="person", user=rep)
    assert [row.code for row in table.rows] == [org_tree.people["rep_east1a"].code]
    # The snapshot's reads: every person with their dates, every membership by start.
    for model, column in ((Person, "leave_date"), (Membership, "end_date")):
        table = model._meta.db_table
        reads = [
            q["sql"] for q in captured.captured_queries
            if f'"{table}"."{column}"' in q["sql"] and f'FROM "{table}"' in q["sql"]
        ]  # fmt: skip
        assert reads and all("WHERE" in sql for sql in reads), model
