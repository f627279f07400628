"""The action-items API sets follow-ups: a source (customer_id, visit_id or contact_id) and a
remind-on date; bad input is a 4xx JSON answer naming the field."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from salesorg.api.models import ApiToken
from salesorg.targets.choices import ActionOrigin
from salesorg.targets.models import ActionItem


@pytest.fixture
def today():
    return timezone.localdate()


def _api(org_tree, key) -> Client:
    _token, raw = ApiToken.objects.issue(user=org_tree.user(key))
    return Client(headers={"authorization": f"Bearer {raw}"})


def _post(client, payload):
    return client.post("/api/v1/action-items", payload, content_type="application/json")


@pytest.mark.parametrize("source", ["customer", "visit", "contact"])
def test_a_rep_sets_a_follow_up_on_a_record_through_the_api(org_tree, org_records, today, source):
    record = {
        "customer": org_records.customers,
        "visit": org_records.visits,
        "contact": org_records.contacts,
    }[source]["rep_east1a"]
    due, remind = today + timedelta(days=4), today + timedelta(days=2)
    response = _post(
        _api(org_tree, "rep_east1a"),
        {
            "title": "回访",
            "due_date": due.isoformat(),
            "remind_on": remind.isoformat(),
            f"{source}_id": record.pk,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["origin"] == "follow_up" and body["remind_on"] == remind.isoformat()
    assert (body["source_type"], body["source_id"]) == (source, record.pk)
    assert body["owner_id"] == org_tree.people["rep_east1a"].pk  # the creator by default
    item = ActionItem.objects.get(pk=body["id"])
    assert item.customer_id == (record.pk if source == "customer" else record.customer_id)


@pytest.mark.parametrize(
    "change,field",
    [
        ({"due_date": "past"}, "due_date"),
        ({"remind_on": "after"}, "remind_on"),
        ({"customer_id": "other"}, "customer_id"),
        ({"visit_id": 10**12}, "visit_id"),
        ({"owner_id": "other_rep"}, "owner_id"),
    ],
    ids=["past-due", "reminder-after-due", "hidden-customer", "unknown-visit", "other-owner"],
)
def test_bad_follow_ups_are_refused_naming_the_field(org_tree, org_records, today, change, field):
    values = {
        "past": (today - timedelta(days=1)).isoformat(),
        "after": (today + timedelta(days=9)).isoformat(),
        "other": org_records.customers["rep_east1b"].pk,
        "other_rep": org_tree.people["rep_east1b"].pk,
    }
    payload = {
        "title": "回访",
        "due_date": (today + timedelta(days=4)).isoformat(),
        "customer_id": org_records.customers["rep_east1a"].pk,
    }
    payload.update({key: values.get(value, value) for key, value in change.items()})
    response = _post(_api(org_tree, "rep_east1a"), payload)
    assert 400 <= response.status_code < 500
    assert field in response.content.decode()
    assert not ActionItem.objects.filter(origin=ActionOrigin.FOLLOW_UP).exists()


def test_a_follow_up_names_one_source(org_tree, org_records, today):
    payload = {
        "title": "回访",
        "due_date": (today + timedelta(days=4)).isoformat(),
        "customer_id": org_records.customers["rep_east1a"].pk,
        "contact_id": org_records.contacts["rep_east1a"].pk,
    }
    response = _post(_api(org_tree, "rep_east1a"), payload)
    assert response.status_code == 400 and "contact_id" in response.content.decode()


def test_an_item_without_a_source_may_have_a_reminder_too(org_tree, today):
    rep = org_tree.people["rep_east1a"]
    payload = {
        "title": "准备季度回顾",
        "owner_id": rep.pk,
        "due_date": (today + timedelta(days=4)).isoformat(),
        "remind_on": (today + timedelta(days=1)).isoformat(),
    }
    response = _post(_api(org_tree, "rep_east1a"), payload)
    assert response.status_code == 201
    assert response.json()["remind_on"] == payload["remind_on"]
    # A reminder after the item is due is refused, naming the field.
    too_late = (today + timedelta(days=30)).isoformat()
    response = _post(_api(org_tree, "rep_east1a"), {**payload, "remind_on": too_late})
    assert response.status_code == 400 and "remind_on" in response.content.decode()
