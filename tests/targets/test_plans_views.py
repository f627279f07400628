"""Planning pages: research, plans, the chain page, the grid, proposals and history."""

from datetime import date
from decimal import Decimal

import pytest

from salesorg.targets.models import AnnualTarget, CompanyGoal, ResearchNote, SalesPlan, Target
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


def _note(author, **fields):
    return ResearchNote.objects.create(
        subject=fields.pop("subject", "竞品降价"),
        observed_on=date(2026, 5, 1),
        author=author,
        **fields,
    )


def test_research_list_searches_and_exports(org_tree, django_assert_max_num_queries):
    director = org_tree.people["director"]
    for number in range(30):
        _note(director, subject=f"调查{number}", competitor="华为" if number % 2 else "中兴")
    client = org_tree.client("rep_east1a")
    with django_assert_max_num_queries(18):
        page = client.get("/targets/research/", {"q": "华为"}).content.decode()
    assert page.count("调查") == 15
    export = client.get("/targets/research/", {"format": "csv"}).content.decode("utf-8-sig")
    assert len(export.splitlines()) == 31
    # reps read research and record only competitor notes (on their own customers)
    assert "New research note" not in page and "Record competitor intelligence" in page


def test_a_manager_records_research_with_regions_and_customers(org_tree):
    from tests.factories import CustomerFactory

    customer = CustomerFactory(code="C-1", owner=org_tree.people["rep_east1a"])
    client = org_tree.client("manager_east1")
    response = client.post(
        "/targets/research/new/",
        {
            "kind": "competitor",
            "subject": "对手新品",
            "competitor": "某公司",
            "product": "X1",
            "price": "99.50",
            "regions": [org_tree.regions["east"].pk],
            "customer_codes": "C-1",
            "observed_on": "2026-06-01",
        },
    )
    assert response.status_code == 302
    note = ResearchNote.objects.get()
    assert note.price == Decimal("99.50")
    assert list(note.customers.all()) == [customer]
    assert note.author == org_tree.people["manager_east1"]
    # an unknown customer is refused on the field
    response = client.post(
        "/targets/research/new/",
        {"kind": "market", "subject": "x", "customer_codes": "NOPE", "observed_on": "2026-06-01"},
    )
    assert response.status_code == 200 and "Unknown customer: NOPE" in response.content.decode()
    assert org_tree.client("finance").get("/targets/research/new/").status_code == 403
    # another leader may not edit it
    edit = f"/targets/research/{note.pk}/edit/"
    assert org_tree.client("manager_east2").get(edit).status_code == 403
    assert client.get(edit).status_code == 200


def test_the_director_sets_a_goal_and_a_plan_citing_research(org_tree):
    note = _note(org_tree.people["director"])
    client = org_tree.client("director")
    response = client.post(
        "/targets/goals/new/",
        {
            "year": YEAR,
            "statement": "销售额增长20%",
            "sales_goal": "1000000",
            "gross_margin_goal": "300000",
            "research_notes": [note.pk],
        },
    )
    assert response.status_code == 302
    response = client.post(
        "/targets/plans/new/",
        {
            "year": YEAR,
            "title": "2027年销售计划",
            "strategy": "聚焦重点客户",
            "research_notes": [note.pk],
        },
    )
    plan = SalesPlan.objects.get()
    assert response.status_code == 302 and response.url == plan.get_absolute_url()
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "销售额增长20%" in page and "竞品降价" in page and "聚焦重点客户" in page
    duplicate = client.post("/targets/plans/new/", {"year": YEAR, "title": "again"})
    assert "There is already one for this year." in duplicate.content.decode()
    assert CompanyGoal.objects.get().research_notes.get() == note
    assert org_tree.client("manager_east1").get("/targets/plans/new/").status_code == 403


def test_the_plan_page_shows_levels_with_sums_in_bounded_queries(
    org_tree, django_assert_max_num_queries
):
    plan = plan_with_target(unit=COMPANY, realistic="3000")
    annual_target(plan=plan, unit=region_unit(org_tree), realistic="1000")
    annual_target(plan=plan, unit=region_unit(org_tree, "north"), realistic="1000")
    client = org_tree.client("director")
    with django_assert_max_num_queries(27):  # a constant number, whatever the plan's size
        page = client.get(f"/targets/plans/{plan.pk}/").content.decode()
    assert "places do not add up" in page
    assert "¥3,000.00" in page and "¥2,000.00" in page  # the company and its regions' sum


