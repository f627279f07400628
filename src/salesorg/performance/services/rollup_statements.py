"""The set-based SQL statements that write the rollups, for all raw rows, new ones or some keys."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from django.db import connection

from salesorg.performance.kpi.sql import Key, SqlDialect, next_month, table_name
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
from salesorg.sales.choices import OrderStatus, VisitKind
from salesorg.sales.models import Expense, Invoice, Order, OrderLine, Payment, Product, Visit

CUSTOMERS_PER_STATEMENT = 500


@dataclass(frozen=True)
class Rows:
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
            new_parents = f"SELECT {fk} FROM {table_name(source)} WHERE id > %s"
            return f"{id_column} > %s AND {SqlDialect().any_of(parent_id, new_parents)}", [
                mark,
                mark,
            ]
        if self.keys is not None:
            terms, params = [], []
            for person_id, month in self.keys:
                terms.append(f"({person} = %s AND {day} >= %s AND {day} < %s)")
                params += [person_id, month, next_month(month)]
            return "(" + " OR ".join(terms) + ")", params
        return "1 = 1", []


def execute_sql(sql: str, params: list) -> None:
    """Run one raw statement of the rollups on the default database."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def add_sums(rows: Rows) -> None:
    """Add the sums of the selected raw rows to the additive rollups (upsert, +=)."""
    _add_order_line_sums(rows)
    _add_invoice_and_expense_sums(rows)
    _add_payment_sums(rows)
    _add_receivable_days(rows)
    _add_customer_months(rows)


