"""The customer-care demo data: stages, stakeholder profiles, rewards within budget,
referrals, surveys and one key stakeholder who left with its follow-up."""

from datetime import date

import pytest

from salesorg.customers.models import Contact, Customer, Reward
from salesorg.customers.selectors.care import reward_budget
from salesorg.demo.care import demo_care_create
from salesorg.demo.org import demo_company_create
from salesorg.demo.sales import demo_records_create
from salesorg.targets.choices import ActionOrigin
from salesorg.targets.models import ActionItem

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 27)


def test_demo_care_records_are_consistent():
    company = demo_company_create(scale=1, seed=3, today=TODAY)
    demo_records_create(company=company, seed=3, today=TODAY)
    counts = demo_care_create(company=company, seed=3, today=TODAY)
    assert counts["rewards"] > 0 and counts["referrals"] > 0
    assert counts["satisfaction surveys"] > 0 and counts["stakeholder follow-ups"] == 1
    assert Customer.objects.exclude(lifecycle_stage="prospect").exists()
    assert not Contact.objects.filter(influence__isnull=True).exists()
    for customer in Customer.objects.filter(rewards__isnull=False).distinct()[:20]:
        budget = reward_budget(customer=customer, as_of=TODAY)
        assert budget.eligible and budget.drawn <= budget.funded
    item = ActionItem.objects.get(origin=ActionOrigin.STAKEHOLDER)
    left = Contact.objects.get(status="left")
    assert item.owner_id == left.customer.owner_id and item.source == left
    assert Reward.objects.filter(value__lte=0).count() == 0
