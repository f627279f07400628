"""Planning services: grid saves, decomposition, publishing, rights and proposals."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from salesorg.core.reminders import reminders_for
from salesorg.core.scoping import SYSTEM
from salesorg.targets.choices import Split
from salesorg.targets.models import AnnualTarget, Decomposition, PlanStatus, Target
from salesorg.targets.permissions import can_write_unit
from salesorg.targets.reminders import targets_not_decomposed
from salesorg.targets.selectors.actuals import target_proposals
from salesorg.targets.selectors.grid import target_grid
from salesorg.targets.selectors.plans import plan_mismatches
from salesorg.targets.services.decomposition import plan_unit_decompose
from salesorg.targets.services.grid import grid_save
from salesorg.targets.services.plans import plan_publish, plan_unit_publish
from salesorg.targets.units import COMPANY
from tests.targets.plan_helpers import (
    YEAR,
    annual_target,
    person_unit,
    plan_with_target,
    region_unit,
    sell,
    team_unit,
)

pytestmark = pytest.mark.django_db


def _months(unit, metric="sales"):
    rows = Target.objects.filter(year=YEAR, metric=metric, **unit.owner_fields())
    return {row.month: (row.realistic, row.ideal) for row in rows}


def _annual(plan, unit, metric="sales"):
    row = AnnualTarget.objects.get(plan=plan, metric=metric, **unit.owner_fields())
    return row.realistic, row.ideal


def test_an_even_decomposition_adds_up_to_the_cent_months_and_members(org_tree):
    # given team east1 (a manager and two reps) with an annual target that doesn't divide by 12
    team = team_unit(org_tree)
    plan = plan_with_target(unit=team, realistic="100000.01", ideal="120000.05")
    manager = org_tree.user("manager_east1")
    # when the manager decomposes it evenly
    plan_unit_decompose(
        plan=plan, unit=team, metric="sales", actor=manager, months=Split.EVEN,
        children=Split.EVEN,
    )  # fmt: skip
    # then the team's months add up to its year exactly, ideal ≥ realistic every month
    months = _months(team)
    assert sum(r for r, _i in months.values()) == Decimal("100000.01")
    assert sum(i for _r, i in months.values()) == Decimal("120000.05")
    assert all(i >= r for r, i in months.values())
    # and the members' years and months add up to the team's, both ways
    members = [person_unit(org_tree, k) for k in ("manager_east1", "rep_east1a", "rep_east1b")]
    assert sum(_annual(plan, m)[0] for m in members) == Decimal("100000.01")
    for month in range(1, 13):
        assert sum(_months(m)[month][0] for m in members) == months[month][0]
    for member in members:
        assert sum(r for r, _i in _months(member).values()) == _annual(plan, member)[0]
    assert plan_mismatches(plan=plan, root=team, user=SYSTEM) == []


# Splits by history (seasonality, shares, too little history): test_decomposition_history.py


def test_a_grid_save_checks_every_cell_and_saves_nothing_on_error(org_tree):
    team = team_unit(org_tree)
    plan = plan_with_target(unit=team, realistic="1000")
    rep = person_unit(org_tree, "rep_east1a")
    cells = {
        (team, 1): (Decimal("500"), Decimal("400")),  # ideal below realistic
        (rep, 2): (Decimal("-1"), None),  # negative
        (rep, 3): (Decimal("10.001"), None),  # not to the cent
        (rep, 4): (Decimal("100"), None),  # fine, but nothing is saved
    }
    with pytest.raises(ValidationError) as error:
        grid_save(
            plan=plan, metric="sales", parent=team, cells=cells,
            actor=org_tree.user("manager_east1"),
        )  # fmt: skip
    errors = error.value.message_dict
    assert set(errors) == {f"{team.key}-1", f"{rep.key}-2", f"{rep.key}-3"}
    assert "ideal target cannot be below" in errors[f"{team.key}-1"][0]
    assert not Target.objects.filter(year=YEAR).exists()


def test_counts_must_be_whole_numbers(org_tree):
    team = team_unit(org_tree)
    plan = plan_with_target(unit=team, realistic="12", metric="new_customers")
    with pytest.raises(ValidationError) as error:
        grid_save(
            plan=plan, metric="new_customers", parent=team,
            cells={(team, 1): (Decimal("1.5"), None)}, actor=org_tree.user("director"),
        )  # fmt: skip
    assert "whole number" in str(error.value)


def test_a_manager_writes_only_their_team_and_its_members(org_tree):
    manager = org_tree.user("manager_east1")
    assert can_write_unit(manager, team_unit(org_tree))
    assert can_write_unit(manager, person_unit(org_tree, "rep_east1a"))
    assert not can_write_unit(manager, team_unit(org_tree, "east2"))
    assert not can_write_unit(manager, person_unit(org_tree, "rep_east2a"))
    assert not can_write_unit(manager, region_unit(org_tree))
    assert not can_write_unit(manager, COMPANY)
    head = org_tree.user("head_east")
    assert can_write_unit(head, region_unit(org_tree))
    assert can_write_unit(head, team_unit(org_tree, "east2"))
    assert not can_write_unit(head, team_unit(org_tree, "north1"))
    assert not can_write_unit(head, COMPANY)
    assert can_write_unit(org_tree.user("director"), COMPANY)
    for role in ("rep_east1a", "finance", "trainer", "rep_former"):
        assert not can_write_unit(org_tree.user(role), person_unit(org_tree, "rep_east1a"))


def test_a_manager_cannot_change_another_teams_cells(org_tree):
    other = team_unit(org_tree, "east2")
    plan = plan_with_target(unit=other, realistic="1000")
    with pytest.raises(ValidationError) as error:
        grid_save(
            plan=plan, metric="sales", parent=other,
            cells={(other, 1): (Decimal("1"), None)}, actor=org_tree.user("manager_east1"),
        )  # fmt: skip
    assert f"{other.key}-1" in error.value.message_dict
    with pytest.raises(ValidationError):
        plan_unit_decompose(
            plan=plan, unit=other, metric="sales", actor=org_tree.user("manager_east1")
        )


def test_publishing_is_refused_while_anything_does_not_add_up(org_tree):
    # given a decomposed team whose March was then changed by hand
    team = team_unit(org_tree)
    plan = plan_with_target(unit=team, realistic="12000")
    manager = org_tree.user("manager_east1")
    plan_unit_decompose(plan=plan, unit=team, metric="sales", actor=manager)
    rep = person_unit(org_tree, "rep_east1a")
    grid_save(
        plan=plan, metric="sales", parent=team,
        cells={(rep, 3): (Decimal("999.99"), None)}, actor=manager,
    )  # fmt: skip
    # when the manager publishes, it is refused with where it doesn't add up
    with pytest.raises(ValidationError) as error:
        plan_unit_publish(plan=plan, unit=team, actor=manager)
    message = " ".join(error.value.messages)
    assert "REP-east1a" not in message  # people are named, not coded
    assert "month 3" in message
    # when the cell is put back, it publishes and the history keeps both states
    grid_save(
        plan=plan, metric="sales", parent=team,
        cells={(rep, 3): (Decimal("333.33"), Decimal("333.33"))}, actor=manager,
    )  # fmt: skip
    decomposition = plan_unit_publish(plan=plan, unit=team, actor=manager)
    assert decomposition.status == PlanStatus.PUBLISHED
    assert decomposition.published_by == org_tree.people["manager_east1"]
    # and a later change puts it back to draft
    result = grid_save(
        plan=plan, metric="sales", parent=team,
        cells={(rep, 3): (Decimal("300"), None)}, actor=manager,
    )  # fmt: skip
    assert result.reopened
    assert Decomposition.objects.get(pk=decomposition.pk).status == PlanStatus.DRAFT
    assert decomposition.history.count() >= 2


def test_the_plan_publishes_only_when_the_whole_tree_adds_up(org_tree):
    plan = plan_with_target(unit=COMPANY, realistic="0")
    director = org_tree.user("director")
    with pytest.raises(ValidationError):
        plan_publish(plan=plan, actor=org_tree.user("manager_east1"))
    plan_publish(plan=plan, actor=director)  # zero everywhere adds up
    plan.refresh_from_db()
    assert plan.is_published
    annual_target(plan=plan, unit=region_unit(org_tree), realistic="5")
    with pytest.raises(ValidationError) as error:
        plan_publish(plan=plan, actor=director)
    assert "Cannot publish" in error.value.messages[0]


def test_the_grid_flags_children_and_months_that_do_not_add_up(org_tree):
    team = team_unit(org_tree)
    plan = plan_with_target(unit=team, realistic="1200")
    director = org_tree.user("director")
    grid_save(
        plan=plan, metric="sales", parent=team,
        cells={(team, 1): (Decimal("1200"), None)}, actor=director,
    )  # fmt: skip
    grid = target_grid(plan=plan, metric="sales", parent=team, user=director)
    assert not grid.rows[0].months_mismatch  # January holds the whole year
    assert grid.children_mismatch[0] and grid.children_mismatch[1]  # members have nothing
    assert not grid.children_mismatch[2]
    assert grid.has_mismatch


def test_proposals_grow_actuals_and_never_fall_below_this_years_target(org_tree):
    # given rep a sold 1,000 last year with a target of 2,000; rep b sold 5,000, target 1,000
    plan = plan_with_target(unit=team_unit(org_tree), realistic="0")
    a, b = org_tree.people["rep_east1a"], org_tree.people["rep_east1b"]
    sell(rep=a, day=date(YEAR - 1, 5, 5), amount="1000")
    sell(rep=b, day=date(YEAR - 1, 5, 5), amount="5000")
    Target.objects.create(
        owner_type="person", person=a, year=YEAR - 1, month=1, metric="sales",
        realistic=Decimal("2000"), ideal=Decimal("2500"),
    )  # fmt: skip
    Target.objects.create(
        owner_type="person", person=b, year=YEAR - 1, month=1, metric="sales",
        realistic=Decimal("1000"), ideal=Decimal("1000"),
    )  # fmt: skip
    # when proposed in January, once that year is complete
    proposals = target_proposals(
        plan=plan, metric="sales", parent=team_unit(org_tree), growth_rate=Decimal("0.1"),
        user=org_tree.user("manager_east1"), today=date(YEAR, 1, 10),
    )  # fmt: skip
    by_unit = {p.unit: p for p in proposals.rows}
    proposal_a = by_unit[person_unit(org_tree, "rep_east1a")]
    proposal_b = by_unit[person_unit(org_tree, "rep_east1b")]
    assert proposal_a.realistic == 200000  # floored at this year's 2,000.00
    assert proposal_b.realistic == 550000  # 5,000 × 1.1
    # and the ideal is the realistic raised by last year's ratio: 3,500 ÷ 3,000 → +16.67 %
    assert proposals.uplift.percent == Decimal("16.67")
    assert proposal_a.ideal == 233340 and proposal_b.ideal == 641685


def test_leaders_are_reminded_of_targets_not_decomposed(org_tree, settings):
    team = team_unit(org_tree)
    plan_with_target(unit=team, realistic="1200", year=date.today().year)
    texts = [r.text for r in reminders_for(org_tree.user("manager_east1"))]
    assert any("do not add up" in text for text in texts)
    assert not any("do not add up" in r.text for r in reminders_for(org_tree.user("manager_east2")))
    assert not any("do not add up" in r.text for r in reminders_for(org_tree.user("rep_east1a")))


def test_the_reminder_runs_a_bounded_number_of_queries(org_tree, django_assert_max_num_queries):
    year = date.today().year
    for offset in (0, 1):
        plan = plan_with_target(unit=team_unit(org_tree), realistic="1200", year=year + offset)
        for key in ("rep_east1a", "rep_east1b", "manager_east1"):
            annual_target(plan=plan, unit=person_unit(org_tree, key), realistic="1")
    manager = org_tree.people["manager_east1"]
    with django_assert_max_num_queries(8):
        found = list(targets_not_decomposed(user=manager.user, person=manager, today=date.today()))
    assert len(found) == 2
    assert all("metric=sales" in reminder.url for reminder in found)
