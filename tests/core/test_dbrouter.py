"""The reports router with a real second database alias, on SQLite and PostgreSQL alike.

The `reports` alias is what DATABASE_REPORTS_URL adds, declared as a test mirror of
`default` (as Django does for replicas): a second connection to the same test database,
so the replica "sees" what the primary committed and each query can be counted per alias.
The tests are transactional: inside Django's per-test transaction every read would stay
on the primary (a rule under test), and a second connection could not see the rows.

With SALESORG_TEST_STANDBY=host:port (.ci/run sets it) the alias is a real hot standby of
the PostgreSQL test server instead, fed by streaming replication: the tests then wait for
the standby to replay the primary's writes before reading it, as a dashboard would see them
a moment later.
"""

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from copy import deepcopy
from datetime import date
from decimal import Decimal

import pytest
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, router, transaction
from django.http import JsonResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from salesorg.core.dbrouter import (
    REPORTS_ALIAS,
    ReadYourWritesMiddleware,
    ReportsRouter,
    reading_reports,
    report_read_alias,
    reports_configured,
)
from salesorg.core.scoping import SYSTEM
from salesorg.org.models import Region
from salesorg.performance.choices import Level
from salesorg.performance.kpi.indicators import indicator_table
from tests.factories import (
    CategoryFactory,
    CustomerFactory,
    InvoiceFactory,
    OrderFactory,
    OrderLineFactory,
    PaymentFactory,
    ProductFactory,
    RegionFactory,
    VisitFactory,
)

with_replica = pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPORTS_ALIAS])
STANDBY = os.environ.get("SALESORG_TEST_STANDBY", "")  # host:port of a hot standby
REPLAY_TIMEOUT = 20  # seconds


@pytest.fixture(scope="module")
def reports_database(django_db_setup, django_db_blocker) -> Iterator[str]:
    """A `reports` alias mirroring the test database, as DATABASE_REPORTS_URL would add,
    or on the real standby named by SALESORG_TEST_STANDBY.

    Module-scoped so it exists before pytest-django checks the test's `databases`.
    """
    if reports_configured() and not STANDBY:  # the suite runs with DATABASE_REPORTS_URL set
        yield REPORTS_ALIAS
        return
    mirror = deepcopy(connections[DEFAULT_DB_ALIAS].settings_dict)
    # A mirror is never flushed or created by the test runner, which a standby refuses.
    mirror["TEST"]["MIRROR"] = DEFAULT_DB_ALIAS
    if STANDBY:
        assert connections[DEFAULT_DB_ALIAS].vendor == "postgresql", "a standby needs PostgreSQL"
        mirror["HOST"], mirror["PORT"] = STANDBY.rsplit(":", 1)
    saved = connections.settings.get(REPORTS_ALIAS)
    connections.settings[REPORTS_ALIAS] = mirror
    try:
        if STANDBY:
            with django_db_blocker.unblock():
                _wait_for_standby_database()
        yield REPORTS_ALIAS
    finally:
        connections[REPORTS_ALIAS].close()
        del connections[REPORTS_ALIAS]
        if saved is None:
            del connections.settings[REPORTS_ALIAS]
        else:
            connections.settings[REPORTS_ALIAS] = saved


def _wait_for_standby_database() -> None:
    """Until the standby has replayed the test database's creation and accepts a session."""
    deadline = time.monotonic() + REPLAY_TIMEOUT
    while True:
        try:
            connections[REPORTS_ALIAS].ensure_connection()
            return
        except OperationalError:
            connections[REPORTS_ALIAS].close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def replica_caught_up() -> None:
    """Wait until the replica shows every write the primary committed (a mirror always does)."""
    if not STANDBY:
        return
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        (written,) = cursor.fetchone()
    deadline = time.monotonic() + REPLAY_TIMEOUT
    while True:
        with connections[REPORTS_ALIAS].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [written])
            (replayed,) = cursor.fetchone()
        if replayed:
            return
        assert time.monotonic() < deadline, f"the standby did not replay {written} in time"
        time.sleep(0.02)


@contextmanager
def queries_per_alias() -> Iterator[dict[str, CaptureQueriesContext]]:
    """The queries run on each alias inside the block."""
    with (
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary,
        CaptureQueriesContext(connections[REPORTS_ALIAS]) as replica,
    ):
        yield {DEFAULT_DB_ALIAS: primary, REPORTS_ALIAS: replica}


