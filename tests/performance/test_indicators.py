"""The indicator table of KPI.md on the hand-built January of conftest.py: every number by hand."""

from datetime import date
from decimal import Decimal, localcontext

import pytest
from django.contrib.auth.models import AnonymousUser

from salesorg.core.scoping import SYSTEM
from salesorg.performance.choices import COLUMN_BY_NAME, Facts
from salesorg.performance.kpi.columns import FACT_COLUMNS
from salesorg.performance.kpi.indicators import indicator_table, product_mix
from tests.performance.conftest import JAN

pytestmark = pytest.mark.django_db


def q(numerator, denominator) -> Decimal:
    """A hand-written fraction as the exact 28-digit Decimal the engine must give."""
    with localcontext() as context:
        context.prec = 28
        return Decimal(numerator) / Decimal(denominator)


def rows_by_code(level="all", period=JAN, user=SYSTEM, **kwargs):
    table = indicator_table(start=period[0], end=period[1], level=level, user=user, **kwargs)
    return {(row.level, row.code): row for row in table.rows}


@pytest.fixture
def jan(world):
    return rows_by_code()


def test_one_row_per_rep_team_region_and_the_company_even_when_all_zero(jan):
    assert list(jan) == [
        ("person", "A"), ("person", "B"), ("person", "C"), ("person", "D"), ("person", "E"),
        ("team", "T1"), ("team", "T2"), ("team", "T3"),
        ("region", "R1"), ("region", "R2"),
        ("company", ""),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "unit,sales,margin,focus_share",
    [
        # A: O1 (1000.00 focus + 500.50) + O2 200.00; costs 600 + 300.25 + 150.
        (("person", "A"), "1700.50", "650.25", q(1000, "1700.50")),
        # B: O4 300 (focus, in T1) + O5 400 (in T2); costs 100 + 390.
        (("person", "B"), "700.00", "210.00", q(300, 700)),
        (("person", "C"), "0.00", "0.00", None),  # O8 is in February
        (("person", "D"), "0.00", "0.00", None),  # O9 is in December
        (("person", "E"), "50.00", "30.00", Decimal(1)),
        # T1: A's 1700.50 + B's O4 300 (before the move) + manager M's O6 100.
        (("team", "T1"), "2100.50", "900.25", q(1300, "2100.50")),
        (("team", "T2"), "400.00", "10.00", Decimal(0)),  # B's O5 after the move
        (("team", "T3"), "0.00", "0.00", None),
        (("region", "R1"), "2500.50", "910.25", q(1300, "2500.50")),
        (("region", "R2"), "0.00", "0.00", None),
        # The company also counts E, who has no team; the cancelled O3 counts nowhere.
        (("company", ""), "2550.50", "940.25", q(1350, "2550.50")),
    ],
)
def test_sales_margin_and_focus_share(jan, unit, sales, margin, focus_share):
    row = jan[unit]
    assert (row.sales, row.gross_margin) == (Decimal(sales), Decimal(margin))
    assert row.focus_share == focus_share


@pytest.mark.parametrize(
    "unit,target,ideal,gm_target,gm_ideal",
    [
        (("person", "A"), "2000.00", "2500.00", "800.00", "1000.00"),
        (("person", "B"), "1000.00", "1000.00", None, None),
        (("person", "C"), None, None, None, None),  # no row of their own: none, not 0
        (("person", "D"), "700.00", "700.00", None, None),
        (("person", "E"), None, None, None, None),
        # T1 has no row: members on Jan 1 are A, B and manager M (any role counts).
        (("team", "T1"), "3500.00", "4100.00", "800.00", "1000.00"),
        # T2 has its own row, so D's 700 is not added; for margin no row and D has none.
        (("team", "T2"), "3000.00", "4000.00", None, None),
        (("team", "T3"), None, None, None, None),
        (("region", "R1"), "6500.00", "8100.00", "800.00", "1000.00"),
        (("region", "R2"), None, None, None, None),
        (("company", ""), "6500.00", "8100.00", "800.00", "1000.00"),
    ],
)
def test_targets_own_row_else_sum_of_children(jan, unit, target, ideal, gm_target, gm_ideal):
    row = jan[unit]
    as_decimal = lambda value: None if value is None else Decimal(value)  # noqa: E731
    assert row.sales_target == as_decimal(target)
    assert row.sales_target_ideal == as_decimal(ideal)
    assert row.gm_target == as_decimal(gm_target)
    assert row.gm_target_ideal == as_decimal(gm_ideal)


