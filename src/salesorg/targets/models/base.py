"""Targets: one unit (person, team, region or the company), metric and month, two values."""

from __future__ import annotations

from datetime import date

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from salesorg.core.audit import AuditedHistory
from salesorg.core.fields import MoneyField
from salesorg.core.scoping import Domain, Scope, ScopedQuerySet
from salesorg.core.stored_text import stored_text
from salesorg.targets.choices import ActionOrigin, ActionStatus, Metric, OwnerType


class TargetQuerySet(ScopedQuerySet):
    domain = Domain.SALES

    def scope_q(self, scope: Scope) -> Q:
        return (
            Q(owner_type=OwnerType.PERSON, person_id__in=scope.person_ids)
            | Q(owner_type=OwnerType.TEAM, team_id__in=scope.team_ids)
            | Q(owner_type=OwnerType.REGION, region_id__in=scope.region_ids)
        )


class Target(models.Model):
    """A monthly target with a realistic (现实目标) and an ideal (理想目标) value."""

    owner_type = models.CharField(_("owner type"), max_length=10, choices=OwnerType.choices)
    person = models.ForeignKey(
        "org.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="targets",
    )
    team = models.ForeignKey(
        "org.Team",
        verbose_name=_("team"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="targets",
    )
    region = models.ForeignKey(
        "org.Region",
        verbose_name=_("region"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="targets",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    metric = models.CharField(_("metric"), max_length=20, choices=Metric.choices)
    realistic = MoneyField(_("realistic target"))
    ideal = MoneyField(_("ideal target"))

    version = models.PositiveIntegerField(
        _("version"), default=1, editable=False, help_text=_("Raised by one at every change.")
    )

    objects = TargetQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["year", "month", "owner_type", "metric"]
        verbose_name = pgettext_lazy("goal value", "target")
        verbose_name_plural = _("targets")
        indexes = [models.Index(fields=["year", "month", "metric"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        owner_type=OwnerType.PERSON,
                        person__isnull=False,
                        team__isnull=True,
                        region__isnull=True,
                    )
                    | Q(
                        owner_type=OwnerType.TEAM,
                        person__isnull=True,
                        team__isnull=False,
                        region__isnull=True,
                    )
                    | Q(
                        owner_type=OwnerType.REGION,
                        person__isnull=True,
                        team__isnull=True,
                        region__isnull=False,
                    )
                    | Q(
                        owner_type=OwnerType.COMPANY,
                        person__isnull=True,
                        team__isnull=True,
                        region__isnull=True,
                    )
                ),
                name="target_owner_matches_type",
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="target_month_in_range"
            ),
            models.CheckConstraint(
                condition=Q(realistic__gte=0) & Q(ideal__gte=models.F("realistic")),
                name="target_ideal_not_below_realistic",
                violation_error_message=_("The ideal target cannot be below the realistic one."),
            ),
            models.UniqueConstraint(
                fields=["person", "year", "month", "metric"],
                condition=Q(owner_type=OwnerType.PERSON),
                name="target_unique_person",
            ),
            models.UniqueConstraint(
                fields=["team", "year", "month", "metric"],
                condition=Q(owner_type=OwnerType.TEAM),
                name="target_unique_team",
            ),
            models.UniqueConstraint(
                fields=["region", "year", "month", "metric"],
                condition=Q(owner_type=OwnerType.REGION),
                name="target_unique_region",
            ),
            models.UniqueConstraint(
                fields=["year", "month", "metric"],
                condition=Q(owner_type=OwnerType.COMPANY),
                name="target_unique_company",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner_code or '—'} {self.year}-{self.month:02d} {self.get_metric_display()}"

    @property
    def owner_code(self) -> str:
        """The code of the owning unit (blank for the company), as in targets.csv."""
        owner = self.person or self.team or self.region
        return owner.code if owner else ""


class ActionItemQuerySet(ScopedQuerySet):
    """A person's action items are seen with their records; a sales meeting's countermeasures
    also by everyone who sees the meeting (reading only: changing is `can_change_action_item`).
    """

    domain = Domain.SALES
    person_field = "owner"

    def scope_q(self, scope: Scope) -> Q:
        meeting_items = apps.get_model("performance", "MeetingItem").objects
        return super().scope_q(scope) | Q(
            origin=ActionOrigin.MEETING,
            source_type__app_label="performance",
            source_type__model="meetingitem",
            source_id__in=meeting_items.filter(meeting_items.scope_q(scope)).values("id"),
        )

    def open(self) -> ActionItemQuerySet:
        return self.filter(status=ActionStatus.OPEN)

    def overdue(self, today) -> ActionItemQuerySet:
        return self.open().filter(due_date__lt=today)


class ActionItem(models.Model):
    """Something one person must do by a date (行动项): a PDCA measure, a meeting's
    countermeasure, a coaching point or a follow-up of a stakeholder change.

    `source` points at the record it came from (a problem, a meeting item, a coaching
    session, a contact); `customer` is set when it concerns one customer.
    """

    title = models.CharField(pgettext_lazy("record heading", "title"), max_length=200)
    detail = models.TextField(_("detail"), blank=True)
    # Items the system creates keep a message key with parameters instead of a sentence, so
    # they read in the reader's language (`display_title`); `title` then holds the sentence
    # as first written, for search and for readers of the raw table.
    title_key = models.CharField(_("title key"), max_length=80, blank=True, editable=False)
    detail_key = models.CharField(_("detail key"), max_length=80, blank=True, editable=False)
    text_params = models.JSONField(_("text parameters"), default=dict, blank=True, editable=False)
    owner = models.ForeignKey(
        "org.Person",
        verbose_name=pgettext_lazy("responsible person", "owner"),
        on_delete=models.PROTECT,
        related_name="action_items",
    )
    due_date = models.DateField(_("due date"))
    # When the owner's home page starts showing the item; empty means on the due date.
    remind_on = models.DateField(_("remind on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    origin = models.CharField(
        _("origin"), max_length=20, choices=ActionOrigin.choices, default=ActionOrigin.OTHER
    )
    source_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="action_items",
    )
    created_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True)

    objects = ActionItemQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = pgettext_lazy("tracked task", "action item")
        verbose_name_plural = _("action items")
        indexes = [
            models.Index(fields=["owner", "status", "due_date"]),
            models.Index(fields=["source_type", "source_id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(remind_on__isnull=True) | Q(remind_on__lte=F("due_date")),
                name="action_item_remind_on_by_due_date",
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    def get_absolute_url(self) -> str:
        return reverse("targets:action_item", args=[self.pk])

    @property
    def display_title(self) -> str:
        """The title in the reader's language (a system-written item renders its key)."""
        return stored_text(self.title_key, self.text_params, fallback=self.title)

    @property
    def display_detail(self) -> str:
        """The detail in the reader's language (a system-written item renders its key)."""
        return stored_text(self.detail_key, self.text_params, fallback=self.detail)

    @property
    def reminder_date(self) -> date:
        """The day the owner is reminded: the remind-on date, or else the due date."""
        return self.remind_on or self.due_date

    def is_overdue(self, today) -> bool:
        return self.status == ActionStatus.OPEN and self.due_date < today
