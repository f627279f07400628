"""The follow-up demo data: the demo rep's own follow-ups (some overdue, one due today, one
reminded) on customers, visits and contacts, and the demo manager's team's; same seed, same
follow-ups."""

from datetime import date

import pytest
from django.db import transaction

from salesorg.core.roles import Role
from salesorg.demo.followups import demo_follow_ups_create
from salesorg.demo.org import demo_company_create
from salesorg.demo.sales import demo_records_create
from salesorg.targets.choices import ActionOrigin, ActionStatus
from salesorg.targets.models import ActionItem
from salesorg.work.selectors import follow_ups_due, team_follow_ups

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)


def _demo(seed: int):
    company = demo_company_create(scale=1, seed=seed, today=TODAY)
    demo_records_create(company=company, seed=seed, today=TODAY)
    counts = demo_follow_ups_create(company=company, seed=seed, today=TODAY)
    return company, counts


def _snapshot():
    items = ActionItem.objects.filter(origin=ActionOrigin.FOLLOW_UP).order_by("id")
    return [
        (i.owner.code, i.title, i.due_date, i.remind_on, i.status, i.source_type.model)
        for i in items
    ]


def test_the_demo_rep_and_manager_have_follow_ups_some_overdue():
    company, counts = _demo(seed=3)
    items = ActionItem.objects.filter(origin=ActionOrigin.FOLLOW_UP)
    assert counts["follow-ups"] == items.count() >= 6
    assert {item.source_type.model for item in items} == {"customer", "visit", "contact"}
    assert items.filter(status=ActionStatus.DONE).exists()
    logins = {person.role: person for person in company.logins}
    rep, manager = logins[Role.REP], logins[Role.MANAGER]
    due = follow_ups_due(user=rep.user, person=rep, today=TODAY)
    assert due.overdue and due.due_today and due.reminded
    team = team_follow_ups(user=manager.user, person=manager, today=TODAY)
    assert team.count >= 3 and team.overdue >= 1


def test_the_same_seed_gives_the_same_follow_ups():
    with transaction.atomic():
        _demo(seed=5)
        first = _snapshot()
        transaction.set_rollback(True)
    _demo(seed=5)
    assert _snapshot() == first and first
