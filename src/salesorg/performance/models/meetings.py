"""Sales meetings (销售会议, S13): a team's review of a period's misses, cause by cause.

The agenda is generated from the indicator engine: one item per person and indicator
that missed its target in the period (see selectors.meetings). For each item the meeting records
the real cause and a countermeasure, which becomes an action item (行动项).
"""

from __future__ import annotations

import re

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from salesorg.core.audit import AuditedHistory
from salesorg.core.scoping import Domain, Scope, ScopedQuerySet
from salesorg.performance.choices import COLUMN_BY_NAME


class MissReason(models.TextChoices):
    """Why an indicator is on the agenda."""

    BELOW_TARGET = "below_target", _("Below target")
    OVER_BUDGET = "over_budget", _("Over budget")
    # Agendas no longer list falls against the last period; items stored so keep their label.
    BELOW_LAST_PERIOD = "below_last_period", _("Below last period")


class CauseCategory(models.TextChoices):
    """The kind of real cause found for a miss."""

    MARKET = "market", _("Market or competition")
    CUSTOMER = "customer", _("Customer")
    PRODUCT = "product", _("Product or price")
    ACTIVITY = "activity", _("Too little sales activity")
    SKILL = "skill", _("Skills or knowledge")
    ATTITUDE = "attitude", _("Attitude or motivation")
    SUPPORT = "support", _("Internal support")
    TARGET = "target", _("Target set wrongly")
    OTHER = "other", _("Other")


# The title a meeting gets when none is typed: stored as this English source sentence (the
# message key with its parameters in it) and shown translated by `display_title`. The
# patterns also recognise the titles stored in Chinese before (zh-Hans catalogue of then).
DEFAULT_TITLE = gettext_noop("Sales meeting %(team)s %(start)s – %(end)s")
_DAY = r"\d{4}-\d{2}-\d{2}"
DEFAULT_TITLE_PATTERNS = tuple(
    re.compile(rf"^{prefix} (?P<team>.+) (?P<start>{_DAY}) – (?P<end>{_DAY})$")
    for prefix in ("Sales meeting", "销售会议")
)


class SalesMeetingQuerySet(ScopedQuerySet):
    """A team's meetings are seen by its members and leaders; director, admin, finance all."""

    domain = Domain.SALES

    def scope_q(self, scope: Scope) -> Q:
        return Q(team_id__in=scope.team_ids)


class SalesMeeting(models.Model):
    """One sales meeting of a team about a period, with its minutes."""

    team = models.ForeignKey(
        "org.Team", verbose_name=_("team"), on_delete=models.PROTECT, related_name="sales_meetings"
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    held_on = models.DateField(_("held on"))
    title = models.CharField(pgettext_lazy("record heading", "title"), max_length=200)
    minutes = models.TextField(pgettext_lazy("meeting record", "minutes"), blank=True)
    chaired_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("chaired by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = SalesMeetingQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("sales meeting")
        verbose_name_plural = _("sales meetings")
        indexes = [models.Index(fields=["team", "held_on"])]

    def __str__(self) -> str:
        return self.display_title

    def get_absolute_url(self) -> str:
        return reverse("performance:meeting_detail", args=[self.pk])

    @property
    def display_title(self) -> str:
        """The title in the reader's language when the system gave it (see DEFAULT_TITLE)."""
        for pattern in DEFAULT_TITLE_PATTERNS:
            match = pattern.match(self.title)
            if match:
                return gettext(DEFAULT_TITLE) % match.groupdict()
        return self.title


class MeetingItemQuerySet(ScopedQuerySet):
    """Agenda items are seen with their meeting."""

    domain = Domain.SALES

    def scope_q(self, scope: Scope) -> Q:
        return Q(meeting__team_id__in=scope.team_ids)


class MeetingItem(models.Model):
    """An agenda item: one person's miss on one indicator, its cause and countermeasure."""

    meeting = models.ForeignKey(
        SalesMeeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="items"
    )
    person = models.ForeignKey(
        "org.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    indicator = models.CharField(_("indicator"), max_length=30)
    reason = models.CharField(_("reason"), max_length=20, choices=MissReason.choices)
    value = models.CharField(pgettext_lazy("number in a table", "value"), max_length=60, blank=True)
    reference = models.CharField(_("target or last period"), max_length=60, blank=True)
    cause_category = models.CharField(
        _("cause category"), max_length=20, choices=CauseCategory.choices, blank=True
    )
    cause = models.TextField(_("real cause"), blank=True)
    countermeasure = models.TextField(_("countermeasure"), blank=True)
    position = models.PositiveSmallIntegerField(pgettext_lazy("sort order", "position"), default=0)

    objects = MeetingItemQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["meeting", "position", "id"]
        verbose_name = _("meeting item")
        verbose_name_plural = _("meeting items")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person", "indicator"], name="meeting_item_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.indicator_label}"

    def get_absolute_url(self) -> str:
        return reverse("performance:meeting_detail", args=[self.meeting_id]) + f"#item-{self.pk}"

    @property
    def is_analysed(self) -> bool:
        """Has the meeting found the real cause and decided a countermeasure?"""
        return bool(self.cause.strip() and self.countermeasure.strip())

    @property
    def indicator_label(self) -> str:
        """The indicator's name in the reader's language (never its code)."""
        column = COLUMN_BY_NAME.get(self.indicator)
        return str(column.label) if column else self.indicator


__all__ = ["CauseCategory", "MeetingItem", "MissReason", "SalesMeeting"]
