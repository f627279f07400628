"""Customer evaluation (S19) and credit control: the scoring model, evaluations with their
factor breakdown, root-cause records of downgrades and credit approvals of orders."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from salesorg.core.audit import AuditedHistory
from salesorg.core.fields import MoneyField
from salesorg.core.roles import COMPANY_WIDE, UNIT_LEADERS, role_of
from salesorg.core.scoping import Domain, Scope, ScopedQuerySet, scope_for
from salesorg.core.stored_text import stored_text

__all__ = [
    "CauseCategory",
    "CreditApproval",
    "CreditApprovalQuerySet",
    "CreditApprovalStatus",
    "CustomerEvaluation",
    "CustomerEvaluationQuerySet",
    "Rating",
    "RatingRule",
    "RootCause",
    "RootCauseQuerySet",
    "RootCauseStatus",
    "ScoringModel",
]


class Rating(models.TextChoices):
    """Credit ratings, best first (信用等级); `unrated` for a customer with too little
    history to be rated (未评级)."""

    AAA = "AAA", "AAA"
    AA = "AA", "AA"
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    UNRATED = "unrated", pgettext_lazy("customer credit", "Unrated")

    @classmethod
    def rank(cls, rating: str | None) -> int:
        """5 for AAA down to 1 for C (0 for unrated or no rating): a higher rank is a better
        rating."""
        order = [cls.C, cls.B, cls.A, cls.AA, cls.AAA]
        return order.index(rating) + 1 if rating in order else 0


class RatingRule(models.TextChoices):
    """Why an evaluation's rating is what it is: the score, or a rule that overrides it."""

    SCORE = "score", _("By score")
    NEW_CUSTOMER = "new_customer", _("Too little history: unrated, provisional limit")
    DORMANT = "dormant", _("Dormant: rating capped")


class RootCauseStatus(models.TextChoices):
    OPEN = "open", _("To complete")
    SUBMITTED = "submitted", _("To review")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")


class CauseCategory(models.TextChoices):
    PAYMENT = "payment", _("Payment difficulties")
    DEMAND = "demand", _("Falling demand")
    COMPETITOR = "competitor", _("Competitor")
    SERVICE = "service", _("Service or quality problem")
    RELATIONSHIP = "relationship", _("Relationship or stakeholder change")
    INTERNAL = "internal", _("Our own neglect")
    OTHER = "other", _("Other")


class CreditApprovalStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("No longer needed")


def _percent(**kwargs):
    return models.PositiveSmallIntegerField(
        validators=[MinValueValidator(0), MaxValueValidator(100)], **kwargs
    )


