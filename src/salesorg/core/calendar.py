"""The working-day calendar: Monday–Friday, corrected by CalendarDay overrides."""

from __future__ import annotations

from datetime import date, timedelta

from salesorg.core.models import CalendarDay


def count_weekdays(start: date, end: date) -> int:
    """Count Mondays–Fridays in [start, end] (inclusive), without looking at overrides."""
    if end < start:
        return 0
    days = (end - start).days + 1
    full_weeks, rest = divmod(days, 7)
    weekdays = full_weeks * 5
    first = start.weekday()
    weekdays += sum(1 for offset in range(rest) if (first + offset) % 7 < 5)
    return weekdays


def workdays_between(start: date, end: date) -> int:
    """Count the working days in [start, end] (inclusive), holidays and make-up days applied."""
    if end < start:
        return 0
    count = count_weekdays(start, end)
    for day, is_workday in CalendarDay.objects.filter(date__range=(start, end)).values_list(
        "date", "is_workday"
    ):
        default = day.weekday() < 5
        if is_workday and not default:
            count += 1
        elif default and not is_workday:
            count -= 1
    return count


def workday_set(start: date, end: date) -> set[date]:
    """Return every working day in [start, end] as a set (for set-based indicator maths)."""
    days = {start + timedelta(n) for n in range((end - start).days + 1)} if end >= start else set()
    workdays = {d for d in days if d.weekday() < 5}
    for day, is_workday in CalendarDay.objects.filter(date__range=(start, end)).values_list(
        "date", "is_workday"
    ):
        if is_workday:
            workdays.add(day)
        else:
            workdays.discard(day)
    return workdays
