"""salesorg scheduler [--list | --run JOB]: run the daily jobs at their times, once across
every machine that runs a scheduler."""

import signal
from datetime import datetime

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesorg.core.commands import TranslatedCommand
from salesorg.core.models import JobOutcome
from salesorg.core.scheduler import (
    job_run_now,
    job_run_once,
    job_run_summary,
    job_trigger,
    scheduled_job,
    scheduled_jobs,
    scheduler_build,
)


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Run the scheduled jobs (customer lifecycle, evaluations, position changes, leaver "
        "check) every day at their times until stopped; each runs once even when several "
        "machines run a scheduler. The job runs page lists every run."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--list", action="store_true", help=gettext_lazy("list the jobs and their next run")
        )
        parser.add_argument(
            "--run", metavar="JOB", help=gettext_lazy("run one job now, recorded, and stop")
        )
        parser.add_argument(
            "--slot",
            type=datetime.fromisoformat,
            help=gettext_lazy(
                "with --run: the scheduled time to run it for (ISO date and time); a time "
                "some machine already ran is skipped"
            ),
        )

    def handle(self, *args, **options):
        if options["list"]:
            self._list()
        elif options["run"]:
            self._run(options["run"], slot=options["slot"])
        else:
            self._serve()

    def _list(self) -> None:
        now = timezone.now()
        for job in scheduled_jobs():
            upcoming = job_trigger(job).get_next_fire_time(None, now)
            when = timezone.localtime(upcoming).strftime("%Y-%m-%d %H:%M")
            self.stdout.write(f"{job.name:<24} {when}  {job.label}")

    def _run(self, name: str, *, slot: datetime | None) -> None:
        try:
            job = scheduled_job(name)
        except KeyError:
            names = ", ".join(job.name for job in scheduled_jobs())
            raise CommandError(
                _("No job %(name)s; the jobs are: %(names)s.") % {"name": name, "names": names}
            ) from None
        if slot is None:
            run = job_run_now(job=job)
        else:
            aware = slot if timezone.is_aware(slot) else timezone.make_aware(slot)
            run = job_run_once(job=job, slot=aware)
        if run is None:
            raise CommandError(_("Another process has run this job for this time, or runs it."))
        self.stdout.write(f"{job.name}: {run.get_outcome_display()} ({job_run_summary(run)})")
        if run.outcome == JobOutcome.FAILED:
            raise CommandError(_("The job failed; its run records why."))

    def _serve(self) -> None:
        scheduler = scheduler_build()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_args: scheduler.shutdown(wait=False))
        for job in scheduled_jobs():
            time = f"{job.hour:02d}:{job.minute:02d}"
            self.stdout.write(_("%(job)s: every day at %(time)s") % {"job": job.name, "time": time})
        self.stdout.write(_("Scheduler started (stop with Ctrl-C)."))
        self.stdout.flush()
        scheduler.start()
        self.stdout.write(_("Scheduler stopped."))
