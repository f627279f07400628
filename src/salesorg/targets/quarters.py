"""The calendar quarters of quarterly reviews: a quarter as a period, the one before and
after, the running one and the last one finished, the date a review of it is due, and the
span of the quarter before that compares like for like with a running quarter."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from salesorg.performance.kpi.periods import Period, month_end

SUBMIT_DAYS = 14  # a review is due by the end of the new quarter's second week


def quarter_period(*, year: int, quarter: int) -> Period:
    """The calendar quarter as a period."""
    first = 3 * (quarter - 1) + 1
    return Period(start=date(year, first, 1), end=month_end(year=year, month=first + 2))


def quarter_before(*, year: int, quarter: int) -> tuple[int, int]:
    """The (year, quarter) before this one."""
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


def quarter_after(*, year: int, quarter: int) -> tuple[int, int]:
    """The (year, quarter) after this one."""
    return (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def quarter_of(day: date) -> tuple[int, int]:
    """The (year, quarter) a day falls in."""
    return day.year, (day.month - 1) // 3 + 1


def quarter_ended(*, year: int, quarter: int, today: date) -> bool:
    """Is the whole quarter, its last day included, in the past?"""
    return today > quarter_period(year=year, quarter=quarter).end


def same_day_quarter_before(day: date) -> date:
    """The same day three months earlier (clipped to the month's end): 12-06 → 09-06."""
    index = day.year * 12 + day.month - 1 - 3
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def last_finished_quarter(*, today: date) -> tuple[int, int]:
    """The (year, quarter) that ended most recently before `today`."""
    return quarter_before(year=today.year, quarter=(today.month - 1) // 3 + 1)


def review_due_date(*, year: int, quarter: int) -> date:
    """The last day a review of (year, quarter) may be filed: end of the next quarter's week 2."""
    next_start = quarter_period(year=year, quarter=quarter).end + timedelta(days=1)
    return next_start + timedelta(days=SUBMIT_DAYS - 1)
