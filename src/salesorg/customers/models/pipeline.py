"""New-customer development (S17): development proposals a manager decides on, and the
pipeline items they become, moving through configurable stages with required steps."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from salesorg.core.audit import AuditedHistory
from salesorg.core.fields import MoneyField
from salesorg.core.scoping import NOTHING, Domain, ScopedQuerySet, scope_for
from salesorg.core.stored_text import in_reader_language

__all__ = [
    "DevelopmentProposal",
    "PipelineItem",
    "PipelineItemStatus",
    "PipelineStage",
    "PipelineStageEntry",
    "PipelineStep",
    "PipelineStepCheck",
    "ProposalQuerySet",
    "ProposalStatus",
]


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting decision")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class PipelineItemStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("pipeline status", "Open")
    WON = "won", pgettext_lazy("pipeline outcome", "Won")
    LOST = "lost", pgettext_lazy("pipeline outcome", "Lost")


class CatalogueLikeQuerySet(ScopedQuerySet):
    """Pipeline stages and steps are company configuration: everyone in the company sees them."""

    def visible_to(self, user):
        return self.none() if scope_for(user) is NOTHING else self.all()


class PipelineStage(models.Model):
    """A stage of the new-customer pipeline (the S2 standard process), in order."""

    name = models.CharField(_("name"), max_length=100)
    # Stages and steps are written in both languages; a reader sees their own (`label`),
    # the Chinese when no English is given.
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    objects = CatalogueLikeQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("pipeline stage")
        verbose_name_plural = _("pipeline stages")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the reader's language."""
        return in_reader_language(zh=self.name, en=self.name_en)


class PipelineStep(models.Model):
    """A step to take in a pipeline stage; required steps must be ticked before moving on."""

    stage = models.ForeignKey(
        PipelineStage,
        verbose_name=pgettext_lazy("stage of a process", "stage"),
        on_delete=models.CASCADE,
        related_name="steps",
    )
    position = models.PositiveSmallIntegerField(_("step number"), default=0)
    text = models.CharField(_("step"), max_length=200)
    text_en = models.CharField(_("step in English"), max_length=200, blank=True)
    required = models.BooleanField(_("required"), default=True)

    objects = CatalogueLikeQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["stage", "position", "pk"]
        verbose_name = _("pipeline step")
        verbose_name_plural = _("pipeline steps")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The step in the reader's language."""
        return in_reader_language(zh=self.text, en=self.text_en)


class ProposalQuerySet(ScopedQuerySet):
    domain = Domain.CUSTOMERS
    person_field = "rep"


class DevelopmentProposal(models.Model):
    """A rep's proposal to develop a new customer (开发新客户): market and competitor analysis,
    planned approach, expected sales and margin, resources; the manager decides."""

    rep = models.ForeignKey(
        "org.Person", verbose_name=_("rep"), on_delete=models.PROTECT, related_name="proposals"
    )
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("target customer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
    )
    prospect_name = models.CharField(_("prospect name"), max_length=200, blank=True)
    market_analysis = models.TextField(_("market analysis"))
    competitor_analysis = models.TextField(_("competitor analysis"))
    planned_approach = models.TextField(_("planned approach"))
    expected_sales = MoneyField(_("expected annual sales"))
    expected_margin = MoneyField(_("expected annual gross margin"))
    needed_resources = models.TextField(_("needed resources"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("decision comment"), blank=True)

    objects = ProposalQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("development proposal")
        verbose_name_plural = _("development proposals")
        indexes = [models.Index(fields=["rep", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(expected_sales__gte=0) & Q(expected_margin__gte=0),
                name="proposal_expectations_not_negative",
            )
        ]

    def __str__(self) -> str:
        return self.target_name

    def get_absolute_url(self) -> str:
        return reverse("customers:proposal", args=[self.pk])

    @property
    def target_name(self) -> str:
        return self.customer.name if self.customer_id else self.prospect_name


class PipelineItemQuerySet(ScopedQuerySet):
    domain = Domain.CUSTOMERS
    person_field = "rep"


class PipelineItem(models.Model):
    """An approved proposal being worked: its current stage, then won or lost."""

    proposal = models.OneToOneField(
        DevelopmentProposal,
        verbose_name=_("proposal"),
        on_delete=models.PROTECT,
        related_name="pipeline_item",
    )
    rep = models.ForeignKey(
        "org.Person",
        verbose_name=_("rep"),
        on_delete=models.PROTECT,
        related_name="pipeline_items",
    )
    name = models.CharField(_("name"), max_length=200)
    stage = models.ForeignKey(
        PipelineStage,
        verbose_name=pgettext_lazy("stage of a process", "stage"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="items",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PipelineItemStatus.choices,
        default=PipelineItemStatus.OPEN,
    )
    # The proposal's customer from approval on (a prospect's record, once there is one); the
    # customer won when the item is closed as won.
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pipeline_items",
    )
    lost_reason = models.TextField(_("reason lost"), blank=True)
    won_reason = models.TextField(_("reason won"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = PipelineItemQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("pipeline item")
        verbose_name_plural = _("pipeline items")
        indexes = [models.Index(fields=["rep", "status"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("customers:pipeline_item", args=[self.pk])


class PipelineStageEntry(models.Model):
    """A pipeline item's time in one stage: entered when approved or advanced into it, left
    when advanced out of it or closed (the funnel's days per stage)."""

    item = models.ForeignKey(
        PipelineItem,
        verbose_name=_("pipeline item"),
        on_delete=models.CASCADE,
        related_name="stage_entries",
    )
    stage = models.ForeignKey(
        PipelineStage,
        verbose_name=pgettext_lazy("stage of a process", "stage"),
        on_delete=models.PROTECT,
        related_name="entries",
    )
    entered_at = models.DateTimeField(_("entered at"))
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)

    class Meta:
        ordering = ["item", "entered_at", "pk"]
        verbose_name = _("pipeline stage entry")
        verbose_name_plural = _("pipeline stage entries")
        constraints = [
            models.UniqueConstraint(fields=["item", "stage"], name="pipeline_stage_entry_unique"),
            models.CheckConstraint(
                condition=Q(left_at__isnull=True) | Q(left_at__gte=models.F("entered_at")),
                name="pipeline_stage_entry_left_after_entered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}/{self.stage_id}"


class PipelineStepCheck(models.Model):
    """A step of a pipeline item's stage, ticked done (by whom, when)."""

    item = models.ForeignKey(
        PipelineItem,
        verbose_name=_("pipeline item"),
        on_delete=models.CASCADE,
        related_name="checks",
    )
    step = models.ForeignKey(
        PipelineStep, verbose_name=_("step"), on_delete=models.CASCADE, related_name="checks"
    )
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    done_at = models.DateTimeField(_("done at"), auto_now_add=True)

    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["item", "step"]
        verbose_name = _("pipeline step done")
        verbose_name_plural = _("pipeline steps done")
        constraints = [
            models.UniqueConstraint(fields=["item", "step"], name="pipeline_step_check_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item_id}/{self.step_id}"
