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
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from salesorg.customers.models import Customer
from salesorg.performance.models import (
    RollupCategoryMonth,
    RollupCustomerYear,
    RollupFirstOrder,
    RollupMonth,
    RollupPayment,
    RollupVisitDay,
)
from salesorg.sales.choices import OrderStatus, VisitKind
from salesorg.sales.models import Expense, Invoice, Order, OrderLine, Payment, Product, Visit

Key = tuple[int, date]  # (person id, first day of a month)
PAIRS_PER_STATEMENT = 200
CUSTOMERS_PER_STATEMENT = 500
LOCK_NAMESPACE = 0x5A1E  # advisory locks of the rollups (PostgreSQL)
FACT_MODELS = (OrderLine, Order, Invoice, Payment, Visit, Expense)
ROLLUP_MODELS = (
    RollupMonth,
    RollupCategoryMonth,
    RollupPayment,
    RollupVisitDay,
    RollupCustomerYear,
    RollupFirstOrder,
)


def month_of(day: date) -> date:
    """The first day of the month of `day`."""
    return day.replace(day=1)


def _next_month(month: date) -> date:
    return date(month.year + 1, 1, 1) if month.month == 12 else date(month.year, month.month + 1, 1)


def table_name(model) -> str:
    """The quoted table name of a model, for the raw SQL of the rollups."""
    return connection.ops.quote_name(model._meta.db_table)


_t = table_name


class SqlDialect:
    """The few SQL expressions that differ between SQLite and PostgreSQL."""

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"

    def month(self, column: str) -> str:
        if self.postgres:
            return f"CAST(date_trunc('month', {column}) AS date)"
        return f"date({column}, 'start of month')"

    def year(self, column: str) -> str:
        if self.postgres:
            return f"CAST(EXTRACT(YEAR FROM {column}) AS integer)"
        return f"CAST(strftime('%%Y', {column}) AS integer)"

    def month_bit(self, column: str) -> str:
        if self.postgres:
            return f"(1 << (CAST(EXTRACT(MONTH FROM {column}) AS integer) - 1))"
        return f"(1 << (CAST(strftime('%%m', {column}) AS integer) - 1))"

    def any_of(self, column: str, subquery: str) -> str:
        """`column` is one of the values `subquery` selects, looked up by `column`'s index
        (PostgreSQL plans `IN (subquery)` as a join that may read the whole table)."""
        if self.postgres:
            return f"{column} = ANY(ARRAY({subquery}))"
        return f"{column} IN ({subquery})"

    @staticmethod
    def cents(column: str) -> str:
        return f"CAST(ROUND({column} * 100) AS bigint)"


@dataclass(frozen=True)
class _Rows:
    """Which raw rows a statement reads: all, those above a watermark, or those of some keys.

    `where(...)` gives the SQL condition and its parameters for a source table, given the
    columns that hold its id, the person it is credited to and the date it is credited on.
    """

    since: dict[str, int] | None = None
    keys: tuple[Key, ...] | None = None
    # Sources whose rows above the watermark are few next to those below (see `_few`).
    few: frozenset[str] = frozenset()

    def where(
        self,
        *,
        source,
        id_column: str,
        person: str,
        day: str,
        parent: tuple[str, str] | None = None,
    ) -> tuple[str, list]:
        """`parent` is (the joined parent's id column, `source`'s foreign key to it), e.g.
        ("o.id", "order_id") for order lines."""
        if self.since is not None:
            mark = self.since[source._meta.label]
            if parent is None or source._meta.label not in self.few:
                return f"{id_column} > %s", [mark]
            # New lines and payments belong to few orders and invoices: name them, or the
            # join reads all the parents (seconds at millions of rows) to find them.
            parent_id, fk = parent
            new_parents = f"SELECT {fk} FROM {_t(source)} WHERE id > %s"
            return f"{id_column} > %s AND {SqlDialect().any_of(parent_id, new_parents)}", [
                mark,
                mark,
            ]
        if self.keys is not None:
            terms, params = [], []
            for person_id, month in self.keys:
                terms.append(f"({person} = %s AND {day} >= %s AND {day} < %s)")
                params += [person_id, month, _next_month(month)]
            return "(" + " OR ".join(terms) + ")", params
        return "1 = 1", []


