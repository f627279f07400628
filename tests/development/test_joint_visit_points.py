"""A joint-visit review's points to improve become the rep's action items: one per point,
owned by the rep with a due date, linked to the review, shown on the review with status."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from salesorg.api.models import ApiToken
from salesorg.development.selectors.joint_visits import review_points
from salesorg.development.services.joint_visits import (
    joint_review_point_to_action,
    joint_visit_review_create,
)
from salesorg.targets.choices import ActionOrigin, ActionStatus
from salesorg.work.actions import action_item_set_status, action_items_for_source
from tests.development.test_joint_visits import _joint_visit, _scores

POINTS = "1. 开场先确认客户时间\n\n- 多问开放式问题\n• 结束时明确下一步"


def _review(org_tree):
    return joint_visit_review_create(
        visit=_joint_visit(org_tree),
        actor=org_tree.user("manager_east1"),
        scores=_scores(3),
        improvements=POINTS,
    )


def test_the_points_are_the_lines_of_the_text_without_their_bullets(org_tree):
    review = _review(org_tree)
    points = review_points(user=org_tree.user("rep_east1a"), review=review)
    assert [(p.number, p.text, p.item) for p in points] == [
        (1, "开场先确认客户时间", None),
        (2, "多问开放式问题", None),
        (3, "结束时明确下一步", None),
    ]


def test_a_point_becomes_an_action_item_of_the_rep_linked_to_the_review(org_tree):
    review = _review(org_tree)
    item = joint_review_point_to_action(
        review=review, number=2, due_date=date(2026, 2, 1), actor=org_tree.user("manager_east1")
    )
    assert (item.title, item.owner, item.due_date, item.origin) == (
        "多问开放式问题",
        org_tree.people["rep_east1a"],
        date(2026, 2, 1),
        ActionOrigin.COACHING,
    )
    assert list(action_items_for_source(review)) == [item]
    action_item_set_status(item=item, status=ActionStatus.DONE, actor=org_tree.user("rep_east1a"))
    points = review_points(user=org_tree.user("manager_east1"), review=review)
    assert points[1].item == item and points[1].item.status == ActionStatus.DONE
    assert points[0].item is None
    # a point is turned into an item once
    with pytest.raises(ValidationError):
        joint_review_point_to_action(
            review=review, number=2, due_date=date(2026, 2, 1), actor=org_tree.user("director")
        )


@pytest.mark.parametrize(
    ("key", "number", "due"),
    [
        ("rep_east1a", 1, date(2026, 2, 1)),  # the rep does not assign themself the coach's points
        ("manager_north1", 1, date(2026, 2, 1)),
        ("manager_east1", 9, date(2026, 2, 1)),  # no such point
        ("manager_east1", 1, None),
    ],
)
def test_refusals(org_tree, key, number, due):
    review = _review(org_tree)
    with pytest.raises(ValidationError):
        joint_review_point_to_action(
            review=review, number=number, due_date=due, actor=org_tree.user(key)
        )
    assert not list(action_items_for_source(review))


def test_one_click_per_point_on_the_review_page(org_tree, django_assert_max_num_queries):
    review = _review(org_tree)
    manager = org_tree.client("manager_east1")
    url = review.get_absolute_url()
    page = manager.get(url).content.decode()
    assert page.count('name="point"') == 3
    response = manager.post(f"{url}points/", {"point": "3", "due_date": "2026-02-10"})
    assert response.status_code == 302
    (item,) = action_items_for_source(review)
    assert item.title == "结束时明确下一步"
    page = org_tree.client("rep_east1a").get(url).content.decode()
    assert item.get_absolute_url() in page
    assert 'name="point"' not in page  # the rep sees the items, not the buttons
    bad = manager.post(f"{url}points/", {"point": "1", "due_date": ""}, follow=True)
    assert list(bad.context["messages"]) and len(list(action_items_for_source(review))) == 1
    with django_assert_max_num_queries(25):
        manager.get(url)


def test_the_api_turns_a_point_into_an_item(org_tree):
    review = _review(org_tree)
    _token, raw = ApiToken.objects.issue(user=org_tree.user("manager_east1"))
    client = Client(headers={"authorization": f"Bearer {raw}"})
    base = f"/api/v1/joint-visit-reviews/{review.pk}/points"
    make = f"/api/v1/joint-visit-reviews/{review.pk}/point-actions"
    response = client.post(make, {"number": 1, "due_date": "2026-02-01"}, "application/json")
    assert response.status_code == 201, response.content
    assert response.json()["owner_id"] == org_tree.people["rep_east1a"].pk
    points = client.get(base).json()
    assert [p["action_item_id"] is not None for p in points] == [True, False, False]
    bad = client.post(make, {"number": 7, "due_date": "2026-02-01"}, "application/json")
    assert bad.status_code == 400 and "number" in bad.content.decode()
