"""The management cycle of S1: market research → company goal → sales plan → targets.

A sales plan (one per fiscal year) holds that year's targets: the monthly `Target` rows
of its year and, per unit and metric, the annual target (`AnnualTarget`) that the months
and the unit's children must add up to. `Decomposition` records, per unit, whether the
unit's leader has published its decomposition.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from salesorg.core.audit import AuditedHistory
from salesorg.core.fields import MoneyField
from salesorg.core.roles import LEADERS, role_of
from salesorg.core.scoping import Domain, Scope, ScopedQuerySet, scope_for
from salesorg.targets.choices import Metric, OwnerType

__all__ = [
    "AnnualTarget",
    "AnnualTargetQuerySet",
    "CompanyGoal",
    "Decomposition",
    "DecompositionQuerySet",
    "PlanChainQuerySet",
    "PlanStatus",
    "ResearchKind",
    "ResearchNote",
    "ResearchNoteQuerySet",
    "SalesPlan",
]


class ResearchKind(models.TextChoices):
    """What a research note records."""

    MARKET = "market", _("Market research")
    COMPETITOR = "competitor", _("Competitor observation")


class PlanStatus(models.TextChoices):
    """Where a sales plan or a unit's decomposition stands."""

    DRAFT = "draft", pgettext_lazy("not yet published", "Draft")
    PUBLISHED = "published", _("Published")


class PlanChainQuerySet(ScopedQuerySet):
    """Research, goals and plans are read by everyone still in the company."""

    domain = Domain.SALES

    def scope_q(self, scope: Scope) -> Q:
        return Q()


class ResearchNoteQuerySet(PlanChainQuerySet):
    """Market notes, and competitor notes linked to no customer, are read by everyone still in
    the company; a competitor note linked to customers is read like those customers (by whoever
    sees one of them), by its author and by every leader (director, admin, region heads,
    managers), who plan with it."""

    def visible_to(self, user):
        notes = super().visible_to(user)
        scope = scope_for(user)
        if scope.sees_all(Domain.CUSTOMERS) or role_of(user) in LEADERS:
            return notes
        links = self.model.customers.through.objects
        customers = self.model._meta.get_field("customers").related_model
        seen = customers.objects.visible_to(user).values("pk")
        return notes.exclude(
            Q(kind=ResearchKind.COMPETITOR)
            & Q(pk__in=links.values("researchnote_id"))
            & ~Q(pk__in=links.filter(customer_id__in=seen).values("researchnote_id"))
            & ~Q(author_id=scope.person_id)
        )


