"""Quarterly reviews of ended quarters only: a running quarter is a marked draft that cannot be
filed, a future one is refused, the team list holds the people in post during the quarter and
the territory question comes pre-filled with the quarter's customer figures."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from salesorg.core.scoping import SYSTEM
from salesorg.performance.choices import Level
from salesorg.performance.kpi.indicators import indicator_table
from salesorg.targets.models import ReviewStatus
from salesorg.targets.selectors.reviews import review_figures, team_review_rows
from salesorg.targets.services.reviews import review_create, review_file, review_save_answers
from tests.factories import (
    CategoryFactory,
    CustomerFactory,
    MembershipFactory,
    OrderFactory,
    OrderLineFactory,
    PersonFactory,
    ProductFactory,
    TargetFactory,
    login_for,
)
from tests.targets.test_reviews import ANSWERS

TODAY = date(2026, 12, 6)  # Q4 2026 is running, Q3 2026 has ended


def sell(customer, day: date, amount: str, category) -> None:
    order = OrderFactory(customer=customer, rep=customer.owner, order_date=day)
    OrderLineFactory(order=order, amount=Decimal(amount), product=ProductFactory(category=category))


# ---------------------------------------------------------------- running and future quarters


def test_a_running_quarter_is_a_marked_draft_with_figures_to_date(org_tree):
    # given a rep with a sales target of 3000 a month in Q4 and 1000 sold on 2026-12-02
    rep = org_tree.people["rep_east1a"]
    for month in range(1, 13):
        TargetFactory(person=rep, year=2026, month=month, realistic=Decimal("3000.00"))
    sell(CustomerFactory(owner=rep), date(2026, 12, 2), "1000.00", CategoryFactory())
    # when they start the review of the running quarter on 2026-12-06
    review = review_create(rep=rep, year=2026, quarter=4, actor=rep.user, today=TODAY)
    # then it is a draft whose figures say the quarter is running and up to which day
    figures = review.figures
    assert review.status == ReviewStatus.DRAFT
    assert figures["running"] is True and figures["as_of"] == "2026-12-06"
    # the quarter's 9000 target is pro-rated to date and the achievement judged against it
    assert Decimal(figures["quarter_target"]) == Decimal("9000.00")
    to_date = Decimal(figures["quarter_target_to_date"])
    assert Decimal("0") < to_date < Decimal("9000.00")
    assert Decimal(figures["quarter_achievement"]) == Decimal("1000.00") / to_date
    # December still counts as a month left: the run-rate is the whole remaining gap
    assert figures["remaining_months"] == 1
    assert Decimal(figures["realistic"]["run_rate"]) == Decimal("35000.00")
    # and the quarter before is compared over the same span (2026-07-01 to 2026-08-06)
    assert (figures["previous_start"], figures["previous_end"]) == ("2026-07-01", "2026-09-06")


def test_a_running_quarter_cannot_be_filed_until_it_ends(org_tree):
    rep = org_tree.people["rep_east1a"]
    review = review_create(rep=rep, year=2026, quarter=4, actor=rep.user, today=TODAY)
    # when the rep files it with every question answered while the quarter runs
    with pytest.raises(ValidationError) as error:
        review_file(review=review, actor=rep.user, answers=ANSWERS, today=TODAY)
    # then the filing is refused naming the quarter and its last day
    assert "quarter" in error.value.message_dict
    assert "2026-12-31" in " ".join(error.value.message_dict["quarter"])
    review.refresh_from_db()
    assert review.status == ReviewStatus.DRAFT
    # the last day of the quarter is still in it
    with pytest.raises(ValidationError):
        review_file(review=review, actor=rep.user, answers=ANSWERS, today=date(2026, 12, 31))
    # once it has ended the same draft is filed, its figures no longer to date
    review_file(review=review, actor=rep.user, answers=ANSWERS, today=date(2027, 1, 4))
    assert review.status == ReviewStatus.FILED
    assert review.figures["running"] is False and review.figures["as_of"] == "2026-12-31"


def test_a_future_quarter_is_refused(org_tree):
    rep = org_tree.people["rep_east1a"]
    with pytest.raises(ValidationError) as error:
        review_create(rep=rep, year=2027, quarter=1, actor=rep.user, today=TODAY)
    assert "quarter" in error.value.message_dict


def test_a_rep_hired_after_the_quarter_cannot_review_it(org_tree):
    newcomer = PersonFactory(role="rep", hire_date=date(2026, 11, 2))
    login_for(newcomer)
    with pytest.raises(ValidationError) as error:
        review_create(rep=newcomer, year=2026, quarter=3, actor=newcomer.user, today=TODAY)
    assert "quarter" in error.value.message_dict
    # the running quarter, in which they are in post, they may draft
    review_create(rep=newcomer, year=2026, quarter=4, actor=newcomer.user, today=TODAY)


def test_saving_a_running_draft_brings_its_figures_to_date(org_tree):
    rep = org_tree.people["rep_east1a"]
    review = review_create(rep=rep, year=2026, quarter=4, actor=rep.user, today=date(2026, 11, 3))
    assert review.figures["as_of"] == "2026-11-03"
    review_save_answers(review=review, answers={"obstacles": "价格"}, actor=rep.user, today=TODAY)
    assert review.figures["as_of"] == "2026-12-06"


# ---------------------------------------------------------------- people in post


def test_team_rows_list_only_the_people_in_post_during_the_quarter(org_tree):
    team = org_tree.teams["east1"]
    manager = org_tree.people["manager_east1"]

    def member(code, hired, left=None, start=None, end=None):
        person = PersonFactory(code=code, role="rep", hire_date=hired, leave_date=left)
        MembershipFactory(person=person, team=team, start_date=start or hired, end_date=end)
        return person

    member("REP-NOV", date(2026, 11, 2))  # hired after Q3
    member("REP-GONE", date(2024, 1, 1), left=date(2026, 6, 30), end=date(2026, 6, 30))
    member("REP-AUG", date(2024, 1, 1), left=date(2026, 8, 15), end=date(2026, 8, 15))
    member("REP-SEP", date(2026, 9, 30))  # the quarter's last day counts
    moved = PersonFactory(code="REP-MOVED", role="rep", hire_date=date(2024, 1, 1))
    MembershipFactory(
        person=moved, team=team, start_date=date(2024, 1, 1), end_date=date(2026, 8, 31)
    )
    MembershipFactory(person=moved, team=org_tree.teams["east2"], start_date=date(2026, 9, 1))
    later = PersonFactory(code="REP-LATER", role="rep", hire_date=date(2024, 1, 1))
    MembershipFactory(
        person=later,
        team=org_tree.teams["east2"],
        start_date=date(2024, 1, 1),
        end_date=date(2026, 9, 30),
    )
    MembershipFactory(person=later, team=team, start_date=date(2026, 10, 1))

    def codes(quarter):
        rows = team_review_rows(user=manager.user, year=2026, quarter=quarter, today=TODAY)
        return {row.rep.code for row in rows}

    # then Q3 lists those who worked in the team during Q3, whatever happened since
    q3 = codes(3)
    assert {"REP-east1a", "REP-east1b", "REP-AUG", "REP-SEP", "REP-MOVED"} <= q3
    assert not q3 & {"REP-NOV", "REP-GONE", "REP-LATER", "REP-former"}
    # and Q4 the newcomers but not those who left or moved before it
    q4 = codes(4)
    assert {"REP-NOV", "REP-LATER", "REP-SEP"} <= q4
    assert not q4 & {"REP-AUG", "REP-GONE", "REP-MOVED"}
    # a future quarter has nobody to review
    assert not team_review_rows(user=manager.user, year=2027, quarter=1, today=TODAY)


# ---------------------------------------------------------------- territory


@pytest.fixture
def territory(org_tree):
    """rep_east1a's customers: Q3 2026 against Q2 2026 (see each line)."""
    rep = org_tree.people["rep_east1a"]
    pipes, valves = (
        CategoryFactory(code="PIPE", name="管材"),
        CategoryFactory(code="VALVE", name="阀门"),
    )
    c1, c2, c3, c4, c5, c6 = (CustomerFactory(owner=rep, industry=f"行业{n}") for n in range(6))
    sell(c1, date(2026, 8, 10), "600.00", pipes)  # new in Q3
    sell(c2, date(2025, 5, 10), "100.00", valves)  # an old customer...
    sell(c2, date(2026, 4, 10), "1000.00", valves)  # ...buying in Q2
    sell(c2, date(2026, 7, 5), "400.00", valves)  # ...and in Q3
    sell(c3, date(2026, 5, 1), "500.00", pipes)  # new in Q2; dormant by the end of Q3
    sell(c6, date(2026, 6, 1), "500.00", pipes)  # new in Q2; dormant by the end of Q3
    sell(c4, date(2025, 8, 15), "50.00", pipes)  # dormant at the end of Q2, lost 2026-08-15
    sell(c5, date(2025, 5, 1), "50.00", pipes)  # lost 2026-05-01, in Q2
    return rep


