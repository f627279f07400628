"""Personnel reviews: filed with an evidence snapshot, approved by the next level, promotions
change the position from their effective date, nothing is ever deleted."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db.models import ProtectedError
from django.utils import timezone

from salesorg.core.reminders import reminders_for
from salesorg.development.models import PersonnelReview, PositionChange, ReviewStatus
from salesorg.development.services.coaching import coaching_session_create
from salesorg.development.services.personnel import (
    personnel_review_approve,
    personnel_review_file,
    personnel_review_reject,
)
from tests.factories import PositionFactory


@pytest.fixture
def senior(db):
    return PositionFactory(code="SENIOR", name="Senior rep")


def _file(org_tree, *, person="rep_east1a", actor="manager_east1", **kw):
    kw.setdefault("outcome", "continue")
    return personnel_review_file(
        person=org_tree.people[person], actor=org_tree.user(actor), stage="Probation", **kw
    )


def test_a_review_carries_its_evidence_snapshot(org_tree):
    coaching_session_create(
        person=org_tree.people["rep_east1a"],
        actor=org_tree.user("manager_east1"),
        session_date=date(2026, 1, 10),
        improvement_plan="Plan the week",
        action_items=[{"title": "Call", "due_date": date(2026, 1, 20)}],
    )
    review = _file(org_tree)
    evidence = review.evidence
    assert evidence["coaching"]["sessions"] == 1
    assert evidence["coaching"]["action_items"] == 1
    assert evidence["training"] == {"assigned": 0, "completed": 0, "passed": 0}
    assert "collection_rate" in evidence["indicators"]["values"]
    assert isinstance(evidence["scorecards"], list)


def test_the_next_level_approves_a_managers_review(org_tree):
    review = _file(org_tree)
    assert review.approver == org_tree.people["head_east"]
    for someone in ("manager_east1", "rep_east1a", "head_north", "director"):
        with pytest.raises(ValidationError):
            personnel_review_approve(review=review, actor=org_tree.user(someone))
    personnel_review_approve(review=review, actor=org_tree.user("head_east"))
    review.refresh_from_db()
    assert review.status == ReviewStatus.APPROVED
    assert review.decided_by == org_tree.people["head_east"]
    assert [r.kind for r in reminders_for(org_tree.user("head_east"))].count(
        "personnel_review"
    ) == 0


def test_the_director_approves_a_region_heads_review(org_tree):
    review = _file(org_tree, person="manager_east1", actor="head_east")
    assert review.approver is None  # the region head has no manager: the director decides
    with pytest.raises(ValidationError):
        personnel_review_approve(review=review, actor=org_tree.user("head_east"))
    assert "personnel_review" in [r.kind for r in reminders_for(org_tree.user("director"))]
    personnel_review_approve(review=review, actor=org_tree.user("director"))
    assert PersonnelReview.objects.get().status == ReviewStatus.APPROVED


def test_an_approved_promotion_changes_the_position_from_today(org_tree, senior):
    today = timezone.localdate()
    review = _file(org_tree, outcome="promote", new_position=senior, effective_date=today)
    personnel_review_approve(review=review, actor=org_tree.user("head_east"))
    rep = org_tree.people["rep_east1a"]
    rep.refresh_from_db()
    assert rep.position == senior
    assert PositionChange.objects.get().applied_at is not None


def test_a_future_promotion_waits_for_its_date(org_tree, senior):
    today = timezone.localdate()
    later = today + timedelta(days=10)
    review = _file(org_tree, outcome="promote", new_position=senior, effective_date=later)
    personnel_review_approve(review=review, actor=org_tree.user("head_east"))
    rep = org_tree.people["rep_east1a"]
    rep.refresh_from_db()
    assert rep.position is None
    call_command("apply_position_changes", "--date", today.isoformat(), stdout=StringIO())
    rep.refresh_from_db()
    assert rep.position is None
    call_command("apply_position_changes", "--date", later.isoformat(), stdout=StringIO())
    rep.refresh_from_db()
    assert rep.position == senior


def test_a_promotion_needs_a_position_and_a_date(org_tree):
    with pytest.raises(ValidationError) as error:
        _file(org_tree, outcome="promote")
    assert {"new_position", "effective_date"} <= set(error.value.message_dict)


def test_a_rejection_needs_a_reason_and_keeps_the_position(org_tree, senior):
    review = _file(
        org_tree, outcome="promote", new_position=senior, effective_date=date(2026, 1, 1)
    )
    with pytest.raises(ValidationError) as error:
        personnel_review_reject(review=review, actor=org_tree.user("head_east"))
    assert "comment" in error.value.message_dict
    personnel_review_reject(review=review, actor=org_tree.user("head_east"), comment="Not yet")
    org_tree.people["rep_east1a"].refresh_from_db()
    assert org_tree.people["rep_east1a"].position is None
    assert not PositionChange.objects.exists()


def test_reviews_are_never_deleted(org_tree):
    review = _file(org_tree)
    with pytest.raises(ProtectedError):
        org_tree.people["rep_east1a"].delete()
    assert PersonnelReview.objects.filter(pk=review.pk).exists()


def test_only_leaders_file_reviews_and_reps_see_only_their_own(org_tree):
    with pytest.raises(ValidationError):
        _file(org_tree, actor="rep_east1b")
    with pytest.raises(ValidationError):
        _file(org_tree, actor="manager_north1")
    review = _file(org_tree)
    assert org_tree.client("rep_east1a").get(review.get_absolute_url()).status_code == 200
    assert org_tree.client("rep_east1b").get(review.get_absolute_url()).status_code == 404


def test_the_pages_file_and_approve_a_promotion(org_tree, senior, django_assert_max_num_queries):
    rep = org_tree.people["rep_east1a"]
    response = org_tree.client("manager_east1").post(
        "/development/personnel/new/",
        {
            "person": rep.pk,
            "stage": "Probation",
            "outcome": "promote",
            "new_position": senior.pk,
            "effective_date": timezone.localdate().isoformat(),
        },
    )
    review = PersonnelReview.objects.get()
    assert response.status_code == 302
    head = org_tree.client("head_east")
    with django_assert_max_num_queries(25):
        assert head.get("/development/personnel/").status_code == 200
    head.post(f"/development/personnel/{review.pk}/decide/", {"decision": "approve"})
    rep.refresh_from_db()
    assert rep.position == senior
