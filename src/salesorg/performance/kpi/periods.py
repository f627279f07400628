"""Periods of the indicator table: a date range, its months, and quick picks."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

from salesorg.core.calendar import workday_set
from salesorg.core.money import quantize_cents


class PeriodError(ValueError):
    """A period that cannot be computed; `field` names the offending input."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


# The longest period anyone may ask indicators for: the engine's work grows with the
# period's months (ten thousand years took a minute and failed on SQLite, issue #21 F4).
MAX_PERIOD_YEARS = 10


def period_length_problem(*, start: date, end: date) -> str | None:
    """Why [start, end] is too long to be asked for (None: it is not)."""
    if (end - start).days <= round(MAX_PERIOD_YEARS * 365.25):
        return None
    return str(_("A period may be at most %(years)s years long.") % {"years": MAX_PERIOD_YEARS})


def asked_period(*, start: date, end: date) -> Period:
    """The period a person asked for: `to` not before `from`, at most MAX_PERIOD_YEARS long."""
    period = Period(start=start, end=end)
    problem = period_length_problem(start=start, end=end)
    if problem is not None:
        raise PeriodError(problem, field="to")
    return period


def month_end(*, year: int, month: int) -> date:
    """The last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class Period:
    """A period P = [start, end], both inclusive (KPI.md, Periods and units)."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodError(_("The end date cannot be before the start date."), field="to")

    @property
    def covers_whole_months(self) -> bool:
        """Does P start on a 1st and end on a month's last day (needed for targets)?"""
        return self.start.day == 1 and self.end == month_end(
            year=self.end.year, month=self.end.month
        )

    def months(self) -> list[tuple[int, int]]:
        """The (year, month) pairs P touches, in order."""
        months = []
        year, month = self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            months.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return months

    def following(self) -> Period:
        """The period of the same number of days that starts the day after this one ends."""
        length = self.end - self.start
        start = date.fromordinal(self.end.toordinal() + 1)
        return Period(start=start, end=start + length)


def this_month(*, today: date) -> Period:
    """The calendar month of `today`."""
    return Period(start=today.replace(day=1), end=month_end(year=today.year, month=today.month))


def this_quarter(*, today: date) -> Period:
    """The calendar quarter of `today`."""
    first = 3 * ((today.month - 1) // 3) + 1
    return Period(start=date(today.year, first, 1), end=month_end(year=today.year, month=first + 2))


def this_year(*, today: date) -> Period:
    """The calendar year of `today`."""
    return Period(start=date(today.year, 1, 1), end=date(today.year, 12, 31))


@dataclass(frozen=True)
class PeriodProgress:
    """How far a period has run on `today`, in working days (Chinese calendar applied).

    A figure of a running period is compared like for like: against its target
    pro-rated by the working days elapsed (today counts), never the whole target.
    """

    period: Period
    today: date
    workdays_total: int
    workdays_elapsed: int

    @property
    def running(self) -> bool:
        """Has the period started and not yet ended on `today`?"""
        return self.period.start <= self.today < self.period.end

    @property
    def ended(self) -> bool:
        """Is the whole period in the past (its last day included)?"""
        return self.today > self.period.end

    @property
    def as_of(self) -> date:
        """The last day whose figures count: today while running, else the period's end."""
        return min(max(self.today, self.period.start), self.period.end)

    @property
    def share(self) -> Decimal:
        """The share of the period's working days elapsed, 0..1 (1 once ended)."""
        if not self.running:
            return Decimal(1) if self.today >= self.period.end else Decimal(0)
        if not self.workdays_total:
            return Decimal(1)
        return Decimal(self.workdays_elapsed) / Decimal(self.workdays_total)

    def prorate(self, amount: Decimal | None) -> Decimal | None:
        """The part of a whole-period amount (a target) due by today, in cents."""
        if amount is None or not self.running:
            return amount
        if not self.workdays_total:
            return amount
        return quantize_cents(amount * self.workdays_elapsed / self.workdays_total)


def period_progress(period: Period, *, today: date) -> PeriodProgress:
    """The working days of `period` in all and up to `today` (one calendar query)."""
    return progress_among(period, today=today, workdays=workday_set(period.start, period.end))


def progress_among(period: Period, *, today: date, workdays) -> PeriodProgress:
    """`period`'s progress counted among known working days (any superset of its own)."""
    workdays = [day for day in workdays if period.start <= day <= period.end]
    elapsed = sum(1 for day in workdays if day <= today)
    return PeriodProgress(
        period=period, today=today, workdays_total=len(workdays), workdays_elapsed=elapsed
    )


# Headings ---------------------------------------------------------------------


def period_name(period: Period) -> str:
    """A period's plain name: "2026年12月", "2026年", "2026年第4季度", else "start – end"."""
    start, end = period.start, period.end
    if period.covers_whole_months:
        months = period.months()
        if len(months) == 1:
            return date_format(start, "YEAR_MONTH_FORMAT")
        if start.month == 1 and end.month == 12 and start.year == end.year:
            return pgettext("period heading", "%(year)s") % {"year": start.year}
        if start.year == end.year and len(months) == 3 and start.month % 3 == 1:
            return pgettext("period heading", "Q%(quarter)s %(year)s") % {
                "quarter": (start.month - 1) // 3 + 1,
                "year": start.year,
            }
    return pgettext("period heading", "%(start)s to %(end)s") % {
        "start": start.isoformat(),
        "end": end.isoformat(),
    }


def as_of_text(progress: PeriodProgress) -> str:
    """The marker of a running period ("截至 2026-12-06"); empty once it has ended."""
    if not progress.running:
        return ""
    return pgettext("period not ended", "to %(date)s") % {"date": progress.as_of.isoformat()}


def period_heading(period: Period, *, today: date) -> str:
    """A period's heading that says when it has not ended: "2026年12月（截至6日）".

    A running month names the day ("December 2026 (to day 6)"); any other running
    period names the date ("2026（截至 2026-12-06）"); an ended one is its plain name.
    """
    name = period_name(period)
    progress = PeriodProgress(period=period, today=today, workdays_total=0, workdays_elapsed=0)
    if not progress.running:
        return name
    day = progress.as_of
    if len(period.months()) == 1 and period.covers_whole_months:
        return pgettext("running month", "%(period)s (to day %(day)s)") % {
            "period": name,
            "day": day.day,
        }
    return pgettext("period not ended", "%(period)s (to %(date)s)") % {
        "period": name,
        "date": day.isoformat(),
    }


# The word that marks a figure of a period not yet ended (暂定).
PROVISIONAL = pgettext_lazy("a figure of a period not yet ended", "Provisional")
