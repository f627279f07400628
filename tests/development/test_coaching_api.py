"""The coaching API: scoped reads, writes through the services, 400 naming the field."""

import pytest
from django.apps import apps
from django.test import Client
from django.utils import timezone

from salesorg.api.models import ApiToken
from salesorg.development.models import PersonnelReview, TrainingProposal
from tests.factories import CustomerFactory, PositionFactory, VisitFactory
from tests.scope_oracle import ROLES, visible_objects

READS = [
    ("/api/v1/coaching-sessions", "development.CoachingSession"),
    ("/api/v1/joint-visit-reviews", "development.JointVisitReview"),
    ("/api/v1/training-proposals", "development.TrainingProposal"),
    ("/api/v1/personnel-reviews", "development.PersonnelReview"),
    ("/api/v1/rubrics", "development.Rubric"),
]


def _bearer(org_tree, role) -> Client:
    if role == "rep_former":  # a leaver's token is refused outright: check their session
        return org_tree.client(role)
    _token, raw = ApiToken.objects.issue(user=org_tree.user(role))
    return Client(headers={"authorization": f"Bearer {raw}"})


@pytest.mark.parametrize("role", ROLES)
def test_reads_show_exactly_the_oracles_scope(org_tree, org_records, role):
    client = _bearer(org_tree, role)
    for url, label in READS:
        model = apps.get_model(label)
        allowed = visible_objects(model, role)
        body = client.get(url, {"page_size": 500}).json()
        assert body["count"] == len(allowed), (role, url)
        assert {item["id"] for item in body["items"]} == {obj.pk for obj in allowed}
        for obj in model.objects.all():
            expected = 200 if obj in allowed else 404
            assert client.get(f"{url}/{obj.pk}").status_code == expected, (role, url, obj)


def test_a_manager_records_a_session_with_items_over_the_api(org_tree):
    rep = org_tree.people["rep_east1a"]
    client = _bearer(org_tree, "manager_east1")
    response = client.post(
        "/api/v1/coaching-sessions",
        {
            "person_id": rep.pk,
            "session_date": "2026-01-10",
            "improvement_plan": "Plan the week",
            "action_items": [
                {"title": "First", "due_date": "2026-01-20"},
                {"title": "Second", "due_date": "2026-01-21"},
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert sorted(item["title"] for item in body["action_items"]) == ["First", "Second"]
    rep_view = _bearer(org_tree, "rep_east1a").get(f"/api/v1/coaching-sessions/{body['id']}")
    assert rep_view.status_code == 200
    assert (
        _bearer(org_tree, "rep_east1b").get(f"/api/v1/coaching-sessions/{body['id']}").status_code
        == 404
    )


def test_errors_name_the_field(org_tree):
    client = _bearer(org_tree, "manager_east1")
    outside = org_tree.people["rep_north1a"]
    response = client.post(
        "/api/v1/coaching-sessions",
        {"person_id": outside.pk, "session_date": "2026-01-10", "improvement_plan": "x"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["detail"][0]["loc"] == ["body", "person_id"]
    rep = org_tree.people["rep_east1a"]
    response = client.post(
        "/api/v1/coaching-sessions",
        {"person_id": rep.pk, "session_date": "2026-01-10"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["detail"][0]["loc"] == ["body", "improvement_plan"]
    response = client.post(
        "/api/v1/personnel-reviews",
        {"person_id": rep.pk, "stage": "Probation", "outcome": "promote"},
        content_type="application/json",
    )
    assert response.status_code == 400
    fields = {item["loc"][1] for item in response.json()["detail"]}
    assert {"new_position_id", "effective_date"} <= fields


def test_a_joint_visit_review_over_the_api(org_tree):
    rep = org_tree.people["rep_east1a"]
    visit = VisitFactory(
        customer=CustomerFactory(owner=rep),
        rep=rep,
        kind="joint",
        coach=org_tree.people["manager_east1"],
    )
    codes = [
        c["code"]
        for c in _bearer(org_tree, "rep_east1a")
        .get("/api/v1/rubrics")
        .json()["items"][0]["criteria"]
    ]
    response = _bearer(org_tree, "manager_east1").post(
        "/api/v1/joint-visit-reviews",
        {"visit_id": visit.pk, "scores": {code: 4 for code in codes}, "improvements": "Close"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["average_score"] == "4.00"
    assert len(response.json()["scores"]) == 7


def test_proposal_and_personnel_decisions_over_the_api(org_tree, org_records):
    manager, head = _bearer(org_tree, "manager_east1"), _bearer(org_tree, "head_east")
    proposal = org_records.extra["proposals"]["rep_east1a"]
    response = manager.post(
        "/api/v1/training-proposal-decisions",
        {"proposal_id": proposal.pk, "decision": "dismiss"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "dismissed"
    again = manager.post(
        "/api/v1/training-proposal-decisions",
        {"proposal_id": proposal.pk, "decision": "accept"},
        content_type="application/json",
    )
    assert again.status_code == 400
    assert TrainingProposal.objects.get(pk=proposal.pk).status == "dismissed"
    hidden = org_records.extra["proposals"]["rep_north1a"]
    response = manager.post(
        "/api/v1/training-proposal-decisions",
        {"proposal_id": hidden.pk, "decision": "dismiss"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["detail"][0]["loc"] == ["body", "proposal_id"]

    senior = PositionFactory(code="SENIOR")
    filed = manager.post(
        "/api/v1/personnel-reviews",
        {
            "person_id": org_tree.people["rep_east1b"].pk,
            "stage": "Probation",
            "outcome": "promote",
            "new_position_id": senior.pk,
            "effective_date": timezone.localdate().isoformat(),
        },
        content_type="application/json",
    )
    assert filed.status_code == 201, filed.content
    review_id = filed.json()["id"]
    refused = manager.post(
        "/api/v1/personnel-review-decisions",
        {"review_id": review_id, "decision": "approve"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    approved = head.post(
        "/api/v1/personnel-review-decisions",
        {"review_id": review_id, "decision": "approve"},
        content_type="application/json",
    )
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    org_tree.people["rep_east1b"].refresh_from_db()
    assert org_tree.people["rep_east1b"].position == senior
    assert PersonnelReview.objects.get(pk=review_id).decided_by == org_tree.people["head_east"]


def test_evaluate_over_the_api_needs_a_period(org_tree):
    client = _bearer(org_tree, "manager_east1")
    assert (
        client.post(
            "/api/v1/training-proposal-evaluations", {}, content_type="application/json"
        ).status_code
        == 422
    )
    response = client.post(
        "/api/v1/training-proposal-evaluations",
        {"start": "2026-02-01", "end": "2026-02-28"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json() == []
