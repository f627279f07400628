"""Joint-visit reviews: the coach scores a joint visit on the rubric, the rep sees it, the next
joint visit with the same coach shows the last points to improve, and the per-rep chart."""

import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from salesorg.core.scoping import SYSTEM
from salesorg.development.models import JointVisitReview
from salesorg.development.selectors.joint_visits import (
    default_rubric,
    previous_review,
    rubric_history,
)
from salesorg.development.services.joint_visits import joint_visit_review_create
from tests.factories import CustomerFactory, VisitFactory

DEFAULT_CODES = [
    "preparation",
    "opening",
    "needs_discovery",
    "presentation",
    "objection_handling",
    "closing",
    "follow_up",
]


def _joint_visit(org_tree, *, rep="rep_east1a", coach="manager_east1", on=date(2026, 1, 15)):
    person = org_tree.people[rep]
    return VisitFactory(
        customer=CustomerFactory(owner=person),
        rep=person,
        kind="joint",
        coach=org_tree.people[coach],
        visit_date=on,
    )


def _scores(value=4, **overrides):
    return {code: overrides.get(code, value) for code in DEFAULT_CODES}


def test_the_default_rubric_has_the_seven_criteria_of_the_seed(db):
    rubric = default_rubric()
    assert [c.code for c in rubric.criteria.order_by("position")] == DEFAULT_CODES


def test_the_coach_records_a_review_with_an_average(org_tree):
    visit = _joint_visit(org_tree)
    review = joint_visit_review_create(
        visit=visit,
        actor=org_tree.user("manager_east1"),
        scores=_scores(4, closing=2, opening=5),
        strengths="Good rapport",
        improvements="Ask for the order",
    )
    assert str(review.average_score) == "3.86"  # (4*5 + 2 + 5) / 7
    assert review.scores.get(criterion__code="closing").score == 2


def test_only_the_coach_may_review_and_every_criterion_needs_a_score(org_tree):
    visit = _joint_visit(org_tree)
    with pytest.raises(ValidationError) as error:
        joint_visit_review_create(
            visit=visit, actor=org_tree.user("rep_east1a"), scores=_scores(), improvements="x"
        )
    assert "visit" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        joint_visit_review_create(
            visit=visit,
            actor=org_tree.user("manager_east1"),
            scores=_scores(closing=7, opening=None),
            improvements="",
        )
    assert {"score_closing", "score_opening", "improvements"} <= set(error.value.message_dict)
    assert not JointVisitReview.objects.exists()


def test_a_plain_visit_cannot_be_reviewed(org_tree):
    rep = org_tree.people["rep_east1a"]
    visit = VisitFactory(customer=CustomerFactory(owner=rep), rep=rep)
    with pytest.raises(ValidationError):
        joint_visit_review_create(
            visit=visit, actor=org_tree.user("manager_east1"), scores=_scores(), improvements="x"
        )


def test_the_next_joint_visit_with_the_same_coach_shows_the_last_points(org_tree):
    first = _joint_visit(org_tree, on=date(2026, 1, 5))
    joint_visit_review_create(
        visit=first,
        actor=org_tree.user("manager_east1"),
        scores=_scores(),
        improvements="Ask open questions",
    )
    other_coach = _joint_visit(org_tree, coach="head_east", on=date(2026, 1, 8))
    joint_visit_review_create(
        visit=other_coach,
        actor=org_tree.user("head_east"),
        scores=_scores(),
        improvements="Not this one",
    )
    second = _joint_visit(org_tree, on=date(2026, 1, 20))
    assert previous_review(user=SYSTEM, visit=second).improvements == "Ask open questions"
    page = org_tree.client("manager_east1").get(
        f"/development/joint-visits/visits/{second.pk}/review/"
    )
    assert "Ask open questions" in page.content.decode()
    assert "Not this one" not in page.content.decode()


def test_the_rep_sees_the_review_and_another_rep_does_not(org_tree):
    review = joint_visit_review_create(
        visit=_joint_visit(org_tree),
        actor=org_tree.user("manager_east1"),
        scores=_scores(),
        improvements="Ask for the order",
    )
    page = org_tree.client("rep_east1a").get(review.get_absolute_url())
    assert page.status_code == 200 and "Ask for the order" in page.content.decode()
    assert org_tree.client("rep_east1b").get(review.get_absolute_url()).status_code == 404


def test_the_review_form_saves_and_shows_field_errors(org_tree):
    visit = _joint_visit(org_tree)
    client = org_tree.client("manager_east1")
    url = f"/development/joint-visits/visits/{visit.pk}/review/"
    page = client.post(url, {"improvements": ""})
    assert page.status_code == 200 and "Score Closing from 1 to 5." in page.content.decode()
    data = {f"score_{code}": "3" for code in DEFAULT_CODES} | {"improvements": "Listen more"}
    response = client.post(url, data)
    review = JointVisitReview.objects.get()
    assert response.status_code == 302 and response.url == review.get_absolute_url()
    assert org_tree.client("rep_east1a").get(url).status_code == 302  # goes to the review
    assert org_tree.client("rep_east1b").get(url).status_code == 404


def test_the_chart_shows_the_scores_over_time_with_a_table(org_tree, django_assert_max_num_queries):
    for month, closing in ((1, 2), (2, 3), (3, 5)):
        joint_visit_review_create(
            visit=_joint_visit(org_tree, on=date(2026, month, 10)),
            actor=org_tree.user("manager_east1"),
            scores=_scores(3, closing=closing),
            improvements="x",
        )
    rep = org_tree.people["rep_east1a"]
    history = rubric_history(user=org_tree.user("rep_east1a"), person=rep)
    closing = next(s for s in history.chart_data()["series"] if s["name"] == "Closing")
    assert closing["data"] == [2, 3, 5]
    client = org_tree.client("manager_east1")
    with django_assert_max_num_queries(16):  # 15 and the top bar's unread count
        page = client.get(f"/development/joint-visits/people/{rep.pk}/")
    html = page.content.decode()
    assert 'id="rubric-chart-data"' in html and "2026-03-10" in html
    data = json.loads(
        html.split('id="rubric-chart-data" type="application/json">')[1].split("<")[0]
    )
    assert data["dates"] == ["2026-01-10", "2026-02-10", "2026-03-10"]
    assert (
        org_tree.client("rep_east1b").get(f"/development/joint-visits/people/{rep.pk}/").status_code
        == 404
    )


def test_the_joint_visit_list_is_bounded_and_scoped(org_tree, django_assert_max_num_queries):
    for day in range(1, 11):
        _joint_visit(org_tree, on=date(2026, 1, day))
    _joint_visit(org_tree, rep="rep_north1a", coach="manager_north1")
    client = org_tree.client("manager_east1")
    with django_assert_max_num_queries(16):  # 15 and the top bar's unread count
        page = client.get("/development/joint-visits/")
    assert page.content.decode().count(">Review</a>") == 10
    rep_page = org_tree.client("rep_east1b").get("/development/joint-visits/").content.decode()
    assert "No joint visits yet" in rep_page
