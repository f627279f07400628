"""The coaching demo data: sessions with carried-over open items, joint-visit reviews over the
months, rules with proposals, a pending and an approved promotion."""

import pytest
from django.contrib.contenttypes.models import ContentType

from salesorg.development.models import (
    CoachingSession,
    JointVisitReview,
    PersonnelReview,
    PositionChange,
    TrainingProposal,
    TrainingRule,
)
from salesorg.targets.choices import ActionOrigin
from salesorg.targets.models import ActionItem

pytestmark = pytest.mark.django_db


def test_the_demo_creates_coaching_records(demo):
    counts = demo.counts
    assert counts["coaching sessions"] == CoachingSession.objects.count() > 0
    session_type = ContentType.objects.get_for_model(CoachingSession)
    items = ActionItem.objects.filter(origin=ActionOrigin.COACHING, source_type=session_type)
    assert counts["coaching action items"] == items.count()
    assert items.filter(status="open").exists() and items.filter(status="done").exists()
    carried = CoachingSession.objects.filter(carried_items__isnull=False).distinct()
    assert carried.exists()
    latest = CoachingSession.objects.filter(previous__isnull=False).first()
    assert latest.indicators.get("values")
    reviews = JointVisitReview.objects.all()
    assert counts["joint-visit reviews"] == reviews.count() > 0
    assert reviews.values("visit__rep").distinct().count() > 1
    assert all(review.scores.count() == 7 for review in reviews[:5])
    # the reps discussed their plans with their coach and agreed to most of them
    sessions = CoachingSession.objects.all()
    assert all(session.comments.count() == 2 for session in sessions[:5])
    assert sessions.filter(plan_agreed_at__isnull=False).exists()
    assert sessions.filter(plan_agreed_at__isnull=True).exists()
    # points to improve of joint visits became the reps' action items, linked to the review
    review_type = ContentType.objects.get_for_model(JointVisitReview)
    point_items = ActionItem.objects.filter(source_type=review_type)
    assert counts["review points made action items"] == point_items.count() > 0
    review = reviews.get(pk=point_items.first().source_id)
    assert point_items.first().owner_id == review.visit.rep_id
    assert point_items.filter(status="open").exists() and point_items.filter(status="done").exists()
    assert TrainingRule.objects.count() == 3
    assert counts["training proposals"] == TrainingProposal.objects.count()
    assert PersonnelReview.objects.filter(status="pending", outcome="promote").count() == 1
    approved = PersonnelReview.objects.get(status="approved", outcome="promote")
    assert approved.person.position.code == "POS-SREP"
    assert PositionChange.objects.get().applied_at is not None
