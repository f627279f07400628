"""The home of a team manager or region head: this month per unit and member against the
target due by today, each member linked to their figures and to a one-on-one, and the
to-dos grouped by kind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils.http import urlencode

from salesorg.core.reminders import Reminder
from salesorg.performance.choices import Facts
from salesorg.performance.home.running import RunningRow, running_tables, unit_keys
from salesorg.performance.home.todos import team_action_items, todo_groups
from salesorg.performance.kpi.attribution import PERSON, REGION, TEAM, org_snapshot


@dataclass(frozen=True)
class MemberRow:
    """A member's month to date, with the links to their figures and to a one-on-one."""

    figures: RunningRow
    month_url: str
    coaching_url: str


def member_links(*, person_id: int) -> tuple[str, str]:
    """The person's achievement dashboard and the new one-on-one form with them preselected."""
    dashboard = reverse("performance:dashboard", args=["achievement"])
    figures = f"{dashboard}?{urlencode({'level': PERSON, 'unit': person_id})}"
    coaching = f"{reverse('development:coaching_new')}?{urlencode({'person': person_id})}"
    return figures, coaching


def _units_first(rows) -> list[RunningRow]:
    """The regions, then the teams, each by code."""
    units = [row for row in rows if row.level in (REGION, TEAM)]
    return sorted(units, key=lambda row: (row.level != REGION, row.code))


def _by_achievement(row: RunningRow):
    rate = row.due.sales_achievement
    return (rate is None, -(rate or Decimal(0)), row.code)


def manager_home(*, user, person, today: date, reminders: list[Reminder] = ()) -> dict:
    """This month per team and member the leader sees, the year to date of their units,
    and the to-dos grouped by kind."""
    org = org_snapshot()
    tables = running_tables(user=user, today=today, org=org, year_facts=frozenset({Facts.SALES}))
    keys = unit_keys(org)
    units = _units_first(tables.month_rows.values())
    members = []
    for row in sorted(tables.month_rows.values(), key=_by_achievement):
        if row.level != PERSON or row.code == person.code:
            continue
        month_url, coaching_url = member_links(person_id=keys[(PERSON, row.code)][1])
        members.append(MemberRow(row, month_url, coaching_url))
    year_units = _units_first(tables.year_rows.values())
    team_counts, team_items = team_action_items(user=user, person=person, today=today)
    return {
        "running": tables,
        "month_period": tables.month,
        "unit_rows": units,
        "member_rows": members,
        "year_unit_rows": year_units,
        "todo_groups": todo_groups(
            reminders=reminders, team_counts=team_counts, team_items=team_items
        ),
        "today": today,
    }
