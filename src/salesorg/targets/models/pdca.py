"""PDCA cycles (S8) with measures, checks and problems, and the standards library (标准/制度)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy
from simple_history.models import HistoricalRecords

from salesorg.core.audit import AuditedHistory
from salesorg.core.fields import MoneyField
from salesorg.core.scoping import Domain, Scope, ScopedQuerySet
from salesorg.targets.choices import Metric, OwnerType

__all__ = [
    "CauseCategory",
    "PdcaCheck",
    "PdcaMeasure",
    "PdcaPlan",
    "PdcaPlanQuerySet",
    "PdcaProblem",
    "PdcaStatus",
    "Standard",
    "StandardCategory",
    "StandardQuerySet",
    "StandardVersion",
    "StandardVersionQuerySet",
]


class PdcaStatus(models.TextChoices):
    """The stage of a PDCA cycle, in order."""

    PLAN = "plan", _("Plan")
    DO = "do", _("Do")
    CHECK = "check", _("Check")
    ACT = "act", _("Act")
    CLOSED = "closed", pgettext_lazy("PDCA status", "Closed")


class CauseCategory(models.TextChoices):
    """What a problem's cause is about."""

    PEOPLE = "people", _("People and skills")
    METHOD = "method", _("Method and process")
    PRODUCT = "product", _("Product")
    PRICE = "price", _("Price and terms")
    CUSTOMER = "customer", _("Customers and market")
    COMPETITOR = "competitor", _("Competitors")
    RESOURCES = "resources", _("Resources and budget")
    OTHER = "other", _("Other")


class StandardCategory(models.TextChoices):
    """What a standard (标准/制度) governs."""

    SALES_PROCESS = "sales_process", _("Sales process")
    CUSTOMERS = "customers", _("Customer management")
    TARGETS = "targets", _("Targets and planning")
    EXPENSES = "expenses", _("Expenses")
    TRAINING = "training", _("Training and development")
    OTHER = "other", _("Other")


def unit_scope_q(scope: Scope, prefix: str = "") -> Q:
    """Plans of a person, team or region in scope (as for targets); company plans need full view."""
    return (
        Q(**{f"{prefix}unit_type": OwnerType.PERSON, f"{prefix}person_id__in": scope.person_ids})
        | Q(**{f"{prefix}unit_type": OwnerType.TEAM, f"{prefix}team_id__in": scope.team_ids})
        | Q(**{f"{prefix}unit_type": OwnerType.REGION, f"{prefix}region_id__in": scope.region_ids})
    )


class PdcaPlanQuerySet(ScopedQuerySet):
    domain = Domain.SALES

    def scope_q(self, scope: Scope) -> Q:
        return unit_scope_q(scope)


