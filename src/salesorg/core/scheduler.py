"""Scheduled jobs: apps register them in AppConfig.ready(), `salesorg scheduler` runs them.

Every app machine may run the scheduler; each job still runs once per slot of its schedule.
A run begins by inserting its JobRun row (unique job + slot) in a transaction of its own: the
machine whose insert commits runs the job, the others find the slot taken and skip it. This
needs no lock server and works alike on SQLite and PostgreSQL. The row then records how the
run ended; the job runs page (for administrators) lists them.

APScheduler is imported only where a schedule is built: every command loads this registry at
start-up, and only the scheduler process needs the library.
"""

from __future__ import annotations

import logging
import socket
import traceback
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, connections, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise

from salesorg.core.models import JobOutcome, JobRun
from salesorg.core.roles import can_manage_org

if TYPE_CHECKING:
    from apscheduler.schedulers.blocking import BlockingScheduler
    from apscheduler.triggers.cron import CronTrigger

logger = logging.getLogger("salesorg.scheduler")

# A machine that was down or busy at a job's time still runs it within this grace (once).
MISFIRE_GRACE = timedelta(hours=1)
ERROR_LIMIT = 4000  # characters of a failure's traceback kept on its run


@dataclass(frozen=True)
class ScheduledJob:
    """A piece of periodic work: `run()` does it and returns its counts (JSON-ready), which
    `summary` (a lazy text with %(name)s placeholders) shows in the reader's language."""

    name: str  # as its management command is called: "customer-lifecycle"
    label: str | Promise
    run: Callable[[], dict[str, Any]]
    summary: str | Promise
    hour: int  # local time (settings.TIME_ZONE), every day
    minute: int = 0
    # Instead of daily: every this many minutes (a divisor of 60, from the full hour), for
    # work that follows each person's own time, such as the digests. Not caught up at start.
    every_minutes: int | None = None
    # False: the job commits its own steps (each person's notifications, each digest's
    # record), so a long run holds no write lock and a mail sent stays recorded as sent.
    atomic: bool = True


_JOBS: dict[str, ScheduledJob] = {}


def register_job(job: ScheduledJob) -> None:
    """Add (or replace) a daily job; called from an app's AppConfig.ready()."""
    _JOBS[job.name] = job


def scheduled_jobs() -> list[ScheduledJob]:
    """The registered jobs in the order of their time of day."""
    return sorted(_JOBS.values(), key=lambda job: (job.hour, job.minute, job.name))


def scheduled_job(name: str) -> ScheduledJob:
    """The registered job called `name` (KeyError if there is none)."""
    return _JOBS[name]


def job_trigger(job: ScheduledJob) -> CronTrigger:
    """The job's daily (or every few minutes') schedule in the company's time zone."""
    from apscheduler.triggers.cron import CronTrigger

    zone = ZoneInfo(settings.TIME_ZONE)
    if job.every_minutes is not None:
        if not 0 < job.every_minutes <= 60 or 60 % job.every_minutes:
            raise ValueError(f"{job.name}: every_minutes must divide an hour")
        return CronTrigger(minute=f"*/{job.every_minutes}", timezone=zone)
    return CronTrigger(hour=job.hour, minute=job.minute, timezone=zone)


def job_slot(job: ScheduledJob, *, now: datetime, within: timedelta = MISFIRE_GRACE) -> datetime:
    """The scheduled time a run starting at `now` belongs to: the first time of the job's
    schedule at most `within` (never a whole period of a job run every few minutes) before
    now. Every machine computes the same slot."""
    if job.every_minutes is not None:
        within = min(within, timedelta(minutes=job.every_minutes) - timedelta(microseconds=1))
    slot = job_trigger(job).get_next_fire_time(None, now - within)
    assert slot is not None  # a daily schedule always has a next time
    return slot


def _claim(*, job: ScheduledJob, slot: datetime) -> JobRun | None:
    """Insert the run's row; None when another process already holds this slot."""
    try:
        with transaction.atomic():
            return JobRun.objects.create(
                job=job.name,
                slot=slot,
                started_at=timezone.now(),
                outcome=JobOutcome.RUNNING,
                host=socket.gethostname()[:100],
            )
    except IntegrityError:
        return None


