"""Load a benchmark folder into a fresh database and print one table of timings.

    .venv/bin/python bench/run.py [--reps 100] [--data DIR]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/run.py ...

SQLite runs in a temporary SALESORG_HOME; with DATABASE_URL the named database is dropped and
created afresh on that server. Without --data the folder is generated under /tmp first.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
YEAR = 2025


def fresh_postgres(url: str) -> None:
    """Drop and create the database named in `url` (never the maintenance database)."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if name in ("", "postgres", "template0", "template1"):
        raise SystemExit("DATABASE_URL must name a dedicated benchmark database, e.g. /bench")
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def load_average() -> str:
    """The machine's load average over 1, 5 and 15 minutes."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def timed(fn, repeat: int = 1) -> tuple[float, object]:
    """Median seconds of `repeat` calls and the last result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


FILE_TYPES = {
    "orders": {"order_date": "DATE"},
    "order_lines": {"amount": "DECIMAL(18,2)", "cost": "DECIMAL(18,2)"},
    "invoices": {"invoice_date": "DATE", "amount": "DECIMAL(18,2)"},
    "payments": {"payment_date": "DATE", "amount": "DECIMAL(18,2)"},
    "visits": {"visit_date": "DATE"},
    "expenses": {"expense_date": "DATE", "amount": "DECIMAL(18,2)"},
    "customers": {},
    "products": {},
    "teams": {},
    "memberships": {},
}

# The indicator table of one year at every level (rep, team, region, company) and the
# product mix, from the raw records, crediting teams through the membership on the
# fact's date: what SalesOrg's engine computes, in one DuckDB statement each.
DUCKDB_TABLE = """
WITH m AS (
  SELECT person_code p, team_code t, te.region_code r, start_date::DATE s,
         coalesce(nullif(end_date, '')::DATE, DATE '9999-12-31') e
  FROM memberships JOIN teams te ON te.code = team_code),
lines AS (
  SELECT o.rep_code rep, o.order_date d, o.customer_code cust, l.amount amt, l.cost cost,
         pr.category_code cat
  FROM orders o JOIN order_lines l ON l.order_code = o.code
  JOIN products pr ON pr.code = l.product_code WHERE o.status = 'confirmed'),
firsts AS (
  SELECT customer_code, arg_min(rep_code, (order_date, code)) rep, min(order_date) d
  FROM orders WHERE status = 'confirmed' GROUP BY customer_code),
facts AS (
  SELECT rep, d, amt sales, cost, 0 inv, 0 coll, 0 ar, 0 spent, NULL vis, cust, 0 new
    FROM lines WHERE d BETWEEN $start AND $end
  UNION ALL SELECT rep_code, invoice_date, 0, 0, amount, 0, 0, 0, NULL, NULL, 0
    FROM invoices WHERE invoice_date BETWEEN $start AND $end
  UNION ALL SELECT i.rep_code, i.invoice_date, 0, 0, 0, p.amount, 0, 0, NULL, NULL, 0
    FROM payments p JOIN invoices i ON i.code = p.invoice_code
    WHERE p.payment_date BETWEEN $start AND $end
  UNION ALL SELECT rep_code, invoice_date, 0, 0, 0, 0, amount, 0, NULL, NULL, 0
    FROM invoices WHERE invoice_date < $start
  UNION ALL SELECT i.rep_code, i.invoice_date, 0, 0, 0, 0, -p.amount, 0, NULL, NULL, 0
    FROM payments p JOIN invoices i ON i.code = p.invoice_code
    WHERE p.payment_date < $start AND i.invoice_date < $start
  UNION ALL SELECT rep_code, expense_date, 0, 0, 0, 0, 0, amount, NULL, NULL, 0
    FROM expenses WHERE expense_date BETWEEN $start AND $end
  UNION ALL SELECT rep_code, visit_date, 0, 0, 0, 0, 0, 0, customer_code || '|' || visit_date,
    NULL, 0 FROM visits WHERE kind IN ('visit', 'joint') AND visit_date BETWEEN $start AND $end
  UNION ALL SELECT rep, d, 0, 0, 0, 0, 0, 0, NULL, NULL, 1
    FROM firsts WHERE d BETWEEN $start AND $end),
credited AS (
  SELECT f.*, m.t, m.r, c.industry FROM facts f
  LEFT JOIN m ON m.p = f.rep AND f.d BETWEEN m.s AND m.e
  LEFT JOIN customers c ON c.code = f.cust)
SELECT rep, t, r, sum(sales), sum(sales - cost), sum(inv), sum(coll), sum(ar), sum(spent),
       count(DISTINCT rep || vis), count(DISTINCT cust), count(DISTINCT industry), sum(new)
FROM credited GROUP BY GROUPING SETS ((rep), (t), (r), ())
"""
DUCKDB_MIX = """
WITH m AS (
  SELECT person_code p, team_code t, te.region_code r, start_date::DATE s,
         coalesce(nullif(end_date, '')::DATE, DATE '9999-12-31') e
  FROM memberships JOIN teams te ON te.code = team_code)
SELECT o.rep_code, m.t, m.r, pr.category_code, sum(l.amount)
FROM orders o JOIN order_lines l ON l.order_code = o.code
JOIN products pr ON pr.code = l.product_code
LEFT JOIN m ON m.p = o.rep_code AND o.order_date BETWEEN m.s AND m.e
WHERE o.status = 'confirmed' AND o.order_date BETWEEN $start AND $end
GROUP BY GROUPING SETS ((o.rep_code, pr.category_code), (m.t, pr.category_code),
                        (m.r, pr.category_code), (pr.category_code))
"""


