"""Items that existed before stage times were stored get them from their audit history."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps

from salesorg.customers.models import PipelineItem, PipelineStage, PipelineStageEntry
from salesorg.customers.services.pipeline import (
    pipeline_item_advance,
    pipeline_item_close,
    proposal_decide,
    proposal_file,
)

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("salesorg.customers.migrations.0011_pipeline_stage_entries")


def test_stage_times_are_rebuilt_from_the_history(org_tree):
    first = PipelineStage.objects.create(name="接触", position=1)
    second = PipelineStage.objects.create(name="方案", position=2)
    rep = org_tree.user("rep_east1a")
    data = {
        "prospect_name": "宏达机械",
        "market_analysis": "m",
        "competitor_analysis": "c",
        "planned_approach": "p",
        "expected_sales": Decimal("100"),
        "expected_margin": Decimal("10"),
    }
    proposal = proposal_file(actor=rep, data=data)
    proposal_decide(proposal=proposal, actor=org_tree.user("manager_east1"), decision="approve")
    item = PipelineItem.objects.get()
    pipeline_item_advance(item=item, actor=rep)
    pipeline_item_close(item=item, actor=rep, won=False, reason="价格")
    other = proposal_file(actor=rep, data={**data, "prospect_name": "恒信电子"})
    proposal_decide(proposal=other, actor=org_tree.user("manager_east1"), decision="approve")
    kept = {(e.item_id, e.stage_id): (e.left_at is None) for e in PipelineStageEntry.objects.all()}
    PipelineStageEntry.objects.all().delete()

    MIGRATION.stage_entries_from_history(apps, None)

    rebuilt = list(PipelineStageEntry.objects.order_by("item_id", "entered_at"))
    assert {(e.item_id, e.stage_id): (e.left_at is None) for e in rebuilt} == kept
    closed = [e for e in rebuilt if e.item_id == item.pk]
    assert [e.stage_id for e in closed] == [first.pk, second.pk]
    assert closed[0].left_at == closed[1].entered_at
    assert all(e.left_at is not None for e in closed)
