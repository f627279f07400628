"""The finance home: what is owed by age, the collection rate of the month and the year to
date, and the overdue invoices to chase first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Sum

from salesorg.core.money import quantize_cents
from salesorg.performance.choices import Facts
from salesorg.performance.home.running import running_tables
from salesorg.performance.kpi.attribution import org_snapshot
from salesorg.performance.selectors.dashboards import (
    default_unit,
    receivables_ageing,
    visible_units,
)
from salesorg.sales.models import Invoice
from salesorg.sales.selectors import invoice_list

INVOICES_TO_CHASE = 8


@dataclass(frozen=True)
class Receivables:
    """A unit's open receivables on a date by age of the invoice (the dashboard's buckets)."""

    unit_name: str
    as_of: date
    buckets: list[tuple[str, Decimal]]

    @property
    def total(self) -> Decimal:
        return sum((amount for _label, amount in self.buckets), Decimal("0.00"))

    @property
    def shares(self) -> list[tuple[str, Decimal, Decimal | None]]:
        """Each bucket with its share of the total (None when nothing is owed)."""
        total = self.total
        return [
            (label, amount, amount / total if total else None) for label, amount in self.buckets
        ]


@dataclass(frozen=True)
class OverdueInvoice:
    """An invoice to chase and how many days it is past its due date."""

    invoice: Invoice
    days_overdue: int


@dataclass(frozen=True)
class Overdue:
    """The overdue invoices: how many, how much is still owed, and the first to chase."""

    count: int
    outstanding: Decimal
    invoices: list[OverdueInvoice]


def overdue_invoices(*, user, today: date, limit: int = INVOICES_TO_CHASE) -> Overdue:
    """Invoices past their due date with money still owed, oldest due date first and the
    largest balance first among equals (two queries)."""
    invoices = invoice_list(user=user, state="overdue", today=today)
    totals = invoices.order_by().aggregate(count=Count("id"), cents=Sum("outstanding_cents"))
    first = [
        OverdueInvoice(invoice=invoice, days_overdue=(today - invoice.due_date).days)
        for invoice in invoices.order_by("due_date", "-outstanding_cents", "code")[:limit]
    ]
    outstanding = quantize_cents(Decimal(totals["cents"] or 0) / 100)
    return Overdue(count=totals["count"], outstanding=outstanding, invoices=first)


def finance_home(*, user, today: date) -> dict:
    """Receivables and ageing of the highest unit the user sees, its collection rate this
    month and this year to date, and the overdue invoices to chase."""
    org = org_snapshot()
    unit = default_unit(visible=visible_units(org=org, user=user))
    context: dict = {"overdue": overdue_invoices(user=user, today=today)}
    if unit is None:
        return context
    tables = running_tables(
        user=user,
        today=today,
        org=org,
        month_facts=frozenset({Facts.RECEIVABLES}),
        year_facts=frozenset({Facts.RECEIVABLES}),
    )
    key = (unit.level, unit.code)
    context.update(
        {
            "receivables": Receivables(
                unit_name=unit.name,
                as_of=today,
                buckets=receivables_ageing(org=org, as_of=today, unit=unit.key, today=today),
            ),
            "running": tables,
            "collection_month": tables.month_rows.get(key),
            "collection_year": tables.year_rows.get(key),
            "receivables_unit": unit,
        }
    )
    return context
