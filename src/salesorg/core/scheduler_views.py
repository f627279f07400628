"""The job runs page: what the scheduler ran, when, and how it ended (administrators)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext

from salesorg.core.roles import can_manage_org
from salesorg.core.scheduler import job_label, job_run_summary, job_runs, scheduled_jobs

PAGE_SIZE = 50


@login_required
def job_run_list(request: HttpRequest) -> HttpResponse:
    """Every recorded run, newest first, with the daily times of the registered jobs."""
    if not can_manage_org(request.user):
        raise PermissionDenied
    page = Paginator(job_runs(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {"run": run, "label": job_label(run.job), "summary": job_run_summary(run)}
        for run in page.object_list
    ]
    jobs = [{"name": job.name, "label": job.label, "time": _when(job)} for job in scheduled_jobs()]
    return render(request, "core/job_runs.html", {"page": page, "rows": rows, "jobs": jobs})


def _when(job) -> str:
    """When a job runs: its time of day, or how often."""
    if job.every_minutes is not None:
        return ngettext("every %(count)d minute", "every %(count)d minutes", job.every_minutes) % {
            "count": job.every_minutes
        }
    return f"{job.hour:02d}:{job.minute:02d}"