def test_achievements_are_exact_quotients_and_null_without_target(jan):
    a, t1 = jan[("person", "A")], jan[("team", "T1")]
    assert a.sales_achievement == Decimal("0.85025")
    assert a.sales_achievement_ideal == Decimal("0.6802")
    assert a.gm_achievement == Decimal("0.8128125")
    assert a.gm_achievement_ideal == Decimal("0.65025")
    assert t1.sales_achievement == q("2100.50", 3500)
    assert str(t1.sales_achievement) == "0.6001428571428571428571428571"
    assert t1.gm_achievement == q("900.25", 800)
    assert jan[("person", "D")].sales_achievement == Decimal(0)  # a target and no sales: 0
    assert jan[("team", "T2")].sales_achievement == q(400, 3000)
    assert jan[("company", "")].sales_achievement_ideal == q("2550.50", 8100)
    for unit in [("person", "C"), ("team", "T3"), ("region", "R2")]:
        row = jan[unit]
        assert row.sales_achievement is row.gm_achievement_ideal is row.expense_ratio is None


@pytest.mark.parametrize(
    "unit,opening,invoiced,collected,rate",
    [
        # I1 1000 (Dec) less P1 300 paid in Dec; I2 500 in Jan; paid 200 + 500 in Jan.
        (("person", "A"), "700.00", "500.00", "700.00", q(700, 1200)),
        # I3 800 (Dec) paid in Jan; I4 100 in Jan is paid in February.
        (("person", "B"), "800.00", "100.00", "800.00", q(800, 900)),
        (("person", "C"), "0.00", "0.00", "0.00", None),  # 0 / 0 is null
        (("person", "D"), "0.00", "600.00", "0.00", Decimal(0)),
        # I3 was invoiced while B was in T1: its payment counts for T1 though B had moved.
        (("team", "T1"), "1500.00", "500.00", "1500.00", Decimal("0.75")),
        (("team", "T2"), "0.00", "700.00", "0.00", Decimal(0)),  # I4 (B) + I5 (D)
        (("region", "R1"), "1500.00", "1200.00", "1500.00", q(1500, 2700)),
        (("company", ""), "1500.00", "1200.00", "1500.00", q(1500, 2700)),
    ],
)
def test_receivables(jan, unit, opening, invoiced, collected, rate):
    row = jan[unit]
    assert (row.ar_opening, row.invoiced, row.collected) == (
        Decimal(opening),
        Decimal(invoiced),
        Decimal(collected),
    )
    assert row.collection_rate == rate


@pytest.mark.parametrize(
    "unit,visits,service_calls,workdays",
    [
        # Two visits to K1 on Jan 5 count once; the joint visit counts for A, not coach M.
        (("person", "A"), 2, 1, 21),
        (("person", "B"), 2, 0, 21),
        (("person", "C"), 0, 0, 15),  # hired Monday Jan 12
        (("person", "D"), 0, 0, 13),  # left Tuesday Jan 20
        (("person", "E"), 0, 0, 21),
        # B's workdays split 10 (T1, to Jan 15) + 11 (T2, from Jan 16); M is no rep.
        (("team", "T1"), 3, 1, 21 + 10),
        (("team", "T2"), 1, 0, 11 + 15 + 13),
        (("team", "T3"), 0, 0, 0),
        (("region", "R1"), 4, 1, 70),
        (("region", "R2"), 0, 0, 0),
        (("company", ""), 4, 1, 21 + 21 + 15 + 13 + 21),  # E counts for the company only
    ],
)
def test_visits_and_workdays(jan, unit, visits, service_calls, workdays):
    row = jan[unit]
    assert (row.visits, row.service_calls, row.workdays) == (visits, service_calls, workdays)
    expected = q(visits, workdays) if workdays else None
    assert row.visits_per_workday == expected


@pytest.mark.parametrize(
    "unit,customers,new,prospects,industries",
    [
        (("person", "A"), 1, 0, 0, 1),  # K1's first order ever is D's O9 in December
        (("person", "B"), 2, 1, 2, 2),  # K3 is new; B created K3 (T1) and K5 (T2)
        (("person", "C"), 0, 0, 0, 0),
        (("person", "E"), 1, 1, 0, 0),  # K2: first confirmed order (O3 was cancelled); no industry
        # T1: K1 (A), K3 (B before the move), K4 (manager M); new K3 and K4; prospects K3, K4.
        (("team", "T1"), 3, 2, 2, 2),
        (("team", "T2"), 1, 0, 1, 1),
        (("region", "R1"), 3, 2, 3, 2),  # K1 bought from both teams: counted once
        (("company", ""), 4, 3, 3, 2),
    ],
)
def test_customers_new_customers_prospects_and_industries(
    jan, unit, customers, new, prospects, industries
):
    row = jan[unit]
    assert (row.customers, row.new_customers, row.prospects_added, row.industries) == (
        customers,
        new,
        prospects,
        industries,
    )


