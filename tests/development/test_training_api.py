"""The training and culture API: scoped reads and writes for every role (the matrix of
tests/org/test_scoping.py restricted to these operations), quizzes, 400 naming the field."""

from datetime import date

import pytest

from salesorg.api.models import ApiToken
from salesorg.development.models import Assignment, Material
from salesorg.development.selectors.training import quiz_questions
from tests.org.test_scoping import api_operations
from tests.scope_oracle import ROLES, visible_objects, writable_objects

pytestmark = pytest.mark.django_db

PREFIXES = ("/api/v1/training/", "/api/v1/culture")


def _client(org_tree, role):
    from django.test import Client

    if role == "rep_former":  # a leaver's token is refused outright: check their session
        return org_tree.client(role)
    _token, raw = ApiToken.objects.issue(user=org_tree.user(role))
    return Client(headers={"authorization": f"Bearer {raw}"})


def _operations():
    return [op for op in api_operations() if op[1].startswith(PREFIXES)]


def test_the_operations_are_in_the_matrix():
    paths = {path for _method, path, _model in _operations()}
    assert "/api/v1/training/materials" in paths
    assert "/api/v1/training/assignments/{pk}/complete" in paths
    assert "/api/v1/culture/recognitions" in paths


@pytest.mark.parametrize("role", ROLES)
def test_reads_show_in_scope_and_hide_the_rest(org_tree, org_records, role):
    client = _client(org_tree, role)
    for method, path, model in _operations():
        if method != "get":
            continue
        allowed = visible_objects(model, role)
        if "{pk}" in path:
            for obj in model.objects.all():
                response = client.get(path.replace("{pk}", str(obj.pk)))
                assert response.status_code == (200 if obj in allowed else 404), (role, path)
        else:
            body = client.get(path, {"page": 1}).json()
            assert body["count"] == len(allowed), (role, path)
            assert {item["id"] for item in body["items"]} == {obj.pk for obj in allowed}


@pytest.mark.parametrize("role", ROLES)
def test_writes_answer_403_or_404_without_the_right(org_tree, org_records, role):
    client = _client(org_tree, role)
    for method, path, model in _operations():
        if method == "get":
            continue
        allowed = visible_objects(model, role)
        writable = writable_objects(model, role)
        if "{pk}" in path:
            for obj in model.objects.all():
                if obj in writable and method == "delete":
                    continue
                expected = 200 if obj in writable else (403 if obj in allowed else 404)
                response = getattr(client, method)(
                    path.replace("{pk}", str(obj.pk)), {}, content_type="application/json"
                )
                assert response.status_code == expected, (role, method, path, response.content)
        else:
            response = client.post(path, {}, content_type="application/json")
            assert response.status_code in (403, 422), (role, path)


def test_quiz_questions_are_served_without_their_answers(org_tree, org_records):
    material = org_records.extra["materials"][0]
    body = _client(org_tree, "rep_east1a").get(f"/api/v1/training/materials/{material.pk}").json()
    assert body["questions"][0]["options"][0].keys() == {"id", "text"}


def test_taking_the_quiz_through_the_api_scores_it_on_the_server(org_tree, org_records):
    assignment = org_records.extra["assignments"]["rep_east1a"]
    question = quiz_questions(material=assignment.material)[0]
    wrong = [o.id for o in question.options.all() if not o.is_correct]
    right = [o.id for o in question.options.all() if o.is_correct]
    client = _client(org_tree, "rep_east1a")
    url = f"/api/v1/training/assignments/{assignment.pk}/complete"
    failed = client.post(
        url, {"answers": [{"question_id": question.id, "option_ids": wrong}]}, "application/json"
    ).json()
    assert (failed["status"], failed["quiz_score"], failed["passed"]) == ("assigned", 0, False)
    passed = client.post(
        url, {"answers": [{"question_id": question.id, "option_ids": right}]}, "application/json"
    ).json()
    assert (passed["status"], passed["quiz_score"], passed["passed"]) == ("completed", 100, True)
    again = client.post(url, {}, "application/json")
    assert again.status_code == 400 and again.json()["detail"][0]["loc"] == ["body", "status"]


