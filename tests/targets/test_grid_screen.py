"""The targets grid as a person reads it (issue 15): grouped money, labelled realistic and
ideal, every mismatch with its count, the same targets as the dashboards, a rep's own row."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from salesorg.performance.kpi.attribution import REGION, org_snapshot
from salesorg.performance.kpi.periods import Period
from salesorg.performance.kpi.targets import monthly_targets
from salesorg.targets.models import Target
from salesorg.targets.units import COMPANY
from tests.targets.plan_helpers import (
    YEAR,
    annual_target,
    person_unit,
    plan_with_target,
    region_unit,
    team_unit,
)

pytestmark = pytest.mark.django_db


def grid_url(plan, unit=None, metric="sales") -> str:
    url = f"/targets/plans/{plan.pk}/grid/?metric={metric}"
    return url + (f"&unit={unit.key}" if unit else "")


def monthly(unit, month: int, realistic: str, ideal: str | None = None, metric="sales"):
    fields = {"owner_type": unit.owner_type}
    if unit != COMPANY:
        fields[f"{unit.owner_type}_id"] = unit.id
    return Target.objects.create(
        year=YEAR,
        month=month,
        metric=metric,
        realistic=Decimal(realistic),
        ideal=Decimal(ideal or realistic),
        **fields,
    )


def input_value(page: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', page)[1]


def row_keys(page: str) -> list[str]:
    return re.findall(r'<tr data-grid-row="([^"]+)"', page)


def test_money_shows_grouped_with_yen_never_a_bare_number(org_tree):
    team = team_unit(org_tree)
    plan = plan_with_target(unit=team, realistic="76650000", ideal="85860000.5")
    page = org_tree.client("manager_east1").get(grid_url(plan, team)).content.decode()
    assert input_value(page, f"r-{team.key}-0") == "¥76,650,000.00"
    assert input_value(page, f"i-{team.key}-0") == "¥85,860,000.50"
    assert "76650000.0" not in page
    # the sums too: the year's months add up to nothing yet
    assert "¥0.00" in page


def test_grouped_input_is_saved_exactly(org_tree):
    team = team_unit(org_tree)
    plan = plan_with_target(unit=team, realistic="1200")
    rep = person_unit(org_tree, "rep_east1a")
    client = org_tree.client("manager_east1")
    response = client.post(
        grid_url(plan, team),
        {
            "metric": "sales",
            "unit": team.key,
            f"r-{rep.key}-1": "¥76,650,000.01",
            f"i-{rep.key}-1": "￥85,860,000.10",
            f"r-{rep.key}-2": "1234567.89",
            f"i-{rep.key}-2": "",
        },
    )
    assert response.status_code == 302
    saved = Target.objects.get(person_id=rep.id, year=YEAR, month=1)
    assert (saved.realistic, saved.ideal) == (Decimal("76650000.01"), Decimal("85860000.10"))
    # shown again grouped, and that text saves back to the same value
    page = client.get(grid_url(plan, team)).content.decode()
    shown = input_value(page, f"r-{rep.key}-1")
    assert shown == "¥76,650,000.01"
    client.post(
        grid_url(plan, team),
        {
            "metric": "sales",
            "unit": team.key,
            f"r-{rep.key}-1": shown,
            f"i-{rep.key}-1": input_value(page, f"i-{rep.key}-1"),
        },
    )
    saved.refresh_from_db()
    assert (saved.realistic, saved.ideal) == (Decimal("76650000.01"), Decimal("85860000.10"))
    assert Target.objects.get(person_id=rep.id, month=2).realistic == Decimal("1234567.89")


def test_realistic_and_ideal_are_labelled_on_every_row(org_tree):
    team = team_unit(org_tree)
    plan = plan_with_target(unit=team, realistic="1200", ideal="1500")
    page = org_tree.client("manager_east1").get(grid_url(plan, team)).content.decode()
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    rows = len(row_keys(page))
    assert rows == 1 + 3  # the team, its manager and two reps
    assert body.count('data-kind-label="r">Realistic<') == rows
    assert body.count('data-kind-label="i">Ideal<') == rows


def test_every_mismatch_is_listed_with_its_count(org_tree):
    team = team_unit(org_tree)
    plan = plan_with_target(unit=team, realistic="1200")
    for key in ("rep_east1a", "rep_east1b", "manager_east1"):
        annual_target(plan=plan, unit=person_unit(org_tree, key), realistic="100")
    rep = person_unit(org_tree, "rep_east1a")
    for month in range(1, 13):
        monthly(team, month, "100")
        monthly(rep, month, "10")
    page = org_tree.client("manager_east1").get(grid_url(plan, team)).content.decode()
    # the team: its units for the year and for 12 months (13 × 2 kinds); each person's
    # months against their year (3 × 2)
    expected = 26 + 3 * 2
    assert f'data-mismatch-count="{expected}"' in page
    assert f"{expected} places do not add up." in page
    listed = page.split("grid-mismatch-list")[1].split("</ol>")[0]
    assert listed.count("<li>") == expected > 20


def test_the_company_grid_shows_the_targets_the_dashboards_use(org_tree):
    """Regions without rows of their own: the grid showed 0, the dashboards their teams'."""
    plan = plan_with_target(unit=COMPANY, realistic="3000")
    east1 = team_unit(org_tree, "east1")
    monthly(east1, 3, "700", "800")
    rep = person_unit(org_tree, "rep_east2a")
    monthly(rep, 3, "250.50", "300")  # east2 has no row: its members' sum
    monthly(COMPANY, 3, "950.50", "1100")
    client = org_tree.client("director")
    page = client.get(grid_url(plan)).content.decode()  # the director lands on the company
    assert row_keys(page)[0] == COMPANY.key
    east = region_unit(org_tree, "east")
    engine = monthly_targets(
        org=org_snapshot(), period=Period(start=date(YEAR, 1, 1), end=date(YEAR, 12, 31))
    )
    target = engine[(YEAR, 3)][((REGION, east.id), "sales")]
    assert (target.realistic, target.ideal) == (95050, 110000)  # cents
    row = page.split(f'data-grid-row="{east.key}"')[1].split("</tr>")[0]
    march = row.split('data-cell-month="3"')[1].split("</td>")[0]
    assert "∑ ¥950.50" in march and "∑ ¥1,100.00" in march
    assert 'data-derived="950.50"' in march  # the script sums what is shown
    assert 'value=""' in march  # nothing of the region's own is saved by the form
    # the company's March equals its regions' as the dashboards see them: no mismatch there
    footer = page.split("<tfoot>")[1]
    assert 'data-children-sum="3"' in footer and "¥950.50" in footer
    assert not re.search(r'class="[^"]*table-danger[^"]*" data-children-sum="3"', footer)