class ResearchNote(models.Model):
    """A market-research note or competitor observation (市场调查) that goals and plans cite."""

    kind = models.CharField(
        _("kind"), max_length=12, choices=ResearchKind.choices, default=ResearchKind.MARKET
    )
    subject = models.CharField(_("subject"), max_length=200)
    competitor = models.CharField(_("competitor"), max_length=200, blank=True)
    product = models.CharField(_("product"), max_length=200, blank=True)
    price = MoneyField(_("price"), null=True, blank=True)
    regions = models.ManyToManyField(
        "org.Region", verbose_name=_("regions"), blank=True, related_name="research_notes"
    )
    customers = models.ManyToManyField(
        "customers.Customer",
        verbose_name=_("customers"),
        blank=True,
        related_name="research_notes",
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    observed_on = models.DateField(_("date"))
    notes = models.TextField(_("notes"), blank=True)
    author = models.ForeignKey(
        "org.Person",
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="research_notes",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ResearchNoteQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["-observed_on", "-id"]
        verbose_name = _("research note")
        verbose_name_plural = _("research notes")

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("targets:research_edit", args=[self.pk])


class CompanyGoal(models.Model):
    """The company's goal for a fiscal year: a statement and sales and gross-margin amounts."""

    year = models.PositiveSmallIntegerField(_("fiscal year"), unique=True)
    statement = models.TextField(_("statement"))
    sales_goal = MoneyField(_("sales goal"))
    gross_margin_goal = MoneyField(_("gross margin goal"))
    research_notes = models.ManyToManyField(
        ResearchNote, verbose_name=_("research notes"), blank=True, related_name="goals"
    )
    created_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = PlanChainQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["-year"]
        verbose_name = _("company goal")
        verbose_name_plural = _("company goals")
        constraints = [
            models.CheckConstraint(
                condition=Q(sales_goal__gte=0) & Q(gross_margin_goal__gte=0),
                name="company_goal_amounts_not_negative",
            )
        ]

    def __str__(self) -> str:
        return str(_("Company goal %(year)s") % {"year": self.year})

    def get_absolute_url(self) -> str:
        return reverse("targets:goal_edit", args=[self.pk])


class SalesPlan(models.Model):
    """The sales plan of a fiscal year (销售计划): strategy, cited research, its targets."""

    year = models.PositiveSmallIntegerField(_("fiscal year"), unique=True)
    title = models.CharField(pgettext_lazy("record heading", "title"), max_length=200)
    strategy = models.TextField(_("strategy"), blank=True)
    research_notes = models.ManyToManyField(
        ResearchNote, verbose_name=_("research notes"), blank=True, related_name="plans"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    published_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    ideal_uplift = models.DecimalField(
        _("ideal target uplift (%)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1000"))],
        help_text=_(
            "Proposed ideal targets are the realistic ones raised by this percentage. "
            "Blank: last year's ideal-to-realistic ratio."
        ),
    )

    # Published although its company targets differ from the company goal: why (S1).
    goal_deviation_reason = models.TextField(_("reason for deviating from the goal"), blank=True)

    objects = PlanChainQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["-year"]
        verbose_name = _("sales plan")
        verbose_name_plural = _("sales plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(ideal_uplift__isnull=True)
                | (Q(ideal_uplift__gte=0) & Q(ideal_uplift__lte=1000)),
                name="sales_plan_ideal_uplift_range",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("targets:plan", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == PlanStatus.PUBLISHED


OWNER_COLUMNS = {
    OwnerType.PERSON: "person",
    OwnerType.TEAM: "team",
    OwnerType.REGION: "region",
    OwnerType.COMPANY: None,
}


def _owner_constraints(
    prefix: str, *, owner_types: tuple[str, ...], unique_on: tuple[str, ...]
) -> list[models.BaseConstraint]:
    """The owner columns match the owner type; one row per plan, owner and `unique_on`."""
    columns = [OWNER_COLUMNS[owner_type] for owner_type in owner_types if OWNER_COLUMNS[owner_type]]
    condition = None
    constraints: list[models.BaseConstraint] = []
    for owner_type in owner_types:
        own = OWNER_COLUMNS[owner_type]
        shape = Q(owner_type=owner_type, **{f"{c}__isnull": c != own for c in columns})
        condition = shape if condition is None else condition | shape
        constraints.append(
            models.UniqueConstraint(
                fields=["plan", *([own] if own else []), *unique_on],
                condition=Q(owner_type=owner_type),
                name=f"{prefix}_unique_{owner_type}",
            )
        )
    constraints.insert(
        0, models.CheckConstraint(condition=condition, name=f"{prefix}_owner_matches_type")
    )
    return constraints


class AnnualTargetQuerySet(ScopedQuerySet):
    """Annual targets are scoped like monthly targets."""

    domain = Domain.SALES

    def scope_q(self, scope: Scope) -> Q:
        return (
            Q(owner_type=OwnerType.PERSON, person_id__in=scope.person_ids)
            | Q(owner_type=OwnerType.TEAM, team_id__in=scope.team_ids)
            | Q(owner_type=OwnerType.REGION, region_id__in=scope.region_ids)
        )


class AnnualTarget(models.Model):
    """A unit's target for a plan's whole year: the whole its months and children split."""

    plan = models.ForeignKey(
        SalesPlan, verbose_name=_("sales plan"), on_delete=models.CASCADE, related_name="annual"
    )
    owner_type = models.CharField(_("owner type"), max_length=10, choices=OwnerType.choices)
    person = models.ForeignKey(
        "org.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="annual_targets",
    )
    team = models.ForeignKey(
        "org.Team",
        verbose_name=_("team"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="annual_targets",
    )
    region = models.ForeignKey(
        "org.Region",
        verbose_name=_("region"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="annual_targets",
    )
    metric = models.CharField(_("metric"), max_length=20, choices=Metric.choices)
    realistic = MoneyField(_("realistic target"))
    ideal = MoneyField(_("ideal target"))

    objects = AnnualTargetQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["plan", "owner_type", "metric", "id"]
        verbose_name = _("annual target")
        verbose_name_plural = _("annual targets")
        constraints = [
            *_owner_constraints(
                "annual_target", owner_types=tuple(OwnerType.values), unique_on=("metric",)
            ),
            models.CheckConstraint(
                condition=Q(realistic__gte=0) & Q(ideal__gte=models.F("realistic")),
                name="annual_target_ideal_not_below_realistic",
                violation_error_message=_("The ideal target cannot be below the realistic one."),
            ),
        ]

    def __str__(self) -> str:
        owner = self.person or self.team or self.region
        return f"{owner.code if owner else '—'} {self.plan.year} {self.get_metric_display()}"


class DecompositionQuerySet(ScopedQuerySet):
    """A unit's decomposition is seen by those who see the unit's targets."""

    domain = Domain.SALES

    def scope_q(self, scope: Scope) -> Q:
        return Q(owner_type=OwnerType.TEAM, team_id__in=scope.team_ids) | Q(
            owner_type=OwnerType.REGION, region_id__in=scope.region_ids
        )


class Decomposition(models.Model):
    """Whether a unit's leader has published the decomposition of its targets in a plan."""

    plan = models.ForeignKey(
        SalesPlan,
        verbose_name=_("sales plan"),
        on_delete=models.CASCADE,
        related_name="decompositions",
    )
    owner_type = models.CharField(_("owner type"), max_length=10, choices=OwnerType.choices)
    team = models.ForeignKey(
        "org.Team",
        verbose_name=_("team"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="decompositions",
    )
    region = models.ForeignKey(
        "org.Region",
        verbose_name=_("region"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="decompositions",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    published_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = DecompositionQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["plan", "owner_type", "id"]
        verbose_name = _("decomposition")
        verbose_name_plural = _("decompositions")
        constraints = [
            *_owner_constraints(
                "decomposition",
                owner_types=(OwnerType.TEAM, OwnerType.REGION, OwnerType.COMPANY),
                unique_on=(),
            ),
        ]

    def __str__(self) -> str:
        owner = self.team or self.region
        return f"{owner.code if owner else '—'} {self.plan.year} {self.get_status_display()}"
