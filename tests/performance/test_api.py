"""GET /api/v1/kpi and /api/v1/product-mix: the engine's rows, scoped to the caller."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from salesorg.api.routes import api
from tests.factories import CustomerFactory, OrderLineFactory

pytestmark = pytest.mark.django_db

JAN = {"from": "2026-01-01", "to": "2026-01-31"}
ALL_REPS = {f"REP-{team}{rep}" for team in ("east1", "east2", "north1", "north2") for rep in "ab"}

# What each role sees, by hand (SPEC §1): a rep their own row, a manager their team's reps
# and team, a region head their region's reps, teams and region, full sales view: all.
# Someone who has left sees nothing.
VISIBLE = {
    "rep_east1a": {("person", "REP-east1a")},
    "rep_former": set(),  # someone who has left sees nothing
    "manager_east1": {("person", "REP-east1a"), ("person", "REP-east1b"), ("team", "EAST1")},
    "head_east": {
        *{("person", f"REP-east{n}{rep}") for n in (1, 2) for rep in "ab"},
        ("team", "EAST1"), ("team", "EAST2"), ("region", "EAST"),
    },
    "director": {
        *{("person", code) for code in ALL_REPS | {"REP-former"}},
        ("team", "EAST1"), ("team", "EAST2"), ("team", "NORTH1"), ("team", "NORTH2"),
        ("region", "EAST"), ("region", "NORTH"), ("company", ""),
    },
    "trainer": set(),
}  # fmt: skip
VISIBLE["admin"] = VISIBLE["finance"] = VISIBLE["director"]


@pytest.mark.parametrize("role", sorted(VISIBLE))
def test_kpi_rows_are_exactly_the_callers_scope(org_tree, role):
    response = org_tree.client(role).get("/api/v1/kpi", JAN)
    assert response.status_code == 200
    assert {(row["level"], row["code"]) for row in response.json()} == VISIBLE[role]


@pytest.mark.parametrize("role", sorted(VISIBLE))
def test_product_mix_rows_are_scoped_too(org_tree, role):
    for key in ("rep_east1a", "rep_north1a"):
        rep = org_tree.people[key]
        OrderLineFactory(
            order__rep=rep,
            order__customer=CustomerFactory(owner=rep),
            order__order_date=date(2026, 1, 9),
        )
    rows = org_tree.client(role).get("/api/v1/product-mix", JAN).json()
    units = {(row["level"], row["code"]) for row in rows}
    sold = {
        ("person", "REP-east1a"), ("person", "REP-north1a"), ("team", "EAST1"),
        ("team", "NORTH1"), ("region", "EAST"), ("region", "NORTH"), ("company", ""),
    }  # fmt: skip
    assert units == VISIBLE[role] & sold


def test_kpi_numbers_are_the_engines_as_exact_strings(org_tree):
    rep = org_tree.people["rep_east1a"]
    OrderLineFactory(
        order__rep=rep,
        order__customer=CustomerFactory(owner=rep),
        order__order_date=date(2026, 1, 9),
        amount=Decimal("1234.56"),
        cost=Decimal("1000.00"),
    )
    response = org_tree.client("rep_east1a").get("/api/v1/kpi", JAN | {"level": "person"})
    (row,) = response.json()
    assert row["sales"] == "1234.56"
    assert row["gross_margin"] == "234.56"
    assert row["customers"] == 1
    assert row["sales_target"] is None
    assert row["focus_share"] == "0"
    assert row["workdays"] == 22  # January 2026 without calendar overrides


def test_a_manager_asking_for_the_company_gets_no_rows(org_tree):
    response = org_tree.client("manager_east1").get("/api/v1/kpi", JAN | {"level": "company"})
    assert response.status_code == 200
    assert response.json() == []


@pytest.mark.parametrize(
    "params,field",
    [
        ({"from": "2026-02-30", "to": "2026-03-31"}, "from"),
        ({"from": "2026-01-01", "to": "soon"}, "to"),
        ({"to": "2026-01-31"}, "from"),
        ({"from": "2026-02-01", "to": "2026-01-31"}, "to"),
        (JAN | {"level": "galaxy"}, "level"),
    ],
)
@pytest.mark.parametrize("path", ["/api/v1/kpi", "/api/v1/product-mix"])
def test_bad_input_is_422_naming_the_field(org_tree, path, params, field):
    response = org_tree.client("director").get(path, params)
    assert response.status_code == 422
    assert any(item["loc"][-1] == field for item in response.json()["detail"])


def test_anonymous_callers_are_refused(org_tree):
    assert Client().get("/api/v1/kpi", JAN).status_code == 401


def test_both_operations_declare_scoped_rows():
    paths = api.get_openapi_schema()["paths"]
    for path in ("/api/v1/kpi", "/api/v1/product-mix"):
        assert paths[path]["get"]["x-scoped-rows"] is True
