"""After a save on a page the next page says what was saved, in a message the user can
close (creates, edits and status changes across the apps)."""

import re

import pytest

from salesorg.customers.models import PipelineItem, PipelineStage, PipelineStep
from salesorg.customers.services.pipeline import proposal_decide, proposal_file
from salesorg.development.models import Material
from salesorg.development.services.training import material_save
from salesorg.sales.models import Visit
from tests.factories import ContactFactory, CustomerFactory

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    """The texts of the message alerts on the page the user lands on."""
    html = response.content.decode()
    found = re.findall(r"<div class=\"alert [^\"]*\"[^>]*data-message>(.*?)<button", html, re.S)
    return [text.strip() for text in found]


def test_a_logged_visit_says_so_with_its_code_and_the_alert_can_be_closed(org_tree):
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"])
    response = org_tree.client("rep_east1a").post(
        "/sales/visits/log/",
        {"customer": customer.pk, "visit_date": "2026-01-05", "kind": "visit"},
        follow=True,
    )
    visit = Visit.objects.get()
    assert _messages(response) == [f"Visit saved: {visit.code}"]
    assert 'data-bs-dismiss="alert"' in response.content.decode()
    assert visit.code.startswith("VIS-")


def test_an_edited_visit_says_so_with_its_code(org_tree, org_records):
    visit = org_records.visits["rep_east1a"]
    response = org_tree.client("rep_east1a").post(
        f"/sales/visits/{visit.pk}/edit/",
        {
            "customer": visit.customer_id,
            "visit_date": "2026-01-06",
            "kind": "visit",
            "outcome": "谈妥",
        },
        follow=True,
    )
    assert _messages(response) == [f"Visit saved: {visit.code}"]


def test_an_edited_stakeholder_says_so(org_tree):
    contact = ContactFactory(customer=CustomerFactory(owner=org_tree.people["rep_east1a"]))
    response = org_tree.client("rep_east1a").post(
        f"/customers/contacts/{contact.pk}/edit/",
        {"name": "王经理", "expected_version": contact.version},
        follow=True,
    )
    assert _messages(response) == ["Saved."]


def test_a_new_material_says_so(org_tree):
    response = org_tree.client("trainer").post(
        "/development/training/new/",
        {
            "title": "新课程",
            "topic": "selling_skills",
            "level": "basic",
            "estimated_minutes": "20",
            "body": "正文",
            "onboarding_order": "0",
            "pass_mark": "80",
        },
        follow=True,
    )
    assert Material.objects.filter(title="新课程").exists()
    assert _messages(response) == ["Material saved: 新课程"]


def test_assigned_training_says_to_how_many_people(org_tree):
    reading = material_save(
        instance=Material(title="产品知识", topic="product_knowledge", body="# 产品"),
        actor=org_tree.user("trainer"),
    )
    people = [org_tree.people["rep_east1a"].pk, org_tree.people["rep_east1b"].pk]
    response = org_tree.client("manager_east1").post(
        "/development/training/assign/",
        {"people": people, "material": reading.pk, "due_date": "2026-12-31"},
        follow=True,
    )
    assert _messages(response) == ["产品知识 assigned to 2 people."]


def test_saved_vision_and_a_recognition_say_so(org_tree):
    response = org_tree.client("director").post(
        "/development/culture/edit/", {"vision": "远景", "values": "价值观"}, follow=True
    )
    assert _messages(response) == ["Vision and values saved."]
    rep = org_tree.people["rep_east1a"]
    response = org_tree.client("manager_east1").post(
        "/development/culture/praise/", {"person": rep.pk, "title": "回款第一"}, follow=True
    )
    assert _messages(response) == [f"Recognition posted for {rep.name}."]


def test_ticking_a_pipeline_step_says_so(org_tree):
    stage = PipelineStage.objects.create(name="接触", position=1)
    step = PipelineStep.objects.create(stage=stage, position=1, text="拜访决策人")
    rep = org_tree.user("rep_east1a")
    proposal = proposal_file(
        actor=rep,
        data={
            "prospect_name": "宏达机械",
            "market_analysis": "市场",
            "competitor_analysis": "对手",
            "planned_approach": "方案",
            "expected_sales": 500000,
            "expected_margin": 120000,
            "needed_resources": "两人天",
        },
    )
    proposal_decide(proposal=proposal, actor=org_tree.user("manager_east1"), decision="approve")
    item = PipelineItem.objects.get(proposal=proposal)
    url = f"/customers/pipeline/{item.pk}/steps/{step.pk}/"
    client = org_tree.client("rep_east1a")
    assert _messages(client.post(url, {"done": "1"}, follow=True)) == ["Step done: 拜访决策人"]
    response = client.post(url, {"done": "0"}, follow=True)
    assert _messages(response) == ["Step no longer done: 拜访决策人"]


def test_an_action_item_status_change_says_so(org_tree, org_records):
    item = org_records.action_items["rep_east1a"]
    response = org_tree.client("rep_east1a").post(
        f"/targets/actions/{item.pk}/status/", {"status": "done", "result": "完成"}, follow=True
    )
    assert _messages(response) == ["Action item updated."]


def test_the_message_is_shown_once(org_tree):
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"])
    client = org_tree.client("rep_east1a")
    client.post(
        "/sales/visits/log/", {"customer": customer.pk, "visit_date": "2026-01-05", "kind": "visit"}
    )
    assert len(_messages(client.get("/sales/visits/"))) == 1
    assert _messages(client.get("/sales/visits/")) == []