def _execute(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _add_sums(rows: _Rows) -> None:
    """Add the sums of the selected raw rows to the additive rollups (upsert, +=)."""
    d = SqlDialect()
    line, order, product = _t(OrderLine), _t(Order), _t(Product)
    month_table = _t(RollupMonth)
    order_month = d.month("o.order_date")
    where, params = rows.where(
        source=OrderLine,
        id_column="l.id",
        person="o.rep_id",
        day="o.order_date",
        parent=("o.id", "order_id"),
    )
    _execute(
        f"""INSERT INTO {month_table} (person_id, month, sales, cost, invoiced, expenses)
        SELECT o.rep_id, {order_month}, SUM({d.cents("l.amount")}), SUM({d.cents("l.cost")}), 0, 0
        FROM {line} l JOIN {order} o ON o.id = l.order_id
        WHERE o.status = %s AND {where}
        GROUP BY o.rep_id, {order_month}
        ON CONFLICT (person_id, month) DO UPDATE SET
          sales = {month_table}.sales + excluded.sales,
          cost = {month_table}.cost + excluded.cost""",
        [OrderStatus.CONFIRMED, *params],
    )
    category_table = _t(RollupCategoryMonth)
    _execute(
        f"""INSERT INTO {category_table} (person_id, month, category_id, amount, cost, lines)
        SELECT o.rep_id, {order_month}, p.category_id,
               SUM({d.cents("l.amount")}), SUM({d.cents("l.cost")}), COUNT(*)
        FROM {line} l JOIN {order} o ON o.id = l.order_id JOIN {product} p ON p.id = l.product_id
        WHERE o.status = %s AND {where}
        GROUP BY o.rep_id, {order_month}, p.category_id
        ON CONFLICT (person_id, month, category_id) DO UPDATE SET
          amount = {category_table}.amount + excluded.amount,
          cost = {category_table}.cost + excluded.cost,
          lines = {category_table}.lines + excluded.lines""",
        [OrderStatus.CONFIRMED, *params],
    )
    for model, column, date_column in (
        (Invoice, "invoiced", "invoice_date"),
        (Expense, "expenses", "expense_date"),
    ):
        where, params = rows.where(
            source=model, id_column="s.id", person="s.rep_id", day=f"s.{date_column}"
        )
        source_month = d.month(f"s.{date_column}")
        _execute(
            f"""INSERT INTO {month_table} (person_id, month, sales, cost, invoiced, expenses)
            SELECT s.rep_id, {source_month}, 0, 0,
                   {"SUM(" + d.cents("s.amount") + ")" if column == "invoiced" else "0"},
                   {"SUM(" + d.cents("s.amount") + ")" if column == "expenses" else "0"}
            FROM {_t(model)} s
            WHERE {where}
            GROUP BY s.rep_id, {source_month}
            ON CONFLICT (person_id, month) DO UPDATE SET
              {column} = {month_table}.{column} + excluded.{column}""",
            params,
        )
    # A payment is credited by its invoice's person and date (KPI.md, Periods and units).
    payment_table = _t(RollupPayment)
    where, params = rows.where(
        source=Payment,
        id_column="p.id",
        person="i.rep_id",
        day="i.invoice_date",
        parent=("i.id", "invoice_id"),
    )
    invoice_month, payment_month = d.month("i.invoice_date"), d.month("p.payment_date")
    _execute(
        f"""INSERT INTO {payment_table} (person_id, invoice_month, payment_month, amount)
        SELECT i.rep_id, {invoice_month}, {payment_month}, SUM({d.cents("p.amount")})
        FROM {_t(Payment)} p JOIN {_t(Invoice)} i ON i.id = p.invoice_id
        WHERE {where}
        GROUP BY i.rep_id, {invoice_month}, {payment_month}
        ON CONFLICT (person_id, invoice_month, payment_month) DO UPDATE SET
          amount = {payment_table}.amount + excluded.amount""",
        params,
    )
    # The months a person sold to a customer: bits are OR-ed (a sum of distinct bits).
    customer_table = _t(RollupCustomerYear)
    where, params = rows.where(
        source=Order, id_column="o.id", person="o.rep_id", day="o.order_date"
    )
    _execute(
        f"""INSERT INTO {customer_table} (person_id, customer_id, year, months)
        SELECT rep_id, customer_id, year, SUM(bit) FROM (
          SELECT DISTINCT o.rep_id, o.customer_id, {d.year("o.order_date")} AS year,
                 {d.month_bit("o.order_date")} AS bit
          FROM {order} o WHERE o.status = %s AND {where}
        ) s
        WHERE 1 = 1
        GROUP BY rep_id, customer_id, year
        ON CONFLICT (person_id, customer_id, year) DO UPDATE SET
          months = {customer_table}.months | excluded.months""",
        [OrderStatus.CONFIRMED, *params],
    )


def _insert_visit_days(where: str, params: list) -> None:
    """Recount the distinct customers of the selected visits' (rep, day) groups."""
    d = SqlDialect()
    _execute(
        f"""INSERT INTO {_t(RollupVisitDay)} (person_id, day, month, visits, service_calls)
        SELECT v.rep_id, v.visit_date, {d.month("v.visit_date")},
          COUNT(DISTINCT CASE WHEN v.kind IN (%s, %s) THEN v.customer_id END),
          COUNT(DISTINCT CASE WHEN v.kind = %s THEN v.customer_id END)
        FROM {_t(Visit)} v WHERE {where}
        GROUP BY v.rep_id, v.visit_date""",
        [VisitKind.VISIT, VisitKind.JOINT, VisitKind.SERVICE, *params],
    )


def _first_order_candidates(where: str, params: list) -> dict[int, tuple[str, int, date]]:
    """Per customer, its earliest confirmed order among the selected ones: (code, rep, day)."""
    order = _t(Order)
    sql = f"""SELECT o.customer_id, o.code, o.rep_id, o.order_date
        FROM {order} o JOIN (
          SELECT customer_id, MIN(order_date) AS first_day FROM {order} o
          WHERE o.status = %s AND {where} GROUP BY customer_id
        ) f ON f.customer_id = o.customer_id AND f.first_day = o.order_date
        WHERE o.status = %s AND {where}"""
    first: dict[int, tuple[str, int, date]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [OrderStatus.CONFIRMED, *params, OrderStatus.CONFIRMED, *params])
        for customer_id, code, rep_id, day in cursor.fetchall():
            day = date.fromisoformat(day) if isinstance(day, str) else day
            # KPI.md, Customers: ties go to the smaller code in plain string order,
            # compared here so that no database collation can change the answer.
            if customer_id not in first or (day, code) < (
                first[customer_id][2],
                first[customer_id][0],
            ):
                first[customer_id] = (code, rep_id, day)
    return first


def _write_first_orders(first: dict[int, tuple[str, int, date]], *, replace: set[int]) -> None:
    """Store first orders; `replace` customers lose their row even without a new one."""
    existing = {}
    if replace:
        _delete_first_orders(replace)
    candidates = [c for c in first if c not in replace]
    for chunk in _chunks(candidates, CUSTOMERS_PER_STATEMENT):
        existing.update(
            (row[0], row[1:])
            for row in RollupFirstOrder.objects.filter(customer_id__in=chunk).values_list(
                "customer_id", "code", "person_id", "day"
            )
        )
    changed = [
        customer_id
        for customer_id, (code, _rep, day) in first.items()
        if customer_id not in existing
        or (day, code) < (existing[customer_id][2], existing[customer_id][0])
    ]
    _delete_first_orders({c for c in changed if c in existing})
    RollupFirstOrder.objects.bulk_create(
        [
            RollupFirstOrder(
                customer_id=c, person_id=first[c][1], day=first[c][2], code=first[c][0]
            )
            for c in changed
        ],
        batch_size=2000,
    )


def _delete_first_orders(customers: Iterable[int]) -> None:
    for chunk in _chunks(sorted(customers), CUSTOMERS_PER_STATEMENT):
        RollupFirstOrder.objects.filter(customer_id__in=chunk).delete()


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# Refresh, append, rebuild ---------------------------------------------------------


def refresh(*, keys: Iterable[Key] = (), customers: Iterable[int] = ()) -> None:
    """Recompute the rollups of (person, month) keys and the first orders of customers."""
    keys = sorted(set(keys))
    customers = set(customers)
    if not keys and not customers:
        return
    _lock(person_ids={person_id for person_id, _month in keys})
    for chunk in _chunks(keys, PAIRS_PER_STATEMENT):
        _refresh_keys(tuple(chunk))
    for chunk in _chunks(sorted(customers), CUSTOMERS_PER_STATEMENT):
        marks = ", ".join(["%s"] * len(chunk))
        first = _first_order_candidates(f"o.customer_id IN ({marks})", list(chunk))
        _write_first_orders(first, replace=set(chunk))


def _refresh_keys(keys: tuple[Key, ...]) -> None:
    rows = _Rows(keys=keys)
    for model, month_column in (
        (RollupMonth, "month"),
        (RollupCategoryMonth, "month"),
        (RollupPayment, "invoice_month"),
        (RollupVisitDay, "month"),
    ):
        where, params = rows.where(source=model, id_column="", person="person_id", day=month_column)
        _execute(f"DELETE FROM {_t(model)} WHERE {where}", params)
    # Clear the keys' month bits, add them back from the orders, drop emptied rows.
    customer_table = _t(RollupCustomerYear)
    for person_id, month in keys:
        _execute(
            f"UPDATE {customer_table} SET months = months & %s WHERE person_id = %s AND year = %s",
            [~(1 << (month.month - 1)), person_id, month.year],
        )
    _add_sums(rows)
    _execute(f"DELETE FROM {customer_table} WHERE months = 0", [])
    where, params = rows.where(source=Visit, id_column="", person="v.rep_id", day="v.visit_date")
    _insert_visit_days(where, params)


def _append(since: dict[str, int]) -> None:
    """Add the fact rows above the watermarks to the rollups."""
    _add_sums(_Rows(since=since, few=_few(since)))
    visit_days = _t(RollupVisitDay)
    visit = _t(Visit)
    touched = (
        "EXISTS (SELECT 1 FROM {visit} n WHERE n.id > %s AND n.rep_id = {rep} "
        "AND n.visit_date = {day})"
    )
    last_visit = since[Visit._meta.label]
    _execute(
        f"DELETE FROM {visit_days} WHERE "
        + touched.format(visit=visit, rep=f"{visit_days}.person_id", day=f"{visit_days}.day"),
        [last_visit],
    )
    # The reps and days of the new visits narrow the visits read to recount (index on
    # rep and date); the EXISTS keeps exactly the touched (rep, day) pairs.
    d = SqlDialect()
    new_visits = f"FROM {visit} WHERE id > %s"
    _insert_visit_days(
        touched.format(visit=visit, rep="v.rep_id", day="v.visit_date")
        + f" AND {d.any_of('v.rep_id', f'SELECT DISTINCT rep_id {new_visits}')}"
        + f" AND {d.any_of('v.visit_date', f'SELECT DISTINCT visit_date {new_visits}')}",
        [last_visit, last_visit, last_visit],
    )
    first = _first_order_candidates("o.id > %s", [since[Order._meta.label]])
    _write_first_orders(first, replace=set())


def rebuild() -> None:
    """Recompute every rollup from the raw records (`salesorg rollups rebuild`)."""
    with transaction.atomic():
        _lock(person_ids=None)
        for model in ROLLUP_MODELS:
            _execute(f"DELETE FROM {_t(model)}", [])
        _add_sums(_Rows())
        _insert_visit_days("1 = 1", [])
        _write_first_orders(_first_order_candidates("1 = 1", []), replace=set())


def _analyze(models) -> None:
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {_t(model)}")


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
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {_t(model)}")
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


# Batching ---------------------------------------------------------------------------


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


def _mark(*, person_id: int | None, day: date | None, customer_id: int | None = None) -> None:
    pending = _pending()
    if person_id is not None and day is not None:
        pending.keys.add((person_id, month_of(day)))
    if customer_id is not None:
        pending.customers.add(customer_id)


def _flush_unless_deferred() -> None:
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


# Signals: what a saved or deleted record touches -------------------------------------


def _keys_of(model, pk) -> None:
    """Mark the keys a stored record counts for (before it changes)."""
    if model is Order:
        row = Order.objects.filter(pk=pk).values_list("rep_id", "order_date", "customer_id").first()
        if row:
            _mark(person_id=row[0], day=row[1], customer_id=row[2])
    elif model is OrderLine:
        row = (
            OrderLine.objects.filter(pk=pk)
            .values_list("order__rep_id", "order__order_date")
            .first()
        )
        if row:
            _mark(person_id=row[0], day=row[1])
    elif model is Payment:
        row = (
            Payment.objects.filter(pk=pk)
            .values_list("invoice__rep_id", "invoice__invoice_date")
            .first()
        )
        if row:
            _mark(person_id=row[0], day=row[1])
    else:
        date_field = {Invoice: "invoice_date", Visit: "visit_date", Expense: "expense_date"}[model]
        row = model.objects.filter(pk=pk).values_list("rep_id", date_field).first()
        if row:
            _mark(person_id=row[0], day=row[1])


def _keys_of_instance(instance) -> None:
    """Mark the keys a record counts for as it is now (after a save, before a delete)."""
    if isinstance(instance, Order):
        _mark(person_id=instance.rep_id, day=instance.order_date, customer_id=instance.customer_id)
    elif isinstance(instance, OrderLine | Payment):
        _keys_of(type(instance), instance.pk)
    elif isinstance(instance, Invoice):
        _mark(person_id=instance.rep_id, day=instance.invoice_date)
    elif isinstance(instance, Visit):
        _mark(person_id=instance.rep_id, day=instance.visit_date)
    elif isinstance(instance, Expense):
        _mark(person_id=instance.rep_id, day=instance.expense_date)


def _is_fact(sender) -> bool:
    return sender in FACT_MODELS


@receiver(pre_save)
def _before_save(sender, instance, raw=False, **kwargs) -> None:
    if raw:
        return
    if _is_fact(sender) and instance.pk is not None and not instance._state.adding:
        _keys_of(sender, instance.pk)
    elif sender is Product and instance.pk is not None and not instance._state.adding:
        old = Product.objects.filter(pk=instance.pk).values_list("category_id", flat=True).first()
        if old is not None and old != instance.category_id:
            for rep_id, day in (
                Order.objects.filter(lines__product_id=instance.pk)
                .order_by()
                .values_list("rep_id", "order_date")
                .distinct()
            ):
                _mark(person_id=rep_id, day=day)


@receiver(post_save)
def _after_save(sender, instance, raw=False, **kwargs) -> None:
    if raw:
        return
    if _is_fact(sender):
        _keys_of_instance(instance)
    if _is_fact(sender) or sender is Product:
        _flush_unless_deferred()


@receiver(pre_delete)
def _before_delete(sender, instance, **kwargs) -> None:
    if _is_fact(sender) and isinstance(instance, OrderLine | Payment):
        _keys_of(sender, instance.pk)  # the order or invoice may be gone after the delete


@receiver(post_delete)
def _after_delete(sender, instance, **kwargs) -> None:
    if _is_fact(sender):
        if not isinstance(instance, OrderLine | Payment):
            _keys_of_instance(instance)
        _flush_unless_deferred()


def _customer_gone(sender, instance, **kwargs) -> None:
    RollupFirstOrder.objects.filter(customer_id=instance.pk).delete()


post_delete.connect(_customer_gone, sender=Customer, dispatch_uid="rollups-customer-gone")
