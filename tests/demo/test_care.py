"""The customer-care demo data: stages, stakeholder profiles, rewards within budget,
referrals, surveys, one key stakeholder who left with its follow-up, and a decision chain
that moved (a supporter turned opponent, a new decision maker) with its history."""

import pytest
from django.utils import translation

from salesorg.customers.models import Contact, Customer, Reward
from salesorg.customers.selectors.care import reward_budget
from salesorg.customers.selectors.stakeholders import chain_histories, chain_of
from salesorg.targets.choices import ActionOrigin
from salesorg.targets.models import ActionItem
from tests.demo.conftest import TODAY

pytestmark = pytest.mark.django_db


def test_demo_care_records_are_consistent(demo):
    counts = demo.counts
    assert counts["rewards"] > 0 and counts["referrals"] > 0
    assert counts["satisfaction surveys"] > 0 and counts["stakeholder follow-ups"] == 1
    assert Customer.objects.exclude(lifecycle_stage="prospect").exists()
    assert not Contact.objects.filter(influence__isnull=True).exists()
    for customer in Customer.objects.filter(rewards__isnull=False).distinct()[:20]:
        budget = reward_budget(customer=customer, as_of=TODAY)
        assert budget.eligible and budget.drawn <= budget.funded
    left = Contact.objects.get(status="left")
    item = ActionItem.objects.get(origin=ActionOrigin.STAKEHOLDER, source_id=left.pk)
    assert item.owner_id == left.customer.owner_id and item.source == left
    assert Reward.objects.filter(value__lte=0).count() == 0


def test_demo_has_a_decision_chain_that_moved_with_history_and_follow_ups(demo):
    counts = demo.counts
    assert counts["decision chain follow-ups"] == 3
    newcomer = Contact.objects.get(name="韩立新")
    customer = newcomer.customer
    contacts = list(customer.contacts.all())
    with translation.override("en"):
        chain = chain_of(contacts, chain_histories(contacts))
    groups = {group.key: group for group in chain.groups}
    assert [m.contact.name for m in groups["decision_makers"].members] == ["韩立新"]
    turned = next(
        member
        for member in groups["influencers"].members
        if member.contact.attitude == "opponent" and member.history
    )
    assert [change["field"] for change in turned.history[0]["changes"]] == ["Attitude"]
    assert turned.history[0]["who"] == customer.owner.name
    items = ActionItem.objects.filter(origin=ActionOrigin.STAKEHOLDER, customer=customer)
    assert items.count() == 3 and {item.owner_id for item in items} == {customer.owner_id}
