"""Text the development app writes itself reads in the reader's language: the reason of a
targeted-training assignment, the seeded rubric's name and criteria (also inside a
personnel review's evidence), and a rubric rule never shows a criterion's code."""

import importlib
import re
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.utils import translation
from django.utils.translation import gettext, pgettext

from salesorg.development.models import (
    Assignment,
    Material,
    PersonnelReview,
    Rubric,
    TrainingProposal,
    TrainingRule,
)
from salesorg.development.selectors.targeted import rule_description
from salesorg.development.services.targeted import proposal_accept
from tests.factories import CustomerFactory, InvoiceFactory, PaymentFactory

pytestmark = pytest.mark.django_db
LATIN = re.compile(r"[A-Za-z]{3,}")  # an English word or a code


@pytest.fixture
def proposal(org_tree):
    """A proposal for rep east1a from a collection-rate rule, for February."""
    material = Material.objects.create(code="MAT-COL", title="回款技巧", topic="collections")
    rule = TrainingRule.objects.create(
        name="回款率低于80%",
        indicator="collection_rate",
        comparison="lt",
        threshold=Decimal("80"),
        material=material,
    )
    rep = org_tree.people["rep_east1a"]
    invoice = InvoiceFactory(customer=CustomerFactory(owner=rep), amount=Decimal("100"))
    PaymentFactory(invoice=invoice, amount=Decimal("40"), payment_date=date(2026, 2, 10))
    return TrainingProposal.objects.create(
        person=rep,
        rule=rule,
        material=material,
        period_start=date(2026, 2, 1),
        period_end=date(2026, 2, 28),
        value=Decimal("40"),
    )


def test_a_reason_written_when_a_manager_accepts_in_english_reads_in_chinese(org_tree, proposal):
    with translation.override("en"):
        proposal_accept(
            proposal=proposal, actor=org_tree.user("manager_east1"), due_date=date(2026, 3, 15)
        )
    assignment = Assignment.objects.get(person=proposal.person)
    with translation.override("zh-hans"):
        reason = assignment.display_reason
    assert "2026-02-01" in reason and "80%" in reason and "培训" in reason
    assert not LATIN.search(reason)  # no "Targeted training", no "Collection rate"
    with translation.override("en"):
        assert assignment.display_reason.startswith("Targeted training: Collection rate below 80%")


def test_a_reason_written_in_chinese_reads_in_english_on_the_page_and_api(
    org_tree, proposal, client
):
    with translation.override("zh-hans"):
        proposal_accept(proposal=proposal, actor=org_tree.user("manager_east1"))
    assignment = Assignment.objects.get(person=proposal.person)
    client.force_login(org_tree.user("rep_east1a"))
    page = client.get(assignment.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Targeted training: Collection rate below 80% (2026-02-01 – 2026-02-28)" in page
    assert "针对性培训" not in page


def test_an_onboarding_assignment_shows_a_label_not_its_code(org_tree):
    material = Material.objects.create(code="MAT-ORG", title="组织结构", topic="org_structure")
    assignment = Assignment.objects.create(
        person=org_tree.people["rep_east1a"],
        material=material,
        due_date=date(2026, 3, 1),
        reason="onboarding",
    )
    with translation.override("zh-hans"):
        assert assignment.display_reason == gettext("Onboarding")
        assert not LATIN.search(assignment.display_reason)


def test_old_targeted_reasons_are_converted_through_their_proposal(org_tree, proposal):
    # given an assignment accepted before reasons were keys: a Chinese sentence
    assignment = Assignment.objects.create(
        person=proposal.person,
        material=proposal.material,
        due_date=date(2026, 3, 15),
        reason="针对性培训：回款率 低于 80%（2026-02-01 – 2026-02-28）",
    )
    proposal.assignment = assignment
    proposal.status = "accepted"
    proposal.save()
    # when the migration's conversion runs
    migration = importlib.import_module(
        "salesorg.development.migrations.0004_assignment_reason_keys"
    )
    migration.convert_targeted_reasons(apps, None)
    # then it reads in English for an English reader
    assignment.refresh_from_db()
    assert assignment.reason_key == "development.targeted_training"
    with translation.override("en"):
        assert assignment.display_reason == (
            "Targeted training: Collection rate below 80% (2026-02-01 – 2026-02-28)"
        )


def test_a_rubric_rule_names_the_criterion_in_the_readers_language(org_tree):
    material = Material.objects.create(code="MAT-CLO", title="成交技巧", topic="selling_skills")
    rule = TrainingRule.objects.create(
        name="成交低于3",
        source="rubric",
        criterion_code="closing",
        comparison="lt",
        threshold=Decimal("3"),
        material=material,
    )
    with translation.override("zh-hans"):
        text, closing = rule_description(rule), pgettext("joint visit rubric", "Closing")
    assert closing in text and not LATIN.search(text)
    with translation.override("en"):
        assert "“Closing”" in rule_description(rule)


def test_the_seeded_rubric_and_criteria_read_in_chinese(org_tree):
    rubric = Rubric.objects.get(code="JOINT-VISIT")
    with translation.override("zh-hans"):
        labels = [criterion.label for criterion in rubric.criteria.all()]
        assert rubric.label == gettext("Joint visit") and not LATIN.search(rubric.label)
        assert pgettext("joint visit rubric", "Closing") in labels
    assert len(labels) == 7 and not any(LATIN.search(label) for label in labels)


def test_a_personnel_reviews_rubric_evidence_reads_in_chinese(org_tree):
    review = PersonnelReview(
        evidence={
            "rubric": {
                "closing": {"name": "Closing", "average": "2.50", "reviews": 2},
                "follow_up": {"name": "Follow-up", "average": "4.00", "reviews": 2},
            }
        }
    )
    with translation.override("zh-hans"):
        labels = [row["label"] for row in review.rubric_evidence]
        assert labels == [
            pgettext("joint visit rubric", "Closing"),
            pgettext("joint visit rubric", "Follow-up"),
        ]
    assert not any(LATIN.search(label) for label in labels)
