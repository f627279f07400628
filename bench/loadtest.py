"""A bounded load test: reps log visits and open their home page, managers open dashboards.

    .venv/bin/python bench/loadtest.py [--users 50] [--duration 60] [--database-url URL]

It prepares the database (migrate; the demo company if the database is empty; logins and
API tokens for the virtual users), starts gunicorn on 127.0.0.1 (loopback only), runs the
mixed workload for the given time, stops everything and prints throughput, p50/p95/p99
latency per kind of request and the errors. Users log in spread over a ramp-up of up to
10 s and wait 1–3 s between requests (`--think`), as people reading a page do. The goal:
no error and p95 under 300 ms at 50 concurrent users. Run it on demand (it is not part of
the test suite).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
PORT = 8765
PASSWORD = "load-test-2026"
GOAL_P95_MS = 300
# Managers open one of the dashboards at random (a redirect would measure nothing).
DASHBOARD_SLUGS = ("achievement", "receivables", "visits", "products", "customers")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=60, help="seconds of load")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--managers", type=float, default=0.2, help="share of managers")
    parser.add_argument(
        "--think",
        type=float,
        nargs=2,
        default=(1.0, 3.0),
        metavar=("MIN", "MAX"),
        help="seconds a user waits between requests (uniform)",
    )
    args = parser.parse_args()

    env = _server_env(args.database_url)
    users = _prepare(env, args.users, args.managers)
    server = _start_gunicorn(env, args.workers)
    try:
        results = _run(users, args.duration, tuple(args.think))
    finally:
        server.terminate()
        server.wait(timeout=30)
    return _report(results, args)


def _server_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "salesorg.settings",
            "DEBUG": "0",
            "SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "TOKEN_RATE_LIMIT": "100000",
            "AXES_FAILURE_LIMIT": "100000",
        }
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _prepare(env: dict[str, str], count: int, manager_share: float) -> list[dict]:
    """Migrate, load the demo if empty, give the virtual users passwords and tokens."""
    salesorg = [sys.executable, "-m", "salesorg.cli"]
    subprocess.run([*salesorg, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*salesorg, "demo"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    script = f"""
import json, django
django.setup()
from salesorg.api.models import ApiToken
from salesorg.customers.models import Customer
from salesorg.core.roles import Role
from salesorg.org.models import Person
from salesorg.org.services import person_set_password
from django.contrib.auth.hashers import make_password
from django.utils import timezone
today = timezone.localdate()
def people(role, n):
    return list(Person.objects.employed_on(today).filter(role=role).order_by("code")[:n])
managers = people(Role.MANAGER, {max(1, round(count * manager_share))})
reps = people(Role.REP, {count} - len(managers))
users = []
for person in managers + reps:
    user = person_set_password(person=person, password={PASSWORD!r})
    _t, token = ApiToken.objects.issue(user=user)
    customers = list(Customer.objects.filter(owner=person).values_list("id", flat=True)[:20])
    users.append({{"username": user.username, "role": person.role, "person_id": person.id,
                   "token": token, "customers": customers}})
print(json.dumps(users))
"""
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, check=True, cwd=ROOT, capture_output=True
    )
    return json.loads(out.stdout.decode().strip().splitlines()[-1])


def _start_gunicorn(env: dict[str, str], workers: int) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "gunicorn", "salesorg.wsgi",
        "--bind", f"127.0.0.1:{PORT}", "--workers", str(workers),
        "--log-level", "warning", "--timeout", "60",
    ]  # fmt: skip
    server = subprocess.Popen(command, env=env, cwd=ROOT)
    for _ in range(100):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


class VirtualUser:
    """One logged-in person with a keep-alive connection and a session cookie."""

    def __init__(self, spec: dict, results: dict, lock: threading.Lock):
        self.spec, self.results, self.lock = spec, results, lock
        self.connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        self.cookies: dict[str, str] = {}
        self.rng = random.Random(spec["person_id"])

    def request(
        self, kind: str, method: str, path: str, body=None, headers=None, *, expect: int = 200
    ) -> str:
        """Send one request; a status other than `expect` counts as an error."""
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            content = response.read().decode("utf-8", "replace")
            status = response.status
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name] = rest.split(";", 1)[0]
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
            content, status = str(error), 0
        elapsed = time.perf_counter() - started
        with self.lock:
            self.results[kind].append((elapsed, status == expect))
        return content

    def login(self) -> None:
        page = self.request("login", "GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        form = {
            "username": self.spec["username"],
            "password": PASSWORD,
            "csrfmiddlewaretoken": token.group(1) if token else "",
        }
        self.request(
            "login",
            "POST",
            "/accounts/login/",
            body=urlencode(form),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            expect=302,
        )

    def step(self) -> None:
        if self.spec["role"] == "manager":
            self.request("home", "GET", "/")
            slug = self.rng.choice(DASHBOARD_SLUGS)
            self.request("dashboard", "GET", f"/performance/dashboards/{slug}/")
            return
        self.request("home", "GET", "/")
        if self.spec["customers"] and self.rng.random() < 0.5:
            visit = {
                "rep_id": self.spec["person_id"],
                "customer_id": self.rng.choice(self.spec["customers"]),
                "visit_date": date.today().isoformat(),
                "purpose": "load test",
            }
            self.request(
                "log visit",
                "POST",
                "/api/v1/visits",
                body=json.dumps(visit),
                headers={
                    "Content-Type": "application/json",
                    "Authorization": f"Bearer {self.spec['token']}",
                },
                expect=201,
            )


def _run(users: list[dict], duration: int, think: tuple[float, float]) -> dict:
    results: dict[str, list] = defaultdict(list)
    lock = threading.Lock()
    stop_at = time.monotonic() + duration
    # People do not all log in within the same instant: starts spread over a ramp-up.
    ramp = min(10.0, duration / 6)

    def work(index, spec):
        time.sleep(ramp * index / max(1, len(users)))
        user = VirtualUser(spec, results, lock)
        user.login()
        while time.monotonic() < stop_at:
            user.step()
            time.sleep(user.rng.uniform(*think))  # reading the page before the next click

    threads = [
        threading.Thread(target=work, args=(index, spec)) for index, spec in enumerate(users)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results["_elapsed"] = time.monotonic() - started
    return results


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def _report(results: dict, args) -> int:
    elapsed = results.pop("_elapsed")
    everything = [sample for samples in results.values() for sample in samples]
    print(f"Load test: {args.users} users, {args.duration} s, {args.workers} gunicorn workers")
    print(f"{'request':<12} {'count':>7} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
          f"{'errors':>7}")  # fmt: skip
    rows = [*sorted(results.items()), ("all", everything)]
    for kind, samples in rows:
        times = [elapsed_s * 1000 for elapsed_s, _ok in samples]
        errors = sum(1 for _elapsed, ok in samples if not ok)
        print(
            f"{kind:<12} {len(samples):>7} {len(samples) / elapsed:>7.1f} "
            f"{statistics.median(times) if times else 0:>8.1f} {_percentile(times, 0.95):>8.1f} "
            f"{_percentile(times, 0.99):>8.1f} {errors:>7}"
        )
    all_times = [s * 1000 for s, _ in everything]
    failed = sum(1 for _s, ok in everything if not ok)
    p95 = _percentile(all_times, 0.95)
    met = failed == 0 and p95 <= GOAL_P95_MS
    print(f"Goal (no error, p95 ≤ {GOAL_P95_MS} ms): {'met' if met else 'NOT met'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
