"""API of evaluations, root causes, credit approvals, proposals and pipeline items."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from salesorg.api.models import ApiToken
from salesorg.customers.models import (
    CreditApproval,
    CustomerEvaluation,
    PipelineStage,
    PipelineStep,
    RootCause,
)
from tests.factories import CustomerFactory, InvoiceFactory, ProductFactory

pytestmark = pytest.mark.django_db


def api(org_tree, key) -> Client:
    _token, raw = ApiToken.objects.issue(user=org_tree.user(key))
    return Client(headers={"authorization": f"Bearer {raw}"})


def post(client, path, data):
    return client.post(f"/api/v1{path}", data, content_type="application/json")


def test_evaluate_list_get_and_scope(org_tree):
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"])
    manager = api(org_tree, "manager_east1")
    response = post(manager, "/evaluations", {"customer_id": customer.pk})
    assert response.status_code == 201, response.content
    body = response.json()
    # a customer without any history is unrated, suggested the new-customer limit
    assert (body["rating"], body["rating_rule"]) == ("unrated", "new_customer")
    assert body["suggested_credit_limit"] == "50000.00" and "sales_trend" in body["factors"]
    assert (
        post(api(org_tree, "rep_east1a"), "/evaluations", {"customer_id": customer.pk}).status_code
        == 403
    )
    assert (
        post(
            api(org_tree, "manager_north1"), "/evaluations", {"customer_id": customer.pk}
        ).status_code
        == 404
    )
    listing = api(org_tree, "rep_east1a").get("/api/v1/evaluations").json()
    assert listing["count"] == 1
    assert api(org_tree, "rep_north1a").get("/api/v1/evaluations").json()["count"] == 0
    pk = body["id"]
    assert api(org_tree, "rep_north1a").get(f"/api/v1/evaluations/{pk}").status_code == 404


def test_root_cause_complete_and_review(org_tree):
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"])
    evaluation = CustomerEvaluation.objects.create(
        customer=customer,
        as_of=date(2026, 6, 30),
        score="40.0",
        rating="B",
        previous_rating="A",
        suggested_credit_limit="0",
    )
    cause = RootCause.objects.create(
        evaluation=evaluation,
        customer=customer,
        owner=customer.owner,
        reviewer=org_tree.people["manager_east1"],
        from_rating="A",
        to_rating="B",
    )
    rep = api(org_tree, "rep_east1a")
    response = post(
        rep,
        "/root-cause-completions",
        {
            "root_cause_id": cause.pk,
            "cause_category": "nonsense",
            "explanation": "",
            "action_plan": "x",
        },
    )
    assert response.status_code == 400
    fields = {item["loc"][-1] for item in response.json()["detail"]}
    assert fields == {"cause_category", "explanation", "action_items"}
    due = (timezone.localdate() + timedelta(days=14)).isoformat()
    response = post(
        rep,
        "/root-cause-completions",
        {
            "root_cause_id": cause.pk,
            "cause_category": "payment",
            "explanation": "资金紧张",
            "action_plan": "分期回款",
            "action_items": [{"title": "签订分期回款协议", "due_date": due}],
        },
    )
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    assert [
        (i["title"], i["owner_id"], i["due_date"]) for i in response.json()["action_items"]
    ] == [("签订分期回款协议", customer.owner_id, due)]
    assert (
        post(
            rep, "/root-cause-reviews", {"root_cause_id": cause.pk, "decision": "accept"}
        ).status_code
        == 403
    )
    manager = api(org_tree, "manager_east1")
    response = post(
        manager, "/root-cause-reviews", {"root_cause_id": cause.pk, "decision": "return"}
    )
    assert response.status_code == 400 and response.json()["detail"][0]["loc"][-1] == "comment"
    response = post(
        manager, "/root-cause-reviews", {"root_cause_id": cause.pk, "decision": "accept"}
    )
    assert response.json()["status"] == "accepted"
    # the reviewer is named by person id, like every other person field
    reviewer = org_tree.people["manager_east1"]
    assert response.json()["reviewed_by_id"] == reviewer.pk
    assert response.json()["reviewed_by_user_id"] == reviewer.user_id
    listing = manager.get("/api/v1/root-causes", {"status": "accepted"}).json()
    assert listing["count"] == 1 and listing["items"][0]["reviewed_by_id"] == reviewer.pk


def test_root_cause_action_items_and_recovery_through_the_api(org_tree):
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"])
    evaluation = CustomerEvaluation.objects.create(
        customer=customer,
        as_of=date(2026, 6, 30),
        score="40.0",
        rating="B",
        previous_rating="A",
        suggested_credit_limit="0",
    )
    cause = RootCause.objects.create(
        evaluation=evaluation,
        customer=customer,
        owner=customer.owner,
        from_rating="A",
        to_rating="B",
    )
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    manager = api(org_tree, "manager_east1")
    item = {"root_cause_id": cause.pk, "title": "联合拜访", "due_date": due}
    response = post(manager, "/root-cause-action-items", {**item, "owner_id": customer.owner_id})
    assert response.status_code == 201, response.content
    assert (response.json()["owner_id"], response.json()["status"]) == (customer.owner_id, "open")
    response = post(manager, "/root-cause-action-items", {**item, "owner_id": 999999})
    assert response.status_code == 400 and response.json()["detail"][0]["loc"][-1] == "owner_id"
    outsider = api(org_tree, "manager_north1")
    assert post(outsider, "/root-cause-action-items", item).status_code == 404
    later = CustomerEvaluation.objects.create(
        customer=customer,
        as_of=date(2026, 9, 30),
        score="60.0",
        rating="A",
        previous_rating="B",
        suggested_credit_limit="0",
    )
    RootCause.objects.filter(pk=cause.pk).update(recovery_evaluation=later, recovered=True)
    body = manager.get(f"/api/v1/root-causes/{cause.pk}").json()
    assert (body["recovered"], body["recovery_as_of"], body["recovery_rating"]) == (
        True,
        "2026-09-30",
        "A",
    )
    assert [i["title"] for i in body["action_items"]] == ["联合拜访"]


def test_order_credit_approval_through_the_api(org_tree):
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"], credit_limit=Decimal("100"))
    today = timezone.localdate()
    InvoiceFactory(
        customer=customer,
        invoice_date=today - timedelta(days=5),
        due_date=today + timedelta(days=25),
        amount=Decimal("90.00"),
    )
    manager = api(org_tree, "manager_east1")
    order = post(
        manager,
        "/orders",
        {
            "customer_id": customer.pk,
            "rep_id": customer.owner_id,
            "order_date": today.isoformat(),
        },
    ).json()
    line = post(
        manager,
        "/order-lines",
        {
            "order_id": order["id"],
            "line_no": 1,
            "product_id": ProductFactory().pk,
            "quantity": "1",
            "amount": "20.00",
            "cost": "10.00",
        },
    )
    assert line.status_code == 201, line.content
    assert manager.get(f"/api/v1/orders/{order['id']}").json()["status"] == "awaiting_credit"
    approval = CreditApproval.objects.get(order_id=order["id"])
    listing = manager.get("/api/v1/credit-approvals", {"status": "pending"}).json()
    assert [item["id"] for item in listing["items"]] == [approval.pk]
    response = post(
        manager, "/credit-decisions", {"approval_id": approval.pk, "decision": "approve"}
    )
    # people are named by person id; the login ids stay under *_user_id
    decider = org_tree.people["manager_east1"]
    body = response.json()
    assert response.status_code == 200
    assert (body["requested_by_id"], body["decided_by_id"]) == (decider.pk, decider.pk)
    assert (body["requested_by_user_id"], body["decided_by_user_id"]) == (
        decider.user_id,
        decider.user_id,
    )
    listing = manager.get("/api/v1/credit-approvals", {"status": "approved"}).json()
    assert listing["items"][0]["decided_by_id"] == decider.pk
    assert manager.get(f"/api/v1/orders/{order['id']}").json()["status"] == "confirmed"
    response = post(
        manager, "/credit-decisions", {"approval_id": approval.pk, "decision": "approve"}
    )
    assert response.status_code == 400 and response.json()["detail"][0]["loc"][-1] == "status"


def test_proposal_and_pipeline_through_the_api(org_tree):
    stage = PipelineStage.objects.create(name="接触", position=1)
    step = PipelineStep.objects.create(stage=stage, position=1, text="拜访决策人")
    PipelineStage.objects.create(name="方案", position=2)
    rep, manager = api(org_tree, "rep_east1a"), api(org_tree, "manager_east1")
    payload = {
        "prospect_name": "新客户",
        "market_analysis": "m",
        "competitor_analysis": "c",
        "planned_approach": "p",
        "expected_sales": "1000.00",
        "expected_margin": "2000.00",
    }
    response = post(rep, "/proposals", payload)
    assert (
        response.status_code == 400 and response.json()["detail"][0]["loc"][-1] == "expected_margin"
    )
    proposal = post(rep, "/proposals", {**payload, "expected_margin": "300.00"}).json()
    assert proposal["status"] == "submitted"
    response = post(
        manager, "/proposal-decisions", {"proposal_id": proposal["id"], "decision": "approve"}
    )
    assert response.json()["status"] == "approved"
    item = rep.get("/api/v1/pipeline-items").json()["items"][0]
    assert item["stage_id"] == stage.pk
    response = post(rep, "/pipeline-advances", {"item_id": item["id"]})
    assert response.status_code == 400 and response.json()["detail"][0]["loc"][-1] == "stage"
    response = post(rep, "/pipeline-step-checks", {"item_id": item["id"], "step_id": step.pk})
    assert response.json()["done_step_ids"] == [step.pk]
    assert post(rep, "/pipeline-advances", {"item_id": item["id"]}).json()["stage_id"] != stage.pk
    response = post(rep, "/pipeline-closures", {"item_id": item["id"], "outcome": "lost"})
    assert response.status_code == 400 and response.json()["detail"][0]["loc"][-1] == "lost_reason"
    response = post(
        rep, "/pipeline-closures", {"item_id": item["id"], "outcome": "lost", "lost_reason": "价格"}
    )
    assert response.json()["status"] == "lost"
    assert (
        post(api(org_tree, "rep_east1b"), "/pipeline-advances", {"item_id": item["id"]}).status_code
        == 404
    )


def test_an_evaluation_says_what_changed_since_the_previous_through_the_api(org_tree):
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"])
    common = {"customer": customer, "score": "50.0", "suggested_credit_limit": "0"}
    earlier = CustomerEvaluation.objects.create(
        as_of=date(2026, 3, 31),
        rating="AA",
        factors={"visits": {"value": "4", "points": "6.7"}},
        **common,
    )
    later = CustomerEvaluation.objects.create(
        as_of=date(2026, 6, 30),
        rating="B",
        previous_rating="AA",
        factors={"visits": {"value": "1", "points": "1.7"}},
        **common,
    )
    body = api(org_tree, "rep_east1a").get(f"/api/v1/evaluations/{later.pk}").json()
    assert body["previous_evaluation_id"] == earlier.pk
    visits = next(row for row in body["factor_changes"] if row["name"] == "visits")
    assert (visits["previous"], visits["current"], visits["change"]) == ("4", "1", "-3")
    assert visits["points"] == "1.7" and visits["previous_points"] == "6.7"
