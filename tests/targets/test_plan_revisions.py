"""Goal → company targets, publishing against the goal, and revisions of a published plan:
proposed from the grid, decided by the next level, applied all or none, kept in history."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from salesorg.core.reminders import reminders_for
from salesorg.targets.choices import Split
from salesorg.targets.models import (
    AnnualTarget,
    CompanyGoal,
    Decomposition,
    PlanStatus,
    RevisionStatus,
    SalesPlan,
    TargetRevision,
)
from salesorg.targets.permissions import can_decide_revision
from salesorg.targets.selectors.revisions import revision_list
from salesorg.targets.services.decomposition import plan_unit_decompose
from salesorg.targets.services.grid import grid_save
from salesorg.targets.services.plans import (
    company_goal_save,
    plan_publish,
    plan_unit_publish,
    sales_plan_save,
)
from salesorg.targets.services.revisions import revision_approve, revision_return
from tests.targets.plan_helpers import YEAR, person_unit, region_unit, team_unit
from tests.targets.revision_helpers import decomposed_plan, month_target, published_plan

pytestmark = pytest.mark.django_db


def _company(plan, metric):
    row = AnnualTarget.objects.filter(plan=plan, metric=metric, owner_type="company").first()
    return None if row is None else (row.realistic, row.ideal)


def _goal(year=YEAR, sales="1200000", margin="300000"):
    return CompanyGoal(
        year=year, statement="增长", sales_goal=Decimal(sales), gross_margin_goal=Decimal(margin)
    )


def _move_march(org_tree, plan, *, amount="100", reason="客户提前下单", actor="manager_east1"):
    """In the team's grid, `amount` of rep b's March goes to rep a, and as much of rep a's
    April to rep b: every year, month and team sum stays the same."""
    change = Decimal(amount)
    cells = {}
    for key, sign in (("rep_east1a", 1), ("rep_east1b", -1)):
        unit, person = person_unit(org_tree, key), org_tree.people[key]
        cells[(unit, 3)] = (month_target(person, 3) + sign * change, None)
        cells[(unit, 4)] = (month_target(person, 4) - sign * change, None)
    return grid_save(
        plan=plan, metric="sales", parent=team_unit(org_tree), cells=cells,
        actor=org_tree.user(actor), reason=reason,
    )  # fmt: skip


# --- the goal proposes the company's targets ---------------------------------------------------


def test_a_goal_fills_the_empty_company_targets_of_its_years_plan(org_tree):
    # given a draft 2028 plan without company targets, and one for 2027 with a sales target
    director = org_tree.user("director")
    plan = SalesPlan.objects.create(year=2028, title="2028计划")
    # when the director saves the 2028 goal
    company_goal_save(instance=_goal(2028, sales="100000000", margin="20000000"), actor=director)
    # then the plan's company sales and gross-margin targets are the goal
    assert _company(plan, "sales") == (Decimal("100000000.00"), Decimal("100000000.00"))
    assert _company(plan, "gross_margin") == (Decimal("20000000.00"), Decimal("20000000.00"))
    # and a target that is set already is left alone when the goal changes
    goal = CompanyGoal.objects.get(year=2028)
    goal.sales_goal = Decimal("90000000")
    company_goal_save(instance=goal, actor=director)
    assert _company(plan, "sales")[0] == Decimal("100000000.00")


def test_a_new_plan_takes_its_years_goal_with_the_ideal_uplift(org_tree):
    director = org_tree.user("director")
    company_goal_save(instance=_goal(), actor=director)
    plan = sales_plan_save(
        instance=SalesPlan(year=YEAR, title="计划", ideal_uplift=Decimal("10")), actor=director
    )
    assert _company(plan, "sales") == (Decimal("1200000.00"), Decimal("1320000.00"))
    assert _company(plan, "gross_margin") == (Decimal("300000.00"), Decimal("330000.00"))


# --- publishing -------------------------------------------------------------------------------


def test_a_plan_with_no_targets_cannot_be_published(org_tree):
    plan = SalesPlan.objects.create(year=YEAR, title="空计划")
    with pytest.raises(ValidationError) as error:
        plan_publish(plan=plan, actor=org_tree.user("director"))
    assert error.value.message_dict["plan"] == ["A plan with no targets cannot be published."]
    plan.refresh_from_db()
    assert not plan.is_published


def test_publishing_against_the_goal_needs_a_reason_for_a_deviation(org_tree):
    # given a plan that adds up everywhere, with sales 1,200,000 and no gross-margin target,
    # and a goal of 1,200,000 sales and 300,000 gross margin
    plan = decomposed_plan(org_tree)
    _goal().save()
    director = org_tree.user("director")
    # when the director publishes without a reason, it is refused on the reason's field
    with pytest.raises(ValidationError) as error:
        plan_publish(plan=plan, actor=director)
    message = error.value.message_dict["deviation_reason"][0]
    assert "Gross margin: target none, goal ¥300,000.00" in message
    plan.refresh_from_db()
    assert not plan.is_published
    # when a reason is given, it publishes and keeps the reason
    plan_publish(plan=plan, actor=director, deviation_reason="毛利目标下季度再定")
    plan.refresh_from_db()
    assert plan.is_published and plan.goal_deviation_reason == "毛利目标下季度再定"


def test_a_plan_equal_to_its_goal_publishes_without_a_reason(org_tree):
    plan = decomposed_plan(org_tree)
    CompanyGoal.objects.create(
        year=YEAR, statement="增长", sales_goal=Decimal("1200000"), gross_margin_goal=Decimal(0)
    )
    AnnualTarget.objects.create(
        plan=plan, owner_type="company", metric="gross_margin", realistic=0, ideal=0
    )
    plan_publish(plan=plan, actor=org_tree.user("director"))
    plan.refresh_from_db()
    assert plan.is_published and plan.goal_deviation_reason == ""


# --- a published plan is locked -----------------------------------------------------------------


def test_a_grid_save_on_a_published_plan_proposes_a_revision_and_changes_nothing(org_tree):
    plan = published_plan(org_tree)
    rep_a = org_tree.people["rep_east1a"]
    before = month_target(rep_a, 3)
    # when the manager saves the grid of the team without a reason, it is refused
    with pytest.raises(ValidationError) as error:
        _move_march(org_tree, plan, reason="  ")
    assert "reason" in error.value.message_dict
    # with a reason, a revision is proposed holding the two cells, old → new
    result = _move_march(org_tree, plan)
    revision = result.revision
    assert revision.number == 1 and revision.status == RevisionStatus.PENDING
    assert revision.team == org_tree.teams["east1"]
    assert revision.proposed_by == org_tree.people["manager_east1"]
    cell = revision.cells.get(person=rep_a, month=3)
    assert (cell.month, cell.old_realistic, cell.new_realistic) == (3, before, before + 100)
    assert revision.cells.count() == 4
    # and the targets in force did not change
    assert month_target(rep_a, 3) == before


def test_a_published_plan_is_not_decomposed_or_unit_published_directly(org_tree):
    plan = published_plan(org_tree)
    team = team_unit(org_tree)
    manager = org_tree.user("manager_east1")
    with pytest.raises(ValidationError):
        plan_unit_decompose(
            plan=plan, unit=team, metric="sales", actor=org_tree.user("director"),
            months=Split.EVEN, children=Split.EVEN,
        )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        plan_unit_publish(plan=plan, unit=team, actor=manager)
    assert "revision" in error.value.messages[0]


def test_only_the_next_level_decides_and_never_the_proposer(org_tree):
    plan = published_plan(org_tree)
    revision = _move_march(org_tree, plan).revision
    for wrong in ("manager_east1", "manager_east2", "head_north", "rep_east1a", "finance"):
        with pytest.raises(ValidationError):
            revision_approve(revision=revision, actor=org_tree.user(wrong))
    assert TargetRevision.objects.get(pk=revision.pk).status == RevisionStatus.PENDING
    assert can_decide_revision(org_tree.user("head_east"), revision)
    assert can_decide_revision(org_tree.user("admin"), revision)
    # a region's revision is the director's (or admin's): its head proposed it
    east1, east2 = team_unit(org_tree), team_unit(org_tree, "east2")
    region_revision = grid_save(
        plan=plan, metric="sales", parent=region_unit(org_tree),
        cells={(east1, 0): (Decimal("300100"), None), (east2, 0): (Decimal("299900"), None)},
        actor=org_tree.user("head_east"), reason="团队间调整",
    ).revision  # fmt: skip
    assert region_revision.region == org_tree.regions["east"]
    deciders = {
        key
        for key in ("head_east", "head_north", "manager_east1", "director", "admin")
        if can_decide_revision(org_tree.user(key), region_revision)
    }
    assert deciders == {"director", "admin"}


def test_the_region_head_approves_and_the_targets_in_force_change(org_tree):
    plan = published_plan(org_tree)
    rep_a, rep_b = org_tree.people["rep_east1a"], org_tree.people["rep_east1b"]
    before_a, before_b = month_target(rep_a, 3), month_target(rep_b, 3)
    revision = _move_march(org_tree, plan).revision
    # when the head of the team's region approves
    approved = revision_approve(revision=revision, actor=org_tree.user("head_east"))
    # then the new values are in force, and the revision says who decided when
    assert month_target(rep_a, 3) == before_a + 100
    assert month_target(rep_b, 3) == before_b - 100
    assert approved.status == RevisionStatus.APPROVED
    assert approved.decided_by == org_tree.people["head_east"] and approved.decided_at
    decomposition = Decomposition.objects.get(plan=plan, team=org_tree.teams["east1"])
    assert decomposition.status == PlanStatus.PUBLISHED
    # and it cannot be decided twice
    with pytest.raises(ValidationError):
        revision_approve(revision=revision, actor=org_tree.user("director"))


def test_an_approval_is_refused_if_a_cell_changed_meanwhile(org_tree):
    plan = published_plan(org_tree)
    first = _move_march(org_tree, plan).revision
    # another leader's revision of the same cells is approved first
    second = _move_march(org_tree, plan, amount="50", actor="head_east").revision
    revision_approve(revision=second, actor=org_tree.user("director"))
    rep_a = org_tree.people["rep_east1a"]
    in_force = month_target(rep_a, 3)
    with pytest.raises(ValidationError) as error:
        revision_approve(revision=first, actor=org_tree.user("head_east"))
    assert "changed since the revision was proposed" in error.value.messages[0]
    assert month_target(rep_a, 3) == in_force
    assert TargetRevision.objects.get(pk=first.pk).status == RevisionStatus.PENDING


def test_an_approval_that_would_not_add_up_is_refused_and_writes_nothing(org_tree):
    plan = published_plan(org_tree)
    rep_a = org_tree.people["rep_east1a"]
    before = month_target(rep_a, 3)
    revision = grid_save(
        plan=plan, metric="sales", parent=team_unit(org_tree),
        cells={(person_unit(org_tree, "rep_east1a"), 3): (before + 100, None)},
        actor=org_tree.user("manager_east1"), reason="只改一个人",
    ).revision  # fmt: skip
    with pytest.raises(ValidationError) as error:
        revision_approve(revision=revision, actor=org_tree.user("head_east"))
    assert "Cannot approve" in error.value.messages[0]
    assert month_target(rep_a, 3) == before


def test_a_returned_revision_changes_nothing_and_the_history_shows_both(org_tree):
    plan = published_plan(org_tree)
    rep_a = org_tree.people["rep_east1a"]
    before = month_target(rep_a, 3)
    first = _move_march(org_tree, plan).revision
    head = org_tree.user("head_east")
    # a return needs a reason
    with pytest.raises(ValidationError) as error:
        revision_return(revision=first, actor=head, reason="")
    assert "return_reason" in error.value.message_dict
    returned = revision_return(revision=first, actor=head, reason="三月不调")
    assert returned.status == RevisionStatus.RETURNED and month_target(rep_a, 3) == before
    # the manager proposes again, and that one is approved
    second = _move_march(org_tree, plan, amount="60", reason="改为60").revision
    revision_approve(revision=second, actor=head)
    history = revision_list(plan=plan, user=org_tree.user("manager_east1"))
    assert [(r.number, r.status) for r in history] == [(2, "approved"), (1, "returned")]
    assert history[1].return_reason == "三月不调"
    cells = {(c.person_id, c.month): c for c in history[0].cells.all()}
    assert cells[(rep_a.pk, 3)].old_realistic == before
    assert cells[(rep_a.pk, 3)].new_realistic == before + 60 == month_target(rep_a, 3)
    # another region's manager sees none of it
    assert revision_list(plan=plan, user=org_tree.user("manager_north1")) == []


def test_the_approver_is_reminded_of_a_pending_revision(org_tree):
    plan = published_plan(org_tree)
    _move_march(org_tree, plan)
    kinds = {r.kind for r in reminders_for(org_tree.user("head_east"))}
    assert "target_revision" in kinds
    assert "target_revision" not in {r.kind for r in reminders_for(org_tree.user("head_north"))}
    assert "target_revision" not in {r.kind for r in reminders_for(org_tree.user("manager_east1"))}
