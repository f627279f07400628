"""A PDCA cycle closes only when its action items are done or carried over explicitly."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from salesorg.targets.models import PdcaStatus
from salesorg.targets.services.pdca import (
    pdca_action_add,
    pdca_check_record,
    pdca_measure_add,
    pdca_plan_advance,
    pdca_problem_add,
)
from salesorg.work.actions import action_item_set_status
from tests.targets.test_pdca import team_plan

LESSON = "开票后一周内电话确认"


def plan_at_act(org_tree):
    """A team plan at Act with a problem and two open action items of the team's reps."""
    manager = org_tree.user("manager_east1")
    plan = team_plan(org_tree)
    pdca_measure_add(plan=plan, what="跟进", due_date=date(2026, 3, 1), actor=manager)
    pdca_plan_advance(plan=plan, actor=manager)
    pdca_check_record(plan=plan, actor=manager, checked_on=date(2026, 3, 31))
    problem = pdca_problem_add(
        plan=plan, description="回款慢", cause_category="customer", cause="账期长", actor=manager
    )
    items = [
        pdca_action_add(
            problem=problem,
            title=title,
            owner=org_tree.people[owner],
            due_date=date(2026, 4, 10),
            actor=manager,
        )
        for title, owner in (("约定还款计划", "rep_east1a"), ("修订合同条款", "rep_east1b"))
    ]
    pdca_plan_advance(plan=plan, actor=manager)
    assert plan.status == PdcaStatus.ACT
    return plan, items


def test_closing_is_refused_while_action_items_are_open_naming_them(org_tree):
    plan, (first, second) = plan_at_act(org_tree)
    manager = org_tree.user("manager_east1")
    with pytest.raises(ValidationError) as error:
        pdca_plan_advance(plan=plan, actor=manager, lesson=LESSON)
    message = " ".join(error.value.message_dict["carry_over"])
    assert "约定还款计划" in message and "修订合同条款" in message
    plan.refresh_from_db()
    assert plan.status == PdcaStatus.ACT
    # one done, one cancelled: then it closes
    action_item_set_status(item=first, status="done", actor=org_tree.user("rep_east1a"))
    with pytest.raises(ValidationError) as error:
        pdca_plan_advance(plan=plan, actor=manager, lesson=LESSON)
    message = " ".join(error.value.message_dict["carry_over"])
    assert "修订合同条款" in message and "约定还款计划" not in message
    action_item_set_status(item=second, status="cancelled", actor=manager)
    pdca_plan_advance(plan=plan, actor=manager, lesson=LESSON)
    assert plan.status == PdcaStatus.CLOSED and plan.carried_over == []


def test_open_items_carried_over_with_a_note_let_the_cycle_close(org_tree):
    plan, (first, second) = plan_at_act(org_tree)
    manager = org_tree.user("manager_east1")
    # carrying only one over is not enough; a carried item needs its note
    with pytest.raises(ValidationError) as error:
        pdca_plan_advance(plan=plan, actor=manager, lesson=LESSON, carry_over={first.pk: "下季度"})
    assert "修订合同条款" in " ".join(error.value.message_dict["carry_over"])
    with pytest.raises(ValidationError) as error:
        pdca_plan_advance(
            plan=plan, actor=manager, lesson=LESSON, carry_over={first.pk: "下季度", second.pk: ""}
        )
    assert "修订合同条款" in " ".join(error.value.message_dict["carry_over"])
    # an item of another plan cannot be carried over
    _other, (foreign, _second) = plan_at_act(org_tree)
    with pytest.raises(ValidationError) as error:
        pdca_plan_advance(
            plan=plan,
            actor=manager,
            lesson=LESSON,
            carry_over={first.pk: "下季度", second.pk: "法务", foreign.pk: "x"},
        )
    assert "carry_over" in error.value.message_dict
    # both carried with notes: it closes, recording what was carried and why
    pdca_plan_advance(
        plan=plan,
        actor=manager,
        lesson=LESSON,
        carry_over={first.pk: "下季度继续", second.pk: "等法务"},
    )
    plan.refresh_from_db()
    assert plan.status == PdcaStatus.CLOSED
    assert plan.carried_over == [
        {"action_item_id": first.pk, "note": "下季度继续"},
        {"action_item_id": second.pk, "note": "等法务"},
    ]
    first.refresh_from_db()
    assert first.status == "open"  # carried over means kept open


def test_closing_from_the_page_carries_ticked_items_and_shows_them(org_tree):
    plan, (first, second) = plan_at_act(org_tree)
    action_item_set_status(item=second, status="done", actor=org_tree.user("rep_east1b"))
    manager = org_tree.client("manager_east1")
    page = manager.get(f"/targets/pdca/{plan.pk}/").content.decode()
    assert f'name="carry_{first.pk}"' in page and f'name="carry_{second.pk}"' not in page
    # not ticked: refused, the page names the open item
    response = manager.post(f"/targets/pdca/{plan.pk}/advance/", {"lesson": LESSON})
    assert response.status_code == 400 and "约定还款计划" in response.content.decode()
    # ticked without a note: refused
    response = manager.post(
        f"/targets/pdca/{plan.pk}/advance/", {"lesson": LESSON, f"carry_{first.pk}": "on"}
    )
    assert response.status_code == 400
    response = manager.post(
        f"/targets/pdca/{plan.pk}/advance/",
        {"lesson": LESSON, f"carry_{first.pk}": "on", f"note_{first.pk}": "转入第二季度计划"},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PdcaStatus.CLOSED
    page = org_tree.client("rep_east1a").get(f"/targets/pdca/{plan.pk}/").content.decode()
    assert 'id="pdca-carried-over"' in page
    carried = page.split('id="pdca-carried-over"')[1]
    assert "约定还款计划" in carried and "转入第二季度计划" in carried
    assert "修订合同条款" not in carried
