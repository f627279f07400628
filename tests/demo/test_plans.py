"""Demo planning data: a research chain, this year's published plan, next year's draft."""

import pytest

from salesorg.core.scoping import SYSTEM
from salesorg.targets.models import (
    AnnualTarget,
    CompanyGoal,
    ResearchNote,
    RevisionCell,
    SalesPlan,
)
from salesorg.targets.selectors.plans import plan_mismatches, plan_org
from tests.demo.conftest import TODAY, people_target_values


@pytest.mark.django_db
def test_the_demo_has_a_research_chain_a_published_plan_and_a_draft_with_one_team_off(demo):
    # the people's targets of a build of the sales records alone, before the plans demo
    people_targets = demo.reference["people_targets_before_plans"]
    counts = demo.counts
    # the people's targets stay as the sales demo made them, but for the approved revision's
    revised = {
        (person, TODAY.year, month, metric)
        for person, month, metric in RevisionCell.objects.filter(
            revision__status="approved"
        ).values_list("person__code", "month", "metric")
    }
    assert revised
    assert {k: v for k, v in people_target_values().items() if k not in revised} == {
        k: v for k, v in people_targets.items() if k not in revised
    }
    # (the pipeline demo's rep notes theirs on a customer)
    notes = ResearchNote.objects.filter(customers__isnull=True)
    assert counts["research notes"] == notes.count() > 0
    published = SalesPlan.objects.get(year=TODAY.year)
    draft = SalesPlan.objects.get(year=TODAY.year + 1)
    assert published.is_published and not draft.is_published
    assert published.research_notes.exists()
    goal = CompanyGoal.objects.get(year=TODAY.year)
    company_sales = AnnualTarget.objects.get(plan=published, owner_type="company", metric="sales")
    assert goal.sales_goal == company_sales.realistic > 0
    # next year: the annual split adds up everywhere except in one team
    off = {
        (m.unit, m.month)
        for m in plan_mismatches(plan=draft, metrics=("sales",), user=SYSTEM)
        if m.kind == "children"
    }
    assert len(off) == 1
    ((unit, month),) = off
    assert unit.owner_type == "team" and month is None


@pytest.mark.django_db
def test_every_published_plan_of_the_demo_adds_up_at_every_level(demo):
    # given the demo, as `salesorg demo` makes it
    published = SalesPlan.objects.filter(status="published")
    assert published.exists()
    org = plan_org(on=TODAY)
    for plan in published:
        # then months add up to years and children to parents, realistic and ideal, everywhere
        assert plan_mismatches(plan=plan, org=org, user=SYSTEM) == [], plan.year
        # and the company's year has a target the home and the grid can show
        company_sales = AnnualTarget.objects.get(plan=plan, owner_type="company", metric="sales")
        assert company_sales.realistic > 0 and company_sales.ideal >= company_sales.realistic
