"""Downgrade root causes: the owner completes, the manager reviews, lists and reminders."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from salesorg.core.reminders import reminders_for
from salesorg.customers.models import CustomerEvaluation, RootCause, RootCauseStatus
from salesorg.customers.services.root_causes import root_cause_complete, root_cause_review
from salesorg.targets.choices import ActionOrigin
from salesorg.work.actions import action_item_create
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def open_cause(
    org_tree, rep_key="rep_east1a", manager_key="manager_east1", *, with_plan=True
) -> RootCause:
    """A customer of the rep downgraded from AA to B, its root cause open (with one action
    item of the rep in its plan unless `with_plan` is false)."""
    customer = CustomerFactory(owner=org_tree.people[rep_key])
    evaluation = CustomerEvaluation.objects.create(
        customer=customer,
        as_of=date(2026, 6, 30),
        score="45.0",
        rating="B",
        previous_rating="AA",
        suggested_credit_limit="1000.00",
    )
    cause = RootCause.objects.create(
        evaluation=evaluation,
        customer=customer,
        owner=customer.owner,
        reviewer=org_tree.people[manager_key],
        from_rating="AA",
        to_rating="B",
    )
    if with_plan:
        action_item_create(
            title="每周跟进回款",
            owner=customer.owner,
            due_date=date(2026, 7, 31),
            origin=ActionOrigin.CUSTOMER,
            source=cause,
            customer=customer,
        )
    return cause


COMPLETE = {
    "cause_category": "competitor",
    "explanation": "竞争对手降价 15%",
    "action_plan": "安排联合拜访，提出年度返利方案",
}


def test_owner_completes_and_manager_accepts(org_tree):
    cause = open_cause(org_tree)
    rep, manager = org_tree.user("rep_east1a"), org_tree.user("manager_east1")
    cause = root_cause_complete(cause=cause, actor=rep, **COMPLETE)
    assert cause.status == RootCauseStatus.SUBMITTED and cause.submitted_at
    cause = root_cause_review(cause=cause, actor=manager, decision="accept")
    assert cause.status == RootCauseStatus.ACCEPTED
    assert cause.reviewed_by == manager and cause.reviewed_at
    assert cause.history.count() == 3


def test_return_needs_a_comment_and_goes_back_to_the_owner(org_tree):
    cause = open_cause(org_tree)
    rep, manager = org_tree.user("rep_east1a"), org_tree.user("manager_east1")
    root_cause_complete(cause=cause, actor=rep, **COMPLETE)
    with pytest.raises(ValidationError) as error:
        root_cause_review(cause=cause, actor=manager, decision="return")
    assert "comment" in error.value.message_dict
    cause = root_cause_review(cause=cause, actor=manager, decision="return", comment="再具体些")
    assert cause.status == RootCauseStatus.RETURNED
    cause = root_cause_complete(cause=cause, actor=rep, **COMPLETE)
    assert cause.status == RootCauseStatus.SUBMITTED


def test_fields_are_required_and_roles_enforced(org_tree):
    cause = open_cause(org_tree, with_plan=False)
    with pytest.raises(ValidationError) as error:
        root_cause_complete(
            cause=cause,
            actor=org_tree.user("rep_east1a"),
            cause_category="",
            explanation=" ",
            action_plan="",
        )
    assert set(error.value.message_dict) == {"cause_category", "explanation", "action_items"}
    with pytest.raises(PermissionDenied):
        root_cause_complete(cause=cause, actor=org_tree.user("rep_east1b"), **COMPLETE)
    with pytest.raises(PermissionDenied):
        root_cause_review(cause=cause, actor=org_tree.user("rep_east1a"), decision="accept")
    with pytest.raises(PermissionDenied):
        root_cause_review(cause=cause, actor=org_tree.user("manager_north1"), decision="accept")
    with pytest.raises(ValidationError) as error:
        root_cause_review(cause=cause, actor=org_tree.user("manager_east1"), decision="accept")
    assert "status" in error.value.message_dict


def test_reminders_for_owner_then_manager(org_tree):
    cause = open_cause(org_tree)
    kinds = {r.kind for r in reminders_for(org_tree.user("rep_east1a"))}
    assert "root_cause_complete" in kinds
    assert "root_cause_review" not in {
        r.kind for r in reminders_for(org_tree.user("manager_east1"))
    }
    root_cause_complete(cause=cause, actor=org_tree.user("rep_east1a"), **COMPLETE)
    assert "root_cause_complete" not in {r.kind for r in reminders_for(org_tree.user("rep_east1a"))}
    manager_reminders = reminders_for(org_tree.user("manager_east1"))
    review = [r for r in manager_reminders if r.kind == "root_cause_review"]
    assert len(review) == 1 and review[0].url == cause.get_absolute_url()
    assert not any(
        r.kind == "root_cause_review" for r in reminders_for(org_tree.user("manager_north1"))
    )


def test_pages_complete_review_and_list(org_tree):
    cause = open_cause(org_tree)
    open_cause(org_tree, "rep_north1a", "manager_north1")
    rep = org_tree.client("rep_east1a")
    page = rep.get(cause.get_absolute_url()).content.decode()
    assert "Complete the root cause" in page
    response = rep.post(f"/customers/downgrades/{cause.pk}/complete/", {"cause_category": ""})
    assert response.status_code == 200 and "invalid-feedback" in response.content.decode()
    response = rep.post(f"/customers/downgrades/{cause.pk}/complete/", COMPLETE)
    assert response.status_code == 302
    manager = org_tree.client("manager_east1")
    listing = manager.get("/customers/downgrades/", {"mine": "review"}).content.decode()
    assert cause.customer.name in listing and "REP-north1a" not in listing
    response = manager.post(f"/customers/downgrades/{cause.pk}/review/", {"decision": "accept"})
    assert response.status_code == 302
    cause.refresh_from_db()
    assert cause.status == RootCauseStatus.ACCEPTED
    assert rep.post(f"/customers/downgrades/{cause.pk}/review/", {}).status_code == 403
    outsider = org_tree.client("manager_north1")
    assert outsider.post(f"/customers/downgrades/{cause.pk}/review/", {}).status_code == 404
    export = manager.get("/customers/downgrades/", {"status": "", "format": "csv"})
    assert cause.customer.name in export.content.decode("utf-8-sig")


def test_downgrade_list_queries_do_not_grow(org_tree, django_assert_max_num_queries):
    for _ in range(3):
        open_cause(org_tree)
    client = org_tree.client("head_east")
    client.get("/customers/downgrades/")
    with django_assert_max_num_queries(20) as few:
        client.get("/customers/downgrades/")
    for _ in range(20):
        open_cause(org_tree)
    with django_assert_max_num_queries(len(few)):
        assert client.get("/customers/downgrades/").status_code == 200


def test_a_cause_reviewed_by_someone_without_a_login_still_shows(org_tree):
    """Demo and imported reviews may carry no reviewing user; the page must not fail."""
    from django.utils import timezone

    cause = open_cause(org_tree)
    RootCause.objects.filter(pk=cause.pk).update(
        status=RootCauseStatus.ACCEPTED, reviewed_at=timezone.now(), reviewed_by=None
    )
    response = org_tree.client("manager_east1").get(f"/customers/downgrades/{cause.pk}/")
    assert response.status_code == 200
    assert "Reviewed on" in response.content.decode()
