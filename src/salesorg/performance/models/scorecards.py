"""Scorecards: each rep's points per indicator, total, ranks and bonus for a period.

A `ScorecardPeriod` is one period (month, quarter, year) scored under one policy. While
open it may be recomputed; closing freezes every stored value. Re-opening is allowed to
director and admin only and leaves a `ScorecardReopening` (who, when, why). Closed
periods and their scorecards are never deleted.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from salesorg.core.audit import AuditedHistory
from salesorg.core.fields import MoneyField
from salesorg.core.scoping import Domain, Scope, ScopedQuerySet


class PeriodKind(models.TextChoices):
    """How long a scored period is."""

    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class ScorecardStatus(models.TextChoices):
    """Open periods are recomputed; closed ones are frozen."""

    OPEN = "open", pgettext_lazy("period status", "Open")
    CLOSED = "closed", pgettext_lazy("period status", "Closed")


class ScorecardPeriodQuerySet(ScopedQuerySet):
    """Every active user sees which periods were scored (their lines are scoped)."""

    domain = Domain.SALES

    def scope_q(self, scope: Scope) -> Q:
        return Q()


class ScorecardPeriod(models.Model):
    """One scored period under one policy."""

    kind = models.CharField(_("period kind"), max_length=10, choices=PeriodKind.choices)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    policy = models.ForeignKey(
        "performance.IncentivePolicy",
        verbose_name=_("policy"),
        on_delete=models.PROTECT,
        related_name="scorecard_periods",
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ScorecardStatus.choices,
        default=ScorecardStatus.OPEN,
    )
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("closed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ScorecardPeriodQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["-start", "kind"]
        verbose_name = _("scorecard period")
        verbose_name_plural = _("scorecard periods")
        constraints = [
            models.UniqueConstraint(fields=["kind", "start"], name="scorecard_period_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start:%Y-%m-%d} – {self.end:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("performance:scorecard_period", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.status == ScorecardStatus.CLOSED

    def delete(self, *args, **kwargs):
        if self.is_closed:
            raise ValidationError({"status": _("A closed scorecard period is never deleted.")})
        return super().delete(*args, **kwargs)


class ScorecardReopening(models.Model):
    """The audit of a closed period opened again: who, when and why."""

    period = models.ForeignKey(
        ScorecardPeriod,
        verbose_name=_("scorecard period"),
        on_delete=models.PROTECT,
        related_name="reopenings",
    )
    reopened_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("reopened by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reopened_at = models.DateTimeField(_("reopened at"), auto_now_add=True)
    reason = models.TextField(_("reason"))

    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["-reopened_at", "-id"]
        verbose_name = _("scorecard reopening")
        verbose_name_plural = _("scorecard reopenings")

    def __str__(self) -> str:
        return f"{self.period} {self.reopened_at:%Y-%m-%d}"


class ScorecardQuerySet(ScopedQuerySet):
    """A rep sees their own scorecard; leaders their people's; director, admin, finance all."""

    domain = Domain.SALES
    person_field = "person"


class Scorecard(models.Model):
    """One rep's result for a scored period: total points, ranks and bonus."""

    period = models.ForeignKey(
        ScorecardPeriod,
        verbose_name=_("scorecard period"),
        on_delete=models.PROTECT,
        related_name="scorecards",
    )
    person = models.ForeignKey(
        "org.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="scorecards",
    )
    team = models.ForeignKey(
        "org.Team",
        verbose_name=_("team"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="scorecards",
    )
    total_score = models.DecimalField(_("total score"), max_digits=12, decimal_places=4)
    rank_team = models.PositiveIntegerField(_("rank in team"), null=True, blank=True)
    rank_company = models.PositiveIntegerField(_("rank in company"))
    team_size = models.PositiveIntegerField(_("team size"), default=0)
    company_size = models.PositiveIntegerField(_("company size"), default=0)
    bonus_factor = models.DecimalField(
        _("bonus factor"), max_digits=9, decimal_places=4, null=True, blank=True
    )
    bonus = MoneyField(_("bonus"), null=True, blank=True)

    objects = ScorecardQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["period", "rank_company", "person__code"]
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        constraints = [
            models.UniqueConstraint(fields=["period", "person"], name="scorecard_unique_person"),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.person_id}"

    def get_absolute_url(self) -> str:
        return reverse("performance:scorecard_detail", args=[self.pk])

    def delete(self, *args, **kwargs):
        if self.period.is_closed:
            raise ValidationError({"period": _("A closed scorecard is never deleted.")})
        return super().delete(*args, **kwargs)


class ScorecardLine(models.Model):
    """One indicator of a scorecard: the value frozen as exact text, band and points."""

    scorecard = models.ForeignKey(
        Scorecard, verbose_name=_("scorecard"), on_delete=models.CASCADE, related_name="lines"
    )
    indicator = models.CharField(_("indicator"), max_length=30)
    value = models.CharField(pgettext_lazy("score line", "value"), max_length=60, blank=True)
    band = models.CharField(pgettext_lazy("scoring range", "band"), max_length=60, blank=True)
    weight = models.DecimalField(_("weight (%)"), max_digits=7, decimal_places=4)
    points = models.DecimalField(_("points"), max_digits=12, decimal_places=4)
    weighted_points = models.DecimalField(_("weighted points"), max_digits=12, decimal_places=4)
    capped = models.BooleanField(_("capped"), default=False)
    ideal_bonus = models.BooleanField(_("ideal target reached"), default=False)
    position = models.PositiveSmallIntegerField(pgettext_lazy("sort order", "position"), default=0)

    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["scorecard", "position", "id"]
        verbose_name = _("scorecard line")
        verbose_name_plural = _("scorecard lines")
        constraints = [
            models.UniqueConstraint(
                fields=["scorecard", "indicator"], name="scorecard_line_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scorecard_id} {self.indicator}"


__all__ = [
    "PeriodKind",
    "Scorecard",
    "ScorecardLine",
    "ScorecardPeriod",
    "ScorecardQuerySet",
    "ScorecardReopening",
    "ScorecardStatus",
]
