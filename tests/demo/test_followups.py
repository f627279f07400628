"""The follow-up demo data: the demo rep's own follow-ups (some overdue, one due today, one
reminded) on customers, visits and contacts, and the demo manager's team's; same seed, same
follow-ups."""

import pytest
from django.db import transaction

from salesorg.core.roles import Role
from salesorg.demo.followups import demo_follow_ups_create
from salesorg.targets.choices import ActionOrigin, ActionStatus
from salesorg.targets.models import ActionItem
from salesorg.work.selectors import follow_ups_due, team_follow_ups
from tests.demo.conftest import SEED, TODAY

pytestmark = pytest.mark.django_db


def _snapshot():
    items = ActionItem.objects.filter(origin=ActionOrigin.FOLLOW_UP).order_by("id")
    return [
        (i.owner.code, i.title, i.due_date, i.remind_on, i.status, i.source_type.model)
        for i in items
    ]


def test_the_demo_rep_and_manager_have_follow_ups_some_overdue(demo):
    company, counts = demo.company, demo.counts
    items = ActionItem.objects.filter(origin=ActionOrigin.FOLLOW_UP)
    assert counts["follow-ups"] == items.count() >= 6
    assert {item.source_type.model for item in items} == {"customer", "visit", "contact"}
    assert items.filter(status=ActionStatus.DONE).exists()
    rep, manager = (
        next(p for p in company.logins if p.role == role) for role in (Role.REP, Role.MANAGER)
    )
    due = follow_ups_due(user=rep.user, person=rep, today=TODAY)
    assert due.overdue and due.due_today and due.reminded
    team = team_follow_ups(user=manager.user, person=manager, today=TODAY)
    assert team.count >= 3 and team.overdue >= 1


def test_the_same_seed_gives_the_same_follow_ups(demo):
    # the follow-ups the demo made, made again by the same step on the same company
    first = _snapshot()
    with transaction.atomic():
        ActionItem.objects.filter(origin=ActionOrigin.FOLLOW_UP).delete()
        demo_follow_ups_create(company=demo.company, seed=SEED, today=TODAY)
        again = _snapshot()
        transaction.set_rollback(True)
    assert again == first and first
