"""Demo planning data: a research chain, this year's published plan, next year's draft."""

from datetime import date
from unittest import mock

import pytest

from salesorg.core.scoping import SYSTEM
from salesorg.demo import records as sales_records
from salesorg.demo.org import demo_company_create
from salesorg.demo.plans import demo_plans_create
from salesorg.demo.sales import demo_records_create
from salesorg.targets.models import (
    AnnualTarget,
    CompanyGoal,
    ResearchNote,
    RevisionCell,
    SalesPlan,
    Target,
)
from salesorg.targets.selectors.plans import plan_mismatches, plan_org

TODAY = date(2026, 6, 15)


def _people_targets() -> dict:
    rows = Target.objects.filter(owner_type="person").values_list(
        "person", "year", "month", "metric", "realistic", "ideal"
    )
    return {(person, year, month, metric): (r, i) for person, year, month, metric, r, i in rows}


@pytest.mark.django_db
def test_the_demo_has_a_research_chain_a_published_plan_and_a_draft_with_one_team_off():
    with mock.patch.object(sales_records, "HISTORY_MAX_REGIONS", 0):
        company = demo_company_create(scale=1, seed=3, today=TODAY)
        demo_records_create(company=company, seed=3, today=TODAY)
    people_targets = _people_targets()
    counts = demo_plans_create(company=company, seed=3, today=TODAY)
    # the people's targets stay as the sales demo made them, but for the approved revision's
    revised = {
        (person, TODAY.year, month, metric)
        for person, month, metric in RevisionCell.objects.filter(
            revision__status="approved"
        ).values_list("person", "month", "metric")
    }
    assert revised
    assert {k: v for k, v in _people_targets().items() if k not in revised} == {
        k: v for k, v in people_targets.items() if k not in revised
    }
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
        for m in plan_mismatches(plan=draft, metrics=("sales",), user=SYSTEM)
        if m.kind == "children"
    }
    assert len(off) == 1
    ((unit, month),) = off
    assert unit.owner_type == "team" and month is None


@pytest.mark.django_db
def test_every_published_plan_of_the_demo_adds_up_at_every_level():
    # given the demo (small scale), as `salesorg demo` makes it
    with mock.patch.object(sales_records, "HISTORY_MAX_REGIONS", 0):
        company = demo_company_create(scale=1, seed=5, today=TODAY)
        demo_records_create(company=company, seed=5, today=TODAY)
    demo_plans_create(company=company, seed=5, today=TODAY)
    published = SalesPlan.objects.filter(status="published")
    assert published.exists()
    org = plan_org(on=TODAY)
    for plan in published:
        # then months add up to years and children to parents, realistic and ideal, everywhere
        assert plan_mismatches(plan=plan, org=org, user=SYSTEM) == [], plan.year
        # and the company's year has a target the home and the grid can show
        company_sales = AnnualTarget.objects.get(plan=plan, owner_type="company", metric="sales")
        assert company_sales.realistic > 0 and company_sales.ideal >= company_sales.realistic