def duckdb_table(data: Path) -> tuple[float, int] | None:
    """Seconds for the year's indicator table and mix, all levels, in DuckDB from raw data."""
    try:
        import duckdb
    except ImportError:
        print("note: duckdb is not installed (pip install -e '.[bench]'); DuckDB skipped")
        return None
    con = duckdb.connect()
    started = time.perf_counter()
    for name, types in FILE_TYPES.items():
        raw = f"read_csv('{data / (name + '.csv')}', header=true, all_varchar=true)"
        columns = ", ".join(
            f"CAST({column} AS {kind}) AS {column}" for column, kind in types.items()
        )
        excluded = f" EXCLUDE ({', '.join(types)})" if types else ""
        comma = ", " if types else ""
        con.execute(f"CREATE TABLE {name} AS SELECT *{excluded}{comma}{columns} FROM {raw}")
    load = time.perf_counter() - started
    params = {"start": date(YEAR, 1, 1), "end": date(YEAR, 12, 31)}
    started = time.perf_counter()
    rows = len(con.execute(DUCKDB_TABLE, params).fetchall())
    rows += len(con.execute(DUCKDB_MIX, params).fetchall())
    query = time.perf_counter() - started
    print(f"note: DuckDB typed load {load:.1f} s (not counted)")
    return query, rows


