"""Check-in (签到, #18 point 3): a visit records where and when it was started only with the
rep's consent, never needs it, gives a customer without one its location, and shows its
distance from the customer; managers see check-in coverage and far visits per rep."""

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from salesorg.core.scoping import scope_for
from salesorg.customers.models import Customer
from salesorg.performance.selectors.dashboards import dashboard_build
from salesorg.sales.models import Visit
from salesorg.sales.selectors import check_ins
from salesorg.sales.services import visit_save
from salesorg.sales.services.check_ins import CheckIn
from tests.factories import CustomerFactory, VisitFactory

pytestmark = pytest.mark.django_db

# 人民广场 and a point about 1.1 km east of it (Shanghai).
SQUARE = (Decimal("31.230416"), Decimal("121.473701"))
EAST_1KM = (Decimal("31.230416"), Decimal("121.485301"))


def _check_in(where=SQUARE, *, accuracy=20, consent=True, at=None) -> CheckIn:
    return CheckIn(
        latitude=where[0],
        longitude=where[1],
        accuracy_m=accuracy,
        taken_at=at or timezone.now() - timedelta(minutes=1),
        consent=consent,
    )


def _new_visit(rep, customer, day=date(2026, 1, 5)) -> Visit:
    return Visit(rep=rep, customer=customer, visit_date=day, kind="visit")


def test_haversine_gives_known_distances():
    # one degree of latitude is about 111.2 km; the two points above are about 1.1 km apart
    assert check_ins.haversine_metres(0, 0, 1, 0) == pytest.approx(111_195, abs=5)
    assert check_ins.haversine_metres(*SQUARE, *EAST_1KM) == pytest.approx(1_104, abs=5)
    assert check_ins.haversine_metres(*SQUARE, *SQUARE) == 0


def test_the_database_measures_as_python_does(org_tree):
    rep = org_tree.people["rep_east1a"]
    customer = CustomerFactory(owner=rep, latitude=SQUARE[0], longitude=SQUARE[1])
    visit = visit_save(
        visit=_new_visit(rep, customer), actor=rep.user, check_in=_check_in(EAST_1KM)
    )
    in_sql = (
        Visit.objects.filter(pk=visit.pk)
        .annotate(
            d=check_ins.distance_expression(
                "checkin_latitude", "checkin_longitude", "customer__latitude", "customer__longitude"
            )
        )
        .get()
        .d
    )
    assert in_sql == pytest.approx(check_ins.haversine_metres(*EAST_1KM, *SQUARE), abs=0.01)


def test_a_visit_is_saved_without_any_location(org_tree):
    rep = org_tree.people["rep_east1a"]
    visit = visit_save(visit=_new_visit(rep, CustomerFactory(owner=rep)), actor=rep.user)
    assert visit.checkin_at is None and check_ins.visit_check_in(visit=visit) is None


def test_no_location_is_taken_without_consent(org_tree):
    rep = org_tree.people["rep_east1a"]
    customer = CustomerFactory(owner=rep)
    with pytest.raises(Exception) as refused:
        visit_save(
            visit=_new_visit(rep, customer), actor=rep.user, check_in=_check_in(consent=False)
        )
    assert "check_in" in refused.value.message_dict
    assert not Visit.objects.exists()
    assert Customer.objects.get(pk=customer.pk).latitude is None


def test_a_check_in_in_the_future_or_off_the_earth_is_refused(org_tree):
    rep = org_tree.people["rep_east1a"]
    customer = CustomerFactory(owner=rep)
    for bad in (
        _check_in(at=timezone.now() + timedelta(hours=1)),
        _check_in((Decimal("91"), Decimal("0"))),
        _check_in(accuracy=-1),
        _check_in(at=datetime(1000, 1, 1, tzinfo=UTC)),
    ):
        with pytest.raises(Exception) as refused:
            visit_save(visit=_new_visit(rep, customer), actor=rep.user, check_in=bad)
        assert "check_in" in refused.value.message_dict


