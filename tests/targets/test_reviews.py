"""Quarterly target reviews: pre-filled figures, the file/sign-off flow and who may do what."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from salesorg.core.scoping import SYSTEM
from salesorg.performance.choices import Level
from salesorg.performance.kpi.indicators import indicator_table
from salesorg.performance.kpi.periods import month_end
from salesorg.targets.models import QuarterlyReview, ReviewStatus
from salesorg.targets.quarters import last_finished_quarter, review_due_date
from salesorg.targets.selectors.reviews import review_figures
from salesorg.targets.services.reviews import (
    review_create,
    review_file,
    review_return,
    review_save_answers,
    review_sign_off,
)
from tests.factories import CustomerFactory, OrderFactory, OrderLineFactory, TargetFactory

ANSWERS = {
    "year_end_result": "全年完成120万",
    "obstacles": "竞争对手降价",
    "territory_strengths_weaknesses": "老客户多，新客户少",
    "miss_effect": "全年缺口扩大",
    "progressive_targets": "回款",
    "how_progress": "每周跟进",
    "make_up_plan": "开发两家新客户",
}


def sell(rep, day: date, amount: str, cost: str = "0") -> None:
    """A confirmed one-line order of the rep on a day."""
    order = OrderFactory(customer=CustomerFactory(owner=rep), rep=rep, order_date=day)
    OrderLineFactory(order=order, amount=Decimal(amount), cost=Decimal(cost))


def monthly_targets(rep, *, metric="sales", realistic="1000.00", ideal="1500.00", months=12):
    for month in range(1, months + 1):
        TargetFactory(
            person=rep,
            year=2026,
            month=month,
            metric=metric,
            realistic=Decimal(realistic),
            ideal=Decimal(ideal),
        )


@pytest.fixture
def rep_with_sales(org_tree):
    """rep_east1a: sales targets of 1000/1500 a month, sales in Q1 and Q2 of 2026."""
    rep = org_tree.people["rep_east1a"]
    monthly_targets(rep)
    monthly_targets(rep, metric="visits", realistic="2", ideal="3", months=6)
    sell(rep, date(2026, 1, 20), "900.00", "500.00")
    sell(rep, date(2026, 2, 10), "1333.33", "700.00")
    sell(rep, date(2026, 4, 5), "1000.00")
    sell(rep, date(2026, 5, 31), "2500.01")
    sell(rep, date(2026, 6, 30), "10.00")
    return rep


def engine_row(rep, start, end):
    table = indicator_table(user=SYSTEM, start=start, end=end, level=Level.PERSON)
    return next(row for row in table.rows if row.code == rep.code)


def test_prefilled_figures_equal_the_indicator_engines(rep_with_sales):
    # given a rep with targets and sales in the first half of 2026
    rep = rep_with_sales
    # when the figures of Q2 are computed
    figures = review_figures(rep=rep, year=2026, quarter=2, user=SYSTEM)
    # then each equals what the engine says for the same periods
    quarter = engine_row(rep, date(2026, 4, 1), date(2026, 6, 30))
    year = engine_row(rep, date(2026, 1, 1), date(2026, 12, 31))
    ytd = engine_row(rep, date(2026, 1, 1), date(2026, 6, 30))
    assert Decimal(figures["quarter_sales"]) == quarter.sales == Decimal("3510.01")
    assert Decimal(figures["quarter_target"]) == quarter.sales_target
    assert Decimal(figures["quarter_target_ideal"]) == quarter.sales_target_ideal
    assert Decimal(figures["quarter_achievement"]) == quarter.sales_achievement
    assert Decimal(figures["quarter_achievement_ideal"]) == quarter.sales_achievement_ideal
    assert Decimal(figures["realistic"]["target"]) == year.sales_target == Decimal("12000.00")
    assert Decimal(figures["ideal"]["target"]) == year.sales_target_ideal
    assert Decimal(figures["ytd_sales"]) == ytd.sales
    gap = year.sales_target - ytd.sales
    assert Decimal(figures["realistic"]["gap"]) == gap
    assert figures["remaining_months"] == 6
    assert Decimal(figures["realistic"]["run_rate"]) == (gap / 6).quantize(Decimal("0.01"))
    months = [
        engine_row(rep, date(2026, m, 1), month_end(year=2026, month=m)).sales for m in (2, 4, 5)
    ]
    assert figures["best_month"] == {"month": "2026-05", "sales": str(months[2])}
    assert figures["realistic"]["run_rate_above_best"] is False
    by_metric = {row["metric"]: row for row in figures["metrics"]}
    assert by_metric["sales"]["met"] is True
    # Q2 sales 3510.01 > Q1 sales 2233.33: met and grew
    previous = engine_row(rep, date(2026, 1, 1), date(2026, 3, 31))
    assert Decimal(by_metric["sales"]["previous"]) == previous.sales
    assert by_metric["sales"]["grew"] is True
    # no visits were logged against a target of 6: missed; no gross-margin target at all
    assert by_metric["visits"]["met"] is False
    assert by_metric["gross_margin"]["met"] is None


def test_run_rate_above_the_best_month_is_flagged(org_tree):
    # given a rep whose year target is far above what they sell
    rep = org_tree.people["rep_east1b"]
    monthly_targets(rep, realistic="50000.00", ideal="60000.00")
    sell(rep, date(2026, 2, 3), "100.00")
    # when Q1 is reviewed
    figures = review_figures(rep=rep, year=2026, quarter=1, user=SYSTEM)
    # then the monthly run-rate needed is above the best month so far
    assert figures["realistic"]["run_rate_above_best"] is True
    assert Decimal(figures["realistic"]["run_rate"]) == Decimal("66655.56")
    assert figures["remaining_months"] == 9


def test_a_fourth_quarter_needs_no_run_rate(org_tree):
    rep = org_tree.people["rep_east1b"]
    figures = review_figures(rep=rep, year=2025, quarter=4, user=SYSTEM)
    assert figures["remaining_months"] == 0
    assert figures["realistic"]["run_rate"] is None
    assert figures["realistic"]["target"] is None  # no target is not zero


def test_the_rep_drafts_files_and_the_manager_signs_off(org_tree, rep_with_sales):
    rep = rep_with_sales
    review = review_create(
        rep=rep, year=2026, quarter=2, actor=org_tree.user("rep_east1a"), today=date(2026, 7, 3)
    )
    assert review.status == ReviewStatus.DRAFT and review.figures["quarter"] == 2
    review_save_answers(review=review, answers={"obstacles": "价格"}, actor=rep.user)
    with pytest.raises(ValidationError) as error:
        review_file(review=review, actor=rep.user)
    assert "year_end_result" in error.value.message_dict
    review_file(review=review, actor=rep.user, answers=ANSWERS)
    assert review.status == ReviewStatus.FILED and review.filed_at is not None
    # the rep can no longer change it, nor sign it off
    with pytest.raises(ValidationError):
        review_save_answers(review=review, answers={"obstacles": "x"}, actor=rep.user)
    with pytest.raises(ValidationError):
        review_sign_off(review=review, actor=rep.user, comment="ok")
    # a manager of another team may not sign it off
    with pytest.raises(ValidationError):
        review_sign_off(review=review, actor=org_tree.user("manager_east2"), comment="ok")
    # the comment is required
    with pytest.raises(ValidationError) as error:
        review_sign_off(review=review, actor=org_tree.user("manager_east1"), comment=" ")
    assert "manager_comment" in error.value.message_dict
    review_return(review=review, actor=org_tree.user("manager_east1"), comment="补充措施")
    assert review.status == ReviewStatus.RETURNED
    review_file(review=review, actor=rep.user, answers={"make_up_plan": "新增三家客户"})
    review_sign_off(review=review, actor=org_tree.user("manager_east1"), comment="同意")
    review.refresh_from_db()
    assert review.status == ReviewStatus.SIGNED_OFF
    assert review.reviewed_by == org_tree.people["manager_east1"]
    assert review.history.count() >= 5


def test_only_the_rep_opens_their_review_once(org_tree):
    rep = org_tree.people["rep_east1a"]
    with pytest.raises(ValidationError) as error:
        review_create(rep=rep, year=2026, quarter=1, actor=org_tree.user("manager_east1"))
    assert "rep" in error.value.message_dict
    review_create(rep=rep, year=2026, quarter=1, actor=rep.user, today=date(2026, 4, 2))
    with pytest.raises(ValidationError) as error:
        review_create(rep=rep, year=2026, quarter=1, actor=rep.user, today=date(2026, 4, 2))
    assert "quarter" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        review_create(rep=rep, year=2026, quarter=5, actor=rep.user)
    assert "quarter" in error.value.message_dict


def test_reps_see_only_their_own_reviews_and_managers_their_teams(org_tree):
    reviews = {}
    for key in ("rep_east1a", "rep_east1b", "rep_east2a"):
        rep = org_tree.people[key]
        reviews[key] = QuarterlyReview.objects.create(rep=rep, year=2026, quarter=1)
    visible = set(QuarterlyReview.objects.visible_to(org_tree.user("rep_east1a")))
    assert visible == {reviews["rep_east1a"]}
    visible = set(QuarterlyReview.objects.visible_to(org_tree.user("manager_east1")))
    assert visible == {reviews["rep_east1a"], reviews["rep_east1b"]}
    assert not QuarterlyReview.objects.visible_to(org_tree.user("finance")).exists()
    assert QuarterlyReview.objects.visible_to(org_tree.user("director")).count() == 3


def test_quarters_and_due_dates():
    assert last_finished_quarter(today=date(2026, 1, 5)) == (2025, 4)
    assert last_finished_quarter(today=date(2026, 11, 27)) == (2026, 3)
    assert review_due_date(year=2026, quarter=3) == date(2026, 10, 14)
    assert review_due_date(year=2025, quarter=4) == date(2026, 1, 14)
