"""Visit purposes and checklist steps are kept in both languages: each reader sees their own,
on the visit form's checklist and in messages, and the shipped demo's rows get their English."""

import importlib

import pytest
from django.apps import apps
from django.utils import translation

from salesorg.demo.checklists import visit_purposes_create
from salesorg.sales.models import ChecklistStep, VisitPurpose
from tests.factories import CustomerFactory, VisitFactory

pytestmark = pytest.mark.django_db


def test_the_demo_purposes_read_in_each_readers_language():
    visit_purposes_create()
    purpose = VisitPurpose.objects.get(code="FIRST")
    step = purpose.steps.get(position=2)
    with translation.override("en"):
        assert (str(purpose), step.label) == (
            "First visit",
            "Learn the customer's needs and pain points",
        )
    with translation.override("zh-hans"):
        assert (str(purpose), step.label) == ("初次拜访", "了解客户需求与痛点")


def test_the_checklist_shows_english_steps_to_an_english_reader(org_tree):
    visit_purposes_create()
    purpose = VisitPurpose.objects.get(code="COLLECT")
    client = org_tree.client("rep_east1a")
    english = client.get(
        "/sales/visits/checklist/", {"purpose_type": purpose.pk}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Confirm the payment date and amount" in english and "确认付款日期与金额" not in english
    chinese = client.get(
        "/sales/visits/checklist/", {"purpose_type": purpose.pk}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "确认付款日期与金额" in chinese


def test_a_step_without_english_shows_its_chinese():
    purpose = VisitPurpose.objects.create(code="OWN", name="展会跟进")
    step = ChecklistStep.objects.create(purpose=purpose, position=1, text="寄送样品")
    with translation.override("en"):
        assert (purpose.label, step.label) == ("展会跟进", "寄送样品")


def test_the_shipped_demos_chinese_rows_get_their_english():
    purpose = VisitPurpose.objects.create(code="FIRST", name="初次拜访")
    step = ChecklistStep.objects.create(purpose=purpose, position=1, text="约定下次拜访时间")
    own = ChecklistStep.objects.create(purpose=purpose, position=2, text="寄送样品")
    migration = importlib.import_module(
        "salesorg.sales.migrations.0007_purpose_and_step_in_english"
    )
    migration.add_demo_english(apps, None)
    purpose.refresh_from_db()
    step.refresh_from_db()
    own.refresh_from_db()
    assert purpose.name_en == "First visit"
    assert step.text_en == "Agree the time of the next visit" and own.text_en == ""


def test_a_visits_purpose_copied_from_its_type_reads_in_the_readers_language(org_tree):
    visit_purposes_create()
    purpose = VisitPurpose.objects.get(code="COLLECT")
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"])
    copied = VisitFactory(customer=customer, rep=customer.owner, purpose_type=purpose)
    copied.purpose = purpose.name  # what visit_save copies when no details are typed
    typed = VisitFactory(
        customer=customer, rep=customer.owner, purpose_type=purpose, purpose="催收两张发票"
    )
    with translation.override("en"):
        assert copied.purpose_text == "Collection follow-up"
        assert typed.purpose_text == "催收两张发票"
