"""Figures of a running period compared like for like on a home page.

This month and this year are shown while they run. Their sales are compared with the
target pro-rated by the working days elapsed (`to_date`, the Chinese calendar applied),
never with the whole period's target (issue 15, "Honest periods"). The year is January
to the end of the running month, as on the dashboards, so both give the same rates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from salesorg.core.calendar import workday_set
from salesorg.performance.choices import Facts
from salesorg.performance.kpi.attribution import (
    COMPANY,
    COMPANY_KEY,
    PERSON,
    REGION,
    TEAM,
    OrgSnapshot,
    org_snapshot,
    workdays_by_unit,
)
from salesorg.performance.kpi.columns import ALL_FACTS, IndicatorRow
from salesorg.performance.kpi.indicators import indicator_table
from salesorg.performance.kpi.periods import (
    Period,
    PeriodProgress,
    month_end,
    period_heading,
    progress_among,
    this_month,
)
from salesorg.performance.kpi.to_date import ToDate, to_date


@dataclass(frozen=True)
class RunningRow:
    """A unit's figures of a running period and its targets due by the period's `as_of`."""

    row: IndicatorRow
    due: ToDate  # targets pro-rated to date and the achievement against them
    workdays_to_date: int | None = None  # the unit's workdays up to today (KPI.md, Visits)

    @property
    def level(self) -> str:
        return self.row.level

    @property
    def code(self) -> str:
        return self.row.code

    @property
    def name(self) -> str:
        return self.row.name

    @property
    def sales(self) -> Decimal:
        return self.row.sales

    @property
    def visits_per_workday_to_date(self) -> Decimal | None:
        """Visits ÷ the workdays elapsed, not the running month's workdays still ahead."""
        if not self.workdays_to_date:
            return None
        return Decimal(self.row.visits) / Decimal(self.workdays_to_date)


@dataclass(frozen=True)
class RunningTables:
    """This month and the year to date of every unit the user sees, marked as of today."""

    month_progress: PeriodProgress
    year_progress: PeriodProgress
    month_rows: dict[tuple[str, str], RunningRow]
    year_rows: dict[tuple[str, str], RunningRow]

    @property
    def month(self) -> Period:
        return self.month_progress.period

    @property
    def year(self) -> Period:
        return self.year_progress.period

    @property
    def month_heading(self) -> str:
        """ "2026年12月（截至6日）" while the month runs."""
        return period_heading(self.month, today=self.month_progress.today)

    @property
    def year_heading(self) -> str:
        return period_heading(self.year, today=self.year_progress.today)


def unit_keys(org: OrgSnapshot) -> dict[tuple[str, str], tuple[str, int | None]]:
    """The engine's unit key (level, id) of each (level, code) of its rows."""
    keys: dict[tuple[str, str], tuple[str, int | None]] = {(COMPANY, ""): COMPANY_KEY}
    for level, units in ((PERSON, org.people), (TEAM, org.teams), (REGION, org.regions)):
        keys.update({(level, unit.code): (level, unit.id) for unit in units.values()})
    return keys


def running_tables(
    *,
    user,
    today: date,
    year: bool = True,
    month_facts: frozenset[str] = frozenset({Facts.SALES}),
    year_facts: frozenset[str] = ALL_FACTS,
    org: OrgSnapshot | None = None,
) -> RunningTables:
    """This month (its `month_facts`) and, when `year`, January to the month's end (its
    `year_facts`; visits per workday counted to today), both over whole months as the
    dashboards compute them: two engine calls and one or two calendar reads."""
    org = org or org_snapshot()
    year_period = Period(
        start=date(today.year, 1, 1), end=month_end(year=today.year, month=today.month)
    )
    workdays = workday_set(year_period.start, year_period.end)
    month_progress = progress_among(this_month(today=today), today=today, workdays=workdays)
    year_progress = progress_among(year_period, today=today, workdays=workdays)
    month = month_progress.period
    month_table = indicator_table(
        start=month.start, end=month.end, user=user, org=org, wanted=month_facts
    )
    month_rows = {
        (row.level, row.code): RunningRow(row=row, due=to_date(row=row, progress=month_progress))
        for row in month_table.rows
    }
    year_rows: dict[tuple[str, str], RunningRow] = {}
    if year:
        year_table = indicator_table(
            start=year_period.start, end=year_period.end, user=user, org=org, wanted=year_facts
        )
        elapsed = (
            workdays_by_unit(
                org=org, period=Period(start=year_period.start, end=year_progress.as_of)
            )
            if Facts.VISITS in year_facts
            else {}
        )
        keys = unit_keys(org)
        for row in year_table.rows:
            year_rows[(row.level, row.code)] = RunningRow(
                row=row,
                due=to_date(row=row, progress=year_progress),
                workdays_to_date=elapsed.get(keys.get((row.level, row.code), COMPANY_KEY)),
            )
    return RunningTables(month_progress, year_progress, month_rows, year_rows)
