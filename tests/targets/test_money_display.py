"""Plan and target pages show money as ¥ with grouping, never a bare 84315000.00."""

import re
from datetime import date
from decimal import Decimal

import pytest

from salesorg.targets.models import CompanyGoal, ResearchNote
from salesorg.targets.units import COMPANY
from tests.factories import TargetFactory
from tests.targets.plan_helpers import YEAR, annual_target, plan_with_target, team_unit

pytestmark = pytest.mark.django_db

# a figure of 5+ digits, or 4+ before a decimal point, that is not part of a code or date
UNGROUPED = re.compile(r"(?<![\w.,/:+-])(?:\d{5,}(?:\.\d+)?|\d{4,}\.\d+)(?![\w,])")


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_plan_list_and_plan_page_show_the_goal_as_grouped_yuan(org_tree):
    # given a company goal of ¥84,315,000 and a plan with a company target
    CompanyGoal.objects.create(
        year=YEAR,
        statement="增长10%",
        sales_goal=Decimal("84315000.00"),
        gross_margin_goal=Decimal("25294500.00"),
    )
    plan = plan_with_target(unit=COMPANY, realistic="84315000.00", ideal="96962250.00")
    annual_target(plan=plan, unit=team_unit(org_tree), realistic="1234567.89")
    client = org_tree.client("director")
    # when the director opens the plan list and the plan
    listing = visible_text(client.get("/targets/plans/").content.decode())
    detail = visible_text(client.get(plan.get_absolute_url()).content.decode())
    # then every amount reads with ¥ and thousands separators
    assert "¥84,315,000.00" in listing
    assert "¥84,315,000.00" in detail and "¥25,294,500.00" in detail
    assert "¥96,962,250.00" in detail
    for text in (listing, detail):
        assert UNGROUPED.findall(text) == []


def test_target_history_and_research_prices_are_grouped(org_tree):
    rep = org_tree.people["rep_east1a"]
    TargetFactory(person=rep, year=2025, realistic=Decimal("1200000.00"))
    TargetFactory(person=rep, year=2026, realistic=Decimal("1500000.00"))
    TargetFactory(person=rep, year=2026, metric="visits", realistic=Decimal("12000"))
    ResearchNote.objects.create(
        subject="竞品降价",
        observed_on=date(2026, 5, 1),
        author=org_tree.people["director"],
        price=Decimal("11024.00"),
    )
    client = org_tree.client("manager_east1")
    history = visible_text(client.get(f"/targets/people/{rep.pk}/targets/").content.decode())
    assert "¥1,500,000.00" in history and "¥1,200,000.00" in history
    assert "12,000" in history
    assert UNGROUPED.findall(history) == []
    research = visible_text(client.get("/targets/research/").content.decode())
    assert "¥11,024.00" in research
    assert UNGROUPED.findall(research) == []


def test_target_growth_on_the_year_before_is_signed_with_two_decimals(org_tree):
    rep = org_tree.people["rep_east1a"]
    TargetFactory(person=rep, year=2025, realistic=Decimal("1000000.00"))
    TargetFactory(person=rep, year=2026, realistic=Decimal("1100000.00"))
    client = org_tree.client("manager_east1")
    history = visible_text(client.get(f"/targets/people/{rep.pk}/targets/").content.decode())
    assert "+10.00%" in history
