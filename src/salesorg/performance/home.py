"""Home-page figures by role, all from the indicator engine (one engine call per page)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from salesorg.core.calendar import workday_set
from salesorg.core.money import quantize_cents
from salesorg.org.choices import Role
from salesorg.performance.attribution import COMPANY, PERSON, REGION, TEAM
from salesorg.performance.indicators import (
    IndicatorRow,
    indicator_rows_sorted,
    indicator_table,
)
from salesorg.performance.periods import Period, month_end, this_month
from salesorg.sales.models import Visit
from salesorg.targets.models import ActionItem

ACTIONS_AHEAD = timedelta(days=14)
ACTIONS_SHOWN = 10


@dataclass(frozen=True)
class RunRate:
    """What it takes to reach one target this month: the gap and the amount per workday."""

    label: str
    target: Decimal | None
    achievement: Decimal | None
    remaining: Decimal | None
    per_workday: Decimal | None


def run_rate(*, label, sales: Decimal, target: Decimal | None, workdays_left: int) -> RunRate:
    """The gap to `target` and the sales needed per remaining workday (None without target)."""
    if target is None:
        return RunRate(str(label), None, None, None, None)
    remaining = max(Decimal("0.00"), target - sales)
    per_workday = quantize_cents(remaining / workdays_left) if workdays_left else None
    if not remaining:
        per_workday = Decimal("0.00")
    achievement = sales / target if target else None
    return RunRate(str(label), target, achievement, remaining, per_workday)


@dataclass(frozen=True)
class RepMonth:
    """A rep's month so far: the engine row, workdays left and the run-rate per target."""

    period: Period
    row: IndicatorRow | None
    workdays_total: int
    workdays_left: int
    run_rates: list[RunRate]


def rep_month(*, user, person, today: date) -> RepMonth:
    """This month's achievement of `person` against both targets and the run-rate needed."""
    period = this_month(today=today)
    table = indicator_table(start=period.start, end=period.end, level=PERSON, user=user)
    row = next((r for r in table.rows if r.code == person.code), None)
    workdays = workday_set(period.start, period.end)  # one calendar query
    workdays_left = sum(1 for day in workdays if day >= today)  # today still counts
    workdays_total = len(workdays)
    sales = row.sales if row else Decimal("0.00")
    run_rates = [
        run_rate(
            label=_("Realistic target"),
            sales=sales,
            target=row.sales_target if row else None,
            workdays_left=workdays_left,
        ),
        run_rate(
            label=_("Ideal target"),
            sales=sales,
            target=row.sales_target_ideal if row else None,
            workdays_left=workdays_left,
        ),
    ]
    return RepMonth(period, row, workdays_total, workdays_left, run_rates)


def todays_visits(*, user, person, today: date) -> list[Visit]:
    """The person's visits dated today, with customer and purpose (one query)."""
    return list(
        Visit.objects.visible_to(user)
        .filter(rep=person, visit_date=today)
        .select_related("customer", "purpose_type")
        .order_by("visit_time", "code")
    )


def rep_home(*, user, person, today: date) -> dict:
    """Context of the rep's home page."""
    return {
        "month": rep_month(user=user, person=person, today=today),
        "todays_visits": todays_visits(user=user, person=person, today=today),
    }


def manager_home(*, user, person, today: date) -> dict:
    """This month per team and member the manager leads, and team members' actions due."""
    period = this_month(today=today)
    table = indicator_table(start=period.start, end=period.end, user=user)
    teams = [row for row in table.rows if row.level in (TEAM, REGION)]
    members = indicator_rows_sorted(
        rows=[row for row in table.rows if row.level == PERSON and row.code != person.code],
        sort="-sales_achievement",
    )
    actions = list(
        ActionItem.objects.visible_to(user)
        .open()
        .exclude(owner=person)
        .filter(due_date__lte=today + ACTIONS_AHEAD)
        .select_related("owner")
        .order_by("due_date", "pk")[:ACTIONS_SHOWN]
    )
    return {
        "month_period": period,
        "unit_rows": teams,
        "member_rows": members,
        "actions_due": actions,
        "today": today,
    }


def director_home(*, user, today: date) -> dict:
    """Company figures of the year to date and the regions (and teams) ranked."""
    period = Period(start=date(today.year, 1, 1), end=month_end(year=today.year, month=today.month))
    table = indicator_table(start=period.start, end=period.end, user=user)
    company = next((row for row in table.rows if row.level == COMPANY), None)
    regions = indicator_rows_sorted(
        rows=[row for row in table.rows if row.level == REGION], sort="-sales_achievement"
    )
    teams = indicator_rows_sorted(
        rows=[row for row in table.rows if row.level == TEAM], sort="-sales_achievement"
    )
    return {"year_period": period, "company_row": company, "region_rows": regions,
            "team_rows": teams}  # fmt: skip


def home_context(*, user, person, role: str | None, today: date) -> dict:
    """The performance part of the home page of the user's role (empty for other roles)."""
    if person is None:
        return {}
    if role == Role.REP:
        return rep_home(user=user, person=person, today=today)
    if role in (Role.MANAGER, Role.REGION_HEAD):
        return manager_home(user=user, person=person, today=today)
    if role in (Role.DIRECTOR, Role.ADMIN):
        return director_home(user=user, today=today)
    return {}
