"""Loading an empty table without its indexes and constraints (PostgreSQL; on SQLite, the
staged path's big files, without their secondary indexes only).

Into an empty table, building each index once after the rows are in, and checking each
foreign key with one join, is several times faster than maintaining them row by row as
COPY does. So when the import starts writing a table that is empty, and so is its
history table, their secondary indexes and their foreign-key and unique constraints
(never the primary key) are dropped inside the import's transaction and recreated, with
the same names and definitions read from the catalog before dropping, once the table's
file is written. DDL is transactional in PostgreSQL: a failure, also one found when a
constraint is recreated, rolls back the drops with everything else. The importer's own
checks report duplicate keys and unknown references by line before that.

A unique constraint that a foreign key of another table relies on is kept, as are check
and exclusion constraints (cheap, or not rebuilt the same way).

On SQLite only the indexes created apart from the table and not unique are dropped (the
others are part of the table's definition, and find duplicates as rows arrive); foreign
keys there are checked at commit anyway.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

MAINTENANCE_WORK_MEM = "256MB"

_INDEXES = """
    SELECT index.relname, pg_get_indexdef(i.indexrelid)
    FROM pg_index i
    JOIN pg_class index ON index.oid = i.indexrelid
    WHERE i.indrelid = %s::regclass
      AND NOT i.indisprimary
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid
                      AND c.conrelid = i.indrelid)
    ORDER BY index.relname
"""
_CONSTRAINTS = """
    SELECT c.conname, c.contype, pg_get_constraintdef(c.oid)
    FROM pg_constraint c
    WHERE c.conrelid = %s::regclass
      AND (c.contype = 'f'
           OR (c.contype = 'u' AND NOT EXISTS (
               SELECT 1 FROM pg_constraint r WHERE r.contype = 'f' AND r.conindid = c.conindid
               AND r.conrelid <> c.conrelid)))
    ORDER BY c.contype DESC, c.conname
"""


@dataclass(frozen=True)
class TableShape:
    """What is dropped from one table and how to build it again."""

    table: str
    indexes: tuple[tuple[str, str], ...]  # name, CREATE INDEX statement
    constraints: tuple[tuple[str, str, str], ...]  # name, type (u, f), definition


_SQLITE_INDEXES = """
    SELECT name, sql FROM sqlite_master
    WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL
      AND upper(sql) NOT LIKE 'CREATE UNIQUE%%'
    ORDER BY name
"""


def table_shape(table: str) -> TableShape:
    """Read the droppable indexes and constraints of `table` from the catalog."""
    quoted = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(_SQLITE_INDEXES, [table])
            return TableShape(table=table, indexes=tuple(cursor.fetchall()), constraints=())
        cursor.execute(_INDEXES, [quoted])
        indexes = tuple(cursor.fetchall())
        cursor.execute(_CONSTRAINTS, [quoted])
        constraints = tuple(cursor.fetchall())
    return TableShape(table=table, indexes=indexes, constraints=constraints)


def is_empty(table: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {connection.ops.quote_name(table)})")
        return cursor.fetchone()[0]


class SuspendedIndexes:
    """The indexes and constraints of some empty tables, dropped until `restore`."""

    def __init__(self, tables: list[str]) -> None:
        self.shapes = [table_shape(table) for table in tables]
        self.dropped = False

    @classmethod
    def for_empty(cls, tables: list[str]) -> SuspendedIndexes | None:
        """Suspend the tables' indexes if every one of them is empty (PostgreSQL only)."""
        if connection.vendor != "postgresql" or not all(is_empty(table) for table in tables):
            return None
        suspended = cls(tables)
        suspended.drop()
        return suspended

    def drop(self) -> None:
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            # Foreign keys first: a unique constraint may back one of this table's own.
            for shape in self.shapes:
                for name, kind, _definition in shape.constraints:
                    if kind == "f":
                        cursor.execute(
                            f"ALTER TABLE {quote(shape.table)} DROP CONSTRAINT {quote(name)}"
                        )
            for shape in self.shapes:
                for name, kind, _definition in shape.constraints:
                    if kind != "f":
                        cursor.execute(
                            f"ALTER TABLE {quote(shape.table)} DROP CONSTRAINT {quote(name)}"
                        )
                for name, _statement in shape.indexes:
                    cursor.execute(f"DROP INDEX {quote(name)}")
        self.dropped = True

    def restore(self) -> None:
        """Build the dropped indexes and constraints again (checking every row)."""
        if not self.dropped:
            return
        quote = connection.ops.quote_name
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                for shape in self.shapes:
                    for _name, statement in shape.indexes:
                        cursor.execute(statement)
            self.dropped = False
            return
        with connection.cursor() as cursor:
            # A foreign key cannot be added while deferred checks of the table are pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"SET LOCAL maintenance_work_mem = '{MAINTENANCE_WORK_MEM}'")
            for shape in self.shapes:
                for _name, statement in shape.indexes:
                    cursor.execute(statement)
            for kind_wanted in ("u", "f"):
                for shape in self.shapes:
                    for name, kind, definition in shape.constraints:
                        if kind == kind_wanted:
                            cursor.execute(
                                f"ALTER TABLE {quote(shape.table)} "
                                f"ADD CONSTRAINT {quote(name)} {definition}"
                            )
        self.dropped = False