def test_a_rep_lands_on_their_own_row_and_a_manager_on_their_team(org_tree):
    plan = plan_with_target(unit=COMPANY, realistic="3000")
    rep = person_unit(org_tree, "rep_east1a")
    annual_target(plan=plan, unit=rep, realistic="100")
    page = org_tree.client("rep_east1a").get(grid_url(plan)).content.decode()
    assert row_keys(page)[0] == rep.key  # their own targets first
    assert 'id="my-targets"' in page and "My targets" in page
    assert f'value="{team_unit(org_tree).key}" selected' in page  # on their team's grid
    manager = org_tree.client("manager_north2").get(grid_url(plan)).content.decode()
    assert row_keys(manager)[0] == team_unit(org_tree, "north2").key
    head = org_tree.client("head_north").get(grid_url(plan)).content.decode()
    assert row_keys(head)[0] == region_unit(org_tree, "north").key


def test_a_sum_over_units_hidden_from_the_user_is_not_shown(org_tree):
    plan = plan_with_target(unit=COMPANY, realistic="3000")
    team = team_unit(org_tree)
    monthly(person_unit(org_tree, "rep_east1a"), 5, "100")
    monthly(person_unit(org_tree, "rep_east1b"), 5, "250")  # the team has no row of its own
    manager = org_tree.client("manager_east1").get(grid_url(plan, team)).content.decode()
    team_row = manager.split(f'data-grid-row="{team.key}"')[1].split("</tr>")[0]
    assert "∑ ¥350.00" in team_row  # the manager sees every member: the team's sum
    rep = org_tree.client("rep_east1a").get(grid_url(plan, team)).content.decode()
    team_row = rep.split(f'data-grid-row="{team.key}"')[1].split("</tr>")[0]
    assert "∑" not in team_row and "350.00" not in rep  # a rep would learn a colleague's
