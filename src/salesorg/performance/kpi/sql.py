"""The rollups' raw SQL: table names and the expressions SQLite and PostgreSQL spell apart."""

from __future__ import annotations

from datetime import date

from django.db import connection

Key = tuple[int, date]  # (person id, first day of a month)


def month_of(day: date) -> date:
    """The first day of the month of `day`."""
    return day.replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + 1, 1, 1) if month.month == 12 else date(month.year, month.month + 1, 1)


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