def test_the_grid_page_saves_and_reshows_errors_per_cell(org_tree, django_assert_max_num_queries):
    team = team_unit(org_tree)
    plan = plan_with_target(unit=team, realistic="1200")
    client = org_tree.client("manager_east1")
    url = f"/targets/plans/{plan.pk}/grid/?metric=sales&unit={team.key}"
    with django_assert_max_num_queries(25):
        page = client.get(url).content.decode()
    assert 'name="r-team-' in page and "target_grid.js" in page
    rep = person_unit(org_tree, "rep_east1a")
    response = client.post(
        url,
        {
            "metric": "sales",
            "unit": team.key,
            f"r-{rep.key}-1": "100",
            f"i-{rep.key}-1": "90",
            f"r-{rep.key}-2": "abc",
            f"i-{rep.key}-2": "",
        },
    )
    assert response.status_code == 400
    assert "Enter a number." in response.content.decode()
    response = client.post(
        url, {"metric": "sales", "unit": team.key, f"r-{rep.key}-1": "100", f"i-{rep.key}-1": "90"}
    )
    assert "The ideal target cannot be below the realistic one." in response.content.decode()
    response = client.post(
        url,
        {"metric": "sales", "unit": team.key, f"r-{rep.key}-1": "1,000.50", f"i-{rep.key}-1": ""},
    )
    assert response.status_code == 302
    saved = Target.objects.get(person=org_tree.people["rep_east1a"], year=YEAR, month=1)
    assert (saved.realistic, saved.ideal) == (Decimal("1000.50"), Decimal("1000.50"))


def test_the_grid_is_read_only_for_reps_and_hidden_outside_the_scope(org_tree):
    team = team_unit(org_tree)
    plan = plan_with_target(unit=team, realistic="1200")
    rep = org_tree.client("rep_east1a")
    page = rep.get(f"/targets/plans/{plan.pk}/grid/?unit={team.key}").content.decode()
    assert 'name="r-' not in page and "Decompose" not in page
    assert "only some of the units below" in page
    other = org_tree.client("manager_north1")
    assert other.get(f"/targets/plans/{plan.pk}/grid/?unit={team.key}").status_code == 404
    assert other.get(f"/targets/plans/{plan.pk}/grid/?unit=company-0").status_code == 404
    assert other.get(f"/targets/plans/{plan.pk}/grid/?unit=bogus").status_code == 404


def test_decompose_and_publish_from_the_grid_page(org_tree):
    team = team_unit(org_tree)
    plan = plan_with_target(unit=team, realistic="1200")
    client = org_tree.client("manager_east1")
    base = {"metric": "sales", "unit": team.key}
    client.post(
        f"/targets/plans/{plan.pk}/decompose/", {**base, "months": "even", "children": "even"}
    )
    assert Target.objects.filter(year=YEAR).count() == 12 * 4
    response = client.post(f"/targets/plans/{plan.pk}/publish-unit/", base, follow=True)
    assert "are published" in response.content.decode()


def test_proposals_are_reviewed_then_saved(org_tree):
    team = team_unit(org_tree)
    plan = plan_with_target(unit=team, realistic="0")
    client = org_tree.client("manager_east1")
    url = f"/targets/plans/{plan.pk}/proposals/?metric=sales&growth=10&unit={team.key}"
    page = client.get(url).content.decode()
    assert "Save as annual targets" in page
    rep = person_unit(org_tree, "rep_east1a")
    response = client.post(
        url,
        {
            "metric": "sales",
            "growth": "10",
            "unit": team.key,
            f"r-{rep.key}-0": "5000",
            f"i-{rep.key}-0": "6000",
        },
    )
    assert response.status_code == 302
    row = AnnualTarget.objects.get(plan=plan, person=org_tree.people["rep_east1a"])
    assert (row.realistic, row.ideal) == (Decimal("5000.00"), Decimal("6000.00"))


def test_a_persons_target_history_year_over_year(org_tree, django_assert_max_num_queries):
    rep = org_tree.people["rep_east1a"]
    for year, amount in ((2025, "1000"), (2026, "1100")):
        Target.objects.create(
            owner_type="person", person=rep, year=year, month=1, metric="sales",
            realistic=Decimal(amount), ideal=Decimal(amount),
        )  # fmt: skip
    client = org_tree.client("manager_east1")
    with django_assert_max_num_queries(16):
        page = client.get(f"/targets/people/{rep.pk}/targets/")
    assert "+10.00%" in page.content.decode()
    assert (
        org_tree.client("manager_north1").get(f"/targets/people/{rep.pk}/targets/").status_code
        == 404
    )


def test_the_menu_offers_plans_to_leaders_and_reps(org_tree):
    assert "Plans &amp; targets" in org_tree.client("rep_east1a").get("/").content.decode()
    assert "Plans &amp; targets" not in org_tree.client("finance").get("/").content.decode()


def test_a_manager_is_not_told_sums_over_teams_they_cannot_see(org_tree):
    # given the east region's two teams have targets, one of them another manager's
    plan = plan_with_target(unit=team_unit(org_tree), realistic="1000")
    annual_target(plan=plan, unit=team_unit(org_tree, "east2"), realistic="777")
    page = org_tree.client("manager_east1").get(f"/targets/plans/{plan.pk}/").content.decode()
    # then the region's sum (which includes east2) is not shown, nor a mismatch naming it
    assert "1,777.00" not in page and "777" not in page
    director_page = org_tree.client("director").get(f"/targets/plans/{plan.pk}/").content.decode()
    assert "¥1,777.00" in director_page
