"""Decomposition and proposals from real history: a complete period, never a running year;
too little history is said, not silently split evenly; the ideal's uplift is stated."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from salesorg.targets.choices import HistoryBasis, Split, UpliftSource
from salesorg.targets.history import basis_options, history_basis
from salesorg.targets.models import AnnualTarget, SalesPlan, Target
from salesorg.targets.selectors.actuals import target_proposals
from salesorg.targets.services.decomposition import plan_unit_decompose
from tests.targets.plan_helpers import (
    YEAR,
    annual_target,
    person_unit,
    plan_with_target,
    region_unit,
    sell,
    team_unit,
)
from tests.targets.revision_helpers import published_plan

pytestmark = pytest.mark.django_db

# The demo's day: 2026 is still running, the 2027 plan is being decomposed.
DEC_6 = date(2026, 12, 6)


def _season(rep, year: int, amounts: list[int]) -> None:
    """One order a month of `rep` in `year` (a zero amount: no order that month)."""
    for month, amount in enumerate(amounts, start=1):
        if amount:
            sell(rep=rep, day=date(year, month, 3), amount=str(amount))


def _months(unit, metric="sales"):
    rows = Target.objects.filter(year=YEAR, metric=metric, **unit.owner_fields())
    return {row.month: (row.realistic, row.ideal) for row in rows}


def _annual(plan, unit, metric="sales"):
    row = AnnualTarget.objects.get(plan=plan, metric=metric, **unit.owner_fields())
    return row.realistic, row.ideal


def _decompose(org_tree, plan, unit, **kwargs):
    kwargs.setdefault("today", DEC_6)
    kwargs.setdefault("children", Split.EVEN)
    return plan_unit_decompose(
        plan=plan, unit=unit, metric="sales", actor=org_tree.user("manager_east1"), **kwargs
    )


# --- which period --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "plan_year", "kind", "label"),
    [
        (DEC_6, 2027, HistoryBasis.LAST_YEAR, "2025, whole year"),
        (DEC_6, 2027, HistoryBasis.LAST_12_MONTHS, "2025-12 to 2026-11 (last 12 complete months)"),
        (DEC_6, 2028, HistoryBasis.LAST_YEAR, "2025, whole year"),
        (date(2027, 1, 5), 2027, HistoryBasis.LAST_YEAR, "2026, whole year"),
        (
            date(2027, 1, 5),
            2027,
            HistoryBasis.LAST_12_MONTHS,
            "2026-01 to 2026-12 (last 12 complete months)",
        ),
        # planning late: the basis still ends before the plan's year begins
        (
            date(2027, 3, 1),
            2027,
            HistoryBasis.LAST_12_MONTHS,
            "2026-01 to 2026-12 (last 12 complete months)",
        ),
    ],
)
def test_the_basis_is_a_complete_period_labelled_with_its_months(today, plan_year, kind, label):
    basis = history_basis(kind=kind, plan_year=plan_year, today=today)
    assert basis.label == label
    assert len(basis.months) == 12
    assert basis.months[-1] < (today.year, today.month)


def test_a_reference_year_must_be_over():
    basis = history_basis(
        kind=HistoryBasis.REFERENCE_YEAR, plan_year=2027, today=DEC_6, reference_year=2023
    )
    assert basis.label == "2023, whole year (reference year)"
    for year in (2026, None):
        with pytest.raises(ValidationError) as error:
            history_basis(
                kind=HistoryBasis.REFERENCE_YEAR, plan_year=2027, today=DEC_6, reference_year=year
            )
        assert "reference_year" in error.value.message_dict


def test_the_choices_name_their_months_and_offer_complete_years_with_records():
    options = basis_options(plan_year=2027, today=DEC_6, years_with_data=[2023, 2024, 2025, 2026])
    assert options == [
        ("last_year", "2025, whole year"),
        ("last_12_months", "2025-12 to 2026-11 (last 12 complete months)"),
        ("2024", "2024, whole year (reference year)"),
        ("2023", "2023, whole year (reference year)"),
    ]


# --- months by seasonality ------------------------------------------------------------------


def test_in_december_the_months_follow_the_last_complete_year_not_the_running_one(org_tree):
    # given a rep who sold evenly through 2025, and in 2026 (running: today is 6 December)
    # a lot through November and almost nothing yet in December
    rep = org_tree.people["rep_east1a"]
    _season(rep, 2025, [1000] * 12)
    _season(rep, 2026, [5000] * 11 + [100])
    team = team_unit(org_tree)
    plan = plan_with_target(unit=team, realistic="120000", ideal="132000")
    # when the 2027 year is split by seasonality
    result = _decompose(org_tree, plan, team, months=Split.HISTORY)
    # then every month follows 2025: December is not starved by the running month
    months = _months(team)
    assert months[12] == (Decimal("10000.00"), Decimal("11000.00"))
    assert {pair for pair in months.values()} == {(Decimal("10000.00"), Decimal("11000.00"))}
    # and the result says which period it followed
    assert result.basis.label == "2025, whole year"


def test_the_last_12_complete_months_basis_skips_the_running_month(org_tree):
    # given December 2025 twice a month of January–November 2026, and a big December 2026
    # that is still running
    rep = org_tree.people["rep_east1a"]
    _season(rep, 2025, [0] * 11 + [2000])
    _season(rep, 2026, [1000] * 11 + [90000])
    team = team_unit(org_tree)
    plan = plan_with_target(unit=team, realistic="130000.00")
    # when split by the last 12 complete months
    result = _decompose(
        org_tree, plan, team, months=Split.HISTORY, basis=HistoryBasis.LAST_12_MONTHS
    )
    # then December follows December 2025, the other months January–November 2026
    months = _months(team)
    assert months[12][0] == Decimal("20000.00")
    assert [months[m][0] for m in range(1, 12)] == [Decimal("10000.00")] * 11
    assert result.basis.label == "2025-12 to 2026-11 (last 12 complete months)"


def test_without_history_the_split_is_refused_and_says_what_to_do(org_tree):
    # given no sales at all
    team = team_unit(org_tree)
    plan = plan_with_target(unit=team, realistic="1200")
    # when the months are split by history, it is refused naming the period
    with pytest.raises(ValidationError) as error:
        _decompose(org_tree, plan, team, months=Split.HISTORY)
    message = " ".join(error.value.message_dict["months"])
    assert "has no actuals of Sales amount in 2025, whole year" in message
    assert "Split evenly" in message and "reference year" in message
    # and nothing is written (no silent even split)
    assert not Target.objects.filter(year=YEAR).exists()


def test_a_few_months_of_history_are_too_little_for_a_season(org_tree):
    rep = org_tree.people["rep_east1a"]
    _season(rep, 2025, [3000, 0, 0, 0, 0, 0, 0, 0, 0, 1000, 0, 0])
    team = team_unit(org_tree)
    plan = plan_with_target(unit=team, realistic="40000")
    with pytest.raises(ValidationError) as error:
        _decompose(org_tree, plan, team, months=Split.HISTORY)
    message = error.value.message_dict["months"][0]
    assert "only 2 of the 12 months of 2025, whole year" in message
    assert "at least 6" in message
    assert not Target.objects.filter(year=YEAR).exists()


def test_a_named_reference_year_is_followed(org_tree):
    # given a full 2024 with a strong fourth quarter, and nothing in 2025
    rep = org_tree.people["rep_east1a"]
    _season(rep, 2024, [1000] * 9 + [3000] * 3)
    team = team_unit(org_tree)
    plan = plan_with_target(unit=team, realistic="180000")
    with pytest.raises(ValidationError):
        _decompose(org_tree, plan, team, months=Split.HISTORY)
    # when the manager names 2024
    result = _decompose(
        org_tree,
        plan,
        team,
        months=Split.HISTORY,
        basis=HistoryBasis.REFERENCE_YEAR,
        reference_year=2024,
    )
    # then the months follow 2024
    months = _months(team)
    assert months[1][0] == Decimal("10000.00") and months[12][0] == Decimal("30000.00")
    assert sum(r for r, _i in months.values()) == Decimal("180000.00")
    assert result.basis.label == "2024, whole year (reference year)"


def test_a_running_reference_year_is_refused(org_tree):
    team = team_unit(org_tree)
    plan = plan_with_target(unit=team, realistic="1200")
    with pytest.raises(ValidationError) as error:
        _decompose(
            org_tree,
            plan,
            team,
            months=Split.HISTORY,
            basis=HistoryBasis.REFERENCE_YEAR,
            reference_year=2026,
        )
    assert "reference_year" in error.value.message_dict


# --- shares of the units below ------------------------------------------------------------


def test_shares_come_from_the_complete_year_not_the_running_one(org_tree):
    # given rep a sold three times rep b in 2025; in 2026 (running) rep b sold far more
    a, b = org_tree.people["rep_east1a"], org_tree.people["rep_east1b"]
    _season(a, 2025, [3000] * 12)
    _season(b, 2025, [1000] * 12)
    _season(b, 2026, [50000] * 11 + [0])
    team = team_unit(org_tree)
    plan = plan_with_target(unit=team, realistic="40000.01", ideal="48000.03")
    _decompose(org_tree, plan, team, months=Split.EVEN, children=Split.HISTORY)
    # then the shares are 3 : 1 (the manager, who sold nothing, gets nothing), to the cent
    share_a = _annual(plan, person_unit(org_tree, "rep_east1a"))
    share_b = _annual(plan, person_unit(org_tree, "rep_east1b"))
    share_manager = _annual(plan, person_unit(org_tree, "manager_east1"))
    assert share_a[0] == Decimal("30000.01") and share_b[0] == Decimal("10000.00")
    assert share_manager == (Decimal("0.00"), Decimal("0.00"))
    assert share_a[1] + share_b[1] == Decimal("48000.03")


def test_shares_without_history_are_refused(org_tree):
    team = team_unit(org_tree)
    plan = plan_with_target(unit=team, realistic="1200")
    with pytest.raises(ValidationError) as error:
        _decompose(org_tree, plan, team, months=Split.EVEN, children=Split.HISTORY)
    message = error.value.message_dict["children"][0]
    assert "None of the units below" in message and "2025, whole year" in message
    assert not Target.objects.filter(year=YEAR).exists()


# --- proposals and the ideal's uplift -------------------------------------------------------


def test_proposals_in_december_use_the_last_complete_year(org_tree):
    rep = org_tree.people["rep_east1a"]
    sell(rep=rep, day=date(2025, 5, 5), amount="1000")
    sell(rep=rep, day=date(2026, 5, 5), amount="50000")  # the running year: not used
    plan = plan_with_target(unit=team_unit(org_tree), realistic="0")
    proposals = target_proposals(
        plan=plan, metric="sales", parent=team_unit(org_tree), growth_rate=Decimal("0.1"),
        user=org_tree.user("manager_east1"), today=DEC_6,
    )  # fmt: skip
    by_unit = {p.unit: p for p in proposals.rows}
    assert by_unit[person_unit(org_tree, "rep_east1a")].actual == 100000
    assert proposals.basis.label == "2025, whole year"
    assert proposals.has_history
    last_12 = target_proposals(
        plan=plan, metric="sales", parent=team_unit(org_tree), growth_rate=Decimal("0.1"),
        user=org_tree.user("manager_east1"), today=DEC_6, basis=HistoryBasis.LAST_12_MONTHS,
    )  # fmt: skip
    assert {p.unit: p for p in last_12.rows}[person_unit(org_tree, "rep_east1a")].actual == (
        5000000
    )


def test_the_ideal_uplift_set_in_the_plan_is_used_and_stated(org_tree):
    rep = org_tree.people["rep_east1a"]
    sell(rep=rep, day=date(2025, 5, 5), amount="10000")
    plan = plan_with_target(unit=team_unit(org_tree), realistic="0")
    plan.ideal_uplift = Decimal("15")
    plan.save()
    proposals = target_proposals(
        plan=plan, metric="sales", parent=team_unit(org_tree), growth_rate=Decimal("0.1"),
        user=org_tree.user("manager_east1"), today=DEC_6,
    )  # fmt: skip
    row = {p.unit: p for p in proposals.rows}[person_unit(org_tree, "rep_east1a")]
    assert (row.realistic, row.ideal) == (1100000, 1265000)
    assert proposals.uplift.source == UpliftSource.PLAN
    assert proposals.uplift.text == "Ideal target = realistic target × 1.15 (15.00% higher)"
    assert "Set by the director in the sales plan" in proposals.uplift.source_text


def test_without_a_plan_uplift_last_years_ideal_to_realistic_ratio_is_used(org_tree):
    # given last year's plan whose targets were 1,000 realistic, 1,200 ideal
    team = team_unit(org_tree)
    previous = SalesPlan.objects.create(year=YEAR - 1, title="去年计划")
    annual_target(plan=previous, unit=team, realistic="1000", ideal="1200")
    sell(rep=org_tree.people["rep_east1a"], day=date(2025, 5, 5), amount="10000")
    plan = plan_with_target(unit=team, realistic="0")
    proposals = target_proposals(
        plan=plan, metric="sales", parent=team, growth_rate=Decimal("0"),
        user=org_tree.user("manager_east1"), today=DEC_6,
    )  # fmt: skip
    row = {p.unit: p for p in proposals.rows}[person_unit(org_tree, "rep_east1a")]
    assert (row.realistic, row.ideal) == (1000000, 1200000)
    assert proposals.uplift.source == UpliftSource.LAST_YEAR
    assert proposals.uplift.text == "Ideal target = realistic target × 1.20 (20.00% higher)"
    assert "¥1,200.00" in proposals.uplift.source_text and "2026" in proposals.uplift.source_text


def test_a_regions_proposed_ideal_is_above_its_realistic(org_tree):
    # given no uplift anywhere: the default of 10 % applies, and says so
    sell(rep=org_tree.people["rep_east1a"], day=date(2025, 5, 5), amount="10000")
    sell(rep=org_tree.people["rep_east2a"], day=date(2025, 6, 5), amount="5000")
    region = region_unit(org_tree)
    plan = plan_with_target(unit=region, realistic="0")
    proposals = target_proposals(
        plan=plan, metric="sales", parent=region, growth_rate=Decimal("0.1"),
        user=org_tree.user("head_east"), today=DEC_6,
    )  # fmt: skip
    row = proposals.rows[0]
    assert row.unit == region
    assert row.realistic == 1650000 and row.ideal == 1815000 > row.realistic
    assert all(p.ideal > p.realistic for p in proposals.rows if p.realistic)
    assert proposals.uplift.source == UpliftSource.DEFAULT
    assert "default" in proposals.uplift.source_text


def test_proposals_without_history_say_so(org_tree):
    plan = plan_with_target(unit=team_unit(org_tree), realistic="0")
    proposals = target_proposals(
        plan=plan, metric="sales", parent=team_unit(org_tree), growth_rate=Decimal("0.1"),
        user=org_tree.user("manager_east1"), today=DEC_6,
    )  # fmt: skip
    assert not proposals.has_history


def test_decomposing_a_published_plan_is_refused_pointing_to_a_revision(org_tree):
    """A published plan is locked for everyone, director included: the refusal says how
    its targets do change (a revision), not who may change them."""
    plan = published_plan(org_tree)
    with pytest.raises(ValidationError) as refused:
        _decompose(org_tree, plan, team_unit(org_tree), months=Split.EVEN)
    message = " ".join(refused.value.message_dict["plan"])
    assert "revision" in message
    assert "only the director" not in message