class PdcaPlan(models.Model):
    """A PDCA cycle for one unit and period: the plan (objective and measures) and its stage."""

    title = models.CharField(pgettext_lazy("record heading", "title"), max_length=200)
    unit_type = models.CharField(_("unit type"), max_length=10, choices=OwnerType.choices)
    person = models.ForeignKey(
        "org.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pdca_plans",
    )
    team = models.ForeignKey(
        "org.Team",
        verbose_name=_("team"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pdca_plans",
    )
    region = models.ForeignKey(
        "org.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pdca_plans",
    )
    owner = models.ForeignKey(
        "org.Person",
        verbose_name=pgettext_lazy("responsible person", "owner"),
        on_delete=models.PROTECT,
        related_name="owned_pdca_plans",
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    objective = models.TextField(_("objective"))
    status = models.CharField(
        _("status"), max_length=10, choices=PdcaStatus.choices, default=PdcaStatus.PLAN
    )
    lesson = models.TextField(_("lesson learned"), blank=True)
    # Open action items kept open past the close: [{"action_item_id": id, "note": text}, ...]
    carried_over = models.JSONField(_("carried over"), default=list, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = PdcaPlanQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["-period_start", "-id"]
        verbose_name = _("PDCA plan")
        verbose_name_plural = _("PDCA plans")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(unit_type=OwnerType.PERSON, person__isnull=False, team__isnull=True,
                      region__isnull=True)
                    | Q(unit_type=OwnerType.TEAM, person__isnull=True, team__isnull=False,
                        region__isnull=True)
                    | Q(unit_type=OwnerType.REGION, person__isnull=True, team__isnull=True,
                        region__isnull=False)
                    | Q(unit_type=OwnerType.COMPANY, person__isnull=True, team__isnull=True,
                        region__isnull=True)
                ),
                name="pdca_plan_unit_matches_type",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="pdca_plan_period_order",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("targets:pdca_plan", args=[self.pk])

    @property
    def unit(self):
        """The person, team or region the plan is for (None for the company)."""
        return self.person or self.team or self.region

    @property
    def unit_label(self) -> str:
        unit = self.unit
        return str(unit) if unit is not None else str(_("Company"))


class PdcaChildQuerySet(ScopedQuerySet):
    """Parts of a plan are visible with their plan."""

    domain = Domain.SALES

    def scope_q(self, scope: Scope) -> Q:
        return unit_scope_q(scope, prefix="plan__")


class PdcaMeasure(models.Model):
    """A measure of the plan: what is done, towards which metric and value, by when."""

    plan = models.ForeignKey(
        PdcaPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="measures"
    )
    what = models.CharField(_("what"), max_length=200)
    metric = models.CharField(_("metric"), max_length=20, choices=Metric.choices, blank=True)
    target_value = MoneyField(_("target value"), null=True, blank=True)
    due_date = models.DateField(_("due date"))
    owner = models.ForeignKey(
        "org.Person",
        verbose_name=pgettext_lazy("responsible person", "owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = PdcaChildQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("PDCA measure")
        verbose_name_plural = _("PDCA measures")

    def __str__(self) -> str:
        return self.what

    def get_absolute_url(self) -> str:
        return self.plan.get_absolute_url()


class PdcaCheck(models.Model):
    """A check of the plan: results against plan, the actual values pulled from the indicators."""

    plan = models.ForeignKey(
        PdcaPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="checks"
    )
    checked_on = models.DateField(_("checked on"))
    checked_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("checked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    summary = models.TextField(_("summary"), blank=True)
    results = models.JSONField(_("results"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = PdcaChildQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["-checked_on", "-id"]
        verbose_name = _("PDCA check")
        verbose_name_plural = _("PDCA checks")

    def __str__(self) -> str:
        return f"{self.plan} {self.checked_on}"

    def get_absolute_url(self) -> str:
        return self.plan.get_absolute_url()


class PdcaProblem(models.Model):
    """A problem found in a check, with its cause; action items come from it."""

    plan = models.ForeignKey(
        PdcaPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="problems"
    )
    check_record = models.ForeignKey(
        PdcaCheck,
        verbose_name=_("check"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="problems",
    )
    description = models.TextField(_("problem"))
    cause_category = models.CharField(
        _("cause category"), max_length=20, choices=CauseCategory.choices
    )
    cause = models.TextField(_("cause"))
    created_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = PdcaChildQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["id"]
        verbose_name = _("PDCA problem")
        verbose_name_plural = _("PDCA problems")

    def __str__(self) -> str:
        return self.description[:60]

    def get_absolute_url(self) -> str:
        return self.plan.get_absolute_url()


class StandardQuerySet(ScopedQuerySet):
    """Published standards for everyone logged in; drafts for director, admin and proposer."""

    domain = Domain.PERSONNEL

    def scope_q(self, scope: Scope) -> Q:
        return Q(is_published=True) | Q(proposed_by_id=scope.person_id)


class Standard(models.Model):
    """A standard or rule (标准/制度) of the company, with numbered versions."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(pgettext_lazy("record heading", "title"), max_length=200)
    category = models.CharField(
        pgettext_lazy("category of a record", "category"),
        max_length=20,
        choices=StandardCategory.choices,
    )
    is_published = models.BooleanField(_("published"), default=False)
    proposed_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("proposed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = StandardQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["category", "code"]
        verbose_name = _("standard")
        verbose_name_plural = _("standards")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("targets:standard", args=[self.pk])


class StandardVersionQuerySet(ScopedQuerySet):
    """Approved versions for everyone logged in; drafts for director, admin and proposer."""

    domain = Domain.PERSONNEL

    def scope_q(self, scope: Scope) -> Q:
        return Q(approved_by__isnull=False) | Q(proposed_by_id=scope.person_id)

    def approved(self) -> StandardVersionQuerySet:
        return self.filter(approved_by__isnull=False)


class StandardVersion(models.Model):
    """One numbered text of a standard; in force from its effective date once approved."""

    standard = models.ForeignKey(
        Standard, verbose_name=_("standard"), on_delete=models.CASCADE, related_name="versions"
    )
    # Given at approval, in order; a draft has none yet.
    number = models.PositiveSmallIntegerField(_("version"), null=True, blank=True)
    body = models.TextField(_("text"))
    effective_date = models.DateField(_("effective date"), null=True, blank=True)
    approved_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    proposed_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("proposed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    lesson_plan = models.ForeignKey(
        PdcaPlan,
        verbose_name=_("lesson from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="standard_versions",
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("based on"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = StandardVersionQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["standard", models.F("number").desc(nulls_first=True), "-id"]
        verbose_name = _("standard version")
        verbose_name_plural = _("standard versions")
        constraints = [
            models.UniqueConstraint(fields=["standard", "number"], name="standard_version_unique"),
            models.UniqueConstraint(
                fields=["standard", "proposed_by"],
                condition=Q(approved_by__isnull=True),
                name="standard_one_draft_per_author",
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | Q(number__isnull=False),
                name="standard_version_approved_has_number",
            ),
        ]

    def __str__(self) -> str:
        if self.number is None:
            return f"{self.standard.code} {pgettext('not yet published', 'Draft')}"
        return f"{self.standard.code} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("targets:standard_version", args=[self.pk])

    @property
    def is_approved(self) -> bool:
        return self.approved_by_id is not None
