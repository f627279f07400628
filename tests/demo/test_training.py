"""The training and culture demo data: curriculum with quizzes, onboarded new hires with
some training done and some overdue, courses, vision and values, recognition posts."""

import pytest

from salesorg.development.models import Assignment, CulturePage, Material, Recognition
from tests.demo.conftest import TODAY

pytestmark = pytest.mark.django_db


def test_the_demo_creates_training_and_culture(demo):
    counts = demo.counts
    assert counts["training materials"] == Material.objects.count() == 15
    assert counts["new hires onboarded"] == 3
    assert counts["training assignments"] == Assignment.objects.count()
    assert (
        Material.objects.filter(is_onboarding=True, questions__isnull=False).distinct().count()
        == 11
    )
    hires = Assignment.objects.filter(reason="onboarding")
    assert hires.values("person").distinct().count() == 3
    assert hires.count() == 33  # each new hire got the curriculum exactly once
    assert hires.filter(status="completed", quiz_score__isnull=False, passed=True).exists()
    assert hires.filter(status="assigned", due_date__lt=TODAY).exists()
    assert Assignment.objects.filter(reason__startswith="针对性", due_date__lt=TODAY).exists()
    assert CulturePage.objects.get().vision and CulturePage.history.count() == 1
    assert Recognition.objects.count() == counts["recognition posts"] > 0
    assert all(post.team_id for post in Recognition.objects.all())
