"""The working-day calendar: Monday–Friday corrected by holidays and make-up days."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesorg.core.calendar import count_weekdays, workday_set, workdays_between
from salesorg.core.models import CalendarDay


def test_a_plain_week_has_five_workdays():
    assert count_weekdays(date(2026, 11, 23), date(2026, 11, 29)) == 5


def test_an_empty_range_has_none():
    assert count_weekdays(date(2026, 11, 29), date(2026, 11, 23)) == 0


@given(
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1)),
    length=st.integers(min_value=0, max_value=400),
)
@settings(max_examples=200)
def test_weekday_count_equals_counting_each_day(start, length):
    end = start + timedelta(days=length)
    expected = sum(1 for n in range(length + 1) if (start + timedelta(n)).weekday() < 5)
    assert count_weekdays(start, end) == expected


@pytest.mark.django_db
def test_spring_festival_holidays_and_make_up_days_are_applied():
    # Given the 2026 Spring Festival: Feb 15–23 off, Saturdays Feb 14 and 28 worked.
    for day in range(15, 24):
        CalendarDay.objects.create(date=date(2026, 2, day), is_workday=False, note="春节")
    for day in (14, 28):
        CalendarDay.objects.create(date=date(2026, 2, day), is_workday=True, note="调休")
    # When counting February's workdays
    workdays = workdays_between(date(2026, 2, 1), date(2026, 2, 28))
    # Then the 20 weekdays lose the 6 holiday weekdays (16–20, 23) and gain 2 Saturdays.
    assert workdays == 20 - 6 + 2
    assert len(workday_set(date(2026, 2, 1), date(2026, 2, 28))) == workdays


@pytest.mark.django_db
def test_a_holiday_on_a_weekend_changes_nothing():
    CalendarDay.objects.create(date=date(2026, 2, 15), is_workday=False)  # a Sunday
    assert workdays_between(date(2026, 2, 9), date(2026, 2, 15)) == 5


@pytest.mark.django_db
def test_counting_uses_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        workdays_between(date(2026, 1, 1), date(2026, 12, 31))
