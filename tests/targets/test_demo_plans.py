"""Demo planning data: a research chain, this year's published plan, next year's draft."""

from datetime import date
from unittest import mock

import pytest

from salesorg.org.demo import demo_company_create
from salesorg.sales import demo as sales_demo
from salesorg.sales.demo import demo_records_create
from salesorg.targets.demo_plans import demo_plans_create
from salesorg.targets.models import AnnualTarget, CompanyGoal, ResearchNote, SalesPlan, Target
from salesorg.targets.selectors import plan_mismatches

TODAY = date(2026, 6, 15)


@pytest.mark.django_db
def test_the_demo_has_a_research_chain_a_published_plan_and_a_draft_with_one_team_off():
    with mock.patch.object(sales_demo, "HISTORY_MAX_REGIONS", 0):
        company = demo_company_create(scale=1, seed=3, today=TODAY)
        demo_records_create(company=company, seed=3, today=TODAY)
    targets_before = Target.objects.count()
    counts = demo_plans_create(company=company, seed=3, today=TODAY)
    assert Target.objects.count() == targets_before  # the sales demo's targets stay as made
    assert counts["research notes"] == ResearchNote.objects.count() > 0
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
        for m in plan_mismatches(plan=draft, metrics=("sales",))
        if m.kind == "children"
    }
    assert len(off) == 1
    ((unit, month),) = off
    assert unit.owner_type == "team" and month is None