def counts(queries: dict[str, CaptureQueriesContext]) -> dict[str, int]:
    return {alias: len(captured) for alias, captured in queries.items()}


@with_replica
def test_a_report_read_runs_on_the_replica_and_sees_committed_rows(reports_database):
    RegionFactory(code="EAST")
    replica_caught_up()

    with queries_per_alias() as queries, reading_reports():
        found = Region.objects.filter(code="EAST").exists()

    assert found
    assert counts(queries) == {DEFAULT_DB_ALIAS: 0, REPORTS_ALIAS: 1}


@with_replica
def test_reads_outside_reading_reports_use_the_primary(reports_database):
    RegionFactory(code="EAST")

    with queries_per_alias() as queries:
        assert Region.objects.filter(code="EAST").exists()

    assert counts(queries) == {DEFAULT_DB_ALIAS: 1, REPORTS_ALIAS: 0}


@with_replica
def test_writes_inside_reading_reports_go_to_the_primary(reports_database):
    with queries_per_alias() as queries, reading_reports():
        Region.objects.create(code="EAST", name="East")

    # The row and its history row (simple_history), both on the primary.
    assert counts(queries) == {DEFAULT_DB_ALIAS: 2, REPORTS_ALIAS: 0}


@with_replica
def test_an_object_read_from_the_replica_is_saved_to_the_primary(reports_database):
    RegionFactory(code="EAST", name="East")
    replica_caught_up()
    with reading_reports():
        region = Region.objects.get(code="EAST")
    assert region._state.db == REPORTS_ALIAS

    region.name = "East China"
    with queries_per_alias() as queries:
        region.save(update_fields=["name"])

    assert counts(queries) == {DEFAULT_DB_ALIAS: 2, REPORTS_ALIAS: 0}  # row and history row
    assert Region.objects.get(code="EAST").name == "East China"


@with_replica
def test_inside_a_transaction_that_wrote_report_reads_stay_on_the_primary(reports_database):
    with queries_per_alias() as queries, transaction.atomic():
        RegionFactory(code="EAST")
        with reading_reports():
            # The uncommitted row is visible only to the primary's own connection.
            found = Region.objects.filter(code="EAST").exists()

    assert found
    assert counts(queries)[REPORTS_ALIAS] == 0


@with_replica
def test_reading_reports_ends_with_its_block_even_after_an_error(reports_database):
    with pytest.raises(RuntimeError), reading_reports():
        assert report_read_alias() == REPORTS_ALIAS
        raise RuntimeError

    assert report_read_alias() == DEFAULT_DB_ALIAS
    with reading_reports():
        with reading_reports():
            pass
        assert report_read_alias() == REPORTS_ALIAS  # an inner block keeps the outer's flag


@pytest.mark.django_db(transaction=True)
def test_without_the_reports_alias_nothing_changes(monkeypatch):
    monkeypatch.delitem(connections.settings, REPORTS_ALIAS, raising=False)
    RegionFactory(code="EAST")

    with CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as queries, reading_reports():
        assert Region.objects.filter(code="EAST").exists()
        assert router.db_for_read(Region) == DEFAULT_DB_ALIAS
        assert report_read_alias() == DEFAULT_DB_ALIAS

    assert len(queries) == 1


def test_only_the_primary_is_migrated_and_objects_may_relate_across_the_two():
    rules = ReportsRouter()
    primary_region, replica_region = Region(code="A"), Region(code="B")
    primary_region._state.db, replica_region._state.db = DEFAULT_DB_ALIAS, REPORTS_ALIAS

    assert router.allow_migrate(DEFAULT_DB_ALIAS, "sales") is True
    assert router.allow_migrate(REPORTS_ALIAS, "sales") is False
    assert rules.allow_relation(primary_region, replica_region) is True
    assert rules.db_for_write(Region, instance=replica_region) == DEFAULT_DB_ALIAS


def _january_records(org_tree) -> None:
    """A little of everything the indicator table reads, for two reps of team east-1."""
    focus = ProductFactory(category=CategoryFactory(code="FOCUS", focus=True))
    other = ProductFactory(category=CategoryFactory(code="OTHER"))
    for rep_key, amount in [("rep_east1a", "1200.50"), ("rep_east1b", "300.00")]:
        rep = org_tree.people[rep_key]
        customer = CustomerFactory(owner=rep, industry="制造业")
        order = OrderFactory(customer=customer, order_date=date(2026, 1, 12))
        OrderLineFactory(order=order, product=focus, amount=Decimal(amount), line_no=1)
        OrderLineFactory(order=order, product=other, amount=Decimal("99.99"), line_no=2)
        invoice = InvoiceFactory(customer=customer, invoice_date=date(2026, 1, 13))
        PaymentFactory(invoice=invoice, payment_date=date(2026, 1, 20))
        VisitFactory(rep=rep, customer=customer, visit_date=date(2026, 1, 14))


