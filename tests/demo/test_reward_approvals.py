"""The demo's rewards are approved as the app approves them (S16): recorded by the owner's
manager, approved by the region head above (never by whoever recorded it), after the reward's
date; the last fortnight's still await approval."""

from datetime import timedelta

import pytest
from django.db.models import F

from salesorg.core.roles import Role
from salesorg.customers.models import Reward
from tests.demo.conftest import TODAY

pytestmark = pytest.mark.django_db


def test_demo_rewards_are_approved_by_the_region_head_with_pending_ones_left(demo):
    approved = Reward.objects.filter(approved_at__isnull=False)
    assert approved.exists()
    assert not approved.filter(approved_by__isnull=True).exists()
    assert set(approved.values_list("approved_by__role", flat=True)) == {Role.REGION_HEAD}
    assert not approved.filter(approved_by=F("created_by")).exists()
    assert all(r.approved_at.date() > r.granted_on for r in approved[:50])
    assert not Reward.objects.filter(created_by__isnull=True).exists()
    pending = Reward.objects.filter(approved_at__isnull=True)
    assert not pending.filter(approved_by__isnull=False).exists()
    assert not pending.filter(granted_on__lt=TODAY - timedelta(days=14)).exists()
