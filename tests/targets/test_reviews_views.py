"""Pages of quarterly reviews, PDCA and standards: the flow, scoping, errors, query counts."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from salesorg.core.reminders import reminders_for
from salesorg.targets.models import PdcaPlan, QuarterlyReview, ReviewStatus, Standard
from salesorg.targets.quarters import (
    last_finished_quarter,
    quarter_of,
    quarter_period,
    review_due_date,
)
from salesorg.work.actions import action_item_create
from tests.factories import MembershipFactory, PersonFactory
from tests.targets.test_reviews import ANSWERS


@pytest.fixture
def last_quarter():
    return last_finished_quarter(today=timezone.localdate())


def test_rep_starts_files_and_manager_signs_off_through_the_pages(org_tree, last_quarter):
    rep = org_tree.client("rep_east1a")
    # given the rep's list page offers to start the review of the last quarter
    page = rep.get("/targets/reviews/")
    assert page.status_code == 200 and "Start review" in page.content.decode()
    # when they start it they land on the review with its figures
    response = rep.post("/targets/reviews/start/")
    review = QuarterlyReview.objects.get(rep=org_tree.people["rep_east1a"])
    assert response.url == f"/targets/reviews/{review.pk}/"
    assert (review.year, review.quarter) == last_quarter
    detail = rep.get(response.url).content.decode()
    assert 'id="review-figures"' in detail and "What obstacles stand in the way?" in detail
    # filing with missing answers re-shows the form with field errors
    response = rep.post(
        f"/targets/reviews/{review.pk}/answers/", {"obstacles": "价格", "action": "file"}
    )
    assert response.status_code == 400
    assert "Answer this question before filing." in response.content.decode()
    response = rep.post(f"/targets/reviews/{review.pk}/answers/", {**ANSWERS, "action": "file"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.FILED
    # another team's manager does not even see it
    assert org_tree.client("manager_east2").get(f"/targets/reviews/{review.pk}/").status_code == 404
    assert org_tree.client("rep_east1b").get(f"/targets/reviews/{review.pk}/").status_code == 404
    # the rep's manager signs off with a comment
    manager = org_tree.client("manager_east1")
    page = manager.get(f"/targets/reviews/{review.pk}/").content.decode()
    assert 'id="decision-form"' in page
    response = manager.post(
        f"/targets/reviews/{review.pk}/decision/", {"manager_comment": "", "action": "sign_off"}
    )
    assert (
        response.status_code == 400 and "Write a comment for the rep." in response.content.decode()
    )
    manager.post(
        f"/targets/reviews/{review.pk}/decision/", {"manager_comment": "同意", "action": "sign_off"}
    )
    review.refresh_from_db()
    assert review.status == ReviewStatus.SIGNED_OFF
    assert "Signed off" in rep.get(f"/targets/reviews/{review.pk}/").content.decode()
    # the rep cannot change it any more
    response = rep.post(f"/targets/reviews/{review.pk}/answers/", {**ANSWERS, "action": "save"})
    assert response.status_code == 400


def test_review_list_query_count_does_not_grow_with_reviews(
    org_tree, last_quarter, django_assert_max_num_queries
):
    year, quarter = last_quarter
    for key in ("rep_east1a", "rep_east1b", "rep_east2a", "rep_east2b"):
        QuarterlyReview.objects.create(rep=org_tree.people[key], year=year, quarter=quarter)
    client = org_tree.client("head_east")
    client.get("/targets/reviews/")
    with django_assert_max_num_queries(22):
        page = client.get("/targets/reviews/")
    assert page.content.decode().count('href="/targets/reviews/') >= 8


def test_reminders_for_reps_and_managers(org_tree):
    year, quarter = 2026, 3
    due = review_due_date(year=year, quarter=quarter)
    early, late = due - timedelta(days=3), due + timedelta(days=1)
    rep_user = org_tree.user("rep_east1a")
    # a rep who has not filed sees the reminder, flagged once overdue
    (mine,) = [r for r in reminders_for(rep_user, today=early) if r.kind == "review_due"]
    assert not mine.overdue and mine.due == due
    (mine,) = [r for r in reminders_for(rep_user, today=late) if r.kind == "review_due"]
    assert mine.overdue
    # the manager sees unfiled reviews only after the second week
    manager = org_tree.user("manager_east1")
    assert not [r for r in reminders_for(manager, today=early) if r.kind == "review_unfiled"]
    unfiled = [r for r in reminders_for(manager, today=late) if r.kind == "review_unfiled"]
    assert len(unfiled) == 2
    # a filed review waits for sign-off
    QuarterlyReview.objects.create(
        rep=org_tree.people["rep_east1a"], year=year, quarter=quarter, status=ReviewStatus.FILED
    )
    kinds = [r.kind for r in reminders_for(manager, today=late)]
    assert kinds.count("review_unfiled") == 1 and kinds.count("review_sign_off") == 1
    assert not [r for r in reminders_for(rep_user, today=late) if r.kind == "review_due"]
    # team members' overdue action items show to the manager, not to other managers
    action_item_create(
        title="回访客户", owner=org_tree.people["rep_east1b"], due_date=date(2026, 10, 1)
    )
    texts = [r.text for r in reminders_for(manager, today=late)]
    name = org_tree.people["rep_east1b"].name
    assert f"Overdue for {name}: 回访客户" in texts
    other = reminders_for(org_tree.user("manager_east2"), today=late)
    assert not [r for r in other if r.kind == "team_action_item_overdue"]


def test_home_page_reminders_do_not_grow_with_items(org_tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = org_tree.client("manager_east1")
    client.get("/")
    with CaptureQueriesContext(connection) as before:
        client.get("/")
    for key in ("rep_east1a", "rep_east1b"):
        QuarterlyReview.objects.create(
            rep=org_tree.people[key], year=2026, quarter=3, status=ReviewStatus.FILED
        )
        for number in range(3):
            action_item_create(
                title=f"事项{number}", owner=org_tree.people[key], due_date=date(2026, 1, 1)
            )
    with CaptureQueriesContext(connection) as after:
        page = client.get("/").content.decode()
    assert "事项2" in page
    assert len(after.captured_queries) <= len(before.captured_queries)


def test_pdca_pages(org_tree, django_assert_max_num_queries):
    manager = org_tree.client("manager_east1")
    response = manager.post(
        "/targets/pdca/new/",
        {"title": "", "unit_type": "team", "team": org_tree.teams["east1"].pk},
    )
    assert response.status_code == 400
    response = manager.post(
        "/targets/pdca/new/",
        {
            "title": "回款",
            "unit_type": "team",
            "team": org_tree.teams["east1"].pk,
            "owner": org_tree.people["manager_east1"].pk,
            "period_start": "2026-01-01",
            "period_end": "2026-03-31",
            "objective": "九成",
        },
    )
    plan = PdcaPlan.objects.get()
    assert response.url == f"/targets/pdca/{plan.pk}/"
    response = manager.post(
        f"/targets/pdca/{plan.pk}/measures/",
        {"what": "跟进", "metric": "sales", "target_value": "", "due_date": "2026-03-01"},
    )
    assert response.status_code == 400
    assert "Give the target value of the metric." in response.content.decode()
    manager.post(
        f"/targets/pdca/{plan.pk}/measures/",
        {"what": "跟进", "metric": "sales", "target_value": "100", "due_date": "2026-03-01"},
    )
    manager.post(f"/targets/pdca/{plan.pk}/advance/", {"lesson": ""})
    manager.post(f"/targets/pdca/{plan.pk}/checks/", {"checked_on": "2026-03-31", "summary": "s"})
    manager.post(
        f"/targets/pdca/{plan.pk}/problems/",
        {"description": "慢", "cause_category": "customer", "cause": "账期"},
    )
    problem = plan.problems.get()
    manager.post(
        f"/targets/pdca/problems/{problem.pk}/actions/",
        {"title": "约谈", "owner": org_tree.people["rep_east1a"].pk, "due_date": "2026-04-01"},
    )
    with django_assert_max_num_queries(30):
        page = manager.get(f"/targets/pdca/{plan.pk}/").content.decode()
    assert "约谈" in page and "慢" in page
    # a rep of the team reads it but gets no forms; another team's rep gets 404
    rep_page = org_tree.client("rep_east1a").get(f"/targets/pdca/{plan.pk}/").content.decode()
    assert "Add a measure" not in rep_page
    assert org_tree.client("rep_east2a").get(f"/targets/pdca/{plan.pk}/").status_code == 404
    with django_assert_max_num_queries(20):
        assert "回款" in manager.get("/targets/pdca/").content.decode()


def test_standards_pages(org_tree, django_assert_max_num_queries):
    director = org_tree.client("director")
    assert org_tree.client("rep_east1a").get("/targets/standards/new/").status_code == 403
    response = director.post(
        "/targets/standards/new/", {"code": "S-1", "title": "拜访", "category": "other", "body": ""}
    )
    assert response.status_code == 400
    director.post(
        "/targets/standards/new/",
        {"code": "S-1", "title": "拜访", "category": "other", "body": "每天四家"},
    )
    standard = Standard.objects.get()
    rep = org_tree.client("rep_east1a")
    assert rep.get(f"/targets/standards/{standard.pk}/").status_code == 404
    version = standard.versions.get()
    director.post(
        f"/targets/standards/versions/{version.pk}/approve/", {"effective_date": "2026-01-01"}
    )
    assert rep.get(f"/targets/standards/{standard.pk}/").status_code == 200
    director.post(f"/targets/standards/{standard.pk}/versions/", {"body": "每天五家"})
    for number in range(5):
        Standard.objects.create(code=f"S-X{number}", title="t", category="other", is_published=True)
    with django_assert_max_num_queries(16):
        page = rep.get("/targets/standards/").content.decode()
    assert "Version 1, in force since 2026-01-01" in page


def test_review_csv_export_lists_what_the_user_sees(org_tree):
    for key in ("rep_east1a", "rep_east1b", "rep_east2a"):
        QuarterlyReview.objects.create(rep=org_tree.people[key], year=2026, quarter=2)
    export = org_tree.client("manager_east1").get("/targets/reviews/", {"format": "csv"})
    lines = export.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("rep,name,year,quarter,status")
    assert {line.split(",")[0] for line in lines[1:]} == {"REP-east1a", "REP-east1b"}


def test_running_quarter_draft_is_marked_and_cannot_be_filed_on_the_page(org_tree):
    rep = org_tree.client("rep_east1a")
    today = timezone.localdate()
    year, quarter = quarter_of(today)
    end = quarter_period(year=year, quarter=quarter).end
    # given the list offers a draft of the running quarter beside the last one's review
    page = rep.get("/targets/reviews/").content.decode()
    assert 'id="running-review"' in page and 'id="own-review"' in page
    # when the rep starts it
    response = rep.post("/targets/reviews/start/", {"quarter": "running"})
    review = QuarterlyReview.objects.get(rep=org_tree.people["rep_east1a"])
    assert (review.year, review.quarter) == (year, quarter)
    # then the page says the quarter is running and up to which day its figures go
    detail = rep.get(response.url).content.decode()
    assert "data-running" in detail and f"to {today.isoformat()}" in detail
    assert "File for sign-off" not in detail
    # and filing it, every question answered, is refused with the reason on the quarter
    response = rep.post(f"/targets/reviews/{review.pk}/answers/", {**ANSWERS, "action": "file"})
    assert response.status_code == 400
    assert end.isoformat() in response.content.decode()
    assert ANSWERS["obstacles"] in response.content.decode()  # the answers are re-shown
    review.refresh_from_db()
    assert review.status == ReviewStatus.DRAFT


def test_team_reviews_list_only_people_in_post_during_the_quarter(org_tree):
    today = timezone.localdate()
    year, quarter = last_finished_quarter(today=today)
    newcomer = PersonFactory(code="REP-NEW", name="新来的代表", hire_date=today)
    MembershipFactory(person=newcomer, team=org_tree.teams["east1"], start_date=today)
    manager = org_tree.client("manager_east1")
    page = manager.get(f"/targets/reviews/?year={year}&quarter={quarter}").content.decode()
    assert org_tree.people["rep_east1a"].name in page and "新来的代表" not in page
    running_year, running_quarter = quarter_of(today)
    page = manager.get(
        f"/targets/reviews/?year={running_year}&quarter={running_quarter}"
    ).content.decode()
    assert "新来的代表" in page
