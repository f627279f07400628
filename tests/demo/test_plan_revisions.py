"""Demo revisions: this year's published plan changed once by an approved revision, and a
second one awaits the region head's decision on their home page."""

import pytest

from salesorg.core.reminders import reminders_for
from salesorg.core.roles import Role
from salesorg.core.scoping import SYSTEM
from salesorg.targets.models import RevisionStatus, SalesPlan, TargetRevision
from salesorg.targets.selectors.plans import plan_mismatches, plan_org
from tests.demo.conftest import TODAY


@pytest.mark.django_db
def test_the_published_plan_has_an_approved_and_a_pending_revision(demo):
    company, counts = demo.company, demo.counts
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
