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
    assert body["rating"] in {"AAA", "AA", "A", "B", "C"} and "sales_trend" in body["factors"]
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
    assert fields == {"cause_category", "explanation"}
    response = post(
        rep,
        "/root-cause-completions",
        {
            "root_cause_id": cause.pk,
            "cause_category": "payment",
            "explanation": "资金紧张",
            "action_plan": "分期回款",
        },
    )
    assert response.status_code == 200 and response.json()["status"] == "submitted"
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
    assert manager.get("/api/v1/root-causes", {"status": "accepted"}).json()["count"] == 1


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
    assert (
        response.status_code == 200
        and response.json()["decided_by_id"] == org_tree.user("manager_east1").pk
    )
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
