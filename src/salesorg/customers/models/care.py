"""Care of customers: lifecycle and reward settings, rewards, referrals and satisfaction."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from salesorg.core.audit import AuditedHistory
from salesorg.core.fields import MoneyField
from salesorg.core.scoping import Domain, Scope, ScopedQuerySet
from salesorg.customers.choices import RewardKind, SurveySource

__all__ = [
    "CareSettings",
    "CustomerScopedQuerySet",
    "Referral",
    "Reward",
    "SatisfactionSurvey",
    "SurveyLink",
]


class CustomerScopedQuerySet(ScopedQuerySet):
    """Records of a customer: visible to whoever sees the customer's owner."""

    domain = Domain.CUSTOMERS

    def scope_q(self, scope: Scope) -> Q:
        return Q(customer__owner_id__in=scope.person_ids)


class CareSettings(models.Model):
    """The one row of lifecycle thresholds and the reward share an admin sets."""

    established_after_months = models.PositiveSmallIntegerField(
        _("established after months of buying"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("A customer whose first order is at least this old is established."),
    )
    dormant_after_days = models.PositiveSmallIntegerField(
        _("dormant after days without an order"),
        default=90,
        validators=[MinValueValidator(1)],
    )
    lost_after_days = models.PositiveSmallIntegerField(
        _("lost after days without an order"),
        default=365,
        validators=[MinValueValidator(1)],
    )
    reward_share_percent = models.DecimalField(
        _("reward budget share of gross margin (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("2.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_(
            "An established customer's reward budget is this share of the gross margin "
            "it brought in the last 12 months."
        ),
    )

    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        verbose_name = _("customer care settings")
        verbose_name_plural = _("customer care settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(lost_after_days__gt=models.F("dormant_after_days")),
                name="care_settings_lost_after_dormant",
                violation_error_message=_("A customer must be dormant before it is lost."),
            )
        ]

    def __str__(self) -> str:
        return str(_("Customer care settings"))

    @classmethod
    def current(cls) -> "CareSettings":
        """The settings row (created with the defaults on first use)."""
        obj = cls.objects.order_by("pk").first()
        return obj if obj is not None else cls.objects.create()


class SatisfactionSurvey(models.Model):
    """A short satisfaction survey (S4) after a visit or service call."""

    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="surveys",
    )
    visit = models.ForeignKey(
        "sales.Visit",
        verbose_name=pgettext_lazy("customer visit", "visit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="surveys",
    )
    surveyed_on = models.DateField(_("survey date"))
    overall = models.PositiveSmallIntegerField(
        _("satisfaction (1–5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    recommend = models.PositiveSmallIntegerField(
        _("would recommend (0–10)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(10)],
        help_text=_("How likely the customer would recommend us (0–10); asked by survey link."),
    )
    comment = models.TextField(_("comment"), blank=True)
    source = models.CharField(
        _("answered by"),
        max_length=20,
        choices=SurveySource.choices,
        default=SurveySource.REP,
        db_index=True,
    )
    contact = models.ForeignKey(
        "customers.Contact",
        verbose_name=_("contact"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="surveys",
    )
    recorded_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = CustomerScopedQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["-surveyed_on", "-id"]
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        indexes = [models.Index(fields=["customer", "surveyed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(overall__gte=1) & Q(overall__lte=5), name="survey_overall_1_5"
            ),
            models.CheckConstraint(
                condition=Q(recommend__isnull=True) | Q(recommend__lte=10),
                name="survey_recommend_0_10",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.surveyed_on}: {self.overall}"


class SurveyLink(models.Model):
    """A satisfaction survey sent to a customer's contact as a signed, expiring, single-use
    link (S4): answered once without a login, it becomes the customer's own survey."""

    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="survey_links",
    )
    contact = models.ForeignKey(
        "customers.Contact",
        verbose_name=_("contact"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_links",
    )
    # Random; the signed token carries it, so a link cannot be forged from an id.
    nonce = models.CharField(max_length=32, editable=False)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The language the survey opens in; blank: the contact's browser language."),
    )
    created_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    survey = models.OneToOneField(
        SatisfactionSurvey,
        verbose_name=_("satisfaction survey"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="link",
    )

    objects = CustomerScopedQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("survey link")
        verbose_name_plural = _("survey links")
        indexes = [models.Index(fields=["customer", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="survey_link_expires_after_creation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.created_at:%Y-%m-%d}"


class Reward(models.Model):
    """A reward given to an old customer, drawn against its reward budget (S16)."""

    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="rewards",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=RewardKind.choices)
    value = MoneyField(pgettext_lazy("money", "value"))
    granted_on = models.DateField(_("date"))
    # Empty while the reward awaits approval; set by the approver's own approval (S16).
    approved_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_rewards",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = CustomerScopedQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["-granted_on", "-id"]
        verbose_name = _("reward")
        verbose_name_plural = _("rewards")
        indexes = [models.Index(fields=["customer", "granted_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(value__gt=0), name="reward_value_positive")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value} ({self.granted_on})"

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None


class ReferralQuerySet(ScopedQuerySet):
    domain = Domain.CUSTOMERS

    def scope_q(self, scope: Scope) -> Q:
        return Q(referrer__owner_id__in=scope.person_ids)


class Referral(models.Model):
    """Customer A (referrer) introduced customer B (referred) to the company."""

    referrer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("introduced by"),
        on_delete=models.CASCADE,
        related_name="referrals_made",
    )
    referred = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("introduced customer"),
        on_delete=models.CASCADE,
        related_name="referrals_received",
    )
    referred_on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ReferralQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["-referred_on", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.UniqueConstraint(fields=["referred"], name="referral_one_referrer"),
            models.CheckConstraint(
                condition=~Q(referrer=models.F("referred")), name="referral_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.referrer_id} → {self.referred_id}"
