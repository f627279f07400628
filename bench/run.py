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


def timed(fn, repeat: int = 1) -> tuple[float, object]:
    """Median seconds of `repeat` calls and the last result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def duckdb_indicators(data: Path) -> float | None:
    """Seconds for the year's per-rep-month sales, margin, collections, visits from raw CSVs."""
    try:
        import duckdb
    except ImportError:
        print("note: duckdb is not installed (pip install -e '.[bench]'); DuckDB skipped")
        return None
    con = duckdb.connect()
    started = time.perf_counter()
    for name in (
        "orders",
        "order_lines",
        "payments",
        "invoices",
        "visits",
        "expenses",
        "customers",
    ):
        con.execute(
            f"CREATE TABLE {name} AS SELECT * FROM read_csv_auto('{data / (name + '.csv')}', "
            "all_varchar=true)"
        )
    load = time.perf_counter() - started
    started = time.perf_counter()
    con.execute(
        f"""
        WITH s AS (
          SELECT o.rep_code rep, month(o.order_date::DATE) m,
                 sum(l.amount::DECIMAL(18,2)) sales, sum(l.cost::DECIMAL(18,2)) cost,
                 count(DISTINCT o.customer_code) buyers
          FROM orders o JOIN order_lines l ON l.order_code = o.code
          WHERE o.status = 'confirmed' AND year(o.order_date::DATE) = {YEAR} GROUP BY ALL),
        c AS (
          SELECT i.rep_code rep, month(p.payment_date::DATE) m, sum(p.amount::DECIMAL(18,2)) coll
          FROM payments p JOIN invoices i ON i.code = p.invoice_code
          WHERE year(p.payment_date::DATE) = {YEAR} GROUP BY ALL),
        v AS (
          SELECT rep_code rep, month(visit_date::DATE) m, count(*) visits
          FROM visits WHERE year(visit_date::DATE) = {YEAR} GROUP BY ALL),
        e AS (
          SELECT rep_code rep, month(expense_date::DATE) m, sum(amount::DECIMAL(18,2)) spent
          FROM expenses WHERE year(expense_date::DATE) = {YEAR} GROUP BY ALL),
        mix AS (
          SELECT o.rep_code rep, month(o.order_date::DATE) m, left(l.product_code, 3) cat,
                 sum(l.amount::DECIMAL(18,2)) amount
          FROM orders o JOIN order_lines l ON l.order_code = o.code
          WHERE o.status = 'confirmed' GROUP BY ALL)
        SELECT (SELECT count(*) FROM s), (SELECT count(*) FROM c), (SELECT count(*) FROM v),
               (SELECT count(*) FROM e), (SELECT count(*) FROM mix)
        """
    ).fetchall()
    query = time.perf_counter() - started
    print(f"note: DuckDB CSV load {load:.2f} s (not counted in the query time)")
    return query


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", type=Path, default=None)
    args = parser.parse_args()
    data = args.data or Path(f"/tmp/bench-{args.reps}")
    if not (data / "orders.csv").exists():
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "generate.py"),
                "--reps",
                str(args.reps),
                "--seed",
                str(args.seed),
                "--out",
                str(data),
            ],
            check=True,
        )
    url = os.environ.get("DATABASE_URL")
    if url:
        fresh_postgres(url)
        engine = "PostgreSQL"
    else:
        os.environ["SALESORG_HOME"] = tempfile.mkdtemp(prefix="salesorg-bench-")
        engine = "SQLite"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salesorg.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from datetime import date

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from salesorg.org.models import Person, Team
    from salesorg.performance.choices import Level
    from salesorg.performance.indicators import indicator_table, product_mix

    call_command("migrate", verbosity=0)
    rows = sum(
        max(0, sum(1 for _ in path.open(encoding="utf-8")) - 1) for path in data.glob("*.csv")
    )
    results: list[tuple[str, str, str]] = []
    seconds, _ = timed(lambda: call_command("import", str(data), verbosity=0))
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results.append(
        (
            "import",
            f"{seconds:.1f} s",
            f"{rows:,} rows, {rows / seconds:,.0f} rows/s, peak RSS {peak_mib:,.0f} MiB",
        )
    )
    start, end = date(YEAR, 1, 1), date(YEAR, 12, 31)
    seconds, table = timed(lambda: indicator_table(start=start, end=end, level=Level.ALL))
    results.append(
        ("indicator table, year, all levels", f"{seconds:.2f} s", f"{len(table.rows):,} rows")
    )
    seconds, mix = timed(lambda: product_mix(start=start, end=end, level=Level.PERSON))
    results.append(("product mix, year, by rep", f"{seconds:.2f} s", f"{len(mix):,} rows"))
    rep = Person.objects.filter(role="rep").order_by("code").first()
    users = get_user_model()
    director = Person.objects.filter(role="director").first()
    team = Team.objects.order_by("code").first()
    for person in (director, rep):
        if person.user_id is None:
            person.user = users.objects.create_user(username=f"bench-{person.code}")
            person.save(update_fields=["user"])
    seconds, _ = timed(
        lambda: indicator_table(
            start=date(YEAR, 11, 1), end=date(YEAR, 11, 30), level=Level.PERSON, user=rep.user
        ),
        repeat=20,
    )
    results.append(("one rep's month (median of 20)", f"{seconds * 1000:.0f} ms", rep.code))
    seconds, _ = timed(
        lambda: call_command("evaluate_customers", as_of=date(YEAR, 12, 31), verbosity=0)
    )
    results.append(("evaluate-customers", f"{seconds:.1f} s", ""))

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    pages = [
        ("director dashboard", director, f"/performance/dashboards/achievement/?year={YEAR}"),
        (
            "team dashboard",
            director,
            f"/performance/dashboards/achievement/?level=team&unit={team.pk}&year={YEAR}",
        ),
        ("rep home page", rep, "/"),
    ]
    for label, person, path in pages:
        client = Client()
        client.force_login(users.objects.get(pk=person.user_id))
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
                f"{queries} queries, HTTP {status}, {path}",
            )
        )
    duck = duckdb_indicators(data)
    if duck is not None:
        results.append(("DuckDB: rep × month indicators + mix from raw CSVs", f"{duck:.2f} s", ""))

    print(f"\n{engine}, {args.reps if not args.data else data.name} reps, data {data}\n")
    print(f"| {'measure':<52} | {'time':>9} | notes |")
    print(f"| {'-' * 52} | {'-' * 9} | --- |")
    for label, value, note in results:
        print(f"| {label:<52} | {value:>9} | {note} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
