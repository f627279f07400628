"""PDCA cycles and the standards library: stages, rights, checks from the indicators."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from salesorg.core.scoping import SYSTEM
from salesorg.performance.choices import Level
from salesorg.performance.kpi.indicators import indicator_table
from salesorg.targets.choices import ActionOrigin
from salesorg.targets.models import PdcaPlan, PdcaStatus, Standard, StandardVersion
from salesorg.targets.services.pdca import (
    pdca_action_add,
    pdca_check_record,
    pdca_measure_add,
    pdca_plan_advance,
    pdca_plan_create,
    pdca_problem_add,
    standard_create,
    standard_promote_lesson,
    standard_version_add,
    standard_version_approve,
)
from salesorg.work.actions import action_item_set_status, action_items_for_source
from tests.factories import CustomerFactory, OrderFactory, OrderLineFactory

Q1 = {"period_start": date(2026, 1, 1), "period_end": date(2026, 3, 31)}


def team_plan(org_tree, actor="manager_east1"):
    return pdca_plan_create(
        title="提高回款",
        unit_type="team",
        unit=org_tree.teams["east1"],
        owner=org_tree.people["manager_east1"],
        objective="回款率九成",
        actor=org_tree.user(actor),
        **Q1,
    )


def test_a_manager_runs_a_cycle_from_plan_to_closed(org_tree):
    manager = org_tree.user("manager_east1")
    rep = org_tree.people["rep_east1a"]
    order = OrderFactory(customer=CustomerFactory(owner=rep), rep=rep, order_date=date(2026, 2, 2))
    OrderLineFactory(order=order, amount=Decimal("700.00"))
    plan = team_plan(org_tree)
    assert plan.status == PdcaStatus.PLAN
    with pytest.raises(ValidationError) as error:
        pdca_plan_advance(plan=plan, actor=manager)
    assert "status" in error.value.message_dict  # no measure yet
    pdca_measure_add(
        plan=plan,
        what="每周跟进大客户",
        metric="sales",
        target_value=Decimal("500"),
        due_date=date(2026, 3, 31),
        actor=manager,
    )
    pdca_plan_advance(plan=plan, actor=manager)
    assert plan.status == PdcaStatus.DO
    # when a check is recorded its actuals come from the indicator engine
    check = pdca_check_record(plan=plan, actor=manager, checked_on=date(2026, 3, 31))
    table = indicator_table(
        user=SYSTEM, start=date(2026, 1, 1), end=date(2026, 3, 31), level=Level.TEAM
    )
    team_sales = next(row.sales for row in table.rows if row.code == "EAST1")
    assert check.results[0]["actual"] == str(team_sales) == "700.00"
    assert check.results[0]["met"] is True
    plan.refresh_from_db()
    assert plan.status == PdcaStatus.CHECK
    problem = pdca_problem_add(
        plan=plan,
        description="回款慢",
        cause_category="customer",
        cause="账期长",
        check=check,
        actor=manager,
    )
    item = pdca_action_add(
        problem=problem,
        title="约定还款计划",
        owner=rep,
        due_date=date(2026, 4, 10),
        actor=manager,
    )
    assert item.origin == ActionOrigin.PDCA
    assert list(action_items_for_source(problem)) == [item]
    pdca_plan_advance(plan=plan, actor=manager)
    assert plan.status == PdcaStatus.ACT
    with pytest.raises(ValidationError) as error:
        pdca_plan_advance(plan=plan, actor=manager)
    assert "lesson" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        pdca_plan_advance(plan=plan, actor=manager, lesson="开票后一周内电话确认")
    assert "约定还款计划" in error.value.message_dict["carry_over"][0]  # its item is open
    action_item_set_status(item=item, status="done", actor=org_tree.user("rep_east1a"))
    pdca_plan_advance(plan=plan, actor=manager, lesson="开票后一周内电话确认")
    assert plan.status == PdcaStatus.CLOSED and plan.closed_at
    with pytest.raises(ValidationError):
        pdca_measure_add(plan=plan, what="x", due_date=date(2026, 3, 1), actor=manager)
    assert plan.history.count() >= 4


def test_who_may_plan_for_which_unit(org_tree):
    with pytest.raises(ValidationError) as error:
        team_plan(org_tree, actor="rep_east1a")
    assert "unit" in error.value.message_dict
    with pytest.raises(ValidationError):
        team_plan(org_tree, actor="manager_east2")
    assert team_plan(org_tree, actor="head_east").team == org_tree.teams["east1"]
    # a rep plans for themself; the company plan is the director's
    own = pdca_plan_create(
        title="我的拜访",
        unit_type="person",
        unit=org_tree.people["rep_east1a"],
        owner=org_tree.people["rep_east1a"],
        objective="每天四家",
        actor=org_tree.user("rep_east1a"),
        **Q1,
    )
    assert own.person == org_tree.people["rep_east1a"]
    with pytest.raises(ValidationError) as error:
        pdca_plan_create(
            title="公司",
            unit_type="company",
            unit=None,
            owner=org_tree.people["director"],
            objective="x",
            actor=org_tree.user("manager_east1"),
            **Q1,
        )
    assert "unit" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        pdca_plan_create(
            title="",
            unit_type="team",
            unit=org_tree.teams["east1"],
            owner=None,
            objective="",
            actor=org_tree.user("manager_east1"),
            period_start=date(2026, 3, 1),
            period_end=date(2026, 1, 1),
        )
    assert {"title", "objective", "owner", "period_end"} <= set(error.value.message_dict)


def test_plans_are_seen_like_targets(org_tree):
    plan = team_plan(org_tree)
    assert plan in PdcaPlan.objects.visible_to(org_tree.user("rep_east1a"))
    assert plan not in PdcaPlan.objects.visible_to(org_tree.user("rep_east2a"))
    assert plan not in PdcaPlan.objects.visible_to(org_tree.user("trainer"))


def closed_plan(org_tree):
    manager = org_tree.user("manager_east1")
    plan = team_plan(org_tree)
    pdca_measure_add(plan=plan, what="拜访", due_date=date(2026, 3, 1), actor=manager)
    pdca_plan_advance(plan=plan, actor=manager)
    pdca_check_record(plan=plan, actor=manager, checked_on=date(2026, 3, 31))
    pdca_plan_advance(plan=plan, actor=manager)
    pdca_plan_advance(plan=plan, actor=manager, lesson="拜访前准备资料")
    return plan


def test_a_lesson_becomes_a_standard_everyone_reads_once_approved(org_tree):
    plan = closed_plan(org_tree)
    # a rep may not promote; the manager proposes a draft
    with pytest.raises(ValidationError):
        standard_promote_lesson(
            plan=plan, actor=org_tree.user("rep_east1a"), code="S1", title="t", category="other"
        )
    version = standard_promote_lesson(
        plan=plan,
        actor=org_tree.user("manager_east1"),
        code="STD-VISIT",
        title="拜访标准",
        category="sales_process",
    )
    assert version.body == "拜访前准备资料" and version.lesson_plan == plan
    standard = version.standard
    rep = org_tree.user("rep_east1a")
    assert standard not in Standard.objects.visible_to(rep)
    assert standard in Standard.objects.visible_to(org_tree.user("manager_east1"))
    # only director/admin approve
    with pytest.raises(ValidationError):
        standard_version_approve(
            version=version, actor=org_tree.user("manager_east1"), effective_date=date(2026, 5, 1)
        )
    standard_version_approve(
        version=version, actor=org_tree.user("director"), effective_date=date(2026, 5, 1)
    )
    assert standard in Standard.objects.visible_to(rep)
    assert standard in Standard.objects.visible_to(org_tree.user("trainer"))
    assert standard not in Standard.objects.visible_to(org_tree.user("rep_former"))
    # the director drafts a new version (numbered on approval); readers see approved ones
    second = standard_version_add(standard=standard, body="新版", actor=org_tree.user("director"))
    assert (version.number, second.number) == (1, None)
    assert list(StandardVersion.objects.visible_to(rep).filter(standard=standard)) == [version]


def test_only_library_writers_write_standards_directly(org_tree):
    with pytest.raises(ValidationError) as error:
        standard_create(
            code="X", title="t", category="other", body="b", actor=org_tree.user("manager_east1")
        )
    assert "code" in error.value.message_dict
    standard_create(code="X", title="t", category="other", body="b", actor=org_tree.user("admin"))
    with pytest.raises(ValidationError) as error:
        standard_create(code="X", title="t", category="nope", body="", actor=org_tree.user("admin"))
    assert {"code", "category", "body"} <= set(error.value.message_dict)


def test_a_check_before_the_period_ends_judges_the_target_due_by_then(org_tree):
    # given a Q1 plan (64 working days) with a 1200 sales measure and 700 sold by 2 February
    manager = org_tree.user("manager_east1")
    rep = org_tree.people["rep_east1a"]
    order = OrderFactory(customer=CustomerFactory(owner=rep), rep=rep, order_date=date(2026, 2, 2))
    OrderLineFactory(order=order, amount=Decimal("700.00"))
    plan = team_plan(org_tree)
    pdca_measure_add(
        plan=plan,
        what="大客户",
        metric="sales",
        target_value=Decimal("1200"),
        due_date=date(2026, 3, 31),
        actor=manager,
    )
    pdca_plan_advance(plan=plan, actor=manager)
    # when it is checked on 13 February, 32 of the 64 working days in
    check = pdca_check_record(plan=plan, actor=manager, checked_on=date(2026, 2, 13))
    result = check.results[0]
    # then the measure is met against the 600 due by then, not missed against the whole 1200
    assert (result["target_to_date"], result["as_of"]) == ("600.00", "2026-02-13")
    assert result["met"] is True
