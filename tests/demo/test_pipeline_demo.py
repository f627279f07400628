"""The funnel's demo data: a year of pipeline items with the days spent in each stage, won,
lost and open, and competitor notes a rep recorded on their own customer."""

import pytest

from salesorg.core.scoping import SYSTEM
from salesorg.customers.models import PipelineItem, PipelineStageEntry
from salesorg.customers.selectors.funnel import FunnelFilters, pipeline_funnel
from salesorg.targets.models import ResearchNote
from tests.demo.conftest import TODAY

pytestmark = pytest.mark.django_db


def test_the_demo_gives_a_meaningful_funnel_and_a_reps_competitor_notes(demo):
    counts = demo.counts
    assert counts["funnel pipeline items"] >= 40
    assert not PipelineItem.objects.filter(stage__isnull=False, stage_entries__isnull=True).exists()
    funnel = pipeline_funnel(user=SYSTEM, filters=FunnelFilters.default(TODAY))
    assert funnel.total.won and funnel.total.lost and funnel.total.open
    reached = [row.reached for row in funnel.stages]
    assert reached == sorted(reached, reverse=True) and reached[-1] > 0
    assert all(row.median_days is not None for row in funnel.stages)
    assert funnel.lost_reasons and funnel.won_reasons and len(funnel.by_team) > 1
    assert PipelineStageEntry.objects.filter(left_at__isnull=True).count() == (
        PipelineItem.objects.filter(status="open", stage__isnull=False).count()
    )
    note = ResearchNote.objects.filter(kind="competitor", author__role="rep").first()
    assert note is not None and note.customers.get().owner == note.author
