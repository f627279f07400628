"""Revisions of a published sales plan (S1): a published plan is locked, and its targets
change only by a revision that the next level approves.

A revision holds the cells it changes (unit, metric, month or the year, old → new
realistic and ideal); approving it writes the new values, so the targets in force are
always those of the latest approved revision. `unit` is the highest unit whose grid the
revision was proposed in: its leader's leader decides (a team's by its region head, a
region's or the company's by the director).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from salesorg.core.audit import AuditedHistory
from salesorg.core.fields import MoneyField
from salesorg.core.scoping import Domain, Scope, ScopedQuerySet
from salesorg.targets.choices import Metric, OwnerType

__all__ = [
    "RevisionCell",
    "RevisionCellQuerySet",
    "RevisionStatus",
    "TargetRevision",
    "TargetRevisionQuerySet",
]


class RevisionStatus(models.TextChoices):
    """Where a revision of a published plan stands."""

    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", pgettext_lazy("sent back to the author", "Returned")


class TargetRevisionQuerySet(ScopedQuerySet):
    """A revision is seen by those who see the targets of its unit (the company's by
    director and admin only)."""

    domain = Domain.SALES

    def scope_q(self, scope: Scope) -> Q:
        return Q(owner_type=OwnerType.TEAM, team_id__in=scope.team_ids) | Q(
            owner_type=OwnerType.REGION, region_id__in=scope.region_ids
        )

    def pending(self) -> TargetRevisionQuerySet:
        return self.filter(status=RevisionStatus.PENDING)


class TargetRevision(models.Model):
    """A proposed change of a published plan's targets, with its reason and decision."""

    plan = models.ForeignKey(
        "targets.SalesPlan",
        verbose_name=_("sales plan"),
        on_delete=models.CASCADE,
        related_name="revisions",
    )
    number = models.PositiveIntegerField(_("number"))
    owner_type = models.CharField(_("owner type"), max_length=10, choices=OwnerType.choices)
    team = models.ForeignKey(
        "org.Team",
        verbose_name=_("team"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    region = models.ForeignKey(
        "org.Region",
        verbose_name=_("region"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=10, choices=RevisionStatus.choices, default=RevisionStatus.PENDING
    )
    proposed_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposed at"))
    decided_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)

    objects = TargetRevisionQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["plan", "-number"]
        verbose_name = _("target revision")
        verbose_name_plural = _("target revisions")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="target_revision_number"),
            models.CheckConstraint(
                condition=Q(owner_type=OwnerType.TEAM, team__isnull=False, region__isnull=True)
                | Q(owner_type=OwnerType.REGION, team__isnull=True, region__isnull=False)
                | Q(owner_type=OwnerType.COMPANY, team__isnull=True, region__isnull=True),
                name="target_revision_unit_matches_type",
            ),
        ]

    def __str__(self) -> str:
        return str(
            _("Revision %(number)s of %(plan)s") % {"number": self.number, "plan": self.plan}
        )

    @property
    def is_pending(self) -> bool:
        return self.status == RevisionStatus.PENDING


class RevisionCellQuerySet(ScopedQuerySet):
    """A revision's cells are seen with the revision."""

    domain = Domain.SALES

    def scope_q(self, scope: Scope) -> Q:
        return Q(revision__owner_type=OwnerType.TEAM, revision__team_id__in=scope.team_ids) | Q(
            revision__owner_type=OwnerType.REGION, revision__region_id__in=scope.region_ids
        )


class RevisionCell(models.Model):
    """One target a revision changes: old → new realistic and ideal (empty = no target)."""

    revision = models.ForeignKey(
        TargetRevision,
        verbose_name=_("target revision"),
        on_delete=models.CASCADE,
        related_name="cells",
    )
    owner_type = models.CharField(_("owner type"), max_length=10, choices=OwnerType.choices)
    person = models.ForeignKey(
        "org.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    team = models.ForeignKey(
        "org.Team",
        verbose_name=_("team"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    region = models.ForeignKey(
        "org.Region",
        verbose_name=_("region"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    metric = models.CharField(_("metric"), max_length=20, choices=Metric.choices)
    month = models.PositiveSmallIntegerField(_("month"), help_text=_("0 is the whole year."))
    old_realistic = MoneyField(_("old realistic target"), null=True, blank=True)
    old_ideal = MoneyField(_("old ideal target"), null=True, blank=True)
    new_realistic = MoneyField(_("new realistic target"), null=True, blank=True)
    new_ideal = MoneyField(_("new ideal target"), null=True, blank=True)

    objects = RevisionCellQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["revision", "id"]
        verbose_name = _("revised target")
        verbose_name_plural = _("revised targets")
        constraints = [
            models.CheckConstraint(
                condition=Q(month__gte=0, month__lte=12), name="revision_cell_month_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.revision} {self.get_metric_display()} {self.month}"
