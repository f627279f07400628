"""A reward is approved by its approver themself (S16): recorded pending by a leader, approved
with the approver's own login (a region head over the customer's owner, the director or an
admin; never the one who recorded it); the approved-by field is no longer typed in."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from salesorg.api.models import ApiToken
from salesorg.customers.models import Reward
from salesorg.customers.services.care import reward_approve, reward_save
from tests.factories import CustomerFactory, OrderFactory, OrderLineFactory

AS_OF = date(2026, 6, 30)


def _customer(org_tree, owner="rep_east1a"):
    customer = CustomerFactory(owner=org_tree.people[owner], lifecycle_stage="established")
    order = OrderFactory(customer=customer, order_date=date(2026, 3, 1))
    OrderLineFactory(order=order, amount=Decimal("1500.00"), cost=Decimal("500.00"))
    return customer  # a budget of 20.00 (2 % of 1,000.00)


def _recorded(org_tree, *, by="manager_east1", value="5.00", **kw) -> Reward:
    reward = Reward(
        customer=kw.get("customer") or _customer(org_tree),
        kind="gift",
        value=Decimal(value),
        granted_on=AS_OF,
        approved_by=org_tree.people["director"],  # a name typed in is not an approval
    )
    return reward_save(instance=reward, actor=org_tree.user(by))


def test_a_recorded_reward_is_pending_whatever_approver_it_names(org_tree):
    reward = _recorded(org_tree)
    reward.refresh_from_db()
    assert (reward.approved_by, reward.approved_at, reward.is_approved) == (None, None, False)
    assert reward.created_by == org_tree.people["manager_east1"]


@pytest.mark.parametrize("key", ["head_east", "director", "admin"])
def test_the_approver_approves_with_their_own_login(org_tree, key):
    reward = _recorded(org_tree)
    reward_approve(reward=reward, actor=org_tree.user(key))
    reward.refresh_from_db()
    assert reward.approved_by == org_tree.people[key]
    assert reward.approved_at is not None


@pytest.mark.parametrize(
    "key", ["manager_east1", "rep_east1a", "head_north", "manager_east2", "finance", "trainer"]
)
def test_others_are_refused(org_tree, key):
    reward = _recorded(org_tree)
    with pytest.raises(ValidationError):
        reward_approve(reward=reward, actor=org_tree.user(key))
    reward.refresh_from_db()
    assert reward.approved_at is None


def test_the_region_head_does_not_approve_a_reward_they_recorded(org_tree):
    reward = _recorded(org_tree, by="head_east")
    with pytest.raises(ValidationError):
        reward_approve(reward=reward, actor=org_tree.user("head_east"))
    reward_approve(reward=reward, actor=org_tree.user("director"))


def test_a_reward_is_approved_once_and_a_changed_value_needs_approval_again(org_tree):
    reward = _recorded(org_tree)
    reward_approve(reward=reward, actor=org_tree.user("head_east"))
    with pytest.raises(ValidationError):
        reward_approve(reward=reward, actor=org_tree.user("director"))
    reward.note = "补记"  # a note keeps the approval
    reward_save(instance=reward, actor=org_tree.user("manager_east1"))
    reward.refresh_from_db()
    assert reward.is_approved
    reward.value = Decimal("6.00")
    reward_save(instance=reward, actor=org_tree.user("manager_east1"))
    reward.refresh_from_db()
    assert (reward.approved_by, reward.approved_at) == (None, None)


def test_the_form_has_no_approved_by_and_the_approval_list_filters(
    org_tree, django_assert_max_num_queries
):
    customer = _customer(org_tree)
    manager = org_tree.client("manager_east1")
    form_page = manager.get(f"/customers/{customer.pk}/rewards/add/").content.decode()
    assert 'name="approved_by"' not in form_page
    response = manager.post(
        f"/customers/{customer.pk}/rewards/add/",
        {"kind": "gift", "value": "5.00", "granted_on": "2026-06-30", "approved_by": "1"},
    )
    assert response.status_code == 302
    reward = Reward.objects.get()
    assert reward.approved_by is None
    _recorded(org_tree, customer=customer, value="3.00")
    head = org_tree.client("head_east")
    with django_assert_max_num_queries(20):
        pending = head.get("/customers/rewards/?status=pending").content.decode()
    assert pending.count("reward-approve") == 2
    assert head.post(f"/customers/rewards/{reward.pk}/approve/").status_code == 302
    reward.refresh_from_db()
    assert reward.approved_by == org_tree.people["head_east"]
    approved = head.get("/customers/rewards/?status=approved").content.decode()
    assert approved.count('class="reward-row') == 1
    assert org_tree.client("head_east").get("/customers/rewards/?status=pending").status_code == 200
    # the manager sees the pending one without a button; a rep of another team gets 404
    manager_list = manager.get("/customers/rewards/?status=pending").content.decode()
    assert manager_list.count('class="reward-row') == 1 and "reward-approve" not in manager_list
    other = org_tree.client("rep_north1a")
    assert other.post(f"/customers/rewards/{reward.pk}/approve/").status_code == 404


def test_the_api_records_pending_and_approves_by_the_caller(org_tree):
    customer = _customer(org_tree)

    def api(key):
        _token, raw = ApiToken.objects.issue(user=org_tree.user(key))
        return Client(headers={"authorization": f"Bearer {raw}"})

    payload = {
        "customer_id": customer.pk,
        "kind": "gift",
        "value": "5.00",
        "granted_on": "2026-06-30",
    }
    created = api("manager_east1").post("/api/v1/rewards", payload, content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["approved_by_id"], body["status"]) == (None, "pending")
    reward_id = body["id"]
    refused = api("manager_east1").post(
        "/api/v1/reward-approvals", {"reward_id": reward_id}, content_type="application/json"
    )
    assert refused.status_code == 400
    head = api("head_east")
    pending = head.get("/api/v1/reward-approvals", {"status": "pending"}).json()
    assert [item["id"] for item in pending["items"]] == [reward_id]
    approved = head.post(
        "/api/v1/reward-approvals", {"reward_id": reward_id}, content_type="application/json"
    )
    assert approved.status_code == 200, approved.content
    assert approved.json()["approved_by_id"] == org_tree.people["head_east"].pk
    assert approved.json()["status"] == "approved"
    assert head.get("/api/v1/reward-approvals", {"status": "pending"}).json()["count"] == 0
    assert head.get("/api/v1/reward-approvals", {"status": "later"}).status_code == 400
    assert api("rep_north1a").post(
        "/api/v1/reward-approvals", {"reward_id": reward_id}, content_type="application/json"
    ).status_code in (400, 404)
