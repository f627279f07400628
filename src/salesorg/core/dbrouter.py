"""The database router that sends report reads to a reporting replica (alias `reports`).

Reports and dashboards read a lot and write nothing, so a PostgreSQL streaming replica
can carry them while the primary serves the writes. Code that builds a report enters
`reading_reports()`; inside it, reads go to the `reports` alias when it is configured
(`DATABASE_REPORTS_URL`, see settings). Everything else stays on `default`:

- every write, and every read that intends to write (`select_for_update`, `get_or_create`);
- every read outside `reading_reports()`;
- every read while `default` is inside a transaction (`atomic`): the block may have
  written, and a replica cannot see uncommitted rows, so it reads its own writes;
- every read of a web or API request after that request wrote (`ReadYourWritesMiddleware`):
  the replica may not have replayed the write yet, and a page shows what it just saved;
- migrations (the replica is a physical copy of the primary, not a database to migrate).

Without the `reports` alias the router changes nothing. A replica lags the primary by
a moment (usually well under a second), which a dashboard tolerates; anything that must
see a write it just made (a form's confirmation page) simply does not use the block.
See docs/scaling.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS, connections

REPORTS_ALIAS = "reports"

# Per thread and per asyncio task, so one request's reports never leak into another's.
_reading_reports: ContextVar[bool] = ContextVar("salesorg_reading_reports", default=False)
# Whether the current request wrote (ReadYourWritesMiddleware starts it at False, the router's
# first write sets it); None outside a request, where nothing is tracked.
_wrote: ContextVar[bool | None] = ContextVar("salesorg_wrote_to_primary", default=None)


@contextmanager
def reading_reports() -> Iterator[None]:
    """Mark the reads inside the block (or the decorated function) as report reads."""
    token = _reading_reports.set(True)
    try:
        yield
    finally:
        _reading_reports.reset(token)


def reports_configured() -> bool:
    """Whether a `reports` database alias exists (DATABASE_REPORTS_URL was set)."""
    return REPORTS_ALIAS in connections.settings


def report_read_alias() -> str:
    """The alias a report read should use now: `reports` when allowed, else `default`.

    For code that opens a cursor itself: `connections[report_read_alias()].cursor()`.
    """
    if (
        _reading_reports.get()
        and reports_configured()
        and not _wrote.get()
        and not connections[DEFAULT_DB_ALIAS].in_atomic_block
    ):
        return REPORTS_ALIAS
    return DEFAULT_DB_ALIAS


class ReadYourWritesMiddleware:
    """Each request may read reports from the replica until it writes; from then on, it
    reads the primary, which has the write (the replica may not have replayed it yet)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _wrote.set(False)
        try:
            return self.get_response(request)
        finally:
            _wrote.reset(token)


def _is_known(alias: str | None) -> bool:
    return alias in (DEFAULT_DB_ALIAS, REPORTS_ALIAS)


class ReportsRouter:
    """Route report reads to the replica and everything else to the primary."""

    def db_for_read(self, model, **hints) -> str:
        """The replica inside `reading_reports()` when allowed; otherwise the primary.

        Outside the block an object loaded from the replica reads its relations from
        the primary too, so the replica is never used by accident.
        """
        return report_read_alias()

    def db_for_write(self, model, **hints) -> str:
        """Always the primary, also for objects that were read from the replica; the
        writer's later report reads go there too (read your writes)."""
        if _wrote.get() is False:
            _wrote.set(True)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        """Objects of the primary and the replica may be related: they are the same data."""
        if _is_known(obj1._state.db) and _is_known(obj2._state.db):
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, model_name=None, **hints) -> bool:
        """Only the primary is migrated; the replica follows it physically."""
        return db == DEFAULT_DB_ALIAS