def test_territory_figures_count_the_quarter_against_the_one_before(territory):
    figures = review_figures(rep=territory, year=2026, quarter=3, user=SYSTEM, today=TODAY)
    land = figures["territory"]
    assert land["customers"] == {"this": 2, "previous": 3}
    assert land["new_customers"] == {"this": 1, "previous": 2}
    assert land["dormant_customers"] == {"this": 2, "previous": 1}
    assert land["lost_customers"] == {"this": 1, "previous": 1}
    assert land["industries"] == {"this": 2, "previous": 3}
    mix = {row["category"]: row for row in land["product_mix"]}
    assert mix["PIPE"]["amount"] == "600.00" and Decimal(mix["PIPE"]["share"]) == Decimal("0.6")
    assert mix["PIPE"]["previous_amount"] == "1000.00"
    assert Decimal(mix["PIPE"]["previous_share"]) == Decimal("0.5")
    assert mix["VALVE"]["amount"] == "400.00" and mix["VALVE"]["previous_amount"] == "1000.00"
    # the counts are the indicator engine's
    row = next(
        r
        for r in indicator_table(
            start=date(2026, 7, 1), end=date(2026, 9, 30), level=Level.PERSON, user=SYSTEM
        ).rows
        if r.code == territory.code
    )
    assert (row.customers, row.new_customers, row.industries) == (2, 1, 2)


