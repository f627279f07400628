"""Demo revisions: this year's published plan changed once by an approved revision, and a
second one awaits the region head's decision on their home page."""

from datetime import date
from unittest import mock

import pytest

from salesorg.core.reminders import reminders_for
from salesorg.core.roles import Role
from salesorg.core.scoping import SYSTEM
from salesorg.demo import records as sales_records
from salesorg.demo.org import demo_company_create
from salesorg.demo.plans import demo_plans_create
from salesorg.demo.sales import demo_records_create
from salesorg.targets.models import RevisionStatus, SalesPlan, TargetRevision
from salesorg.targets.selectors.plans import plan_mismatches, plan_org

TODAY = date(2026, 6, 15)


@pytest.mark.django_db
def test_the_published_plan_has_an_approved_and_a_pending_revision():
    with mock.patch.object(sales_records, "HISTORY_MAX_REGIONS", 0):
        company = demo_company_create(scale=1, seed=3, today=TODAY)
        demo_records_create(company=company, seed=3, today=TODAY)
    counts = demo_plans_create(company=company, seed=3, today=TODAY)
    plan = SalesPlan.objects.get(year=TODAY.year)
    revisions = list(TargetRevision.objects.filter(plan=plan).order_by("number"))
    assert counts["target revisions"] == 2
    assert [r.status for r in revisions] == [RevisionStatus.APPROVED, RevisionStatus.PENDING]
    manager = next(p for p in company.logins if p.role == Role.MANAGER)
    assert {r.proposed_by for r in revisions} == {manager}
    assert all(r.cells.count() == 4 and r.reason for r in revisions)
    # the approved one is in force and the plan still adds up everywhere
    assert plan_mismatches(plan=plan, org=plan_org(on=TODAY), user=SYSTEM) == []
    # the approver is told on their home page
    approver = revisions[0].decided_by
    if approver.user_id:
        assert "target_revision" in {r.kind for r in reminders_for(approver.user)}
