"""Rollups: keeping the engine's pre-aggregated facts equal to the raw records.

The tables (`salesorg.performance.models.rollups`) hold sums per person and month of the
month a fact is credited on. They change in three ways, all inside the writer's
transaction, so a committed record is always in the rollups:

- **Refresh** (`refresh`): a set of (person, month) keys and customers is recomputed
  from the raw records: delete the keys' rows, aggregate the raw rows of those keys
  again. The model signals below refresh the keys a saved or deleted record touches,
  before and after the change; `deferred()` batches the keys of a multi-record service.
- **Append** (`appending()`): a bulk writer (the importer) inserts rows without
  signals; on leaving the block, the rows with an id above the watermark taken on
  entering are added to the rollups set-based (sums are added; distinct counts and
  first orders are recomputed for the days and customers they touch).
- **Rebuild** (`rebuild`, `salesorg rollups rebuild`): everything from scratch.

Every statement is one set-based SQL statement; the only differences between SQLite
and PostgreSQL are the date functions (`SqlDialect`). On PostgreSQL, writers of the same
person serialize on an advisory lock, and a bulk append or rebuild excludes everyone
(otherwise two transactions recomputing the same key could both add their sums).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from django.db import connection, transaction

from salesorg.customers.models import Customer
from salesorg.performance.kpi.sql import Key, SqlDialect, month_of, table_name
from salesorg.performance.models import (
    RollupCategoryMonth,
    RollupCustomerYear,
    RollupFirstOrder,
    RollupInvoiceDay,
    RollupMonth,
    RollupPayment,
    RollupPaymentDay,
    RollupVisitDay,
)
from salesorg.performance.services.rollup_statements import (
    CUSTOMERS_PER_STATEMENT,
    Rows,
    add_sums,
    chunks,
    execute_sql,
    first_order_candidates,
    insert_visit_days,
    write_first_orders,
)
from salesorg.sales.models import Expense, Invoice, Order, OrderLine, Payment, Visit

PAIRS_PER_STATEMENT = 200


LOCK_NAMESPACE = 0x5A1E  # advisory locks of the rollups (PostgreSQL)


FACT_MODELS = (OrderLine, Order, Invoice, Payment, Visit, Expense)


ROLLUP_MODELS = (
    RollupMonth,
    RollupCategoryMonth,
    RollupPayment,
    RollupVisitDay,
    RollupCustomerYear,
    RollupFirstOrder,
    RollupInvoiceDay,
    RollupPaymentDay,
)


def refresh(*, keys: Iterable[Key] = (), customers: Iterable[int] = ()) -> None:
    """Recompute the rollups of (person, month) keys and the first orders of customers."""
    keys = sorted(set(keys))
    customers = set(customers)
    if not keys and not customers:
        return
    _lock(person_ids={person_id for person_id, _month in keys})
    for chunk in chunks(keys, PAIRS_PER_STATEMENT):
        _refresh_keys(tuple(chunk))
    for chunk in chunks(sorted(customers), CUSTOMERS_PER_STATEMENT):
        marks = ", ".join(["%s"] * len(chunk))
        first = first_order_candidates(f"o.customer_id IN ({marks})", list(chunk))
        write_first_orders(first, replace=set(chunk))


def _refresh_keys(keys: tuple[Key, ...]) -> None:
    rows = Rows(keys=keys)
    for model, month_column in (
        (RollupMonth, "month"),
        (RollupCategoryMonth, "month"),
        (RollupPayment, "invoice_month"),
        (RollupVisitDay, "month"),
        (RollupInvoiceDay, "month"),
        (RollupPaymentDay, "invoice_month"),
    ):
        where, params = rows.where(source=model, id_column="", person="person_id", day=month_column)
        execute_sql(f"DELETE FROM {table_name(model)} WHERE {where}", params)
    # Clear the keys' month bits, add them back from the orders, drop emptied rows.
    customer_table = table_name(RollupCustomerYear)
    for person_id, month in keys:
        execute_sql(
            f"UPDATE {customer_table} SET months = months & %s WHERE person_id = %s AND year = %s",
            [~(1 << (month.month - 1)), person_id, month.year],
        )
    add_sums(rows)
    execute_sql(f"DELETE FROM {customer_table} WHERE months = 0", [])
    where, params = rows.where(source=Visit, id_column="", person="v.rep_id", day="v.visit_date")
    insert_visit_days(where, params)


def _append(since: dict[str, int]) -> None:
    """Add the fact rows above the watermarks to the rollups."""
    add_sums(Rows(since=since, few=_few(since)))
    visit_days = table_name(RollupVisitDay)
    visit = table_name(Visit)
    touched = (
        "EXISTS (SELECT 1 FROM {visit} n WHERE n.id > %s AND n.rep_id = {rep} "
        "AND n.visit_date = {day})"
    )
    last_visit = since[Visit._meta.label]
    execute_sql(
        f"DELETE FROM {visit_days} WHERE "
        + touched.format(visit=visit, rep=f"{visit_days}.person_id", day=f"{visit_days}.day"),
        [last_visit],
    )
    # The reps and days of the new visits narrow the visits read to recount (index on
    # rep and date); the EXISTS keeps exactly the touched (rep, day) pairs.
    d = SqlDialect()
    new_visits = f"FROM {visit} WHERE id > %s"
    insert_visit_days(
        touched.format(visit=visit, rep="v.rep_id", day="v.visit_date")
        + f" AND {d.any_of('v.rep_id', f'SELECT DISTINCT rep_id {new_visits}')}"
        + f" AND {d.any_of('v.visit_date', f'SELECT DISTINCT visit_date {new_visits}')}",
        [last_visit, last_visit, last_visit],
    )
    first = first_order_candidates("o.id > %s", [since[Order._meta.label]])
    write_first_orders(first, replace=set())


def rebuild() -> None:
    """Recompute every rollup from the raw records (`salesorg rollups rebuild`)."""
    with transaction.atomic():
        _lock(person_ids=None)
        for model in ROLLUP_MODELS:
            execute_sql(f"DELETE FROM {table_name(model)}", [])
        add_sums(Rows())
        insert_visit_days("1 = 1", [])
        write_first_orders(first_order_candidates("1 = 1", []), replace=set())


def _analyze(models) -> None:
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {table_name(model)}")


def _grew_much(since: int, now: int) -> bool:
    """Whether a table's rows above the watermark are many next to those below it."""
    return now - since > max(50_000, since // 10)


def _few(since: dict[str, int]) -> frozenset[str]:
    """The fact tables with few new rows: their parents are better looked up by index
    (a day's lines), whereas a bulk load joins all of them in one pass."""
    now = watermarks()
    return frozenset(label for label, mark in since.items() if not _grew_much(mark, now[label]))


def _analyze_if_grown(since: dict[str, int]) -> bool:
    """After a bulk load, refresh PostgreSQL's statistics before the set-based append.

    Without them the planner takes million-row tables for tiny ones (a first import) and
    sorts on disk what it could group in memory. A small append changes no plan.
    """
    if connection.vendor != "postgresql":
        return False
    now = watermarks()
    grown = [
        model
        for model in FACT_MODELS
        if _grew_much(since[model._meta.label], now[model._meta.label])
    ]
    if grown:
        _analyze((*grown, Customer))
    return bool(grown)


def watermarks() -> dict[str, int]:
    """The highest id of every fact table (0 when empty)."""
    marks = {}
    with connection.cursor() as cursor:
        for model in FACT_MODELS:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table_name(model)}")
            marks[model._meta.label] = cursor.fetchone()[0]
    return marks