def test_the_first_check_in_gives_the_customer_its_location(org_tree):
    rep = org_tree.people["rep_east1a"]
    customer = CustomerFactory(owner=rep)
    version = customer.version
    first = visit_save(
        visit=_new_visit(rep, customer), actor=rep.user, check_in=_check_in(SQUARE, accuracy=30)
    )
    customer.refresh_from_db()
    assert (customer.latitude, customer.longitude) == SQUARE
    assert customer.version == version + 1  # a change others see (core/versioning.py)
    assert check_ins.visit_check_in(visit=first).distance_m == 0
    # the next check-in there is measured from it and does not move it
    second = visit_save(
        visit=_new_visit(rep, customer), actor=rep.user, check_in=_check_in(EAST_1KM)
    )
    customer.refresh_from_db()
    assert (customer.latitude, customer.longitude) == SQUARE
    shown = check_ins.visit_check_in(visit=Visit.objects.get(pk=second.pk))
    assert shown.distance_m == pytest.approx(1104, abs=5) and shown.far


def test_a_vague_check_in_does_not_locate_the_customer(org_tree, settings):
    settings.SALESORG_CHECKIN_FAR_METRES = 500
    rep = org_tree.people["rep_east1a"]
    customer = CustomerFactory(owner=rep)
    visit_save(visit=_new_visit(rep, customer), actor=rep.user, check_in=_check_in(accuracy=2000))
    customer.refresh_from_db()
    assert customer.latitude is None
    assert Visit.objects.get().checkin_accuracy_m == 2000  # kept on the visit all the same


def test_a_visit_keeps_its_first_check_in(org_tree):
    rep = org_tree.people["rep_east1a"]
    visit = visit_save(
        visit=_new_visit(rep, CustomerFactory(owner=rep)), actor=rep.user, check_in=_check_in()
    )
    with pytest.raises(Exception) as refused:
        visit_save(visit=visit, actor=rep.user, check_in=_check_in(EAST_1KM))
    assert "check_in" in refused.value.message_dict
    # an edit without a check-in keeps it
    visit = Visit.objects.get(pk=visit.pk)
    visit.outcome = "谈妥"
    visit_save(visit=visit, actor=rep.user)
    assert Visit.objects.get(pk=visit.pk).checkin_latitude == SQUARE[0]


def test_a_far_visit_allows_for_the_check_ins_accuracy(org_tree, settings):
    settings.SALESORG_CHECKIN_FAR_METRES = 500
    rep = org_tree.people["rep_east1a"]
    customer = CustomerFactory(owner=rep, latitude=SQUARE[0], longitude=SQUARE[1])
    vague = visit_save(
        visit=_new_visit(rep, customer), actor=rep.user, check_in=_check_in(EAST_1KM, accuracy=700)
    )
    assert not check_ins.visit_check_in(visit=vague).far  # 1,104 m, give or take 700


def test_distances_read_in_metres_or_kilometres():
    with translation.override("en"):
        assert check_ins.distance_text(350) == "350 m"
        assert check_ins.distance_text(1104) == "1.1 km"
        assert check_ins.distance_text(23_456) == "23 km"
    with translation.override("zh-hans"):
        assert check_ins.distance_text(350) == "350米"
        assert check_ins.distance_text(1104) == "1.1公里"
        assert check_ins.distance_text(1_234_567) == "1,235公里"