class _Results(list):
    """The table's lines; each notes the machine's load (1-minute average) when it was
    taken, as timings on a shared machine mean little without it."""

    def append(self, line: tuple[str, str, str]) -> None:
        label, value, note = line
        super().append((label, value, f"{note}; load {os.getloadavg()[0]:.1f}"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument(
        "--reuse",
        type=Path,
        default=None,
        metavar="HOME",
        help="measure an already loaded database (SQLite: its SALESORG_HOME; "
        "PostgreSQL: any value, DATABASE_URL is kept) instead of importing afresh",
    )
    args = parser.parse_args()
    data = args.data or Path(f"/tmp/bench-{args.reps}")
    next_day = data.with_name(data.name + "-day")
    for folder, extra in ((data, []), (next_day, ["--next-day"])):
        if not (folder / "orders.csv").exists():
            subprocess.run(
                [sys.executable, str(ROOT / "bench" / "generate.py"), "--reps", str(args.reps),
                 "--seed", str(args.seed), "--out", str(folder), *extra],
                check=True,
            )  # fmt: skip
    url = os.environ.get("DATABASE_URL")
    engine = "PostgreSQL" if url else "SQLite"
    if url and not args.reuse:
        fresh_postgres(url)
    if not url:
        home = args.reuse or Path(tempfile.mkdtemp(prefix="salesorg-bench-"))
        os.environ["SALESORG_HOME"] = str(home)
        print(f"note: SQLite database in {home} (measure again with --reuse {home})")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salesorg.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from salesorg.core.scoping import SYSTEM
    from salesorg.org.models import Person, Team
    from salesorg.performance.choices import Level
    from salesorg.performance.kpi.indicators import indicator_table, product_mix
    from salesorg.performance.services import rollups

    results: list[tuple[str, str, str]] = _Results()
    rows = sum(
        max(0, sum(1 for _ in path.open(encoding="utf-8")) - 1) for path in data.glob("*.csv")
    )
    if not args.reuse:
        call_command("migrate", verbosity=0)
        # On a shared machine the wall time says little: CPU time and the load go with it.
        load_before, cpu = load_average(), time.process_time()
        seconds, _ = timed(lambda: call_command("import", str(data), verbosity=0))
        cpu = time.process_time() - cpu
        peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        results.append(
            (
                "import (validated, with history and rollups)",
                f"{seconds:.1f} s",
                f"{rows:,} rows, {rows / seconds:,.0f} rows/s, peak RSS {peak_mib:,.0f} MiB; "
                f"CPU {cpu:.0f} s ({rows / cpu:,.0f} rows/s); "
                f"load {load_before} → {load_average()}",
            )
        )
    # Measure as a gunicorn worker serves: salesorg.wsgi loads every view and freezes
    # what is loaded out of the garbage collector's scans.
    import salesorg.wsgi  # noqa: F401

    start, end = date(YEAR, 1, 1), date(YEAR, 12, 31)
    indicator_table(user=SYSTEM, start=start, end=end)  # warm the database's caches
    table_seconds, table = timed(
        lambda: indicator_table(user=SYSTEM, start=start, end=end), repeat=3
    )
    results.append(
        (
            "indicator table, year, all levels (median of 3)",
            f"{table_seconds:.2f} s",
            f"{len(table.rows):,} rows",
        )
    )
    mix_seconds, mix = timed(lambda: product_mix(user=SYSTEM, start=start, end=end), repeat=3)
    results.append(
        (
            "product mix, year, all levels (median of 3)",
            f"{mix_seconds:.2f} s",
            f"{len(mix):,} rows",
        )
    )
    rep = Person.objects.filter(role="rep").order_by("code").first()
    users = get_user_model()
    director = Person.objects.filter(role="director").first()
    team = Team.objects.order_by("code").first()
    for person in (director, rep):
        if person.user_id is None:
            person.user = users.objects.create_user(username=f"bench-{person.code}")
            person.save(update_fields=["user"])
    rep_user = users.objects.get(pk=rep.user_id)
    seconds, _ = timed(
        lambda: indicator_table(
            start=date(YEAR, 11, 1), end=date(YEAR, 11, 30), level=Level.PERSON, user=rep_user
        ),
        repeat=20,
    )
    results.append(("one rep's month (median of 20)", f"{seconds * 1000:.0f} ms", rep.code))
    seconds, _ = timed(lambda: call_command("evaluate_customers", as_of=end, verbosity=0))
    from salesorg.customers.models import Customer

    results.append(
        ("evaluate-customers", f"{seconds:.1f} s", f"{Customer.objects.count():,} customers")
    )

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    pages = [
        ("director dashboard", director, f"/performance/dashboards/achievement/?year={YEAR}"),
        (
            "team dashboard",
            director,
            f"/performance/dashboards/achievement/?level=team&unit={team.pk}&year={YEAR}",
        ),
        ("rep home page", rep, "/"),
        (
            "company receivables dashboard",
            director,
            f"/performance/dashboards/receivables/?year={YEAR}",
        ),
    ]
    for label, person, path in pages:
        client = Client()
        client.force_login(users.objects.get(pk=person.user_id))
        client.get(path, secure=True)
        times, queries, status = [], 0, None
        for _ in range(5):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get(path, secure=True)
                times.append(time.perf_counter() - started)
            queries, status = len(ctx.captured_queries), response.status_code
        results.append(
            (
                f"{label} (median of 5)",
                f"{statistics.median(times) * 1000:.0f} ms",
                f"{queries} queries, HTTP {status}",
            )
        )
    from salesorg.sales.models import Order

    if not Order.objects.filter(order_date__gt=end).exists():
        # One more day of records, then the indicators of its month from the rollups.
        day_rows = sum(
            max(0, sum(1 for _ in p.open(encoding="utf-8")) - 1) for p in next_day.glob("*.csv")
        )
        appended = []
        original_append = rollups._append

        def timed_append(since):
            started = time.perf_counter()
            original_append(since)
            appended.append(time.perf_counter() - started)

        rollups._append = timed_append
        seconds, _ = timed(lambda: call_command("import", str(next_day), verbosity=0))
        rollups._append = original_append
        following = date(YEAR + 1, 1, 1), date(YEAR + 1, 1, 31)
        query, _table = timed(
            lambda: indicator_table(user=SYSTEM, start=following[0], end=following[1])
        )
        results.append(
            (
                "one more day: import + rollups",
                f"{seconds:.2f} s",
                f"{day_rows:,} rows; rollups updated in {sum(appended):.2f} s; "
                f"then the month's table in {query:.2f} s",
            )
        )
    duck = duckdb_table(data)
    if duck is not None:
        duck_seconds, duck_rows = duck
        results.append(
            (
                "DuckDB: the same table + mix from raw data",
                f"{duck_seconds:.2f} s",
                f"{duck_rows:,} rows; SalesOrg table / DuckDB = {table_seconds / duck_seconds:.2f}",
            )
        )

    print(f"\n{engine}, {args.reps} reps, data {data}\n")
    print(f"| {'measure':<52} | {'time':>9} | notes |")
    print(f"| {'-' * 52} | {'-' * 9} | --- |")
    for label, value, note in results:
        print(f"| {label:<52} | {value:>9} | {note} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
