"""The director's home: the company this year and this month, each against its target to
date, and the regions and teams ranked by their achievement to date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from salesorg.core.reminders import Reminder
from salesorg.performance.choices import Facts
from salesorg.performance.home.running import RunningRow, running_tables
from salesorg.performance.home.todos import todo_groups
from salesorg.performance.kpi.attribution import COMPANY, REGION, TEAM


def ranked(rows: list[RunningRow]) -> list[RunningRow]:
    """Highest achievement to date first; units without a target last, then by code."""
    return sorted(
        rows,
        key=lambda r: (
            r.due.sales_achievement is None,
            -(r.due.sales_achievement or Decimal(0)),
            r.code,
        ),
    )


def director_home(*, user, today: date, reminders: list[Reminder] = ()) -> dict:
    """Company figures of the year and month to date, the regions (and teams) ranked, and
    the to-dos grouped by kind."""
    tables = running_tables(user=user, today=today, month_facts=frozenset({Facts.SALES}))
    company = tables.year_rows.get((COMPANY, ""))
    year_rows = list(tables.year_rows.values())
    return {
        "running": tables,
        "year_period": tables.year,
        "company_year": company,
        "company_row": company.row if company else None,
        "company_month": tables.month_rows.get((COMPANY, "")),
        "region_rows": ranked([row for row in year_rows if row.level == REGION]),
        "team_rows": ranked([row for row in year_rows if row.level == TEAM]),
        "todo_groups": todo_groups(reminders=reminders, team_counts={}, team_items=[]),
    }
