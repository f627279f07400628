"""Scorecards: computed from the engine in one pass, ranked, frozen on close, reopen audited."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from openpyxl import load_workbook

from salesorg.performance.models import (
    Scorecard,
    ScorecardLine,
    ScorecardPeriod,
    ScorecardReopening,
)
from salesorg.performance.selectors.scorecards import person_scorecards
from salesorg.performance.services.scorecards import (
    scorecards_close,
    scorecards_compute,
    scorecards_reopen,
)
from tests.factories import MembershipFactory, PersonFactory
from tests.performance.scorecard_helpers import published, sell, target

JAN = date(2026, 1, 1)


@pytest.fixture
def january(org_tree):
    """East-1a sells 900 of a 1000 target (1 new customer); east-1b 1200 of 1000/1100 (2)."""
    published(org_tree)
    people = org_tree.people
    target(people["rep_east1a"], realistic="1000")
    target(people["rep_east1b"], realistic="1000", ideal="1100")
    sell(people["rep_east1a"], amount="900")
    sell(people["rep_east1b"], amount="600")
    sell(people["rep_east1b"], amount="600")
    return org_tree


def card(org_tree, key, period):
    return Scorecard.objects.get(period=period, person=org_tree.people[key])


def test_compute_scores_each_indicator_ranks_and_bonus(january):
    period = scorecards_compute(actor=january.user("director"), kind="month", start=JAN)
    a, b = card(january, "rep_east1a", period), card(january, "rep_east1b", period)
    # A: achievement 0.9 → 80 points × 60 % = 48; 1 new customer → 50 × 40 % = 20; total 68
    lines = {line.indicator: line for line in a.lines.all()}
    assert lines["sales_achievement"].value == "0.9"
    assert lines["sales_achievement"].band == "[0.8, 1)"
    assert lines["sales_achievement"].points == Decimal("80")
    assert a.total_score == Decimal("68")
    # B: 1.2 → 100 + ideal bonus 10 = 110 (cap 120) × 60 % = 66; 2 new → 100 × 40 % = 40
    assert b.total_score == Decimal("106")
    assert b.lines.get(indicator="sales_achievement").ideal_bonus
    # ranks: B first in team and company, A second; the other reps (0 points) share rank 3
    assert (b.rank_team, b.rank_company, a.rank_team, a.rank_company) == (1, 1, 2, 2)
    other = card(january, "rep_north1a", period)
    assert other.rank_company == 3 and other.company_size == 8 and other.team_size == 2
    # bonus: 1000 × 1 month × factor (A: 50 ≤ 68 < 80 → 0.5; B: ≥ 100 → 1.5), exact
    assert (a.bonus, b.bonus) == (Decimal("500.00"), Decimal("1500.00"))
    assert other.bonus == Decimal("0.00") and other.bonus_factor == 0
    assert person_scorecards(person=january.people["rep_east1b"]) == [b]


def test_quarter_bonus_counts_its_months(january):
    period = scorecards_compute(actor=january.user("director"), kind="quarter", start=JAN)
    assert period.end == date(2026, 3, 31)
    b = card(january, "rep_east1b", period)
    # target 1000 in January only; sales 1200 → achievement 1.2; bonus 1000 × 3 × 1.5
    assert b.bonus == Decimal("4500.00")


def test_compute_uses_bounded_queries_whatever_the_number_of_reps(
    january, django_assert_max_num_queries
):
    director = january.user("director")
    scorecards_compute(actor=director, kind="month", start=JAN)
    team = january.teams["east1"]

    def hire(number):
        rep = PersonFactory(code=f"REP-extra{number}")
        MembershipFactory(person=rep, team=team, start_date=date(2020, 1, 1))
        sell(rep, amount="100")

    hire(99)  # so that both runs update some scorecards and create others
    with django_assert_max_num_queries(40) as few:
        scorecards_compute(actor=director, kind="month", start=JAN)
    for number in range(15):
        hire(number)
    with django_assert_max_num_queries(len(few.captured_queries)):
        scorecards_compute(actor=director, kind="month", start=JAN)
    assert Scorecard.objects.filter(period__start=JAN).count() == 24


def test_closed_scorecards_do_not_change_with_later_data(january):
    director = january.user("director")
    period = scorecards_compute(actor=director, kind="month", start=JAN)
    scorecards_close(actor=director, period=period)
    before = list(ScorecardLine.objects.order_by("id").values())
    totals = list(Scorecard.objects.order_by("id").values("total_score", "bonus", "rank_company"))
    # when new sales arrive for the closed month
    sell(january.people["rep_east1a"], amount="5000")
    # then computing again is refused and nothing stored changed
    with pytest.raises(ValidationError) as error:
        scorecards_compute(actor=director, kind="month", start=JAN)
    assert "status" in error.value.message_dict
    assert list(ScorecardLine.objects.order_by("id").values()) == before
    assert (
        list(Scorecard.objects.order_by("id").values("total_score", "bonus", "rank_company"))
        == totals
    )
    # and the page shows the frozen score
    page = january.client("rep_east1a").get(card(january, "rep_east1a", period).get_absolute_url())
    assert "68" in page.content.decode()
    # and a closed period or scorecard is never deleted
    period.refresh_from_db()
    with pytest.raises(ValidationError):
        period.delete()
    with pytest.raises(ValidationError):
        card(january, "rep_east1a", period).delete()


def test_reopen_is_for_director_and_admin_with_a_reason_and_audited(january):
    director = january.user("director")
    period = scorecards_compute(actor=director, kind="month", start=JAN)
    scorecards_close(actor=director, period=period)
    for role in ("manager_east1", "head_east", "finance", "rep_east1a"):
        with pytest.raises(ValidationError):
            scorecards_reopen(actor=january.user(role), period=period, reason="why")
    with pytest.raises(ValidationError) as error:
        scorecards_reopen(actor=january.user("admin"), period=period, reason=" ")
    assert "reason" in error.value.message_dict
    reopening = scorecards_reopen(actor=january.user("admin"), period=period, reason="订单补录")
    assert reopening.reopened_by == january.people["admin"] and reopening.reason == "订单补录"
    assert reopening.reopened_at is not None
    period.refresh_from_db()
    assert not period.is_closed
    # now new data is taken in
    sell(january.people["rep_east1a"], amount="100")
    scorecards_compute(actor=director, kind="month", start=JAN)
    assert card(january, "rep_east1a", period).lines.get(indicator="sales_achievement").value == "1"
    assert ScorecardReopening.objects.count() == 1


@pytest.mark.parametrize("role", ["rep_east1a", "manager_east1", "head_east", "finance"])
def test_only_director_and_admin_compute_and_close(january, role):
    with pytest.raises(ValidationError):
        scorecards_compute(actor=january.user(role), kind="month", start=JAN)
    period = scorecards_compute(actor=january.user("director"), kind="month", start=JAN)
    with pytest.raises(ValidationError):
        scorecards_close(actor=january.user(role), period=period)


def test_period_start_must_begin_the_period(january):
    with pytest.raises(ValidationError) as error:
        scorecards_compute(actor=january.user("director"), kind="quarter", start=date(2026, 2, 1))
    assert "start" in error.value.message_dict


def test_no_policy_in_force_names_the_policy(org_tree):
    with pytest.raises(ValidationError) as error:
        scorecards_compute(actor=org_tree.user("director"), kind="month", start=JAN)
    assert "policy" in error.value.message_dict


def test_scorecard_table_is_scoped(january, django_assert_max_num_queries):
    period = scorecards_compute(actor=january.user("director"), kind="month", start=JAN)
    url = period.get_absolute_url()

    def names(key):
        content = january.client(key).get(url).content.decode()
        return {
            code
            for code in Scorecard.objects.values_list("person__code", flat=True)
            if f">{code}<" in content
        }

    assert names("rep_east1a") == {"REP-east1a"}
    assert names("manager_east1") == {"REP-east1a", "REP-east1b"}
    assert names("head_east") == {"REP-east1a", "REP-east1b", "REP-east2a", "REP-east2b"}
    assert len(names("director")) == 8
    # a rep sees their own rank and never another rep's detail
    rep = january.client("rep_east1a")
    assert "2 / 8" in rep.get(url).content.decode()
    assert rep.get(card(january, "rep_east1b", period).get_absolute_url()).status_code == 404
    assert rep.get(card(january, "rep_east1a", period).get_absolute_url()).status_code == 200
    director = january.client("director")
    with django_assert_max_num_queries(16):  # 15 and the top bar's unread count
        assert director.get(url).status_code == 200


def test_excel_export_is_what_is_on_screen(january):
    period = scorecards_compute(actor=january.user("director"), kind="month", start=JAN)
    response = january.client("manager_east1").get(period.get_absolute_url() + "?format=xlsx")
    sheet = load_workbook(__import__("io").BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [row[2] for row in rows[1:]] == ["REP-east1b", "REP-east1a"]
    assert rows[1][5] == 106 and rows[1][7] == 1500


def test_pages_for_director(january):
    client = january.client("director")
    response = client.post("/performance/scorecards/", {"kind": "month", "start": "2026-01-01"})
    period = ScorecardPeriod.objects.get()
    assert response.status_code == 302
    client.post(f"/performance/scorecards/{period.pk}/close/")
    period.refresh_from_db()
    assert period.is_closed
    client.post(f"/performance/scorecards/{period.pk}/reopen/", {"reason": "错误"})
    period.refresh_from_db()
    assert not period.is_closed and period.reopenings.get().reason == "错误"
    assert client.get("/performance/scorecards/").status_code == 200
    bad = client.post("/performance/scorecards/", {"kind": "year", "start": "2026-02-01"})
    assert bad.status_code == 200 and "A year starts on 1 January." in bad.content.decode()


# A period that has not ended: provisional, scored against the target due to date ------

DEC = date(2026, 12, 1)


@pytest.fixture
def mid_december(org_tree, monkeypatch):
    """On 2026-12-08, 6 of December's 23 working days have begun. A has 30% of the
    month's target (1 new customer), B 20% (2 new customers)."""
    from datetime import datetime

    from django.utils import timezone

    published(org_tree)
    people = org_tree.people
    target(people["rep_east1a"], realistic="2300", month=12)
    target(people["rep_east1b"], realistic="23000", month=12)
    day = date(2026, 12, 3)
    sell(people["rep_east1a"], amount="690", day=day)  # 690 / 600 due = 115 %
    sell(people["rep_east1b"], amount="2300", day=day)  # 4600 / 6000 due = 76.67 %
    sell(people["rep_east1b"], amount="2300", day=day)
    noon = timezone.make_aware(datetime(2026, 12, 8, 12, 0))
    monkeypatch.setattr(timezone, "now", lambda: noon)
    return org_tree


