"""Training models: the library of materials with quizzes, assignments, and culture
(vision and values, recognition posts).

Scoping (documented here and in docs): materials and assignments are in the TRAINING
domain, which trainers (HR), the director and admins see in full. Everyone else sees
published materials, and the assignments of the people in their scope: a rep their
own, a team manager their team's, a region head their region's.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from salesorg.core.audit import AuditedHistory
from salesorg.core.scoping import Domain, Scope, ScopedQuerySet
from salesorg.core.stored_text import stored_text

__all__ = [
    "Assignment",
    "AssignmentStatus",
    "CulturePage",
    "Level",
    "Material",
    "QuizOption",
    "QuizQuestion",
    "Recognition",
    "Topic",
]

CODE_LENGTH = 30
ONBOARDING_REASON = "onboarding"  # the reason (a code) of an onboarding assignment


class Topic(models.TextChoices):
    """What a material teaches; the first eleven follow the seed's onboarding list (S5)."""

    ORG_STRUCTURE = "org_structure", _("Organization structure")
    POSITION_DUTIES = "position_duties", _("Position duties")
    MARKET_OUTLINE = "market_outline", _("Market outline")
    GOALS = "goals", _("Long- and short-term goals")
    SALES_PLAN = "sales_plan", _("Sales plan")
    SALES_TARGETS = "sales_targets", _("Sales targets")
    SELLING_SKILLS = "selling_skills", _("Selling skills")
    COMMUNICATION = "communication", _("Communication and coordination")
    PROBLEM_HANDLING = "problem_handling", _("Problem handling")
    REWARDS_PENALTIES = "rewards_penalties", _("Rewards and penalties")
    PAY_BENEFITS = "pay_benefits", _("Pay and benefits")
    COLLECTIONS = "collections", _("Collections")
    TERRITORY_PLANNING = "territory_planning", _("Territory planning")
    PRODUCT_KNOWLEDGE = "product_knowledge", _("Product knowledge")
    CUSTOMER_SERVICE = "customer_service", _("Customer service")
    NEGOTIATION = "negotiation", _("Negotiation")
    MANAGEMENT = "management", _("Team management")
    OTHER = "other", _("Other")


class Level(models.TextChoices):
    """How advanced a material is."""

    BASIC = "basic", _("Basic")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class AssignmentStatus(models.TextChoices):
    """Where an assignment stands."""

    ASSIGNED = "assigned", _("Assigned")
    COMPLETED = "completed", _("Completed")


class MaterialQuerySet(ScopedQuerySet):
    domain = Domain.TRAINING

    def scope_q(self, scope: Scope) -> Q:
        return Q(is_published=True)

    def published(self) -> MaterialQuerySet:
        return self.filter(is_published=True)


def material_upload_to(instance: Material, filename: str) -> str:
    """Attachments live under a private folder, never served as public media."""
    return f"private/training/{filename}"