def job_run_once(*, job: ScheduledJob, slot: datetime) -> JobRun | None:
    """Run `job` for `slot` unless some process already did (or does): the run, recorded with
    its outcome, or None when this process was not the one to run it."""
    run = _claim(job=job, slot=slot)
    if run is None:
        logger.info("%s for %s: already run by another process", job.name, slot)
        return None
    try:
        with transaction.atomic() if job.atomic else nullcontext():
            run.result = job.run()
        run.outcome = JobOutcome.SUCCEEDED
    except Exception:  # a failed job is recorded and the scheduler goes on with the others
        logger.exception("%s for %s failed", job.name, slot)
        run.outcome = JobOutcome.FAILED
        run.error = traceback.format_exc()[-ERROR_LIMIT:]
    run.finished_at = timezone.now()
    run.save(update_fields=["outcome", "result", "error", "finished_at"])
    logger.info("%s for %s: %s %s", job.name, slot, run.outcome, run.result)
    return run


def job_run_summary(run: JobRun) -> str:
    """What a run did, in the active language (its counts as stored if the job is gone)."""
    job = _JOBS.get(run.job)
    if job is None or not run.result:
        return ", ".join(f"{key} {value}" for key, value in (run.result or {}).items())
    try:
        return str(job.summary) % run.result
    except (KeyError, TypeError, ValueError):  # counts of an older version of the job
        return ", ".join(f"{key} {value}" for key, value in run.result.items())


def job_label(name: str) -> str:
    """The job's name in the active language (its code if it is no longer registered)."""
    job = _JOBS.get(name)
    return str(job.label) if job is not None else name


def job_run_now(*, job: ScheduledJob) -> JobRun | None:
    """Run a job by hand (`salesorg scheduler --run NAME`), recorded like a scheduled run."""
    return job_run_once(job=job, slot=timezone.now())


def _fire(name: str) -> None:
    """What the scheduler calls at a job's time, in a worker thread of its own."""
    job = scheduled_job(name)
    try:
        job_run_once(job=job, slot=job_slot(job, now=timezone.now()))
    finally:
        connections.close_all()  # this thread's connections; the next run opens its own


def jobs_catch_up() -> None:
    """At start, run each job whose last time (in the past day) has no run yet, in the
    order of the day: a machine that was down at 01:00 still updates today's customers."""
    now = timezone.now()
    for job in scheduled_jobs():
        if job.every_minutes is not None:
            continue  # its next time is minutes away
        slot = job_slot(job, now=now, within=timedelta(days=1))
        if slot <= now and not JobRun.objects.filter(job=job.name, slot=slot).exists():
            job_run_once(job=job, slot=slot)


def _catch_up_in_worker() -> None:
    """jobs_catch_up() in a worker thread of the scheduler, which closes its connections."""
    try:
        jobs_catch_up()
    finally:
        connections.close_all()


def scheduler_build() -> BlockingScheduler:
    """A scheduler of every registered job, each at most one at a time and run once after a
    short outage (within MISFIRE_GRACE) rather than once per missed time; at start it
    catches up on the past day's times that no machine ran."""
    from apscheduler.schedulers.blocking import BlockingScheduler

    job_defaults: dict[str, Any] = {
        "coalesce": True,
        "max_instances": 1,
        "misfire_grace_time": int(MISFIRE_GRACE.total_seconds()),
    }
    scheduler = BlockingScheduler(timezone=ZoneInfo(settings.TIME_ZONE), job_defaults=job_defaults)
    for job in scheduled_jobs():
        scheduler.add_job(
            _fire, trigger=job_trigger(job), args=[job.name], id=job.name, name=str(job.label)
        )
    scheduler.add_job(_catch_up_in_worker, id="catch-up")  # once, as soon as the scheduler starts
    return scheduler


def job_runs(*, user: Any) -> QuerySet[JobRun]:
    """The recorded runs, newest first, for administrators; nothing for anyone else."""
    if not can_manage_org(user):
        return JobRun.objects.none()
    return JobRun.objects.order_by("-started_at", "-pk")
