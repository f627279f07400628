"""Demo data of quarterly reviews, PDCA and standards: present, consistent, reminders show."""

from datetime import date

import pytest

from salesorg.core.reminders import reminders_for
from salesorg.core.scoping import SYSTEM
from salesorg.demo.org import demo_company_create
from salesorg.demo.reviews import demo_reviews_create
from salesorg.demo.sales import demo_records_create
from salesorg.targets.choices import ActionOrigin
from salesorg.targets.models import (
    ActionItem,
    PdcaCheck,
    PdcaPlan,
    PdcaProblem,
    QuarterlyReview,
    ReviewStatus,
    Standard,
    StandardVersion,
)
from salesorg.targets.selectors.reviews import review_figures

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 27)


def test_demo_reviews_pdca_and_standards():
    # given the demo company with its sales records
    company = demo_company_create(scale=1, seed=2, today=TODAY)
    demo_records_create(company=company, seed=2, today=TODAY)
    # when the reviews demo runs
    counts = demo_reviews_create(company=company, seed=2, today=TODAY)
    # then most reps have a signed-off review of 2026 Q3 and a few have none or a draft
    reviews = QuarterlyReview.objects.filter(year=2026, quarter=3)
    assert counts["quarterly reviews"] == reviews.count() + 1
    # and one draft of the running quarter, its figures to date, its territory answer begun
    (draft,) = QuarterlyReview.objects.exclude(year=2026, quarter=3)
    assert (draft.year, draft.quarter, draft.status) == (2026, 4, ReviewStatus.DRAFT)
    assert draft.figures["running"] is True and draft.figures["as_of"] == "2026-11-27"
    assert draft.territory_strengths_weaknesses
    signed = reviews.filter(status=ReviewStatus.SIGNED_OFF)
    assert signed.count() >= reviews.count() * 2 // 3
    assert reviews.exclude(status=ReviewStatus.SIGNED_OFF).exists()
    sample = signed.select_related("rep").first()
    assert sample.figures == review_figures(rep=sample.rep, year=2026, quarter=3, user=SYSTEM)
    assert sample.reviewed_by_id == sample.rep.manager_id and sample.manager_comment
    # a PDCA cycle with a check, a problem and two action items from it
    assert PdcaPlan.objects.count() == 2 and PdcaCheck.objects.count() == 2
    problem = PdcaProblem.objects.get()
    items = ActionItem.objects.filter(origin=ActionOrigin.PDCA, source_id=problem.pk)
    assert items.count() == 2
    # two standards, one with two versions (the second from the closed cycle's lesson)
    assert Standard.objects.filter(is_published=True).count() == 2
    second = StandardVersion.objects.get(number=2)
    assert second.lesson_plan is not None and second.standard.versions.count() == 2
    # and a manager whose reps have not filed sees the reminder (past 2026-10-14)
    missing = {r.rep_id for r in reviews.exclude(status=ReviewStatus.SIGNED_OFF)}
    managers = {p.manager for p in company.people if p.pk in missing}
    manager = next(iter(managers))
    kinds = {r.kind for r in reminders_for(manager.user, today=TODAY)} if manager.user else set()
    assert not manager.user or "review_unfiled" in kinds
