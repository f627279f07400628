"""A manager decomposes the team's annual sales target by seasonality, sees a flagged
mismatch after editing a cell, fixes it and publishes; on a published plan a manager's change
is a revision that the region head approves."""

from datetime import date
from decimal import Decimal

import pytest

from salesorg.targets.models import Decomposition, PlanStatus, Target
from tests.targets.plan_helpers import plan_with_target, sell, team_unit
from tests.targets.revision_helpers import month_target, published_plan

pytestmark = pytest.mark.django_db(transaction=True)


def amount(text: str) -> Decimal:
    """A grid input's value ("¥60,000.00") as a Decimal."""
    return Decimal(text.replace("¥", "").replace(",", ""))


def test_a_manager_decomposes_fixes_a_mismatch_and_publishes(live_server, org_tree, browser):
    year = date.today().year + 1
    team = team_unit(org_tree)
    plan = plan_with_target(unit=team, realistic="120000", ideal="132000", year=year)
    rep_a, rep_b = org_tree.people["rep_east1a"], org_tree.people["rep_east1b"]
    # the last complete year before the plan's (this year is still running): 60,000 sold
    # in six months, half of it in March; rep A sold 40,000, rep B 20,000
    history = year - 2
    for rep, month, sold in (
        (rep_a, 1, "2000"), (rep_a, 2, "3000"), (rep_a, 3, "30000"), (rep_a, 10, "5000"),
        (rep_b, 6, "15000"), (rep_b, 8, "5000"),
    ):  # fmt: skip
        sell(rep=rep, day=date(history, month, 10), amount=sold)
    manager = org_tree.people["manager_east1"]

    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US").new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", manager.code)
    page.fill("#id_password", "pw-for-tests-1")
    page.click("#main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    # the grid of the team's annual sales target
    page.goto(f"{live_server.url}/targets/plans/{plan.pk}/grid/?metric=sales&unit={team.key}")
    assert page.locator("#grid-mismatches").is_visible()  # nothing is split yet
    page.select_option("#id_months", "history")
    page.select_option("#id_children", "history")
    page.click("#decompose")
    page.wait_for_load_state()
    assert "every part adds up" in page.content()
    assert page.locator("#grid-mismatches").is_hidden()

    # March follows the last complete year's seasonality; a cell is edited: flagged as you type
    march = page.locator(f'input[name="r-{team.key}-3"]')
    # money reads grouped while not being edited
    assert march.input_value() == "¥60,000.00"  # 30,000 of that year's 60,000 sold in March
    march.focus()
    assert march.input_value() == "60000.00"  # plain digits while editing
    march.blur()
    assert march.input_value() == "¥60,000.00"
    cell = page.locator(f'input[name="r-person-{rep_a.pk}-3"]')
    original = cell.input_value()
    cell.fill(f"{amount(original) - 100:.2f}")
    assert page.locator('[data-children-sum="3"][data-mismatch]').count() == 1
    assert (
        page.locator(
            f'tr[data-grid-row="person-{rep_a.pk}"] [data-months-sum][data-mismatch]'
        ).count()
        == 1
    )
    assert page.locator("#grid-mismatches").is_visible()
    page.click("#grid-save")
    page.wait_for_load_state()
    assert page.locator('[data-children-sum="3"][data-mismatch]').count() == 1  # the server agrees

    # publishing is refused while it doesn't add up
    page.click("#publish-unit")
    page.wait_for_load_state()
    assert "Cannot publish" in page.content()

    # fixed: the cell back to its share; the flags clear; saved; published
    page.locator(f'input[name="r-person-{rep_a.pk}-3"]').fill(original)
    assert page.locator("[data-mismatch]").count() == 0
    page.click("#grid-save")
    page.wait_for_load_state()
    page.click("#publish-unit")
    page.wait_for_load_state()
    assert "are published" in page.content()
    assert page.locator("#decomposition-status").inner_text() == "Published"

    saved = Target.objects.get(person=rep_a, year=year, month=3, metric="sales")
    assert saved.realistic == amount(original)
    team_months = Target.objects.filter(team=org_tree.teams["east1"], year=year, metric="sales")
    assert sum(t.realistic for t in team_months) == Decimal("120000.00")
    assert amount(march.input_value()) == Decimal("60000.00")
    decomposition = Decomposition.objects.get(plan=plan, team=org_tree.teams["east1"])
    assert decomposition.status == PlanStatus.PUBLISHED
    page.context.close()


def _login(browser, live_server, code: str):
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US").new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", code)
    page.fill("#id_password", "pw-for-tests-1")
    page.click("#main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page


def test_a_published_plan_changes_by_a_revision_the_region_head_approves(
    live_server, org_tree, browser
):
    year = date.today().year + 1
    plan = published_plan(org_tree, year=year)
    team = team_unit(org_tree)
    rep_a, rep_b = org_tree.people["rep_east1a"], org_tree.people["rep_east1b"]
    march_a = month_target(rep_a, 3, year=year)

    # the manager changes cells of the published plan's grid, with a reason
    page = _login(browser, live_server, org_tree.people["manager_east1"].code)
    page.goto(f"{live_server.url}/targets/plans/{plan.pk}/grid/?metric=sales&unit={team.key}")
    for person, month, change in (
        (rep_a, 3, 100),
        (rep_a, 4, -100),
        (rep_b, 3, -100),
        (rep_b, 4, 100),
    ):
        value = month_target(person, month, year=year) + change  # ideal = realistic here
        for kind in ("r", "i"):
            page.locator(f'input[name="{kind}-person-{person.pk}-{month}"]').fill(f"{value:.2f}")
    page.fill("#id_reason", "客户提前到三月下单")
    page.click("#grid-save")
    page.wait_for_load_state()
    assert "Revision 1 is proposed" in page.content()
    revision = page.locator('[data-revision="1"]')
    assert revision.locator("[data-revision-status]").inner_text() == "Awaiting approval"
    assert revision.locator("[data-approve]").count() == 0  # not by the proposer
    assert month_target(rep_a, 3, year=year) == march_a  # nothing in force changed yet
    page.context.close()

    # the head of the team's region approves it on the plan page
    page = _login(browser, live_server, org_tree.people["head_east"].code)
    page.goto(f"{live_server.url}/targets/plans/{plan.pk}/")
    revision = page.locator('[data-revision="1"]')
    assert "客户提前到三月下单" in revision.inner_text()
    revision.locator("[data-approve]").click()
    page.wait_for_load_state()
    assert "its targets are in force" in page.content()

    # the targets in force changed; the history shows the old and the new value
    assert month_target(rep_a, 3, year=year) == march_a + 100
    revision = page.locator('[data-revision="1"]')
    assert revision.locator("[data-revision-status]").inner_text() == "Approved"
    row = revision.locator("[data-revision-cell]", has_text="M3").first
    cells = row.locator("td")
    assert f"¥{march_a:,.2f}" in row.locator("[data-old]").inner_text()
    assert f"¥{march_a + 100:,.2f}" in row.locator("[data-new]").inner_text()
    assert cells.count() == 5
    page.goto(f"{live_server.url}/targets/plans/{plan.pk}/grid/?metric=sales&unit={team.key}")
    shown = page.locator(f'input[name="r-person-{rep_a.pk}-3"]').input_value()
    assert amount(shown) == march_a + 100
    page.context.close()
