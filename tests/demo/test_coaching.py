"""The coaching demo data: sessions with carried-over open items, joint-visit reviews over the
months, rules with proposals, a pending and an approved promotion."""

from datetime import date

import pytest

from salesorg.demo.coaching import demo_coaching_create
from salesorg.demo.org import demo_company_create
from salesorg.demo.sales import demo_records_create
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

TODAY = date(2026, 6, 15)


def test_the_demo_creates_coaching_records():
    company = demo_company_create(scale=1, seed=3, today=TODAY)
    demo_records_create(company=company, seed=3, today=TODAY)
    counts = demo_coaching_create(company=company, seed=3, today=TODAY)
    assert counts["coaching sessions"] == CoachingSession.objects.count() > 0
    items = ActionItem.objects.filter(origin=ActionOrigin.COACHING)
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
    assert TrainingRule.objects.count() == 3
    assert counts["training proposals"] == TrainingProposal.objects.count()
    assert PersonnelReview.objects.filter(status="pending", outcome="promote").count() == 1
    approved = PersonnelReview.objects.get(status="approved", outcome="promote")
    assert approved.person.position.code == "POS-SREP"
    assert PositionChange.objects.get().applied_at is not None
