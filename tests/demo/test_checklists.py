"""The demo visit purposes and checklists."""

import pytest

from salesorg.demo.checklists import visit_purposes_create
from salesorg.sales.models import ChecklistStep, VisitPurpose

pytestmark = pytest.mark.django_db


def test_demo_visit_purposes_are_created_once():
    visit_purposes_create()
    visit_purposes_create()
    names = set(VisitPurpose.objects.values_list("name", flat=True))
    assert {"初次拜访", "产品介绍", "回款跟进", "售后服务"} <= names
    assert ChecklistStep.objects.filter(required=True).count() >= 4
    assert ChecklistStep.objects.count() == 16