def test_coverage_and_far_visits_per_rep_in_one_query(org_tree, settings):
    settings.SALESORG_CHECKIN_FAR_METRES = 500
    rep_a, rep_b = org_tree.people["rep_east1a"], org_tree.people["rep_east1b"]
    located = CustomerFactory(owner=rep_a, latitude=SQUARE[0], longitude=SQUARE[1])
    unlocated = CustomerFactory(owner=rep_b)
    for where in (SQUARE, EAST_1KM):
        visit_save(visit=_new_visit(rep_a, located), actor=rep_a.user, check_in=_check_in(where))
    VisitFactory(rep=rep_a, customer=located, visit_date=date(2026, 1, 6))
    VisitFactory(rep=rep_a, customer=located, visit_date=date(2025, 12, 31))  # not in period
    for _ in range(3):
        VisitFactory(rep=rep_b, customer=unlocated, visit_date=date(2026, 1, 7))
    manager = org_tree.user("manager_east1")
    scope_for(manager)  # who the manager sees is read once per request
    with CaptureQueriesContext(connection) as queries:
        rows = check_ins.rep_check_ins(
            user=manager, start=date(2026, 1, 1), end=date(2026, 1, 31), rep_ids=None
        )
    assert len(queries) == 1, [q["sql"] for q in queries]
    assert rows[rep_a.pk].visits == 3 and rows[rep_a.pk].checked_in == 2
    assert rows[rep_a.pk].far == 1
    assert rows[rep_a.pk].coverage == Decimal(2) / Decimal(3)
    assert (rows[rep_b.pk].visits, rows[rep_b.pk].checked_in, rows[rep_b.pk].far) == (3, 0, 0)
    # the query stays one whatever the number of reps and visits
    for _ in range(5):
        VisitFactory(rep=rep_b, customer=unlocated, visit_date=date(2026, 1, 8))
    with CaptureQueriesContext(connection) as queries:
        check_ins.rep_check_ins(
            user=manager, start=date(2026, 1, 1), end=date(2026, 1, 31), rep_ids={rep_b.pk}
        )
    assert len(queries) == 1


def test_coverage_is_for_managers_not_reps(org_tree):
    assert check_ins.may_see_check_in_coverage(org_tree.user("manager_east1"))
    assert check_ins.may_see_check_in_coverage(org_tree.user("director"))
    assert not check_ins.may_see_check_in_coverage(org_tree.user("rep_east1a"))


# --- the visit form and page ----------------------------------------------------------------------


def _form_post(customer, **extra):
    data = {"customer": customer.pk, "visit_date": "2026-01-05", "kind": "visit"}
    data.update(extra)
    return data


def _checked_in_fields(where=SQUARE, **extra):
    at = (datetime.now(UTC) - timedelta(minutes=2)).isoformat()
    return {
        "checkin_latitude": str(where[0]),
        "checkin_longitude": str(where[1]),
        "checkin_accuracy_m": "12",
        "checkin_at": at.replace("+00:00", "Z"),
        **extra,
    }