def test_mid_month_scorecards_are_provisional_and_ranked_on_the_target_due_to_date(
    mid_december,
):
    period = scorecards_compute(actor=mid_december.user("director"), kind="month", start=DEC)
    a, b = card(mid_december, "rep_east1a", period), card(mid_december, "rep_east1b", period)
    # Against the whole month both would score 0 on achievement and B's two new customers
    # would rank B first. Against the targets due by the 8th (6 of 23 working days) A has
    # 115% (110 × 60% + 20 points, its ideal reached too) and B 76.67% (0 + 40): A first.
    assert a.lines.get(indicator="sales_achievement").value == "1.15"
    assert (a.total_score, b.total_score) == (Decimal("86"), Decimal("40"))
    assert a.rank_company == 1 and b.rank_company == 2
    client = mid_december.client("director")
    with translation.override("en"):
        page = client.get(period.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
        assert "data-provisional" in page.content.decode()
        assert "computed on 2026-12-08 before the period ended" in page.content.decode()
        detail = client.get(a.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
        assert "data-provisional" in detail.content.decode()
    export = client.get(period.get_absolute_url() + "?format=xlsx", HTTP_ACCEPT_LANGUAGE="en")
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][0].startswith("Provisional: computed on 2026-12-08")


def test_a_period_computed_after_it_ended_is_not_provisional(january):
    period = scorecards_compute(actor=january.user("director"), kind="month", start=JAN)
    page = january.client("director").get(period.get_absolute_url())
    assert "data-provisional" not in page.content.decode()


def test_the_period_report_of_a_running_month_is_marked_and_judged_to_date(mid_december):
    team = mid_december.teams["east1"]
    page = mid_december.client("director").get(
        f"/performance/teams/{team.pk}/report/",
        {"kind": "month", "start": "2026-12-01"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    text = page.content.decode()
    assert "December 2026 (to day 8)" in text and "data-provisional" in text
    assert "to date ¥600.00" in text  # east-1a's target due by the 8th


def test_the_list_marks_a_provisional_period(mid_december):
    scorecards_compute(actor=mid_december.user("director"), kind="month", start=DEC)
    page = mid_december.client("director").get("/performance/scorecards/")
    assert "data-provisional" in page.content.decode()
