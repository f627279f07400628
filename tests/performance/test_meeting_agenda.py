"""The agenda of a sales meeting (#16 S13 point 5): every indicator with a target for the
period, per person; a miss is below the target (above it for the expense budget, a
ceiling); a running period is judged against the part of the target due by today."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from salesorg.performance.kpi.periods import Period
from salesorg.performance.selectors.meetings import agenda_misses
from tests.factories import (
    CustomerFactory,
    ExpenseFactory,
    InvoiceFactory,
    PaymentFactory,
    TargetFactory,
    VisitFactory,
)
from tests.performance.scorecard_helpers import sell

JAN = Period(start=date(2026, 1, 1), end=date(2026, 1, 31))
DEC = Period(start=date(2026, 12, 1), end=date(2026, 12, 31))


def goal(rep, metric, realistic, *, month=1):
    return TargetFactory(person=rep, metric=metric, month=month, realistic=Decimal(realistic))


def visits(rep, count, *, month=1):
    """`count` visits of `rep` on different customers in `month`."""
    for day in range(count):
        customer = CustomerFactory(owner=rep)
        VisitFactory(customer=customer, rep=rep, visit_date=date(2026, month, 1 + day % 28))


def rows(misses):
    return [(m.person_id, m.indicator, m.reason, m.value, m.reference) for m in misses]


def test_visits_collections_and_new_customers_below_target_are_misses(org_tree):
    # given east-1a's January: 3 visits of 5, ¥40 collected of ¥100, 1 new customer of 2
    rep = org_tree.people["rep_east1a"]
    visits(rep, 3)
    invoice = InvoiceFactory(customer=CustomerFactory(owner=rep), rep=rep)
    PaymentFactory(invoice=invoice, amount=Decimal("40"), payment_date=date(2026, 1, 20))
    sell(rep, amount="500")  # one new customer
    goal(rep, "visits", "5")
    goal(rep, "collections", "100")
    goal(rep, "new_customers", "2")
    # when the agenda is drawn up
    misses = agenda_misses(team=org_tree.teams["east1"], period=JAN, today=date(2026, 2, 3))
    # then each is an item, counts as whole numbers and money in cents
    assert rows(misses) == [
        (rep.pk, "collected", "below_target", "40.00", "100.00"),
        (rep.pk, "visits", "below_target", "3", "5"),
        (rep.pk, "new_customers", "below_target", "1", "2"),
    ]


def test_prospects_below_target_and_expenses_over_budget_are_misses(org_tree):
    rep = org_tree.people["rep_east1b"]
    CustomerFactory(owner=rep, created_date=date(2026, 1, 9))
    ExpenseFactory(rep=rep, amount=Decimal("500"))
    goal(rep, "prospects_added", "3")
    goal(rep, "expense_budget", "300")
    misses = agenda_misses(team=org_tree.teams["east1"], period=JAN, today=date(2026, 2, 3))
    assert rows(misses) == [
        (rep.pk, "prospects_added", "below_target", "1", "3"),
        (rep.pk, "expenses", "over_budget", "500.00", "300.00"),
    ]


def test_within_budget_and_on_target_are_not_misses(org_tree):
    rep = org_tree.people["rep_east1b"]
    ExpenseFactory(rep=rep, amount=Decimal("200"))
    visits(rep, 5)
    goal(rep, "expense_budget", "300")
    goal(rep, "visits", "5")
    assert agenda_misses(team=org_tree.teams["east1"], period=JAN, today=date(2026, 2, 3)) == []


def test_a_beaten_target_is_no_miss_whatever_the_month_before(org_tree):
    """R0002 sold 514,860 against 490,000 but less than in December: not on the agenda."""
    rep = org_tree.people["rep_east1a"]
    customer = sell(rep, amount="900000", day=date(2025, 12, 10))
    sell(rep, amount="514860", customer=customer)
    goal(rep, "sales", "490000")
    misses = agenda_misses(team=org_tree.teams["east1"], period=JAN, today=date(2026, 2, 3))
    assert rows(misses) == []


def test_indicators_without_a_target_are_not_on_the_agenda(org_tree):
    # December: two new customers; January: none, and no targets at all
    rep = org_tree.people["rep_east1a"]
    sell(rep, amount="100", day=date(2025, 12, 10))
    sell(rep, amount="100", day=date(2025, 12, 11))
    assert agenda_misses(team=org_tree.teams["east1"], period=JAN, today=date(2026, 2, 3)) == []


def test_a_running_month_is_judged_against_the_target_due_by_today(org_tree, monkeypatch):
    # given on 8 December (6 of 23 working days): east-1a made 4 visits of a 23 target
    # (6 due: a miss), sold 690 of 2300 (600 due: no miss); east-1b made 6 of 23 visits
    a, b = org_tree.people["rep_east1a"], org_tree.people["rep_east1b"]
    monkeypatch.setattr(timezone, "localdate", lambda *args: date(2026, 12, 8))
    visits(a, 4, month=12)
    visits(b, 6, month=12)
    sell(a, amount="690", day=date(2026, 12, 3))
    for rep in (a, b):
        goal(rep, "visits", "23", month=12)
        goal(rep, "sales", "2300", month=12)
    misses = agenda_misses(team=org_tree.teams["east1"], period=DEC, today=date(2026, 12, 8))
    assert rows(misses) == [
        (a.pk, "visits", "below_target", "4", "6"),
        (b.pk, "sales", "below_target", "0.00", "600.00"),
    ]


def test_a_count_target_due_to_date_is_a_whole_number(org_tree):
    # 20 visits over 23 working days, 6 elapsed: 5.2 due → 5; five visits are no miss
    rep = org_tree.people["rep_east1a"]
    visits(rep, 5, month=12)
    goal(rep, "visits", "20", month=12)
    assert agenda_misses(team=org_tree.teams["east1"], period=DEC, today=date(2026, 12, 8)) == []
    goal(org_tree.people["rep_east1b"], "visits", "20", month=12)
    (miss,) = agenda_misses(team=org_tree.teams["east1"], period=DEC, today=date(2026, 12, 8))
    assert (miss.value, miss.reference) == ("0", "5")


@pytest.mark.parametrize("metric", ["sales", "visits"])
def test_someone_elses_target_does_not_put_a_teammate_on_the_agenda(org_tree, metric):
    goal(org_tree.people["rep_east2a"], metric, "10")
    assert agenda_misses(team=org_tree.teams["east1"], period=JAN, today=date(2026, 2, 3)) == []