def test_the_territory_answer_is_prefilled_for_the_rep_to_edit(territory):
    review = review_create(rep=territory, year=2026, quarter=3, actor=territory.user, today=TODAY)
    answer = review.territory_strengths_weaknesses
    assert "Customers who bought: 2 (quarter before: 3)" in answer
    assert "New customers: 1 (quarter before: 2)" in answer
    assert "Dormant customers: 2 (quarter before: 1)" in answer
    assert "Lost customers: 1 (quarter before: 1)" in answer
    assert "管材 60.00% (quarter before: 50.00%)" in answer
    assert "阀门 40.00% (quarter before: 50.00%)" in answer
    # the other questions are left to the rep
    assert review.obstacles == "" and review.make_up_plan == ""


def test_a_category_not_sold_in_a_quarter_has_no_share_there(territory):
    # given rep_east1a also sold a service in Q2 only
    customer = CustomerFactory(owner=territory)
    sell(customer, date(2026, 6, 20), "2000.00", CategoryFactory(code="SVC", name="服务"))
    figures = review_figures(rep=territory, year=2026, quarter=3, user=SYSTEM, today=TODAY)
    mix = {row["category"]: row for row in figures["territory"]["product_mix"]}
    # then its Q3 share is nil, not missing, and its Q2 share is of Q2's 4000
    assert mix["SVC"]["amount"] == "0.00" and Decimal(mix["SVC"]["share"]) == 0
    assert Decimal(mix["SVC"]["previous_share"]) == Decimal("0.5")


def test_an_unedited_territory_answer_follows_the_figures_and_an_edited_one_is_kept(org_tree):
    rep = org_tree.people["rep_east1a"]
    review = review_create(rep=rep, year=2026, quarter=4, actor=rep.user, today=date(2026, 11, 3))
    assert "Customers who bought: 0 (quarter before: 0)" in review.territory_strengths_weaknesses
    # given a sale after the draft was begun
    sell(CustomerFactory(owner=rep), date(2026, 11, 20), "800.00", CategoryFactory())
    # when the rep saves the pre-filled answer as the browser sends it back (CRLF)
    posted = review.territory_strengths_weaknesses.replace("\n", "\r\n")
    review_save_answers(
        review=review,
        answers={"territory_strengths_weaknesses": posted},
        actor=rep.user,
        today=TODAY,
    )
    # then the answer follows the figures to date
    assert "Customers who bought: 1 (quarter before: 0)" in review.territory_strengths_weaknesses
    assert "to 2026-12-06" in review.territory_strengths_weaknesses
    # but once the rep has written in it, it is theirs
    edited = review.territory_strengths_weaknesses + "\n老客户稳定"
    review_file(
        review=review,
        actor=rep.user,
        answers={**ANSWERS, "territory_strengths_weaknesses": edited},
        today=date(2027, 1, 4),
    )
    assert review.territory_strengths_weaknesses == edited.strip()
    assert review.figures["as_of"] == "2026-12-31"