class Material(models.Model):
    """A training material (培训资料): rich text (safe Markdown), an optional file and quiz."""

    code = models.CharField(_("code"), max_length=CODE_LENGTH, unique=True)
    title = models.CharField(pgettext_lazy("record heading", "title"), max_length=200)
    topic = models.CharField(_("topic"), max_length=30, choices=Topic.choices)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.BASIC)
    body = models.TextField(
        _("body"),
        blank=True,
        help_text=_("Markdown: # headings, - lists, **bold**, *italic*, [links](https://…)."),
    )
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=15)
    attachment = models.FileField(
        _("attachment"), upload_to=material_upload_to, blank=True, max_length=255
    )
    is_published = models.BooleanField(_("published"), default=True)
    is_onboarding = models.BooleanField(
        _("part of the onboarding curriculum"), default=False, db_index=True
    )
    onboarding_order = models.PositiveSmallIntegerField(_("onboarding order"), default=0)
    pass_mark = models.PositiveSmallIntegerField(_("quiz pass mark (%)"), default=80)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MaterialQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["topic", "title", "id"]
        verbose_name = _("training material")
        verbose_name_plural = _("training materials")
        constraints = [
            models.CheckConstraint(
                condition=Q(pass_mark__lte=100), name="development_material_pass_mark_max_100"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("development:material_detail", args=[self.pk])


class QuizQuestion(models.Model):
    """One multiple-choice question of a material's quiz (one or more correct options)."""

    material = models.ForeignKey(
        Material, verbose_name=_("material"), on_delete=models.CASCADE, related_name="questions"
    )
    number = models.PositiveSmallIntegerField(_("number"), default=1)
    text = models.CharField(_("question"), max_length=500)

    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["material", "number", "id"]
        verbose_name = _("quiz question")
        verbose_name_plural = _("quiz questions")

    def __str__(self) -> str:
        return self.text


class QuizOption(models.Model):
    """An answer option of a quiz question."""

    question = models.ForeignKey(
        QuizQuestion, verbose_name=_("question"), on_delete=models.CASCADE, related_name="options"
    )
    text = models.CharField(_("option"), max_length=300)
    is_correct = models.BooleanField(_("correct"), default=False)

    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["question", "id"]
        verbose_name = _("quiz option")
        verbose_name_plural = _("quiz options")

    def __str__(self) -> str:
        return self.text


class AssignmentQuerySet(ScopedQuerySet):
    domain = Domain.TRAINING

    def open(self) -> AssignmentQuerySet:
        return self.filter(status=AssignmentStatus.ASSIGNED)

    def overdue(self, today) -> AssignmentQuerySet:
        return self.open().filter(due_date__lt=today)


class Assignment(models.Model):
    """A material assigned to one person by a date; completion and quiz result recorded."""

    person = models.ForeignKey(
        "org.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="training_assignments",
    )
    material = models.ForeignKey(
        Material, verbose_name=_("material"), on_delete=models.PROTECT, related_name="assignments"
    )
    due_date = models.DateField(_("due date"))
    assigned_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("assigned by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    # A reason the system writes (targeted training) is a message key with parameters,
    # shown in the reader's language by `display_reason`; `reason` keeps the sentence.
    reason_key = models.CharField(_("reason key"), max_length=80, blank=True, editable=False)
    reason_params = models.JSONField(
        _("reason parameters"), default=dict, blank=True, editable=False
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.ASSIGNED,
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    quiz_score = models.PositiveSmallIntegerField(_("quiz score (%)"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = AssignmentQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("training assignment")
        verbose_name_plural = _("training assignments")
        indexes = [models.Index(fields=["person", "status", "due_date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "material"],
                condition=Q(status="assigned"),
                name="development_assignment_one_open_per_material",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.material} → {self.person}"

    def get_absolute_url(self) -> str:
        return reverse("development:assignment_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == AssignmentStatus.ASSIGNED

    @property
    def display_reason(self) -> str:
        """Why it was assigned, in the reader's language (never the code "onboarding")."""
        if self.reason == ONBOARDING_REASON:
            return str(_("Onboarding"))
        return stored_text(self.reason_key, self.reason_params, fallback=self.reason)

    def is_overdue(self, today) -> bool:
        return self.is_open and self.due_date < today


class CulturePage(models.Model):
    """The company's vision and values (企业远景、价值观); one row, versioned by history."""

    vision = models.TextField(_("vision"), blank=True)
    values = models.TextField(_("values"), blank=True)
    updated_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        verbose_name = _("vision and values")
        verbose_name_plural = _("vision and values")

    def __str__(self) -> str:
        return str(_("Vision and values"))


class RecognitionQuerySet(ScopedQuerySet):
    domain = Domain.TRAINING

    def scope_q(self, scope: Scope) -> Q:
        return Q(team_id__in=scope.team_ids) | Q(person_id__in=scope.person_ids)


class Recognition(models.Model):
    """A recognition post (表扬): a manager praises a person for a result.

    Shown to the person's team (the team they were in when praised). It may point at
    one record (an order, a visit or a customer) that the author could see.
    """

    person = models.ForeignKey(
        "org.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="recognitions",
    )
    team = models.ForeignKey(
        "org.Team",
        verbose_name=_("team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recognitions",
    )
    author = models.ForeignKey(
        "org.Person",
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    title = models.CharField(pgettext_lazy("record heading", "title"), max_length=200)
    message = models.TextField(_("message"), blank=True)
    order = models.ForeignKey(
        "sales.Order",
        verbose_name=_("order"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    visit = models.ForeignKey(
        "sales.Visit",
        verbose_name=pgettext_lazy("customer visit", "visit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = RecognitionQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("recognition post")
        verbose_name_plural = _("recognition posts")
        indexes = [models.Index(fields=["team", "created_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def linked_record(self):
        return self.order or self.visit or self.customer