def test_the_visit_form_checks_in_with_the_reps_tap(org_tree):
    rep = org_tree.people["rep_east1a"]
    customer = CustomerFactory(owner=rep, latitude=EAST_1KM[0], longitude=EAST_1KM[1])
    client = org_tree.client("rep_east1a")
    response = client.post(
        "/sales/visits/log/", _form_post(customer, check_in="1", **_checked_in_fields())
    )
    visit = Visit.objects.get()
    assert response.status_code == 302 and visit.checkin_accuracy_m == 12
    with translation.override("zh-hans"):
        page = client.get(visit.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "距客户1.1公里" in page.content.decode()


def test_the_visit_form_without_the_tap_takes_no_location(org_tree):
    rep = org_tree.people["rep_east1a"]
    customer = CustomerFactory(owner=rep)
    client = org_tree.client("rep_east1a")
    response = client.post("/sales/visits/log/", _form_post(customer, **_checked_in_fields()))
    assert response.status_code == 200 and not Visit.objects.exists()
    assert "only when you agree" in response.content.decode()
    response = client.post("/sales/visits/log/", _form_post(customer))
    assert response.status_code == 302 and Visit.objects.get().checkin_at is None


def test_a_queued_visit_carries_its_check_in(org_tree):
    rep = org_tree.people["rep_east1a"]
    customer = CustomerFactory(owner=rep)
    post = _form_post(customer, check_in="1", client_key=str(uuid.uuid4()), **_checked_in_fields())
    client = org_tree.client("rep_east1a")
    first = client.post("/sales/visits/log/", post, HTTP_X_VISIT_SYNC="1")
    again = client.post("/sales/visits/log/", post, HTTP_X_VISIT_SYNC="1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert Visit.objects.get().checkin_latitude == SQUARE[0]
    customer.refresh_from_db()
    assert customer.latitude == SQUARE[0]


def test_a_customers_location_is_set_by_hand(org_tree):
    rep = org_tree.people["rep_east1a"]
    customer = CustomerFactory(owner=rep)
    client = org_tree.client("manager_east1")
    url = f"/customers/{customer.pk}/location/"
    refused = client.post(url, {"latitude": "31.2", "expected_version": customer.version})
    assert refused.status_code == 200 and "or neither" in refused.content.decode()
    response = client.post(
        url, {"latitude": "31.230416", "longitude": "121.473701", "expected_version": 1}
    )
    assert response.status_code == 302
    customer.refresh_from_db()
    assert (customer.latitude, customer.longitude) == SQUARE
    assert org_tree.client("rep_north1a").get(url).status_code == 404


# --- the visit-rhythm dashboard -------------------------------------------------------------------


def _rhythm(user, level, unit_id):
    return dashboard_build(
        user=user, slug="visits", level=level, unit_id=unit_id, year=2026, today=date(2026, 12, 31)
    )


def test_the_rhythm_dashboard_shows_check_ins_per_rep_to_managers_only(org_tree, settings):
    settings.SALESORG_CHECKIN_FAR_METRES = 500
    rep_a, rep_b = org_tree.people["rep_east1a"], org_tree.people["rep_east1b"]
    customer = CustomerFactory(owner=rep_a, latitude=SQUARE[0], longitude=SQUARE[1])
    for where in (SQUARE, EAST_1KM):
        visit_save(visit=_new_visit(rep_a, customer), actor=rep_a.user, check_in=_check_in(where))
    VisitFactory(rep=rep_a, customer=customer, visit_date=date(2026, 2, 1))
    team = org_tree.teams["east1"]

    board = _rhythm(org_tree.user("manager_east1"), "team", team.id)
    table = board.chart("visits-check-ins").table
    rows = {row[0]: row[1:] for row in table.rows}
    assert rows[rep_a.name] == [3, 2, Decimal(2) / Decimal(3), 1]
    assert rows[rep_b.name] == [0, 0, None, 0]
    assert len(rows) == 2  # the team's reps, no one else's
    with translation.override("zh-hans"):
        shown = {row[0]: row for row in table.display_rows()}
    assert shown[rep_a.name][3] == "66.67%"

    rep_board = _rhythm(rep_a.user, "person", rep_a.id)
    assert "visits-check-ins" not in [chart.key for chart in rep_board.charts]


def test_the_check_in_table_costs_the_same_queries_whatever_the_visits(org_tree):
    rep = org_tree.people["rep_east1a"]
    customer = CustomerFactory(owner=rep, latitude=SQUARE[0], longitude=SQUARE[1])
    director = org_tree.user("director")
    visit_save(visit=_new_visit(rep, customer), actor=rep.user, check_in=_check_in())
    _rhythm(director, None, None)
    with CaptureQueriesContext(connection) as few:
        _rhythm(director, None, None)
    for day in range(1, 21):
        visit_save(
            visit=_new_visit(rep, customer, date(2026, 3, day)),
            actor=rep.user,
            check_in=_check_in(EAST_1KM),
        )
        VisitFactory(rep=org_tree.people["rep_north1a"], visit_date=date(2026, 3, day))
    with CaptureQueriesContext(connection) as many:
        board = _rhythm(director, None, None)
    assert len(many) == len(few)
    rows = {row[0]: row for row in board.chart("visits-check-ins").table.rows}
    assert rows[rep.name][1:3] == [21, 21]
