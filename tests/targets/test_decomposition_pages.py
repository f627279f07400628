"""Decomposition and proposals from real history on the pages and the API: the period is named
exactly, too little history is said, the ideal's uplift is stated and set on the plan."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from salesorg.api.models import ApiToken
from salesorg.targets.models import SalesPlan, Target
from tests.targets.plan_helpers import YEAR, plan_with_target, region_unit, sell, team_unit

pytestmark = pytest.mark.django_db

DEC_6 = date(2026, 12, 6)


@pytest.fixture(autouse=True)
def december_2026(monkeypatch):
    """Today is 6 December 2026: 2026 is still running."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: DEC_6)


def _api(org_tree, role) -> Client:
    _token, raw = ApiToken.objects.issue(user=org_tree.user(role))
    return Client(headers={"authorization": f"Bearer {raw}"})


def _every_month(rep, year: int, amount: str, months=range(1, 13)) -> None:
    for month in months:
        sell(rep=rep, day=date(year, month, 3), amount=amount)


def test_the_decompose_form_names_the_periods_and_the_reference_years(org_tree):
    # given records in 2024, 2025 and the running 2026
    rep = org_tree.people["rep_east1a"]
    for year in (2024, 2025, 2026):
        sell(rep=rep, day=date(year, 5, 3), amount="100")
    team = team_unit(org_tree)
    plan = plan_with_target(unit=team, realistic="1200")
    page = org_tree.client("manager_east1").get(
        f"/targets/plans/{plan.pk}/grid/?metric=sales&unit={team.key}"
    )
    text = page.content.decode()
    assert '<option value="last_year" selected>2025, whole year</option>' in text
    assert "2025-12 to 2026-11 (last 12 complete months)" in text
    assert '<option value="2024">2024, whole year (reference year)</option>' in text
    assert "2026, whole year" not in text  # the running year is never offered
    assert "at least 6 of its 12 months" in text


def test_decomposing_without_history_says_so_and_writes_nothing(org_tree):
    team = team_unit(org_tree)
    plan = plan_with_target(unit=team, realistic="1200")
    response = org_tree.client("manager_east1").post(
        f"/targets/plans/{plan.pk}/decompose/",
        {"metric": "sales", "unit": team.key, "months": "history", "children": "even"},
        follow=True,
    )
    text = response.content.decode()
    assert "has no actuals of Sales amount in 2025, whole year" in text
    assert "choose a reference year" in text
    assert not Target.objects.filter(year=YEAR).exists()


def test_decomposing_by_the_last_12_complete_months_says_which_months(org_tree):
    rep = org_tree.people["rep_east1a"]
    _every_month(rep, 2025, "1000", months=[12])
    _every_month(rep, 2026, "1000", months=range(1, 12))
    team = team_unit(org_tree)
    plan = plan_with_target(unit=team, realistic="1200")
    response = org_tree.client("manager_east1").post(
        f"/targets/plans/{plan.pk}/decompose/",
        {
            "metric": "sales",
            "unit": team.key,
            "months": "history",
            "children": "history",
            "basis": "last_12_months",
        },
        follow=True,
    )
    text = response.content.decode()
    assert "Decomposed by the actuals of 2025-12 to 2026-11 (last 12 complete months)" in text
    assert Target.objects.filter(year=YEAR, team=org_tree.teams["east1"]).count() == 12


def test_the_proposals_page_names_the_period_and_states_the_uplift(org_tree):
    # given sales in 2025 and in the running 2026, and the director's uplift of 12.5 %
    sell(rep=org_tree.people["rep_east1a"], day=date(2025, 5, 3), amount="10000")
    sell(rep=org_tree.people["rep_east1a"], day=date(2026, 5, 3), amount="99999")
    region = region_unit(org_tree)
    plan = plan_with_target(unit=region, realistic="0")
    SalesPlan.objects.filter(pk=plan.pk).update(ideal_uplift=Decimal("12.5"))
    page = org_tree.client("head_east").get(
        f"/targets/plans/{plan.pk}/proposals/?metric=sales&growth=10&unit={region.key}"
    )
    text = page.content.decode()
    assert "Actual, 2025, whole year" in text and "Target 2026" in text
    assert "Last year&#x27;s actual" not in text
    assert "Ideal target = realistic target × 1.125 (12.50% higher)" in text
    assert "Set by the director in the sales plan" in text
    assert 'value="11000.00"' in text and 'value="12375.00"' in text  # the region's row
    assert 'id="no-history"' not in text


def test_the_proposals_page_says_when_there_is_no_history(org_tree):
    team = team_unit(org_tree)
    plan = plan_with_target(unit=team, realistic="0")
    page = org_tree.client("manager_east1").get(
        f"/targets/plans/{plan.pk}/proposals/?metric=sales&growth=10&unit={team.key}"
        "&basis=last_12_months"
    )
    text = page.content.decode()
    assert 'id="no-history"' in text
    assert "No unit here has actuals in 2025-12 to 2026-11 (last 12 complete months)" in text
    assert "The default" in text