def test_assigning_twice_answers_400_naming_the_field(org_tree, org_records):
    material = org_records.extra["materials"][0]
    rep = org_tree.people["rep_east1a"]
    client = _client(org_tree, "manager_east1")
    payload = {"person_id": rep.pk, "material_id": material.pk, "due_date": "2026-12-31"}
    response = client.post("/api/v1/training/assignments", payload, "application/json")
    assert response.status_code == 400
    assert response.json()["detail"][0]["loc"] == ["body", "material_id"]
    other = client.post(
        "/api/v1/training/assignments",
        {**payload, "person_id": org_tree.people["rep_north1a"].pk},
        "application/json",
    )
    assert other.status_code == 400 and other.json()["detail"][0]["loc"] == ["body", "person_id"]


def test_a_manager_assigns_through_the_api(org_tree, org_records):
    material = Material.objects.create(code="MAT-NEW", title="新课程", topic="collections")
    rep = org_tree.people["rep_east1b"]
    response = _client(org_tree, "manager_east1").post(
        "/api/v1/training/assignments",
        {"person_id": rep.pk, "material_id": material.pk, "due_date": "2026-12-31"},
        "application/json",
    )
    assert response.status_code == 201
    assert Assignment.objects.get(pk=response.json()["id"]).assigned_by.code == "MGR-east1"


def test_a_trainer_creates_a_material_with_a_quiz_and_a_rep_may_not(org_tree):
    payload = {
        "title": "区域规划",
        "topic": "territory_planning",
        "questions": [
            {"text": "目的？", "options": [{"text": "效率", "is_correct": True}, {"text": "无"}]}
        ],
    }
    created = _client(org_tree, "trainer").post(
        "/api/v1/training/materials", payload, "application/json"
    )
    assert created.status_code == 201 and len(created.json()["questions"]) == 1
    refused = _client(org_tree, "rep_east1a").post(
        "/api/v1/training/materials", payload, "application/json"
    )
    assert refused.status_code == 403
    bad = _client(org_tree, "trainer").post(
        "/api/v1/training/materials",
        {**payload, "questions": [{"text": "?", "options": [{"text": "only"}]}]},
        "application/json",
    )
    assert bad.status_code == 400 and bad.json()["detail"][0]["loc"] == ["body", "questions"]


def test_recognition_posts_through_the_api(org_tree, org_records):
    rep = org_tree.people["rep_east1a"]
    client = _client(org_tree, "manager_east1")
    response = client.post(
        "/api/v1/culture/recognitions",
        {"person_id": rep.pk, "title": "好", "order_id": org_records.orders["rep_north1a"].pk},
        "application/json",
    )
    assert response.status_code == 400
    assert response.json()["detail"][0]["loc"] == ["body", "order_id"]
    ok = client.post(
        "/api/v1/culture/recognitions",
        {"person_id": rep.pk, "title": "好", "order_id": org_records.orders["rep_east1a"].pk},
        "application/json",
    )
    assert ok.status_code == 201 and ok.json()["team_id"] == org_tree.teams["east1"].pk


def test_the_culture_page_through_the_api(org_tree):
    put = _client(org_tree, "director").put(
        "/api/v1/culture", {"vision": "远景", "values": "价值观"}, "application/json"
    )
    assert put.status_code == 200
    assert _client(org_tree, "rep_east1a").get("/api/v1/culture").json()["vision"] == "远景"
    refused = _client(org_tree, "manager_east1").put(
        "/api/v1/culture", {"vision": "x"}, "application/json"
    )
    assert refused.status_code == 403
    assert _client(org_tree, "rep_former").get("/api/v1/culture").status_code in (401, 403)


def test_assignment_list_filters_overdue(org_tree, org_records):
    body = (
        _client(org_tree, "trainer").get("/api/v1/training/assignments", {"overdue": True}).json()
    )
    due = date(2026, 1, 31)
    assert body["count"] == (8 if due < date.today() else 0)
