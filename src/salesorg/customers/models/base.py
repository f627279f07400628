"""Customers and their contacts (stakeholders are built on contacts)."""

from datetime import date

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from salesorg.core.audit import AuditedHistory
from salesorg.core.fields import CodeField, MoneyField
from salesorg.core.scoping import Domain, Scope, ScopedQuerySet
from salesorg.customers.choices import Attitude, ContactRole, ContactStatus, LifecycleStage


class CustomerQuerySet(ScopedQuerySet):
    domain = Domain.CUSTOMERS
    person_field = "owner"


class Customer(models.Model):
    """A customer (or prospect) owned by a rep."""

    code = CodeField(_("code"))
    name = models.CharField(_("name"), max_length=200)
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    region = models.ForeignKey(
        "org.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="customers",
    )
    owner = models.ForeignKey(
        "org.Person",
        verbose_name=pgettext_lazy("responsible person", "owner"),
        on_delete=models.PROTECT,
        related_name="customers",
    )
    created_date = models.DateField(_("created date"))
    credit_limit = MoneyField(_("credit limit"), null=True, blank=True)
    lifecycle_stage = models.CharField(
        _("lifecycle stage"),
        max_length=20,
        choices=LifecycleStage.choices,
        default=LifecycleStage.PROSPECT,
        db_index=True,
    )
    lifecycle_since = models.DateField(_("in this stage since"), null=True, blank=True)
    # Where the customer is: set by hand, or from the first visit checked in there.
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    version = models.PositiveIntegerField(
        _("version"), default=1, editable=False, help_text=_("Raised by one at every change.")
    )

    objects = CustomerQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["code"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        indexes = [models.Index(fields=["owner", "created_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(credit_limit__isnull=True) | Q(credit_limit__gte=0),
                name="customer_credit_limit_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__isnull=False,
                    longitude__isnull=False,
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="customer_location_whole",
                violation_error_message=_(
                    "A location has both a latitude (−90 to 90) and a longitude (−180 to 180)."
                ),
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(name)s (%(code)s)") % {"name": self.name, "code": self.code}

    def get_absolute_url(self) -> str:
        return reverse("customers:customer", args=[self.pk])


class ContactQuerySet(ScopedQuerySet):
    domain = Domain.CUSTOMERS

    def scope_q(self, scope: Scope) -> Q:
        return Q(customer__owner_id__in=scope.person_ids)

    def active_on(self, day: date) -> "ContactQuerySet":
        """Contacts still at their customer on `day`: those who left on or before it are not."""
        return self.filter(_active_on_q(day))

    def left_by(self, day: date) -> "ContactQuerySet":
        """Contacts who had left their customer on or before `day`."""
        return self.exclude(_active_on_q(day))


def _active_on_q(day: date) -> Q:
    # A contact marked as gone without a date counts as gone on any day.
    return Q(left_on__gt=day) | Q(left_on__isnull=True, status=ContactStatus.ACTIVE)


class Contact(models.Model):
    """A person at a customer: name, title, role in the buying decision, how to reach them."""

    code = CodeField(_("code"))
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=100)
    title = models.CharField(pgettext_lazy("job title", "title"), max_length=100, blank=True)
    role = models.CharField(
        _("buying role"), max_length=20, choices=ContactRole.choices, blank=True
    )
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    influence = models.PositiveSmallIntegerField(
        _("influence (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    attitude = models.CharField(_("attitude"), max_length=20, choices=Attitude.choices, blank=True)
    needs = models.TextField(_("needs"), blank=True)
    response = models.TextField(_("our response within policy"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ContactStatus.choices, default=ContactStatus.ACTIVE
    )
    left_on = models.DateField(_("left on"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaces",
    )

    version = models.PositiveIntegerField(
        _("version"), default=1, editable=False, help_text=_("Raised by one at every change.")
    )

    objects = ContactQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["code"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.CheckConstraint(
                condition=Q(influence__isnull=True) | Q(influence__gte=1, influence__lte=5),
                name="contact_influence_1_5",
            )
        ]

    def __str__(self) -> str:
        return gettext("%(name)s (%(customer)s)") % {
            "name": self.name,
            "customer": self.customer.name,
        }

    def get_absolute_url(self) -> str:
        return reverse("customers:contact", args=[self.pk])

    @property
    def is_key(self) -> bool:
        """A key stakeholder: the decision maker, or influence 4 or more."""
        return self.role == ContactRole.DECISION_MAKER or (self.influence or 0) >= 4
