"""Incentive policies (激励政策): versioned scoring rules per indicator and a bonus formula.

A policy is a numbered version effective from a date. While it is a draft it may be edited;
once published it is never changed again (a change is a new version, a new row).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from salesorg.core.audit import AuditedHistory
from salesorg.core.fields import MoneyField
from salesorg.core.scoping import Domain, Scope, ScopedQuerySet


class PolicyStatus(models.TextChoices):
    """A draft may be edited; a published version never again."""

    DRAFT = "draft", pgettext_lazy("not yet published", "Draft")
    PUBLISHED = "published", _("Published")


class ScoredIndicator(models.TextChoices):
    """The indicators of KPI.md a policy can score (engine column names)."""

    SALES_ACHIEVEMENT = "sales_achievement", _("Sales achievement")
    GM_ACHIEVEMENT = "gm_achievement", _("Gross margin achievement")
    COLLECTION_RATE = "collection_rate", _("Collection rate")
    VISITS_PER_WORKDAY = "visits_per_workday", _("Visits per workday")
    NEW_CUSTOMERS = "new_customers", _("New customers")
    CUSTOMERS = "customers", _("Customers")
    INDUSTRIES = "industries", _("Industries (breadth)")
    FOCUS_SHARE = "focus_share", _("Focus category share")


class IncentivePolicyQuerySet(ScopedQuerySet):
    """Published versions are read by everyone; drafts only by director and admin."""

    domain = Domain.PERSONNEL

    def scope_q(self, scope: Scope) -> Q:
        return Q(status=PolicyStatus.PUBLISHED)

    def published(self) -> IncentivePolicyQuerySet:
        return self.filter(status=PolicyStatus.PUBLISHED)


class IncentivePolicy(models.Model):
    """One version of the incentive policy, effective from a date.

    The bonus of a period is `bonus_base` per month of the period × the factor of the
    highest bonus tier whose minimum total score the rep reaches (no tier reached → 0).
    """

    name = models.CharField(_("name"), max_length=120)
    version = models.PositiveIntegerField(_("version"), unique=True)
    effective_from = models.DateField(_("effective from"))
    status = models.CharField(
        _("status"), max_length=10, choices=PolicyStatus.choices, default=PolicyStatus.DRAFT
    )
    description = models.TextField(_("description"), blank=True)
    total_cap = models.DecimalField(
        _("total score cap"), max_digits=9, decimal_places=4, null=True, blank=True
    )
    bonus_base = MoneyField(_("bonus base per month"), null=True, blank=True)
    # [{"min_score": "80", "factor": "1.0"}, ...] as exact decimal strings.
    bonus_tiers = models.JSONField(_("bonus tiers"), default=list, blank=True)
    created_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = IncentivePolicyQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["-version"]
        verbose_name = _("incentive policy")
        verbose_name_plural = _("incentive policies")
        indexes = [models.Index(fields=["status", "effective_from"])]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("performance:policy_detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == PolicyStatus.PUBLISHED


class PolicyIndicatorQuerySet(ScopedQuerySet):
    """Rules are read with their policy."""

    domain = Domain.PERSONNEL

    def scope_q(self, scope: Scope) -> Q:
        return Q(policy__status=PolicyStatus.PUBLISHED)


class PolicyIndicator(models.Model):
    """One indicator's rule in a policy: weight (percent), scoring bands, cap, ideal bonus.

    `bands` is a list of {"from", "to", "points_from", "points_to"} (exact decimal strings,
    "to" may be null for an open top band); see `salesorg.performance.scoring`.
    """

    policy = models.ForeignKey(
        IncentivePolicy,
        verbose_name=_("policy"),
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    indicator = models.CharField(_("indicator"), max_length=30, choices=ScoredIndicator.choices)
    weight = models.DecimalField(_("weight (%)"), max_digits=7, decimal_places=4)
    bands = models.JSONField(_("scoring bands"), default=list)
    cap = models.DecimalField(
        _("cap (points)"), max_digits=9, decimal_places=4, null=True, blank=True
    )
    ideal_bonus = models.DecimalField(
        _("bonus points at the ideal target"), max_digits=9, decimal_places=4, default=Decimal(0)
    )
    position = models.PositiveSmallIntegerField(pgettext_lazy("sort order", "position"), default=0)

    objects = PolicyIndicatorQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["policy", "position", "id"]
        verbose_name = _("policy indicator")
        verbose_name_plural = _("policy indicators")
        constraints = [
            models.UniqueConstraint(fields=["policy", "indicator"], name="policy_indicator_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.policy} {self.indicator}"


__all__ = [
    "IncentivePolicy",
    "IncentivePolicyQuerySet",
    "PolicyIndicator",
    "PolicyStatus",
    "ScoredIndicator",
]