@pytest.mark.parametrize(
    "unit,expenses,budget,ratio",
    [
        (("person", "A"), "300.00", "1000.00", Decimal("0.3")),  # realistic, not ideal 1200
        (("person", "B"), "150.00", None, None),
        (("team", "T1"), "300.00", "1000.00", Decimal("0.3")),  # B spent after moving
        (("team", "T2"), "150.00", None, None),  # members on Jan 1 (D) have no budget
        (("region", "R1"), "450.00", "1000.00", Decimal("0.45")),
        (("company", ""), "450.00", "1000.00", Decimal("0.45")),
    ],
)
def test_expenses(jan, unit, expenses, budget, ratio):
    row = jan[unit]
    assert row.expenses == Decimal(expenses)
    assert row.expense_budget == (None if budget is None else Decimal(budget))
    assert row.expense_ratio == ratio


def test_a_period_that_is_not_whole_months_has_no_targets(world):
    table = indicator_table(user=SYSTEM, start=date(2026, 1, 1), end=date(2026, 1, 15))
    assert table.targets_available is False
    for row in table.rows:
        assert row.sales_target is row.sales_target_ideal is row.gm_target is None
        assert row.sales_achievement is row.gm_achievement_ideal is None
        assert row.expense_budget is row.expense_ratio is None
    a = next(row for row in table.rows if row.code == "A")
    assert a.sales == Decimal("1500.50")  # O1 only: the other indicators still work
    assert a.workdays == 1 + 5 + 4  # Jan 4, 5–9, 12–15


def test_a_multi_month_period_sums_the_months_that_have_a_target(world):
    rows = rows_by_code(period=(date(2025, 12, 1), date(2026, 2, 28)))
    a = rows[("person", "A")]
    # Dec 88888 + Jan 2000 + Feb 77777 (ideal defaults to realistic in Dec and Feb).
    assert a.sales_target == Decimal("168665.00")
    assert a.sales_target_ideal == Decimal("88888.00") + Decimal("2500.00") + Decimal("77777.00")
    # B has a January target only: the period target is January's.
    assert rows[("person", "B")].sales_target == Decimal("1000.00")


def test_levels_select_rows(world):
    start, end = JAN
    assert {
        r.level for r in indicator_table(user=SYSTEM, start=start, end=end, level="team").rows
    } == {"team"}
    company = indicator_table(user=SYSTEM, start=start, end=end, level="company").rows
    assert [(r.level, r.code) for r in company] == [("company", "")]


def test_end_before_start_is_refused(world):
    from salesorg.performance.kpi.periods import PeriodError

    with pytest.raises(PeriodError) as error:
        indicator_table(user=SYSTEM, start=date(2026, 2, 1), end=date(2026, 1, 1))
    assert error.value.field == "to"


@pytest.mark.parametrize("source", ["auto", "raw"])
def test_only_some_units_gives_exactly_their_rows_of_the_full_table(world, source):
    """A dashboard asks for one unit and its children: same rows, no others."""
    start, end = JAN
    full = rows_by_code(source=source)
    t1, b = world.teams["T1"], world.people["B"]
    only = [("team", t1.pk), ("person", b.pk), ("company", None)]
    table = indicator_table(user=SYSTEM, start=start, end=end, only=only, source=source)
    # In table order (people, teams, regions, company), whatever the order asked.
    assert [(row.level, row.code) for row in table.rows] == [
        ("person", "B"), ("team", "T1"), ("company", "")
    ]  # fmt: skip
    for row in table.rows:
        assert row == full[(row.level, row.code)]


def test_only_does_not_widen_the_scope(world):
    """Asking for units outside the viewer's scope gives no row for them."""
    from tests.factories import UserFactory

    a, b = world.people["A"], world.people["B"]
    a.user = UserFactory()
    a.save(update_fields=["user"])
    start, end = JAN
    table = indicator_table(
        start=start, end=end, user=a.user, only=[("person", a.pk), ("person", b.pk)]
    )
    assert [(row.level, row.code) for row in table.rows] == [("person", "A")]


