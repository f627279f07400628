"""Demo data of quarterly reviews, PDCA and standards: present, consistent, reminders show."""

import pytest

from salesorg.core.reminders import reminders_for
from salesorg.core.scoping import SYSTEM
from salesorg.development.models import Handover
from salesorg.targets.choices import ActionOrigin
from salesorg.targets.models import (
    ActionItem,
    PdcaCheck,
    PdcaPlan,
    PdcaProblem,
    QuarterlyReview,
    ReviewStatus,
    RevisionCell,
    Standard,
    StandardVersion,
)
from salesorg.targets.selectors.reviews import review_figures
from tests.demo.conftest import TODAY

pytestmark = pytest.mark.django_db


def test_demo_reviews_pdca_and_standards(demo):
    # given the demo company with its sales records and the reviews demo
    company, counts = demo.company, demo.counts
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
    # (a rep whose figures no later demo step changed: by a handover or a target revision)
    changed = set(RevisionCell.objects.values_list("person", flat=True))
    for handover in Handover.objects.all():
        changed |= {handover.person_id} | {kind["successor_id"] for kind in handover.moved.values()}
    sample = signed.exclude(rep__in=changed).select_related("rep").first()
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
