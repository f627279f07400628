"""Handovers (交接): what a leaver owned, moved to successors their manager confirmed.

A dismissal approved (or any leave date set) leaves the person's customers, open pipeline
items and proposals, open action items and unfinished root causes to hand over before the
leave date. A handover moves each kind to one successor, all or none, and keeps what it
moved (kinds, counts, record ids) so the history of who held what is never lost.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from salesorg.core.audit import AuditedHistory
from salesorg.core.scoping import Domain, ScopedQuerySet

__all__ = ["Handover", "HandoverKind"]


class HandoverKind(models.TextChoices):
    """A kind of record a leaver hands over."""

    CUSTOMERS = "customers", _("Customers")
    PIPELINE = "pipeline", _("Open pipeline items")
    PROPOSALS = "proposals", _("Open development proposals")
    ACTION_ITEMS = "action_items", _("Open action items")
    ROOT_CAUSES = "root_causes", _("Unfinished root causes")


class HandoverQuerySet(ScopedQuerySet):
    """Handovers are about one person: the person and whoever has them in scope."""

    domain = Domain.PERSONNEL


class Handover(models.Model):
    """A done handover of a leaver's records to successors (one per kind). Never deleted."""

    person = models.ForeignKey(
        "org.Person",
        verbose_name=_("leaver"),
        on_delete=models.PROTECT,
        related_name="handovers",
    )
    review = models.ForeignKey(
        "development.PersonnelReview",
        verbose_name=_("personnel review"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handovers",
    )
    leave_date = models.DateField(_("leave date"))
    # {kind: {"successor_id": person id, "ids": [record ids]}} for each kind moved.
    moved = models.JSONField(_("records moved"), default=dict, blank=True)
    done_by = models.ForeignKey(
        "org.Person", verbose_name=_("done by"), on_delete=models.PROTECT, related_name="+"
    )
    done_at = models.DateTimeField(_("done at"), auto_now_add=True)

    objects = HandoverQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["-done_at", "-id"]
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")

    def __str__(self) -> str:
        return f"{self.person} {self.done_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("development:handover", args=[self.person_id])