@with_replica
def test_the_indicator_table_is_the_same_and_every_query_moves_to_the_replica(
    reports_database, org_tree
):
    _january_records(org_tree)
    replica_caught_up()
    january = {"start": date(2026, 1, 1), "end": date(2026, 1, 31), "user": SYSTEM}

    # Inside a transaction the engine reads the primary (it may have just written).
    with queries_per_alias() as plain_queries, transaction.atomic():
        plain = indicator_table(**january)
    # Outside, the engine marks its own reads as report reads: all go to the replica.
    with queries_per_alias() as routed_queries:
        routed = indicator_table(**january)

    assert routed == plain
    assert any(row.sales for row in plain.rows)  # the data really was read
    engine_queries = len(
        [
            q
            for q in plain_queries[DEFAULT_DB_ALIAS]
            if q["sql"].lstrip().upper().startswith("SELECT")
        ]
    )
    assert counts(plain_queries)[REPORTS_ALIAS] == 0
    assert counts(routed_queries) == {DEFAULT_DB_ALIAS: 0, REPORTS_ALIAS: engine_queries}


@pytest.mark.skipif(not STANDBY, reason="SALESORG_TEST_STANDBY names no standby")
@with_replica
def test_the_reports_alias_is_a_standby_that_refuses_writes(reports_database):
    with connections[REPORTS_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone() == (True,)
    with (
        pytest.raises(Exception, match="read-only"),
        connections[REPORTS_ALIAS].cursor() as cursor,
    ):
        cursor.execute("CREATE TABLE written_to_the_standby (id int)")


def _statements(captured: CaptureQueriesContext) -> list[str]:
    return [query["sql"].lstrip().split(None, 1)[0].upper() for query in captured]


@with_replica
def test_a_kpi_page_reads_its_figures_from_the_replica(reports_database, org_tree):
    _january_records(org_tree)
    client = org_tree.client("director")
    replica_caught_up()

    with queries_per_alias() as queries:
        response = client.get("/performance/kpi/", {"from": "2026-01-01", "to": "2026-01-31"})

    assert response.status_code == 200
    assert "1,700.48" in response.content.decode()  # January sales of the company, read there
    assert counts(queries)[REPORTS_ALIAS] > 0
    # The replica only answers reads; session, user and scope come from the primary.
    assert set(_statements(queries[REPORTS_ALIAS])) <= {"SELECT", "WITH"}


def _january_sales(request) -> JsonResponse:
    """A view showing the company's January sales from the indicator engine."""
    january = indicator_table(
        start=date(2026, 1, 1), end=date(2026, 1, 31), level=Level.COMPANY, user=SYSTEM
    )
    return JsonResponse({"sales": str(january.rows[0].sales)})


@with_replica
def test_a_request_that_wrote_reads_its_own_write_and_the_next_one_reads_the_replica(
    reports_database, org_tree
):
    def log_a_sale_then_show_the_month(request) -> JsonResponse:
        order = OrderFactory(
            customer=CustomerFactory(owner=org_tree.people["rep_east1a"]),
            order_date=date(2026, 1, 28),
        )
        OrderLineFactory(order=order, product=ProductFactory(), amount=Decimal("777.77"))
        return _january_sales(request)

    requests = RequestFactory()
    with queries_per_alias() as writing:
        answer = ReadYourWritesMiddleware(log_a_sale_then_show_the_month)(requests.post("/"))
    replica_caught_up()
    with queries_per_alias() as reading:
        later = ReadYourWritesMiddleware(_january_sales)(requests.get("/"))

    # Right after its write the request read the primary and saw the sale ...
    assert answer.content == b'{"sales": "777.77"}'
    assert counts(writing)[REPORTS_ALIAS] == 0
    # ... and the next request, which writes nothing, reads the replica again.
    assert later.content == b'{"sales": "777.77"}'
    assert counts(reading) == {DEFAULT_DB_ALIAS: 0, REPORTS_ALIAS: counts(reading)[REPORTS_ALIAS]}
    assert counts(reading)[REPORTS_ALIAS] > 0
