"""The finance home: receivables by age, the collection rate of the month and the year to
date (the engine's), and the overdue invoices to chase, oldest first; seen on 15 June."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from salesorg.core.money import format_money
from salesorg.core.scoping import SYSTEM
from salesorg.performance.kpi.attribution import COMPANY_KEY, org_snapshot
from salesorg.performance.kpi.indicators import indicator_table
from salesorg.performance.selectors.dashboards import receivables_ageing
from salesorg.performance.templatetags.indicator_format import percent
from tests.factories import CustomerFactory, InvoiceFactory, PaymentFactory
from tests.performance.dashboard_world import build_year

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)


@pytest.fixture
def june(org_tree, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    build_year(org_tree)
    rep = org_tree.people["rep_east1a"]
    customer = CustomerFactory(name="欠款大户", owner=rep)
    # two overdue invoices due the same day (the larger first), one partly paid
    InvoiceFactory(code="OLD-SMALL", customer=customer, invoice_date=date(2025, 11, 1),
                   due_date=date(2025, 12, 1), amount=Decimal("500.00"))  # fmt: skip
    big = InvoiceFactory(code="OLD-BIG", customer=customer, invoice_date=date(2025, 11, 1),
                         due_date=date(2025, 12, 1), amount=Decimal("9000.00"))  # fmt: skip
    PaymentFactory(invoice=big, payment_date=date(2026, 1, 5), amount=Decimal("1000.00"))
    # paid in full: nothing to chase; not yet due: not overdue
    paid = InvoiceFactory(code="PAID", customer=customer, invoice_date=date(2025, 10, 1),
                          due_date=date(2025, 10, 31), amount=Decimal("200.00"))  # fmt: skip
    PaymentFactory(invoice=paid, payment_date=date(2025, 11, 1), amount=Decimal("200.00"))
    InvoiceFactory(code="NOT-DUE", customer=customer, invoice_date=date(2026, 6, 12),
                   due_date=date(2026, 7, 12), amount=Decimal("700.00"))  # fmt: skip
    return org_tree


def test_finance_home_shows_receivables_by_age_as_the_dashboard_does(june):
    response = june.client("finance").get("/")
    page = response.content.decode()
    receivables = response.context["receivables"]
    expected = receivables_ageing(org=org_snapshot(), as_of=TODAY, unit=COMPANY_KEY, today=TODAY)
    assert receivables.buckets == expected
    assert receivables.total == sum(amount for _label, amount in expected)
    assert f'data-testid="receivables-total">{format_money(receivables.total)}<' in page
    assert "Over 180 days" in page and "0–30 days" in page
    assert "/performance/dashboards/receivables/" in page  # the full dashboard, linked
    assert "_empty_card" not in page and "Nothing here yet" not in page


def test_finance_home_shows_the_engines_collection_rate_month_and_year(june):
    response = june.client("finance").get("/")
    page = response.content.decode()
    month = indicator_table(
        user=SYSTEM, start=date(2026, 6, 1), end=date(2026, 6, 30), level="company"
    )
    year = indicator_table(
        user=SYSTEM, start=date(2026, 1, 1), end=date(2026, 6, 30), level="company"
    )
    month_rate, year_rate = month.rows[0].collection_rate, year.rows[0].collection_rate
    assert response.context["collection_month"].row.collection_rate == month_rate
    assert f'data-testid="collection-month">{percent(month_rate)}<' in page
    assert f'data-testid="collection-year">{percent(year_rate)}<' in page
    assert "(to day 15)" in page and "(to 2026-06-15)" in page  # both periods still run


def test_finance_home_lists_the_overdue_invoices_oldest_and_largest_first(june):
    response = june.client("finance").get("/")
    page = response.content.decode()
    overdue = response.context["overdue"]
    codes = [chase.invoice.code for chase in overdue.invoices]
    assert codes[:2] == ["OLD-BIG", "OLD-SMALL"]  # the same due date: the larger balance first
    assert "PAID" not in codes and "NOT-DUE" not in codes
    first = overdue.invoices[0]
    assert first.invoice.outstanding == Decimal("8000.00")
    assert first.days_overdue == (TODAY - date(2025, 12, 1)).days
    assert f'href="{first.invoice.get_absolute_url()}"' in page
    assert f'href="{first.invoice.customer.get_absolute_url()}"' in page
    assert "¥8,000.00" in page  # grouped money
    # the count and the sum cover every overdue invoice, not only those listed
    assert overdue.count >= len(overdue.invoices)
    assert f'data-testid="overdue-count">{overdue.count}<' in page
