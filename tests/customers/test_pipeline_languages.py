"""Pipeline stages and steps are kept in both languages: each reader sees their own, also in
the message that names the steps still to do, and the shipped demo's rows get their English."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import translation

from salesorg.customers.models import PipelineItem, PipelineStage, PipelineStep
from salesorg.customers.services.pipeline import (
    pipeline_item_advance,
    proposal_decide,
    proposal_file,
)
from tests.customers.test_pipeline import PROPOSAL

pytestmark = pytest.mark.django_db


@pytest.fixture
def stage(db):
    first = PipelineStage.objects.create(
        name="接触与需求调研", name_en="Contact and needs research", position=1
    )
    PipelineStage.objects.create(name="签约", name_en="Contract", position=2)
    PipelineStep.objects.create(
        stage=first, position=1, text="拜访决策人", text_en="Visit the decision maker"
    )
    return first


def test_a_stage_reads_in_each_readers_language(stage):
    with translation.override("en"):
        assert str(stage) == "Contact and needs research"
    with translation.override("zh-hans"):
        assert str(stage) == "接触与需求调研"


def test_the_steps_still_to_do_are_named_in_the_readers_language(org_tree, stage):
    rep = org_tree.user("rep_east1a")
    proposal = proposal_file(actor=rep, data=PROPOSAL)
    proposal_decide(proposal=proposal, actor=org_tree.user("manager_east1"), decision="approve")
    item = PipelineItem.objects.get(proposal=proposal)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        pipeline_item_advance(item=item, actor=rep)
    assert "Visit the decision maker" in str(error.value) and "拜访决策人" not in str(error.value)
    client = org_tree.client("rep_east1a")
    page = client.get(item.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Visit the decision maker" in page and "Contact and needs research" in page
    page = client.get(item.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "拜访决策人" in page and "Visit the decision maker" not in page


def test_the_shipped_demos_chinese_rows_get_their_english():
    stage = PipelineStage.objects.create(name="方案与报价", position=1)
    step = PipelineStep.objects.create(stage=stage, position=1, text="提交报价")
    own = PipelineStep.objects.create(stage=stage, position=2, text="请客户吃饭")
    migration = importlib.import_module("salesorg.customers.migrations.0007_pipeline_in_english")
    migration.add_demo_english(apps, None)
    for record in (stage, step, own):
        record.refresh_from_db()
    assert stage.name_en == "Proposal and quotation"
    assert step.text_en == "Submit the quotation" and own.text_en == ""