def _add_order_line_sums(rows: Rows) -> None:
    """Confirmed order lines: sales and cost per person-month, and per category."""
    d = SqlDialect()
    line, order, product = table_name(OrderLine), table_name(Order), table_name(Product)
    month_table = table_name(RollupMonth)
    order_month = d.month("o.order_date")
    where, params = rows.where(
        source=OrderLine,
        id_column="l.id",
        person="o.rep_id",
        day="o.order_date",
        parent=("o.id", "order_id"),
    )
    execute_sql(
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
    category_table = table_name(RollupCategoryMonth)
    execute_sql(
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


def _add_invoice_and_expense_sums(rows: Rows) -> None:
    """Invoiced amounts and expenses per person-month."""
    d = SqlDialect()
    month_table = table_name(RollupMonth)
    for model, column, date_column in (
        (Invoice, "invoiced", "invoice_date"),
        (Expense, "expenses", "expense_date"),
    ):
        where, params = rows.where(
            source=model, id_column="s.id", person="s.rep_id", day=f"s.{date_column}"
        )
        source_month = d.month(f"s.{date_column}")
        execute_sql(
            f"""INSERT INTO {month_table} (person_id, month, sales, cost, invoiced, expenses)
            SELECT s.rep_id, {source_month}, 0, 0,
                   {"SUM(" + d.cents("s.amount") + ")" if column == "invoiced" else "0"},
                   {"SUM(" + d.cents("s.amount") + ")" if column == "expenses" else "0"}
            FROM {table_name(model)} s
            WHERE {where}
            GROUP BY s.rep_id, {source_month}
            ON CONFLICT (person_id, month) DO UPDATE SET
              {column} = {month_table}.{column} + excluded.{column}""",
            params,
        )


def _add_payment_sums(rows: Rows) -> None:
    """Collected amounts per person, invoice month and payment month."""
    d = SqlDialect()
    # A payment is credited by its invoice's person and date (KPI.md, Periods and units).
    payment_table = table_name(RollupPayment)
    where, params = rows.where(
        source=Payment,
        id_column="p.id",
        person="i.rep_id",
        day="i.invoice_date",
        parent=("i.id", "invoice_id"),
    )
    invoice_month, payment_month = d.month("i.invoice_date"), d.month("p.payment_date")
    execute_sql(
        f"""INSERT INTO {payment_table} (person_id, invoice_month, payment_month, amount)
        SELECT i.rep_id, {invoice_month}, {payment_month}, SUM({d.cents("p.amount")})
        FROM {table_name(Payment)} p JOIN {table_name(Invoice)} i ON i.id = p.invoice_id
        WHERE {where}
        GROUP BY i.rep_id, {invoice_month}, {payment_month}
        ON CONFLICT (person_id, invoice_month, payment_month) DO UPDATE SET
          amount = {payment_table}.amount + excluded.amount""",
        params,
    )


def _add_receivable_days(rows: Rows) -> None:
    """Invoiced amounts per person and invoice day; payments per person, invoice day and
    payment month (the receivables' ageing, which counts days since the invoice)."""
    d = SqlDialect()
    day_table = table_name(RollupInvoiceDay)
    where, params = rows.where(
        source=Invoice, id_column="i.id", person="i.rep_id", day="i.invoice_date"
    )
    execute_sql(
        f"""INSERT INTO {day_table} (person_id, day, month, amount)
        SELECT i.rep_id, i.invoice_date, {d.month("i.invoice_date")}, SUM({d.cents("i.amount")})
        FROM {table_name(Invoice)} i
        WHERE {where}
        GROUP BY i.rep_id, i.invoice_date
        ON CONFLICT (person_id, day) DO UPDATE SET amount = {day_table}.amount + excluded.amount""",
        params,
    )
    paid_table = table_name(RollupPaymentDay)
    where, params = rows.where(
        source=Payment,
        id_column="p.id",
        person="i.rep_id",
        day="i.invoice_date",
        parent=("i.id", "invoice_id"),
    )
    payment_month = d.month("p.payment_date")
    execute_sql(
        f"""INSERT INTO {paid_table}
          (person_id, invoice_day, invoice_month, payment_month, amount)
        SELECT i.rep_id, i.invoice_date, {d.month("i.invoice_date")}, {payment_month},
               SUM({d.cents("p.amount")})
        FROM {table_name(Payment)} p JOIN {table_name(Invoice)} i ON i.id = p.invoice_id
        WHERE {where}
        GROUP BY i.rep_id, i.invoice_date, {payment_month}
        ON CONFLICT (person_id, invoice_day, payment_month) DO UPDATE SET
          amount = {paid_table}.amount + excluded.amount""",
        params,
    )


def _add_customer_months(rows: Rows) -> None:
    """The months of each year a person sold to a customer (distinct customers)."""
    d = SqlDialect()
    order = table_name(Order)
    # The months a person sold to a customer: bits are OR-ed (a sum of distinct bits).
    customer_table = table_name(RollupCustomerYear)
    where, params = rows.where(
        source=Order, id_column="o.id", person="o.rep_id", day="o.order_date"
    )
    execute_sql(
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


def insert_visit_days(where: str, params: list) -> None:
    """Recount the distinct customers of the selected visits' (rep, day) groups."""
    d = SqlDialect()
    execute_sql(
        f"""INSERT INTO {table_name(RollupVisitDay)} (person_id, day, month, visits, service_calls)
        SELECT v.rep_id, v.visit_date, {d.month("v.visit_date")},
          COUNT(DISTINCT CASE WHEN v.kind IN (%s, %s) THEN v.customer_id END),
          COUNT(DISTINCT CASE WHEN v.kind = %s THEN v.customer_id END)
        FROM {table_name(Visit)} v WHERE {where}
        GROUP BY v.rep_id, v.visit_date""",
        [VisitKind.VISIT, VisitKind.JOINT, VisitKind.SERVICE, *params],
    )


def first_order_candidates(where: str, params: list) -> dict[int, tuple[str, int, date]]:
    """Per customer, its earliest confirmed order among the selected ones: (code, rep, day)."""
    order = table_name(Order)
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


def write_first_orders(first: dict[int, tuple[str, int, date]], *, replace: set[int]) -> None:
    """Store first orders; `replace` customers lose their row even without a new one."""
    existing: dict[int, tuple] = {}
    if replace:
        delete_first_orders(replace)
    candidates = [c for c in first if c not in replace]
    for chunk in chunks(candidates, CUSTOMERS_PER_STATEMENT):
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
    delete_first_orders({c for c in changed if c in existing})
    RollupFirstOrder.objects.bulk_create(
        [
            RollupFirstOrder(
                customer_id=c, person_id=first[c][1], day=first[c][2], code=first[c][0]
            )
            for c in changed
        ],
        batch_size=2000,
    )


def delete_first_orders(customers: Iterable[int]) -> None:
    """Drop the stored first orders of these customers."""
    for chunk in chunks(sorted(customers), CUSTOMERS_PER_STATEMENT):
        RollupFirstOrder.objects.filter(customer_id__in=chunk).delete()


def chunks(items: list, size: int) -> Iterator[list]:
    """`items` in slices of at most `size` (statements with bounded parameters)."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
