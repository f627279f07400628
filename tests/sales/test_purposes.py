"""Visit purposes and their checklists edited by the managers of the standards (S2): versions
that keep old visits' steps as asked, pages, API, refusals."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from salesorg.sales import services
from salesorg.sales.models import ChecklistStep, Visit, VisitPurpose
from salesorg.sales.services.purposes import StepData, purpose_delete, purpose_save
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _purpose(actor, steps=(("核对应收账款", True), ("顺便问候", False))) -> VisitPurpose:
    return purpose_save(
        purpose=VisitPurpose(code="COLLECT", name="回款跟进"),
        steps=[StepData(text=text, required=required) for text, required in steps],
        actor=actor,
    )


def _visit_answering(purpose, rep, *, done=True, reason="") -> Visit:
    checks = [
        services.StepCheck(step_id=step.pk, done=done, skip_reason=reason)
        for step in purpose.steps.filter(active=True)
    ]
    visit = Visit(
        rep=rep,
        customer=CustomerFactory(owner=rep),
        visit_date=date(2026, 1, 5),
        purpose_type=purpose,
    )
    return services.visit_save(visit=visit, checklist=checks, actor=rep.user)


def _steps_as_kept(purpose) -> list[StepData]:
    return [
        StepData(text=s.text, required=s.required, step_id=s.pk)
        for s in purpose.steps.filter(active=True).order_by("position")
    ]


# --- versions -----------------------------------------------------------------------------------


def test_editing_a_step_makes_a_new_version_and_the_old_visit_keeps_the_old_text(org_tree):
    director, rep = org_tree.user("director"), org_tree.people["rep_east1a"]
    purpose = _purpose(director)
    assert purpose.version == 1
    old_visit = _visit_answering(purpose, rep)
    first = purpose.steps.order_by("position").first()

    steps = _steps_as_kept(purpose)
    steps[0] = StepData(text="核对应收账款与发票", required=True, step_id=first.pk)
    purpose_save(purpose=purpose, steps=steps, actor=director)

    purpose.refresh_from_db()
    assert purpose.version == 2
    answered = old_visit.steps.order_by("position").first()
    assert (answered.label, answered.purpose_version) == ("核对应收账款", 1)
    page = org_tree.client("rep_east1a").get(old_visit.get_absolute_url()).content.decode()
    assert "核对应收账款" in page and "核对应收账款与发票" not in page
    new_visit = _visit_answering(purpose, rep)
    assert new_visit.steps.order_by("position").first().label == "核对应收账款与发票"


def test_saving_the_same_checklist_keeps_the_version(org_tree):
    director = org_tree.user("director")
    purpose = _purpose(director)
    purpose.name_en = "Collection follow-up"
    purpose_save(purpose=purpose, steps=_steps_as_kept(purpose), actor=director)
    assert VisitPurpose.objects.get().version == 1


def test_reordering_adding_and_removing_steps_each_make_a_version(org_tree):
    director, rep = org_tree.user("director"), org_tree.people["rep_east1a"]
    purpose = _purpose(director)
    _visit_answering(purpose, rep)
    steps = _steps_as_kept(purpose)
    purpose_save(purpose=purpose, steps=list(reversed(steps)), actor=director)
    assert [s.text for s in purpose.steps.filter(active=True).order_by("position")] == [
        "顺便问候",
        "核对应收账款",
    ]
    assert purpose.version == 2
    purpose_save(purpose=purpose, steps=[*steps, StepData(text="请客户签字")], actor=director)
    assert purpose.version == 3
    purpose_save(purpose=purpose, steps=steps[:1], actor=director)
    assert purpose.version == 4
    # answered by a visit: kept for it, no longer asked
    removed = ChecklistStep.objects.get(text="顺便问候")
    assert not removed.active
    assert not ChecklistStep.objects.filter(text="请客户签字").exists()  # never answered


def test_an_old_visit_edited_keeps_its_answers_as_asked(org_tree):
    director, rep = org_tree.user("director"), org_tree.people["rep_east1a"]
    purpose = _purpose(director)
    visit = _visit_answering(purpose, rep, done=False, reason="客户财务不在")
    purpose_save(purpose=purpose, steps=[StepData(text="新步骤")], actor=director)
    client = org_tree.client("rep_east1a")
    form = client.get(f"/sales/visits/{visit.pk}/edit/").content.decode()
    assert "核对应收账款" in form and "新步骤" not in form
    visit.outcome = "改了结果"
    services.visit_save(visit=visit, checklist=[], actor=rep.user)
    assert [s.text for s in visit.steps.order_by("position")] == ["核对应收账款", "顺便问候"]


def test_a_deactivated_purpose_is_not_offered_but_its_visits_keep_it(org_tree):
    director, rep = org_tree.user("director"), org_tree.people["rep_east1a"]
    purpose = _purpose(director)
    visit = _visit_answering(purpose, rep)
    response = org_tree.client("director").post(
        f"/sales/purposes/{purpose.pk}/edit/", {"toggle": "1"}
    )
    assert response.status_code == 302
    purpose.refresh_from_db()
    assert not purpose.active
    form = org_tree.client("rep_east1a").get("/sales/visits/log/").content.decode()
    assert "回款跟进" not in form
    with pytest.raises(ValidationError) as excinfo:
        _visit_answering(purpose, rep)
    assert "purpose_type" in excinfo.value.message_dict
    visit.outcome = "补记"
    services.visit_save(visit=visit, actor=rep.user)  # its own purpose stays


def test_a_used_purpose_cannot_be_deleted(org_tree):
    director, rep = org_tree.user("director"), org_tree.people["rep_east1a"]
    purpose = _purpose(director)
    _visit_answering(purpose, rep)
    with pytest.raises(ValidationError) as excinfo:
        purpose_delete(visit_purpose=purpose, actor=director)
    assert "active" in excinfo.value.message_dict


def test_steps_are_validated_naming_the_field(org_tree):
    director = org_tree.user("director")
    with pytest.raises(ValidationError) as excinfo:
        _purpose(director, steps=(("核对", True), ("核对", False), ("  ", True)))
    messages = excinfo.value.message_dict["steps"]
    assert len(messages) == 2 and not VisitPurpose.objects.exists()


def test_only_the_managers_of_the_standards_write_purposes(org_tree):
    for key in ("manager_east1", "head_east", "rep_east1a", "finance", "trainer"):
        with pytest.raises(PermissionDenied):
            _purpose(org_tree.user(key))
    assert _purpose(org_tree.user("admin")).pk


# --- pages --------------------------------------------------------------------------------------


def _form_post(code="FIRST", name="初次拜访", steps=(), **extra) -> dict:
    data = {
        "code": code,
        "name": name,
        "name_en": "",
        "form-TOTAL_FORMS": str(len(steps)),
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for number, (text, required, order) in enumerate(steps):
        data[f"form-{number}-text"] = text
        data[f"form-{number}-ORDER"] = str(order)
        if required:
            data[f"form-{number}-required"] = "on"
    data.update(extra)
    return data


def test_the_director_adds_a_purpose_with_ordered_steps_on_the_page(org_tree):
    client = org_tree.client("director")
    assert client.get("/sales/purposes/add/").status_code == 200
    response = client.post(
        "/sales/purposes/add/",
        _form_post(steps=[("介绍公司", True, 2), ("确认决策人", True, 1), ("约定下次", False, 3)]),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    purpose = VisitPurpose.objects.get(code="FIRST")
    steps = purpose.steps.order_by("position")
    assert [(s.text, s.required) for s in steps] == [
        ("确认决策人", True),
        ("介绍公司", True),
        ("约定下次", False),
    ]
    listing = client.get("/sales/purposes/").content.decode()
    assert "初次拜访" in listing and "Deactivate" in listing


def test_a_bad_purpose_form_is_shown_again_with_the_message(org_tree):
    client = org_tree.client("director")
    _purpose(org_tree.user("director"))
    response = client.post(
        "/sales/purposes/add/", _form_post(code="COLLECT", steps=[("重复", True, 1)])
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    response = client.post(
        "/sales/purposes/add/", _form_post(steps=[("重复", True, 1), ("重复", True, 2)])
    )
    assert response.status_code == 200 and "repeats" in response.content.decode()


def test_others_read_the_purposes_but_may_not_edit_them(org_tree):
    purpose = _purpose(org_tree.user("director"))
    for key in ("manager_east1", "rep_east1a", "head_north"):
        client = org_tree.client(key)
        listing = client.get("/sales/purposes/")
        assert listing.status_code == 200 and "Deactivate" not in listing.content.decode()
        assert client.get(f"/sales/purposes/{purpose.pk}/edit/").status_code == 403
        assert client.post("/sales/purposes/add/", _form_post()).status_code == 403
        assert (
            client.post(f"/sales/purposes/{purpose.pk}/edit/", {"toggle": "1"}).status_code == 403
        )
    assert VisitPurpose.objects.get().active and VisitPurpose.objects.count() == 1


def test_the_purpose_list_has_a_query_budget(org_tree, django_assert_max_num_queries):
    director = org_tree.user("director")
    for number in range(6):
        purpose_save(
            purpose=VisitPurpose(code=f"P{number}", name=f"目的{number}"),
            steps=[StepData(text="一"), StepData(text="二", required=False)],
            actor=director,
        )
    client = org_tree.client("director")
    with django_assert_max_num_queries(12):
        page = client.get("/sales/purposes/")
    assert page.content.decode().count(">Deactivate<") == 6


# --- API ----------------------------------------------------------------------------------------


def test_api_crud_of_a_purpose_and_its_steps(org_tree):
    client = org_tree.client("director")
    created = client.post(
        "/api/v1/visit-purposes",
        {
            "code": "SERVICE",
            "name": "售后服务",
            "steps": [{"text": "了解使用情况"}, {"text": "发现新需求", "required": False}],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["version"] == 1 and [s["text"] for s in body["steps"]] == [
        "了解使用情况",
        "发现新需求",
    ]
    first = body["steps"][0]
    patched = client.patch(
        f"/api/v1/visit-purposes/{body['id']}",
        {"steps": [{"id": first["id"], "text": "了解产品使用情况"}]},
        content_type="application/json",
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["version"] == 2 and len(patched.json()["steps"]) == 1
    listed = org_tree.client("rep_east1a").get("/api/v1/visit-purposes").json()
    assert [p["code"] for p in listed["items"]] == ["SERVICE"]
    assert client.delete(f"/api/v1/visit-purposes/{body['id']}").status_code == 204
    assert not VisitPurpose.objects.exists()


def test_api_refuses_bad_steps_and_non_managers(org_tree):
    client = org_tree.client("director")
    response = client.post(
        "/api/v1/visit-purposes",
        {"code": "X", "name": "某目的", "steps": [{"text": "  "}]},
        content_type="application/json",
    )
    assert response.status_code in (400, 422)
    assert "steps" in response.content.decode()
    purpose = _purpose(org_tree.user("director"))
    other = purpose_save(
        purpose=VisitPurpose(code="Y", name="另一目的"), actor=org_tree.user("admin")
    )
    response = client.patch(
        f"/api/v1/visit-purposes/{other.pk}",
        {"steps": [{"id": purpose.steps.first().pk, "text": "借用别的步骤"}]},
        content_type="application/json",
    )
    assert response.status_code == 400 and "steps" in response.content.decode()
    manager = org_tree.client("manager_east1")
    refused = manager.post(
        "/api/v1/visit-purposes", {"code": "Z", "name": "经理的"}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert manager.delete(f"/api/v1/visit-purposes/{purpose.pk}").status_code == 403


def test_api_delete_of_a_used_purpose_answers_400_naming_active(org_tree):
    purpose = _purpose(org_tree.user("director"))
    _visit_answering(purpose, org_tree.people["rep_east1a"])
    response = org_tree.client("director").delete(f"/api/v1/visit-purposes/{purpose.pk}")
    assert response.status_code == 400 and "active" in response.content.decode()


def test_api_visit_shows_the_step_as_asked(org_tree):
    director, rep = org_tree.user("director"), org_tree.people["rep_east1a"]
    purpose = _purpose(director)
    visit = _visit_answering(purpose, rep)
    purpose_save(purpose=purpose, steps=[StepData(text="新步骤")], actor=director)
    body = org_tree.client("rep_east1a").get(f"/api/v1/visits/{visit.pk}").json()
    assert [(c["text"], c["purpose_version"]) for c in body["checklist"]] == [
        ("核对应收账款", 1),
        ("顺便问候", 1),
    ]


def test_admin_shows_checklists_read_only(org_tree, admin_client):
    purpose = _purpose(org_tree.user("director"))
    page = admin_client.get(f"/admin/sales/visitpurpose/{purpose.pk}/change/")
    assert page.status_code == 200 and "核对应收账款" in page.content.decode()
    step = purpose.steps.first()
    assert (
        admin_client.post(
            f"/admin/sales/checkliststep/{step.pk}/change/", {"text": "改掉"}
        ).status_code
        == 403
    )
    step.refresh_from_db()
    assert step.text == "核对应收账款"
