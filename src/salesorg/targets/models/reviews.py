"""Quarterly target reviews (S10): a rep's answers to the seed's seven questions."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from salesorg.core.audit import AuditedHistory
from salesorg.core.scoping import Domain, ScopedQuerySet

__all__ = ["REVIEW_QUESTIONS", "QuarterlyReview", "QuarterlyReviewQuerySet", "ReviewStatus"]


class ReviewStatus(models.TextChoices):
    """Where a quarterly review stands: the rep drafts and files, the manager signs off."""

    DRAFT = "draft", pgettext_lazy("not yet published", "Draft")
    FILED = "filed", pgettext_lazy("review status", "Filed")
    RETURNED = "returned", _("Returned")
    SIGNED_OFF = "signed_off", _("Signed off")


# The seed's seven questions (S10), in its order: (field name, question).
REVIEW_QUESTIONS = (
    (
        "year_end_result",
        _("What result do you want by year end (the year-end target)?"),
    ),
    ("obstacles", _("What obstacles stand in the way?")),
    (
        "territory_strengths_weaknesses",
        _("What are your sales territory's strengths and weaknesses?"),
    ),
    (
        "miss_effect",
        _("If this quarter's target is missed, what does that do to the final target?"),
    ),
    ("progressive_targets", _("Of last quarter's achieved targets, which were progressive?")),
    ("how_progress", _("How did you make that progress?")),
    ("make_up_plan", _("For last quarter's missed targets, do you have another way to make up?")),
)


class QuarterlyReviewQuerySet(ScopedQuerySet):
    """Reviews are personnel records: the rep, their leaders, director and admin see them."""

    domain = Domain.PERSONNEL
    person_field = "rep"

    def awaiting_sign_off(self) -> QuarterlyReviewQuerySet:
        return self.filter(status=ReviewStatus.FILED)

    def unfiled(self) -> QuarterlyReviewQuerySet:
        return self.filter(Q(status=ReviewStatus.DRAFT) | Q(status=ReviewStatus.RETURNED))


class QuarterlyReview(models.Model):
    """One rep's review of one quarter (季度目标回顾), with the figures as filed."""

    rep = models.ForeignKey(
        "org.Person",
        verbose_name=_("rep"),
        on_delete=models.PROTECT,
        related_name="quarterly_reviews",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    status = models.CharField(
        _("status"), max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    year_end_result = models.TextField(_("year-end result wanted"), blank=True)
    obstacles = models.TextField(_("obstacles"), blank=True)
    territory_strengths_weaknesses = models.TextField(
        _("territory strengths and weaknesses"), blank=True
    )
    miss_effect = models.TextField(_("effect of a miss on the year"), blank=True)
    progressive_targets = models.TextField(_("progressive targets"), blank=True)
    how_progress = models.TextField(_("how the progress was made"), blank=True)
    make_up_plan = models.TextField(_("plan to make up misses"), blank=True)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    figures_computed_at = models.DateTimeField(_("figures computed at"), null=True, blank=True)
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    manager_comment = models.TextField(_("manager's comment"), blank=True)
    reviewed_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = QuarterlyReviewQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["-year", "-quarter", "rep__code"]
        verbose_name = _("quarterly review")
        verbose_name_plural = _("quarterly reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["rep", "year", "quarter"], name="quarterly_review_unique"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="quarterly_review_quarter"
            ),
        ]
        indexes = [models.Index(fields=["year", "quarter", "status"])]

    def __str__(self) -> str:
        return f"{self.rep} {self.year} Q{self.quarter}"

    def get_absolute_url(self) -> str:
        return reverse("targets:review", args=[self.pk])

    @property
    def label(self) -> str:
        """The quarter as people write it: 2026 Q3."""
        return f"{self.year} Q{self.quarter}"

    def quarter_has_ended(self, today: date) -> bool:
        """Is the reviewed quarter over (its last day included)? Only then can it be filed."""
        last_month = 3 * self.quarter
        following = (
            date(self.year + 1, 1, 1) if last_month == 12 else date(self.year, last_month + 1, 1)
        )
        return today >= following

    @property
    def figures_as_of(self) -> date | None:
        """The last day the stored figures count: the quarter's end, or the day taken while
        it ran."""
        as_of = (self.figures or {}).get("as_of")
        return date.fromisoformat(as_of) if as_of else None

    def is_editable(self) -> bool:
        """Can the rep still change the answers (draft or returned)?"""
        return self.status in (ReviewStatus.DRAFT, ReviewStatus.RETURNED)

    def answers(self) -> list[tuple[str, str, str]]:
        """(field, question, answer) for the seven questions, in order."""
        return [(name, question, getattr(self, name)) for name, question in REVIEW_QUESTIONS]