class ScoringModel(models.Model):
    """The customer evaluation's scoring model: factor weights, scales, rating thresholds and
    credit-limit multiples (one row, edited by director or admin)."""

    weight_overdue_share = models.PositiveSmallIntegerField(
        _("weight: overdue share of receivables"), default=25
    )
    weight_days_late = models.PositiveSmallIntegerField(_("weight: average days late"), default=15)
    weight_sales_trend = models.PositiveSmallIntegerField(_("weight: sales trend"), default=20)
    weight_margin = models.PositiveSmallIntegerField(_("weight: gross-margin rate"), default=15)
    weight_visits = models.PositiveSmallIntegerField(_("weight: visit engagement"), default=10)
    weight_satisfaction = models.PositiveSmallIntegerField(_("weight: satisfaction"), default=15)
    days_late_worst = models.PositiveSmallIntegerField(
        _("days late that score nothing"),
        default=90,
        validators=[MinValueValidator(1)],
        help_text=_("An average this many days late or more gives the factor no points."),
    )
    margin_rate_best = models.DecimalField(
        _("gross-margin rate that scores in full"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.30"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1"))],
    )
    visits_best = models.PositiveSmallIntegerField(
        _("visits in 90 days that score in full"), default=6, validators=[MinValueValidator(1)]
    )
    threshold_aaa = _percent(verbose_name=_("lowest score for AAA"), default=85)
    threshold_aa = _percent(verbose_name=_("lowest score for AA"), default=70)
    threshold_a = _percent(verbose_name=_("lowest score for A"), default=55)
    threshold_b = _percent(verbose_name=_("lowest score for B"), default=40)
    months_aaa = models.DecimalField(
        _("credit limit for AAA, in months of sales"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("3"),
    )
    months_aa = models.DecimalField(
        _("credit limit for AA, in months of sales"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("2"),
    )
    months_a = models.DecimalField(
        _("credit limit for A, in months of sales"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("1.5"),
    )
    months_b = models.DecimalField(
        _("credit limit for B, in months of sales"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("1"),
    )
    months_c = models.DecimalField(
        _("credit limit for C, in months of sales"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("0"),
    )
    unrated_months = models.PositiveSmallIntegerField(
        _("months of buying before a customer is rated"),
        default=6,
        help_text=_("A customer whose first confirmed order is more recent than this is unrated."),
    )
    unrated_invoices = models.PositiveSmallIntegerField(
        _("invoices before a customer is rated"),
        default=3,
        help_text=_("A customer with fewer invoices than this is unrated."),
    )
    new_customer_limit = MoneyField(
        _("provisional credit limit of an unrated customer"),
        default=Decimal("50000.00"),
        help_text=_(
            "An unrated customer is suggested the lower of this and its current credit limit."
        ),
    )
    dormant_best_rating = models.CharField(
        _("best rating of a dormant customer"),
        max_length=10,
        choices=[(r.value, r.label) for r in (Rating.AA, Rating.A, Rating.B, Rating.C)],
        default=Rating.A,
        help_text=_(
            "A customer without an order for the lifecycle's dormant days is rated no better."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        verbose_name = _("customer scoring model")
        verbose_name_plural = _("customer scoring models")
        constraints = [
            models.CheckConstraint(
                condition=Q(threshold_aaa__gt=models.F("threshold_aa"))
                & Q(threshold_aa__gt=models.F("threshold_a"))
                & Q(threshold_a__gt=models.F("threshold_b")),
                name="scoring_thresholds_descending",
            )
        ]

    def __str__(self) -> str:
        return str(_("Customer scoring model"))

    @classmethod
    def current(cls) -> ScoringModel:
        """The scoring model in force (created with the defaults the first time)."""
        model = cls.objects.order_by("pk").first()
        return model if model is not None else cls.objects.create()


class CustomerEvaluationQuerySet(ScopedQuerySet):
    domain = Domain.CUSTOMERS

    def scope_q(self, scope: Scope) -> Q:
        return Q(customer__owner_id__in=scope.person_ids)


class CustomerEvaluation(models.Model):
    """One evaluation of a customer as of a date: score, rating, suggested credit limit and the
    factor breakdown (a computed snapshot: the rows themselves are the history)."""

    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="evaluations",
    )
    as_of = models.DateField(_("as of"))
    score = models.DecimalField(_("score"), max_digits=4, decimal_places=1)
    rating = models.CharField(
        pgettext_lazy("customer credit", "rating"), max_length=10, choices=Rating.choices
    )
    previous_rating = models.CharField(
        _("previous rating"), max_length=10, choices=Rating.choices, blank=True
    )
    rating_rule = models.CharField(
        _("rating rule"), max_length=20, choices=RatingRule.choices, default=RatingRule.SCORE
    )
    suggested_credit_limit = MoneyField(_("suggested credit limit"))
    credit_limit = MoneyField(
        _("credit limit when evaluated"),
        null=True,
        blank=True,
        help_text=_("The customer's credit limit on the day of the evaluation."),
    )
    factors = models.JSONField(_("factors"), default=dict)
    evaluated_at = models.DateTimeField(_("evaluated at"), auto_now=True)

    objects = CustomerEvaluationQuerySet.as_manager()

    class Meta:
        ordering = ["-as_of", "customer"]
        verbose_name = _("customer evaluation")
        verbose_name_plural = _("customer evaluations")
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "as_of"], name="customer_evaluation_unique_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.as_of:%Y-%m-%d} {self.rating}"

    def get_absolute_url(self) -> str:
        return reverse("customers:evaluation", args=[self.pk])

    @property
    def is_downgrade(self) -> bool:
        """A rating worse than the previous one (unrated is never a downgrade)."""
        return (
            bool(self.previous_rating)
            and Rating.rank(self.rating) > 0
            and Rating.rank(self.rating) < Rating.rank(self.previous_rating)
        )


class RootCauseQuerySet(ScopedQuerySet):
    domain = Domain.CUSTOMERS
    person_field = "owner"

    def unresolved(self) -> RootCauseQuerySet:
        return self.exclude(status=RootCauseStatus.ACCEPTED)

    def to_review_by(self, user) -> RootCauseQuerySet:
        """Submitted root causes the user reviews: as the named reviewer, or as a leader
        above the owner (director and admin: all)."""
        submitted = self.filter(status=RootCauseStatus.SUBMITTED)
        role = role_of(user)
        if role in COMPANY_WIDE:
            return submitted
        scope = scope_for(user)
        if scope.person_id is None:
            return self.none()
        reviewed = Q(reviewer_id=scope.person_id)
        if role in UNIT_LEADERS:
            reviewed |= Q(owner_id__in=scope.person_ids)
        return submitted.filter(reviewed).exclude(owner_id=scope.person_id)


class RootCause(models.Model):
    """The root-cause record of a downgrade: the owner completes it (cause, explanation,
    action plan); the manager reviews it (accepts it or returns it with a comment)."""

    evaluation = models.OneToOneField(
        CustomerEvaluation,
        verbose_name=_("evaluation"),
        on_delete=models.CASCADE,
        related_name="root_cause",
    )
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="root_causes",
    )
    owner = models.ForeignKey(
        "org.Person",
        verbose_name=pgettext_lazy("responsible person", "owner"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewer = models.ForeignKey(
        "org.Person",
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RootCauseStatus.choices, default=RootCauseStatus.OPEN
    )
    from_rating = models.CharField(_("from rating"), max_length=10, choices=Rating.choices)
    to_rating = models.CharField(_("to rating"), max_length=10, choices=Rating.choices)
    cause_category = models.CharField(
        _("cause category"), max_length=20, choices=CauseCategory.choices, blank=True
    )
    explanation = models.TextField(_("explanation"), blank=True)
    # The plan as first written (free text); the tracked plan is its action items.
    action_plan = models.TextField(_("action plan (context)"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    recovery_evaluation = models.ForeignKey(
        CustomerEvaluation,
        verbose_name=_("next evaluation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The first evaluation after the downgrade, which says if it recovered."),
    )
    recovered = models.BooleanField(
        _("recovered"),
        null=True,
        blank=True,
        help_text=_("Back to the rating before the downgrade, or better, at the next evaluation."),
    )
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True)

    objects = RootCauseQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("downgrade root cause")
        verbose_name_plural = _("downgrade root causes")
        indexes = [models.Index(fields=["status", "owner"]), models.Index(fields=["reviewer"])]

    def __str__(self) -> str:
        return f"{self.customer} {self.from_rating}→{self.to_rating}"

    def get_absolute_url(self) -> str:
        return reverse("customers:root_cause", args=[self.pk])


class CreditApprovalQuerySet(ScopedQuerySet):
    domain = Domain.SALES

    def scope_q(self, scope: Scope) -> Q:
        return Q(order__rep_id__in=scope.person_ids)


class CreditApproval(models.Model):
    """An order held for credit approval: why, the figures at the time, and the decision."""

    order = models.OneToOneField(
        "sales.Order",
        verbose_name=_("order"),
        on_delete=models.CASCADE,
        related_name="credit_approval",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CreditApprovalStatus.choices,
        default=CreditApprovalStatus.PENDING,
    )
    reasons = models.TextField(_("reasons"))
    # Why the order is held, as stored message keys with parameters (`reason_texts` shows
    # them in the reader's language); `reasons` keeps the sentences as first written.
    reason_keys = models.JSONField(_("reason keys"), default=list, blank=True, editable=False)
    order_amount = MoneyField(_("order amount"))
    open_receivables = MoneyField(_("open receivables"))
    overdue_over_90 = MoneyField(_("overdue more than 90 days"))
    credit_limit = MoneyField(_("credit limit"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    objects = CreditApprovalQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("credit approval")
        verbose_name_plural = _("credit approvals")
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.order_id} {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return reverse("customers:credit_approval", args=[self.pk])

    @property
    def reason_texts(self) -> list[str]:
        """Why the order is held, one sentence per reason, in the reader's language."""
        if self.reason_keys:
            return [
                stored_text(reason.get("key", ""), reason.get("params"))
                for reason in self.reason_keys
            ]
        return [line for line in self.reasons.splitlines() if line.strip()]
