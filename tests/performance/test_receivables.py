"""Receivables by age from the rollups: exact to the cent against the raw invoices and
payments, kept up to date as payments change, and the ageing API scoped like the dashboard.

Seen on 10 July 2026. Ages at the end of 30 June: 0–30 days from 31 May, 31–60 from 1 May,
61–90 from 1 April, 91–180 from 1 January 2026, older before. May is cut by a bucket
boundary (read per day); the other months are each in one bucket (read per month).
"""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from salesorg.api.routes import api
from salesorg.performance.kpi.attribution import COMPANY_KEY, PERSON, REGION, TEAM, org_snapshot
from salesorg.performance.kpi.indicators import RAW
from salesorg.performance.selectors.dashboards import receivables_ageing
from salesorg.sales.models import Payment
from tests.factories import (
    CustomerFactory,
    InvoiceFactory,
    MembershipFactory,
    PaymentFactory,
    PersonFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 7, 10)
JUNE_END = date(2026, 6, 30)
URL = "/api/v1/receivables/ageing"


def amounts(*values: str) -> list[Decimal]:
    return [Decimal(value) for value in values]


@pytest.fixture
def owed(org_tree, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    rep = org_tree.people["rep_east1a"]
    customer = CustomerFactory(owner=rep)

    def invoice(day, amount, *, by=rep, paid=()):
        made = InvoiceFactory(
            rep=by, customer=customer, invoice_date=day, due_date=day, amount=Decimal(amount)
        )
        for paid_day, paid_amount in paid:
            PaymentFactory(invoice=made, payment_date=paid_day, amount=Decimal(paid_amount))

    invoice(date(2025, 6, 10), "1000.00", paid=[(date(2025, 8, 1), "400.00")])
    invoice(date(2025, 12, 31), "50.00")  # 181 days
    invoice(date(2026, 1, 1), "300.00")  # 180 days
    invoice(date(2026, 3, 31), "70.00")  # 91 days
    invoice(date(2026, 4, 1), "200.00")  # 90 days
    invoice(
        date(2026, 5, 15),
        "500.00",
        paid=[(date(2026, 6, 20), "100.00"), (date(2026, 7, 2), "50.00")],
    )
    invoice(date(2026, 5, 31), "80.00")  # 30 days
    invoice(date(2026, 6, 30), "10.00")
    invoice(date(2026, 7, 1), "999.00")  # after 30 June: not yet owed then
    # A rep who moves from team east1 to north1 on 16 March: March counts day by day.
    mover = PersonFactory(code="REP-mover")
    MembershipFactory(
        person=mover,
        team=org_tree.teams["east1"],
        start_date=date(2020, 1, 1),
        end_date=date(2026, 3, 15),
    )
    MembershipFactory(person=mover, team=org_tree.teams["north1"], start_date=date(2026, 3, 16))
    invoice(date(2026, 3, 10), "100.00", by=mover)
    invoice(date(2026, 3, 20), "40.00", by=mover)
    org_tree.people["rep_mover"] = mover
    return org_tree


def ageing(unit, as_of=JUNE_END, today=TODAY, source="auto"):
    org = org_snapshot()
    return [
        amount
        for _label, amount in receivables_ageing(
            org=org, as_of=as_of, unit=unit, today=today, source=source
        )
    ]


def test_open_receivables_by_age_at_a_month_end(owed):
    rep, mover = owed.people["rep_east1a"], owed.people["rep_mover"]
    east1, north1 = owed.teams["east1"], owed.teams["north1"]
    assert ageing((PERSON, rep.pk)) == amounts("90.00", "400.00", "200.00", "370.00", "650.00")
    assert ageing((PERSON, mover.pk)) == amounts("0.00", "0.00", "0.00", "140.00", "0.00")
    # Each of the mover's March invoices counts for the team of its day.
    assert ageing((TEAM, east1.pk)) == amounts("90.00", "400.00", "200.00", "470.00", "650.00")
    assert ageing((TEAM, north1.pk)) == amounts("0.00", "0.00", "0.00", "40.00", "0.00")
    assert ageing(COMPANY_KEY) == amounts("90.00", "400.00", "200.00", "510.00", "650.00")


def test_a_team_that_never_had_members_owes_nothing(owed):
    empty = TeamFactory(code="EMPTY", region=owed.regions["east"])
    assert ageing((TEAM, empty.pk)) == amounts("0.00", "0.00", "0.00", "0.00", "0.00")


def test_inside_a_month_payments_count_up_to_that_day(owed):
    rep = owed.people["rep_east1a"]
    # Ages counted to 20 June; the payment of 20 June counts, the invoices of 30 June not.
    assert ageing((PERSON, rep.pk), as_of=date(2026, 6, 20)) == amounts(
        "80.00", "400.00", "270.00", "350.00", "600.00"
    )


def test_ages_count_to_today_when_the_day_asked_is_later(owed):
    rep = owed.people["rep_east1a"]
    # Owed at the end of December (every payment made), aged at 10 July.
    assert ageing((PERSON, rep.pk), as_of=date(2026, 12, 31)) == amounts(
        "1009.00", "430.00", "0.00", "270.00", "950.00"
    )


def test_every_unit_and_day_agrees_with_the_raw_records_as_payments_change(owed):
    org = org_snapshot()
    units = [(PERSON, p) for p in org.people] + [(TEAM, t) for t in org.teams]
    units += [(REGION, r) for r in org.regions] + [COMPANY_KEY]
    days = [date(2025, 12, 31), date(2026, 3, 16), JUNE_END, date(2026, 6, 20), TODAY]

    def agree():
        for as_of in days:
            for unit in units:
                assert ageing(unit, as_of) == ageing(unit, as_of, source=RAW), (unit, as_of)

    agree()
    Payment.objects.get(payment_date=date(2026, 6, 20)).delete()
    rep = owed.people["rep_east1a"]
    assert ageing((PERSON, rep.pk))[1] == Decimal("500.00")
    agree()


def test_the_api_answers_the_callers_own_unit_by_default(owed):
    response = owed.client("rep_east1a").get(URL, {"as_of": "2026-06-30"})
    assert response.status_code == 200
    body = response.json()
    assert (body["level"], body["code"]) == ("person", "REP-east1a")
    assert body["reference"] == "2026-06-30"
    assert [(b["low"], b["high"], b["amount"]) for b in body["buckets"]] == [
        (0, 30, "90.00"),
        (31, 60, "400.00"),
        (61, 90, "200.00"),
        (91, 180, "370.00"),
        (181, None, "650.00"),
    ]
    assert body["total"] == "1710.00"


def test_the_api_shows_the_company_to_the_director_and_today_by_default(owed):
    response = owed.client("director").get(URL)
    body = response.json()
    assert (body["level"], body["as_of"]) == ("company", "2026-07-10")
    assert body["total"] == str(sum(ageing(COMPANY_KEY, as_of=TODAY)))


@pytest.mark.parametrize(
    ("who", "level", "unit", "status"),
    [
        ("rep_east1a", "person", "rep_east1b", 404),
        ("rep_east1a", "team", "east1", 404),
        ("rep_east1a", "company", None, 404),
        ("manager_east1", "team", "east1", 200),
        ("manager_east1", "person", "rep_east1b", 200),
        ("manager_east1", "team", "north1", 404),
        ("head_east", "region", "east", 200),
        ("head_east", "region", "north", 404),
        ("director", "region", "north", 200),
    ],
)
def test_the_api_is_scoped_like_the_dashboard(owed, who, level, unit, status):
    ids = {"person": owed.people, "team": owed.teams, "region": owed.regions}
    params = {"level": level, "as_of": "2026-06-30"}
    if unit is not None:
        params["unit"] = ids[level][unit].pk
    response = owed.client(who).get(URL, params)
    assert response.status_code == status
    if status == 404:
        assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize(
    ("params", "field"),
    [({"as_of": "2026-02-30"}, "as_of"), ({"level": "galaxy"}, "level")],
)
def test_bad_input_is_422_naming_the_field(owed, params, field):
    response = owed.client("director").get(URL, params)
    assert response.status_code == 422
    assert any(item["loc"][-1] == field for item in response.json()["detail"])


def test_anonymous_callers_are_refused():
    assert Client().get(URL).status_code == 401


def test_the_operation_is_a_read_that_declares_scoped_rows():
    operations = api.get_openapi_schema()["paths"][URL]
    assert list(operations) == ["get"]
    assert operations["get"]["x-scoped-rows"] is True
