"""Shared models: the working-day calendar and the runs of scheduled jobs."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from salesorg.core.audit import AuditedHistory


class CalendarDay(models.Model):
    """An override of the Monday–Friday default: a public holiday or a make-up working day."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("workday"))
    note = models.CharField(_("note"), max_length=100, blank=True)

    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.note}".strip()


class JobOutcome(models.TextChoices):
    """How a run of a scheduled job ended (or that it has not yet)."""

    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class JobRun(models.Model):
    """One run of a scheduled job for one slot of its schedule: the first machine whose
    scheduler inserts the row runs it, the others find the slot taken (unique job + slot)."""

    job = models.CharField(_("job"), max_length=60)
    slot = models.DateTimeField(_("scheduled for"))
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=JobOutcome.choices, default=JobOutcome.RUNNING
    )
    # What the job reports (counts), shown through its summary text in the reader's language.
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    host = models.CharField(_("machine"), max_length=100, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        constraints = [
            models.UniqueConstraint(fields=["job", "slot"], name="job_run_once_per_slot"),
        ]
        indexes = [models.Index(fields=["-started_at"], name="job_run_started")]

    def __str__(self) -> str:
        return f"{self.job} {self.slot:%Y-%m-%d %H:%M}"
