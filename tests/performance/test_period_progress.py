"""A running period is compared with its target pro-rated by the working days elapsed."""

from datetime import date
from decimal import Decimal

import pytest

from salesorg.core.models import CalendarDay
from salesorg.performance.kpi.periods import Period, period_progress, this_month, this_year

pytestmark = pytest.mark.django_db


def test_mid_month_prorates_by_workdays_elapsed_today_included():
    # December 2026 has 23 weekdays; by Sunday the 6th four of them have passed.
    progress = period_progress(this_month(today=date(2026, 12, 6)), today=date(2026, 12, 6))
    assert progress.running
    assert (progress.workdays_elapsed, progress.workdays_total) == (4, 23)
    assert progress.prorate(Decimal("2300000.00")) == Decimal("400000.00")
    assert progress.as_of == date(2026, 12, 6)


def test_holidays_and_make_up_days_count_as_the_calendar_says():
    CalendarDay.objects.create(date=date(2026, 10, 1), is_workday=False, note="国庆节")
    CalendarDay.objects.create(date=date(2026, 10, 10), is_workday=True, note="调休")
    progress = period_progress(this_month(today=date(2026, 10, 12)), today=date(2026, 10, 12))
    # 1–12 October: weekdays 1,2,5,6,7,8,9,12 = 8, minus the 1st, plus Saturday the 10th.
    assert progress.workdays_elapsed == 8


def test_an_ended_period_is_whole_and_a_future_one_has_not_started():
    year = this_year(today=date(2025, 5, 1))
    ended = period_progress(year, today=date(2026, 1, 3))
    assert ended.ended and not ended.running
    assert ended.prorate(Decimal("100.00")) == Decimal("100.00")
    assert ended.share == 1
    future = period_progress(
        Period(start=date(2027, 1, 1), end=date(2027, 1, 31)), today=date(2026, 12, 6)
    )
    assert not future.running and future.share == 0


def test_mid_year_share_of_the_year_target():
    progress = period_progress(this_year(today=date(2026, 7, 1)), today=date(2026, 6, 30))
    assert progress.running
    assert Decimal("0.45") < progress.share < Decimal("0.55")


def test_a_heading_says_when_its_period_has_not_ended():
    from django.utils import translation

    from salesorg.performance.kpi.periods import as_of_text, period_heading

    december = this_month(today=date(2026, 12, 6))
    year = this_year(today=date(2026, 12, 6))
    # zh-Hans reads "2026年12月（截至6日）" and "2026年（截至 2026-12-06）" (/tmp/po catalogue).
    with translation.override("en"):
        assert period_heading(december, today=date(2026, 12, 6)) == "December 2026 (to day 6)"
        assert period_heading(year, today=date(2026, 7, 1)) == "2026 (to 2026-07-01)"
        assert period_heading(december, today=date(2027, 1, 2)) == "December 2026"
        progress = period_progress(year, today=date(2026, 12, 6))
        assert as_of_text(progress) == "to 2026-12-06"
        assert as_of_text(period_progress(december, today=date(2027, 1, 2))) == ""
