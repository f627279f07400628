"""A visit sent from the phone's offline queue carries an idempotency key: it is saved once,
a resend answers the visit already saved, and a refusal names the field (#18 point 2)."""

import uuid

import pytest

from salesorg.sales.models import ChecklistStep, Visit, VisitPurpose
from salesorg.sales.services import visit_sync
from tests.factories import ContactFactory, CustomerFactory, VisitFactory

pytestmark = pytest.mark.django_db

SYNC = {"HTTP_X_VISIT_SYNC": "1"}


def _visit_post(customer, **extra):
    data = {"customer": customer.pk, "visit_date": "2026-01-05", "kind": "visit"}
    data.update(extra)
    return data


def test_a_resent_visit_answers_the_visit_already_saved(org_tree):
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"])
    contact = ContactFactory(customer=customer)
    client = org_tree.client("rep_east1a")
    key = str(uuid.uuid4())
    post = _visit_post(customer, contacts=[contact.pk], outcome="谈妥", client_key=key)

    first = client.post("/sales/visits/log/", post, **SYNC)
    again = client.post("/sales/visits/log/", post, **SYNC)

    visit = Visit.objects.get()
    assert first.status_code == 201 and again.status_code == 200
    assert (
        first.json()
        == again.json()
        == {
            "id": visit.pk,
            "code": visit.code,
            "url": visit.get_absolute_url(),
        }
    )
    assert str(visit.client_key) == key and list(visit.contacts.all()) == [contact]


def test_the_page_form_sent_twice_with_its_key_saves_one_visit(org_tree):
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"])
    client = org_tree.client("rep_east1a")
    post = _visit_post(customer, client_key=str(uuid.uuid4()))
    first = client.post("/sales/visits/log/", post)
    again = client.post("/sales/visits/log/", post)
    visit = Visit.objects.get()
    assert first["Location"] == again["Location"] == visit.get_absolute_url()


def test_a_resend_racing_the_first_send_meets_the_unique_key(org_tree, monkeypatch):
    """Both sends pass the first look before either has saved: the constraint decides."""
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"])
    key = uuid.uuid4()
    winner = VisitFactory(rep=org_tree.people["rep_east1a"], customer=customer, client_key=key)
    looks = []
    real = visit_sync.visit_saved_under

    def first_look_misses(**kwargs):
        looks.append(kwargs["client_key"])
        return None if len(looks) == 1 else real(**kwargs)

    monkeypatch.setattr(visit_sync, "visit_saved_under", first_look_misses)
    response = org_tree.client("rep_east1a").post(
        "/sales/visits/log/",
        _visit_post(customer, outcome="第二次", client_key=str(key)),
        **SYNC,
    )
    assert response.status_code == 200 and response.json()["id"] == winner.pk
    assert Visit.objects.count() == 1 and len(looks) == 2


def test_a_visit_to_a_customer_no_longer_the_reps_is_refused_naming_the_field(org_tree):
    customer = CustomerFactory(owner=org_tree.people["rep_north1a"])
    response = org_tree.client("rep_east1a").post(
        "/sales/visits/log/", _visit_post(customer, client_key=str(uuid.uuid4())), **SYNC
    )
    assert response.status_code == 400
    (problem,) = response.json()["detail"]
    assert problem["loc"] == ["form", "customer"] and problem["msg"]
    assert not Visit.objects.exists()


def test_a_visit_with_a_required_step_unanswered_is_refused_naming_the_step(org_tree):
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"])
    purpose = VisitPurpose.objects.create(code="FIRST", name="初次拜访")
    ChecklistStep.objects.create(purpose=purpose, position=1, text="了解客户需求")
    key = str(uuid.uuid4())
    response = org_tree.client("rep_east1a").post(
        "/sales/visits/log/", _visit_post(customer, purpose_type=purpose.pk, client_key=key), **SYNC
    )
    assert response.status_code == 400
    assert "了解客户需求" in " ".join(p["msg"] for p in response.json()["detail"])
    assert not Visit.objects.exists()


def test_a_key_of_another_reps_visit_is_refused_without_showing_it(org_tree):
    key = uuid.uuid4()
    VisitFactory(rep=org_tree.people["rep_north1a"], client_key=key)
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"])
    response = org_tree.client("rep_east1a").post(
        "/sales/visits/log/", _visit_post(customer, client_key=str(key)), **SYNC
    )
    assert response.status_code == 400
    assert response.json()["detail"][0]["loc"] == ["form", "client_key"]
    assert Visit.objects.count() == 1


def test_a_malformed_key_is_refused(org_tree):
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"])
    response = org_tree.client("rep_east1a").post(
        "/sales/visits/log/", _visit_post(customer, client_key="not-a-uuid"), **SYNC
    )
    assert response.status_code == 400
    assert response.json()["detail"][0]["loc"] == ["form", "client_key"]


def test_a_visit_queued_by_another_user_on_the_phone_waits_for_them(org_tree):
    """The phone's queue outlives a log-out: another user logged in never sends it as theirs."""
    rep = org_tree.people["rep_east1a"]
    customer = CustomerFactory(owner=rep)
    post = _visit_post(customer, client_key=str(uuid.uuid4()), queued_by=str(rep.user.pk))
    response = org_tree.client("manager_east1").post("/sales/visits/log/", post, **SYNC)
    assert response.status_code == 409
    assert response.json()["detail"][0]["loc"] == ["form", "queued_by"]
    assert not Visit.objects.exists()
    response = org_tree.client("rep_east1a").post("/sales/visits/log/", post, **SYNC)
    assert response.status_code == 201 and Visit.objects.get().rep == rep