def _lock(*, person_ids: set[int] | None) -> None:
    """Serialize rollup writers on PostgreSQL: per person, or everyone (None)."""
    if connection.vendor != "postgresql":
        return  # SQLite has one writer at a time anyway
    with connection.cursor() as cursor:
        if person_ids is None:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, 0)", [LOCK_NAMESPACE])
            return
        cursor.execute("SELECT pg_advisory_xact_lock_shared(%s, 0)", [LOCK_NAMESPACE])
        for person_id in sorted(person_ids):
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE + 1, person_id])


@dataclass
class _Pending:
    keys: set[Key] = field(default_factory=set)
    customers: set[int] = field(default_factory=set)
    depth: int = 0


_state = threading.local()


def _pending() -> _Pending:
    if not hasattr(_state, "pending"):
        _state.pending = _Pending()
    return _state.pending


def mark(*, person_id: int | None, day: date | None, customer_id: int | None = None) -> None:
    """Note a (person, month) key and a customer whose rollups need a refresh."""
    pending = _pending()
    if person_id is not None and day is not None:
        pending.keys.add((person_id, month_of(day)))
    if customer_id is not None:
        pending.customers.add(customer_id)


def flush_unless_deferred() -> None:
    """Refresh the noted keys now, unless inside `deferred()` (then on leaving it)."""
    pending = _pending()
    if pending.depth == 0:
        _flush()


def _flush() -> None:
    pending = _pending()
    keys, customers = pending.keys, pending.customers
    pending.keys, pending.customers = set(), set()
    refresh(keys=keys, customers=customers)


@contextmanager
def deferred() -> Iterator[None]:
    """Refresh the keys that the saves in the block touch once, on leaving it."""
    pending = _pending()
    pending.depth += 1
    try:
        yield
    finally:
        pending.depth -= 1
    if pending.depth == 0:
        _flush()


@dataclass
class AppendBatch:
    """What a bulk writer tells the rollups about the rows it wrote."""

    rebuild: bool = False

    def changed_existing(self) -> None:
        """Existing fact rows (orders, lines, invoices, payments, visits, expenses) changed."""
        self.rebuild = True


@contextmanager
def appending() -> Iterator[AppendBatch]:
    """Bring the rollups up to date with the fact rows bulk-written inside the block.

    Use inside the writer's transaction. Rows inserted in the block are added to the
    rollups on exit (set-based, by id watermark); if the writer reports that it changed
    existing fact rows, the rollups are rebuilt instead. Saves with signals inside the
    block are refreshed on exit as well.
    """
    _lock(person_ids=None)
    since = watermarks()
    batch = AppendBatch()
    with deferred():
        yield batch
        if batch.rebuild:
            rebuild()
            _pending().keys.clear()
            _pending().customers.clear()
        else:
            grown = _analyze_if_grown(since)
            _append(since)
            if grown:
                _analyze(ROLLUP_MODELS)