def test_the_director_sets_the_uplift_on_the_plan_form(org_tree):
    plan = SalesPlan.objects.create(year=YEAR, title="2027年销售计划")
    client = org_tree.client("director")
    url = f"/targets/plans/{plan.pk}/edit/"
    assert "Ideal target uplift (%)" in client.get(url).content.decode()
    refused = client.post(url, {"year": YEAR, "title": plan.title, "ideal_uplift": "-5"})
    assert refused.status_code == 200
    assert "greater than or equal to 0" in refused.content.decode()
    saved = client.post(url, {"year": YEAR, "title": plan.title, "ideal_uplift": "12.5"})
    assert saved.status_code == 302
    plan.refresh_from_db()
    assert plan.ideal_uplift == Decimal("12.50")
    cleared = client.post(url, {"year": YEAR, "title": plan.title, "ideal_uplift": ""})
    assert cleared.status_code == 302
    plan.refresh_from_db()
    assert plan.ideal_uplift is None


def test_the_api_decomposes_by_a_basis_and_refuses_without_history(org_tree):
    team = team_unit(org_tree)
    plan = plan_with_target(unit=team, realistic="1200")
    manager = _api(org_tree, "manager_east1")
    body = {"plan_id": plan.pk, "metric": "sales", "unit": team.key, "months": "history"}
    refused = manager.post("/api/v1/plan-decompose", body, content_type="application/json")
    assert refused.status_code == 400
    assert "2025, whole year" in str(refused.json())
    _every_month(org_tree.people["rep_east1a"], 2024, "100")
    done = manager.post(
        "/api/v1/plan-decompose",
        {**body, "basis": "reference_year", "reference_year": 2024},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["mismatches"] == []
    running = manager.post(
        "/api/v1/plan-decompose",
        {**body, "basis": "reference_year", "reference_year": 2026},
        content_type="application/json",
    )
    assert running.status_code == 400 and "reference_year" in str(running.json())


def test_the_api_proposals_name_the_period_and_the_uplift(org_tree):
    sell(rep=org_tree.people["rep_east1a"], day=date(2025, 5, 3), amount="10000")
    region = region_unit(org_tree)
    plan = plan_with_target(unit=region, realistic="0")
    proposals = (
        _api(org_tree, "head_east")
        .get(
            "/api/v1/plan-proposals",
            {"plan_id": plan.pk, "unit": region.key, "growth_rate": "0.1"},
        )
        .json()
    )
    first = proposals[0]
    assert first["unit"] == region.key
    assert first["actual"] == "10000.00" and first["actual_period"] == "2025, whole year"
    assert (first["realistic"], first["ideal"]) == ("11000.00", "12100.00")
    assert first["ideal_uplift_percent"] == "10.00" and first["ideal_uplift_source"] == "default"


def test_the_api_sets_the_plans_uplift(org_tree):
    plan = SalesPlan.objects.create(year=YEAR, title="2027年销售计划")
    director = _api(org_tree, "director")
    changed = director.patch(
        f"/api/v1/sales-plans/{plan.pk}", {"ideal_uplift": "15"}, content_type="application/json"
    )
    assert changed.status_code == 200 and Decimal(changed.json()["ideal_uplift"]) == 15
    refused = director.patch(
        f"/api/v1/sales-plans/{plan.pk}", {"ideal_uplift": "-1"}, content_type="application/json"
    )
    assert refused.status_code in (400, 422)


def test_the_plan_page_states_the_uplift_its_ideal_targets_are_proposed_with(org_tree):
    team = team_unit(org_tree)
    plan = plan_with_target(unit=team, realistic="1200")
    page = org_tree.client("director").get(f"/targets/plans/{plan.pk}/?metric=sales")
    assert "The default: the sales plan sets no uplift" in page.content.decode()

    plan.ideal_uplift = Decimal("12.5")
    plan.save()
    text = org_tree.client("manager_east1").get(f"/targets/plans/{plan.pk}/").content.decode()
    assert "Ideal target = realistic target × 1.125 (12.50% higher)" in text
    assert f"Set by the director in the sales plan “{plan.title}”" in text


def test_the_proposals_page_opens_without_an_error_before_anything_is_asked(org_tree):
    team = team_unit(org_tree)
    plan = plan_with_target(unit=team, realistic="1200")
    url = f"/targets/plans/{plan.pk}/proposals/?metric=gross_margin&unit={team.key}"
    page = org_tree.client("director").get(url).content.decode()
    assert "This field is required" not in page
    assert 'name="growth" value="10"' in page
    assert '<option value="gross_margin" selected>' in page