def test_a_read_without_a_user_fails_closed(world):
    """No user means no call at all, or no rows, never every row: batch work says SYSTEM."""
    start, end = JAN
    with pytest.raises(TypeError):
        indicator_table(start=start, end=end)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        product_mix(start=start, end=end)  # type: ignore[call-arg]
    assert indicator_table(start=start, end=end, user=None).rows == []
    assert indicator_table(start=start, end=end, user=AnonymousUser()).rows == []
    assert product_mix(start=start, end=end, user=None) == []
    assert len(indicator_table(start=start, end=end, user=SYSTEM).rows) == len(rows_by_code())


@pytest.mark.parametrize("source", ["auto", "raw"])
@pytest.mark.parametrize("wanted", [{family} for family in Facts] + [{"sales", "customers"}])
def test_wanted_fact_families_fill_their_columns_and_leave_the_others_null(world, source, wanted):
    """A dashboard asks for the families it shows: same numbers there, None elsewhere."""
    start, end = JAN
    full = rows_by_code(source=source)
    table = indicator_table(user=SYSTEM, start=start, end=end, source=source, wanted=wanted)
    shown = set().union(*(FACT_COLUMNS[family] for family in wanted))
    assert len(table.rows) == len(full)
    for row in table.rows:
        expected = full[(row.level, row.code)]
        for column in COLUMN_BY_NAME:
            if column in shown:
                assert row.value(column) == expected.value(column), column
            else:
                assert row.value(column) is None, column


def test_an_unknown_fact_family_is_refused(world):
    with pytest.raises(ValueError):
        indicator_table(user=SYSTEM, start=JAN[0], end=JAN[1], wanted={"sales", "weather"})


@pytest.mark.parametrize("period", [JAN, (date(2025, 12, 1), date(2026, 2, 28))])
def test_a_table_of_person_rows_equals_those_rows_of_the_full_table(world, period):
    """Person rows read only their own targets: the same figures as in the full table."""
    full = rows_by_code(period=period)
    people = rows_by_code(level="person", period=period)
    assert people and all(level == "person" for level, _code in people)
    assert any(row.sales_target is not None for row in people.values())
    for key, row in people.items():
        assert row == full[key]


@pytest.mark.parametrize(
    "period", [(date(2026, 2, 1), date(2026, 3, 31)), (date(2026, 1, 1), date(2026, 3, 31))]
)
def test_months_summed_as_one_for_people_who_stay_still_credit_older_invoices_by_their_day(
    world, period
):
    """The rollups sum the months of P of everyone who stays in their units all P into one
    row; a payment of P on an invoice from before P still counts for the units of the
    invoice's day (B moved from T1 to T2 on 16 January)."""
    from tests.factories import InvoiceFactory, PaymentFactory
    from tests.performance.conftest import d

    b = world.people["B"]
    invoice = InvoiceFactory(
        rep=b, customer=world.customers["K3"], invoice_date=d(10), due_date=d(10), amount=50
    )
    PaymentFactory(invoice=invoice, payment_date=d(5, month=2), amount=50)
    fast = rows_by_code(period=period)
    assert fast == rows_by_code(period=period, source="raw")
    if period[0].month == 2:
        # I4 (B in T2, January) is paid in February too: T1 gets only the 50.
        assert fast[("team", "T1")].collected == Decimal("50.00")


@pytest.mark.parametrize("source", ["auto", "raw"])
def test_the_company_alone_is_its_row_of_the_full_table(world, source):
    """A table of the company alone reads no split month (every fact counts for it on any
    day) and gives exactly the full table's company row, B's move in January included."""
    full = rows_by_code(source=source)
    (row,) = indicator_table(
        user=SYSTEM, start=JAN[0], end=JAN[1], only=[("company", None)], source=source
    ).rows
    assert row == full[("company", "")]


def test_a_reps_own_rows_are_those_of_the_whole_company(world):
    """A rep's tables load only the rep's part of the organization: B, who moved team in
    January, gets exactly the rows the company's tables give B (figures and product mix)."""
    from tests.factories import UserFactory

    b = world.people["B"]
    b.user = UserFactory()
    b.save(update_fields=["user"])
    start, end = JAN
    (own,) = indicator_table(start=start, end=end, level="person", user=b.user).rows
    assert own == rows_by_code(level="person")[("person", "B")]
    mix = product_mix(start=start, end=end, level="person", user=b.user)
    everyone = product_mix(start=start, end=end, level="person", user=SYSTEM)
    assert mix and mix == [row for row in everyone if row.code == "B"]
