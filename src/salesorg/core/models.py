"""Shared models: the working-day calendar."""

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
