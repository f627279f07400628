"""The rollups' raw SQL: table names and the expressions SQLite and PostgreSQL spell apart."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import EmptyResultSet
from django.db import connection, connections

Key = tuple[int, date]  # (person id, first day of a month)


def month_of(day: date) -> date:
    """The first day of the month of `day`."""
    return day.replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + 1, 1, 1) if month.month == 12 else date(month.year, month.month + 1, 1)


def plain_rows(queryset) -> list[tuple]:
    """The rows of a `values_list` query of integer and text columns as the database driver
    gives them: without the ORM's converter per value and its fetches of 100 rows (a
    quarter of the time of a year's 12,000 targets)."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # a filter no row can meet (an empty list of ids)
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def table_name(model) -> str:
    """The quoted table name of a model, for the raw SQL of the rollups."""
    return connection.ops.quote_name(model._meta.db_table)


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


def in_ranges(table: str, ranges: list[tuple[int, date, date]], *, person: str, day: str) -> str:
    """A FROM clause of the rows of `table` (as `t`) of each (person, first day, last day):
    a join on a VALUES list, each range one range scan of the table's (person, day) key.

    The list is written as literals (ids and dates only, checked): a thousand ranges as
    parameters cost more to bind than to read. PostgreSQL reads the ranges with a LATERAL
    subquery kept apart by OFFSET 0: joined plainly (or with the subquery pulled up), it
    hashes the list and scans the whole table (half a second at 1,000 reps for 1,111
    ranges).
    """
    postgres = connection.vendor == "postgresql"

    def literal(day: date) -> str:
        if not isinstance(day, date):
            raise TypeError(f"not a date: {day!r}")
        return f"'{day.isoformat()}'::date" if postgres else f"'{day.isoformat()}'"

    rows = ", ".join(
        f"({int(who)}, {literal(first)}, {literal(last)})" for who, first, last in ranges
    )
    values = f"(VALUES {rows}) v"
    condition = f"t.{person} = v.column1 AND t.{day} BETWEEN v.column2 AND v.column3"
    if postgres:
        return f"{values} CROSS JOIN LATERAL (SELECT * FROM {table} t WHERE {condition} OFFSET 0) t"
    return f"{table} t JOIN {values} ON {condition}"
