"""The scheduler runs each job once per slot, however many machines run it, and records it."""

import os
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, connections
from django.utils import timezone

from salesorg.core.models import JobOutcome, JobRun
from salesorg.core.scheduler import (
    ScheduledJob,
    job_run_once,
    job_slot,
    jobs_catch_up,
    scheduled_job,
    scheduled_jobs,
)
from salesorg.customers.choices import LifecycleStage
from salesorg.customers.models import Customer, CustomerEvaluation
from salesorg.interchange.importer import interchange_import
from tests.factories import CustomerFactory
from tests.interchange.sample import SAMPLE, write_folder

SHANGHAI = ZoneInfo("Asia/Shanghai")
SLOT = datetime(2026, 3, 2, 1, 0, tzinfo=SHANGHAI)


def test_every_daily_job_is_registered_with_the_command_it_replaces():
    names = {job.name for job in scheduled_jobs()}
    assert {
        "customer-lifecycle",
        "evaluate-customers",
        "apply-position-changes",
        "leaver-check",
    } <= names


def test_machines_agree_on_the_slot_of_a_run_started_late():
    job = scheduled_job("customer-lifecycle")  # every day at 01:00
    for started in ("01:00:00.2", "01:00:03", "01:40:00"):
        now = datetime.fromisoformat(f"2026-03-02T{started}").replace(tzinfo=SHANGHAI)
        assert job_slot(job, now=now) == SLOT


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_racing_for_the_same_slot_run_the_job_once():
    """Two threads, each with its own database connection, claim the same job and slot at
    the same moment: the job's work is done once and one run is recorded."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        # Connections to an in-memory database share one cache and fail on its table locks
        # at once instead of waiting as connections to a database file do.
        pytest.skip("threads cannot race on an in-memory database")
    calls = []

    def slow_work():
        calls.append(threading.get_ident())
        time.sleep(0.3)  # the other scheduler tries while this one still works
        return {"customers": 3, "changed": 1}

    job = ScheduledJob(
        name="test-race", label="race", run=slow_work, summary="%(customers)s", hour=1
    )
    start = threading.Barrier(2)
    outcomes = []

    def scheduler_machine():
        try:
            start.wait()
            outcomes.append(job_run_once(job=job, slot=SLOT))
        finally:
            connections.close_all()

    machines = [threading.Thread(target=scheduler_machine) for _ in range(2)]
    for machine in machines:
        machine.start()
    for machine in machines:
        machine.join(timeout=60)

    assert len(calls) == 1
    assert sorted(run is None for run in outcomes) == [False, True]
    run = JobRun.objects.get(job="test-race")
    assert run.slot == SLOT
    assert run.outcome == JobOutcome.SUCCEEDED
    assert run.result == {"customers": 3, "changed": 1}
    assert run.finished_at >= run.started_at


@pytest.mark.django_db
def test_a_failing_job_is_recorded_with_its_error_and_the_next_slot_runs_again():
    def broken():
        raise RuntimeError("no scoring model")

    job = ScheduledJob(name="test-broken", label="broken", run=broken, summary="", hour=2)
    run = job_run_once(job=job, slot=SLOT)
    assert run.outcome == JobOutcome.FAILED
    assert "no scoring model" in run.error
    assert job_run_once(job=job, slot=SLOT) is None  # that slot is done
    later = job_run_once(job=job, slot=SLOT.replace(day=3))
    assert later is not None


def _salesorg_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a `salesorg` process using this test's database."""
    settings = connection.settings_dict
    skipped = ("DJANGO_SETTINGS_MODULE", "DATABASE_REPORTS_URL")
    env = {k: v for k, v in os.environ.items() if k not in skipped}
    env["SALESORG_HOME"] = str(tmp_path)
    if connection.vendor == "postgresql":
        login = quote(settings["USER"] or "", safe="")
        if settings["PASSWORD"]:
            login += ":" + quote(settings["PASSWORD"], safe="")
        host = settings["HOST"] or "127.0.0.1"
        port = settings["PORT"] or "5432"
        env["DATABASE_URL"] = f"postgres://{login}@{host}:{port}/{settings['NAME']}"
    else:
        name = str(settings["NAME"])
        if "mode=memory" in name or name == ":memory:":
            pytest.skip("a second process cannot open an in-memory database")
        env["DATABASE_URL"] = f"sqlite:///{name}"
    return env


@pytest.mark.django_db(transaction=True)
def test_two_scheduler_processes_run_the_same_slot_once(tmp_path):
    """`salesorg scheduler --run JOB --slot T` in two processes at once: one runs it, the
    other is told the slot is taken, and one run is recorded."""
    salesorg = Path(sys.executable).with_name("salesorg")
    command = [str(salesorg), "scheduler", "--run", "leaver-check", "--slot", SLOT.isoformat()]
    env = _salesorg_env(tmp_path)
    processes = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    results = [process.communicate(timeout=180) for process in processes]
    codes = sorted(process.returncode for process in processes)
    assert codes == [0, 1], results
    assert JobRun.objects.filter(job="leaver-check", slot=SLOT).count() == 1
    assert JobRun.objects.get(job="leaver-check").outcome == JobOutcome.SUCCEEDED


