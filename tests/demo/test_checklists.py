"""The demo visit purposes and checklists, and the demo visits' answers to them."""

import pytest
from django.db.models import Count

from salesorg.demo.checklists import visit_purposes_create
from salesorg.sales.models import ChecklistStep, Visit, VisitPurpose, VisitStep
from tests.demo.conftest import visit_steps

pytestmark = pytest.mark.django_db


def test_demo_visit_purposes_are_created_once():
    visit_purposes_create()
    visit_purposes_create()
    names = set(VisitPurpose.objects.values_list("name", flat=True))
    assert {"初次拜访", "产品介绍", "回款跟进", "售后服务", "例行拜访", "商务谈判"} <= names
    assert ChecklistStep.objects.filter(required=True).count() >= 4
    assert ChecklistStep.objects.count() == 23


def test_most_demo_visits_answer_their_purposes_checklist(demo):
    visits = Visit.objects.all()
    with_purpose = visits.filter(purpose_type__isnull=False)
    assert with_purpose.count() > 0.8 * visits.count()
    # every visit with a purpose answered each step of its checklist, as asked
    steps_per_purpose = dict(VisitPurpose.objects.annotate(n=Count("steps")).values_list("pk", "n"))
    answered = with_purpose.annotate(n=Count("steps")).values_list("purpose_type_id", "n")
    assert all(n == steps_per_purpose[purpose_id] for purpose_id, n in answered)
    assert not VisitStep.objects.filter(text="").exists()


def test_some_required_steps_are_skipped_each_with_a_reason(demo):
    skipped = VisitStep.objects.filter(required=True, done=False)
    required = VisitStep.objects.filter(required=True).count()
    assert 0.01 * required < skipped.count() < 0.15 * required
    assert not skipped.filter(skip_reason="").exists()
    assert skipped.values("skip_reason").distinct().count() >= 3
    # reps differ: the compliance report has something to show
    rates = skipped.values("visit__rep_id").annotate(n=Count("id")).order_by("n").values_list("n")
    assert rates.first()[0] * 3 < rates.last()[0]


def test_the_demo_checklists_are_deterministic(demo):
    # the visits' answers as a build of the sales records alone gave them
    assert visit_steps() == demo.reference["visit_steps"] and demo.reference["visit_steps"]
