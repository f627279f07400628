"""Time `salesorg import` of a small company into an empty SQLite database, as a user runs it.

    .venv/bin/python bench/small_import.py [--reps 2] [--runs 5]

The folder comes from bench/generate.py (2 reps: about 28,000 rows). The database is
migrated once (untimed; --empty gives a migrated file instead) and copied afresh before each
run; each run is a new `salesorg import` process, so its wall time holds start-up and all
that follows the rows (rollups, inferred leaders, the lifecycle and rating refresh of the
touched customers). Prints each run's wall and CPU time, the median, and the load average
before and after (the goal of issue #19: <= 2 s wall).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SALESORG = ROOT / ".venv" / "bin" / "salesorg"


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--empty", type=Path, default=None, help="an empty migrated SQLite file (skips migrate)"
    )
    args = parser.parse_args()
    data = Path(f"/tmp/bench-{args.reps}")
    if not (data / "orders.csv").exists():
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "generate.py"), "--reps", str(args.reps),
             "--seed", str(args.seed), "--out", str(data)],
            check=True,
        )  # fmt: skip
    rows = sum(
        max(0, sum(1 for _ in path.open(encoding="utf-8")) - 1) for path in data.glob("*.csv")
    )
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    # As installed: bytecode cached (outside the source tree), not compiled on every start.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("PYTHONPYCACHEPREFIX", str(Path(tempfile.gettempdir()) / "salesorg-pycache"))
    with tempfile.TemporaryDirectory(prefix="salesorg-small-") as scratch:
        empty = Path(scratch) / "empty"
        empty.mkdir()
        if args.empty:
            shutil.copy(args.empty, empty / "salesorg.sqlite3")
        else:
            subprocess.run(
                [SALESORG, "migrate", "-v0"], env={**env, "SALESORG_HOME": str(empty)}, check=True
            )
        print(f"{rows:,} rows from {data}; load before: {load()}")
        walls = []
        for run in range(args.runs + 1):  # the first run warms the bytecode cache
            home = Path(scratch) / f"run{run}"
            shutil.copytree(empty, home)
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(
                [SALESORG, "import", str(data)],
                env={**env, "SALESORG_HOME": str(home)},
                check=True,
                stdout=subprocess.DEVNULL,
            )
            wall = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            shutil.rmtree(home)
            if run:
                walls.append(wall)
            print(f"run {run}{' (warm-up)' if not run else ''}: wall {wall:.2f} s, CPU {cpu:.2f} s")
    median = statistics.median(walls)
    print(
        f"small-company import (SQLite, {rows:,} rows): median wall {median:.2f} s "
        f"({rows / median:,.0f} rows/s); load after: {load()}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