@pytest.mark.django_db
def test_the_job_runs_page_lists_runs_for_admins_only(org_tree):
    empty = org_tree.client("admin").get("/jobs/", secure=True)
    assert empty.status_code == 200
    assert "salesorg scheduler" in empty.content.decode()
    assert "customer-lifecycle" in empty.content.decode()
    JobRun.objects.create(
        job="customer-lifecycle",
        slot=SLOT,
        started_at=SLOT,
        finished_at=SLOT,
        outcome=JobOutcome.SUCCEEDED,
        result={"customers": 120, "changed": 7},
    )
    page = org_tree.client("admin").get("/jobs/", secure=True).content.decode()
    assert "2026-03-02 01:00" in page
    assert "120" in page and "7" in page
    assert org_tree.client("director").get("/jobs/", secure=True).status_code == 403
    assert org_tree.client("rep_east1a").get("/jobs/", secure=True).status_code == 403


@pytest.mark.django_db
def test_the_job_runs_page_pages_through_many_runs(org_tree):
    JobRun.objects.bulk_create(
        JobRun(job="leaver-check", slot=SLOT.replace(day=1 + n % 28, month=1 + n // 28),
               started_at=SLOT, outcome=JobOutcome.SUCCEEDED)
        for n in range(60)
    )  # fmt: skip
    client = org_tree.client("admin")
    first = client.get("/jobs/", secure=True).content.decode()
    second = client.get("/jobs/?page=2", secure=True).content.decode()
    assert first.count("<tr>") - second.count("<tr>") == 50 - 10


@pytest.mark.django_db
def test_an_import_brings_the_customers_it_touched_out_of_prospect_and_rates_them(tmp_path):
    """No one has to run customer-lifecycle or evaluate-customers after an import."""
    untouched = CustomerFactory(code="C-OLD")
    result = interchange_import(folder=write_folder(tmp_path, SAMPLE))
    assert result.ok, result.problems

    ordered = Customer.objects.get(code="C-001")  # a confirmed order in 2024
    assert ordered.lifecycle_stage != LifecycleStage.PROSPECT
    only_cancelled = Customer.objects.get(code="C-002")
    assert only_cancelled.lifecycle_stage == LifecycleStage.PROSPECT
    today = timezone.localdate()
    rated = set(
        CustomerEvaluation.objects.filter(as_of=today).values_list("customer__code", flat=True)
    )
    assert {"C-001", "C-002", "C-003"} <= rated
    assert untouched.code not in rated


@pytest.mark.django_db
def test_an_import_of_orders_only_refreshes_their_customers(tmp_path):
    interchange_import(folder=write_folder(tmp_path / "first", SAMPLE))
    Customer.objects.update(lifecycle_stage=LifecycleStage.PROSPECT)
    orders_only = {
        "orders.csv": "code,customer_code,rep_code,order_date,status\n"
        "O-2001,C-003,REP-N1A,2024-06-01,confirmed\n"
    }
    result = interchange_import(folder=write_folder(tmp_path / "second", orders_only))
    assert result.ok, result.problems
    assert Customer.objects.get(code="C-003").lifecycle_stage != LifecycleStage.PROSPECT
    assert Customer.objects.get(code="C-001").lifecycle_stage == LifecycleStage.PROSPECT


@pytest.mark.django_db
def test_a_scheduler_started_late_catches_up_on_the_day_once(org_tree):
    """Started after the jobs' times (as `make demo` does), the scheduler runs each job for
    its last time at once; a second machine starting later runs nothing again."""
    jobs_catch_up()
    # the daily ones; those run every few minutes are not caught up (their next time is near)
    names = {job.name for job in scheduled_jobs() if job.every_minutes is None}
    runs = JobRun.objects.filter(job__in=names)
    assert sorted(runs.values_list("job", flat=True)) == sorted(names)
    assert set(runs.values_list("outcome", flat=True)) == {JobOutcome.SUCCEEDED}
    jobs_catch_up()
    assert JobRun.objects.filter(job__in=names).count() == len(names)
    page = org_tree.client("admin").get("/jobs/", secure=True).content.decode()
    assert "Leaver check" in page or "离职检查" in page


@pytest.mark.django_db
def test_a_first_import_rates_all_its_customers_in_one_pass(tmp_path, monkeypatch):
    """Every customer of a first import is new: they are refreshed as the nightly jobs do,
    in one pass without lists of ids (batches of ids made the 1,000-rep import twice as slow)."""
    from django.test.utils import CaptureQueriesContext

    from salesorg.interchange import importer

    monkeypatch.setattr(importer, "REFRESH_BATCH", 1)
    with CaptureQueriesContext(connection) as ctx:
        result = interchange_import(folder=write_folder(tmp_path, SAMPLE))
    assert result.ok, result.problems
    table = CustomerEvaluation._meta.db_table
    inserts = [q["sql"].lstrip() for q in ctx.captured_queries]
    stores = [sql for sql in inserts if sql.startswith(f'INSERT INTO "{table}"')]
    assert len(stores) == 1
    assert CustomerEvaluation.objects.count() == Customer.objects.count() >= 3
