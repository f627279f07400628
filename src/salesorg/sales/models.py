"""Sales records: categories, products, orders and lines, invoices, payments, visits, expenses.

Every fact belongs to a person (its rep; a payment through its invoice), which is
how it is scoped and how KPI.md attributes it to teams and regions.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from salesorg.core.audit import AuditedHistory
from salesorg.core.fields import CodeField, MoneyField, QuantityField
from salesorg.core.scoping import NOTHING, Domain, Scope, ScopedQuerySet, scope_for
from salesorg.core.stored_text import in_reader_language
from salesorg.sales.choices import OrderStatus, VisitKind


class CatalogueQuerySet(ScopedQuerySet):
    """Categories and products are the company's catalogue: everyone in the company sees it."""

    def visible_to(self, user):
        if scope_for(user) is NOTHING:
            return self.none()
        return self.all()


class Category(models.Model):
    """A product category; focus categories are the ones the company pushes (重点产品)."""

    code = CodeField(_("code"))
    name = models.CharField(_("name"), max_length=100)
    focus = models.BooleanField(_("focus category"), default=False)

    objects = CatalogueQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["code"]
        verbose_name = pgettext_lazy("product category", "category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    """A product of a category, with list price and standard cost."""

    code = CodeField(_("code"))
    name = models.CharField(_("name"), max_length=200)
    category = models.ForeignKey(
        Category,
        verbose_name=pgettext_lazy("product category", "category"),
        on_delete=models.PROTECT,
        related_name="products",
    )
    list_price = MoneyField(_("list price"), null=True, blank=True)
    standard_cost = MoneyField(_("standard cost"), null=True, blank=True)

    objects = CatalogueQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["code"]
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


# The history rows of the big fact tables are read by record (`id`) and by date only:
# they get no index on their codes and references (`no_db_index`), which a bulk import
# would otherwise build and every write maintain.


class RepScopedQuerySet(ScopedQuerySet):
    domain = Domain.SALES
    person_field = "rep"


class Order(models.Model):
    """A customer's order taken by a rep; only confirmed orders count."""

    code = CodeField(_("code"))
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="orders",
    )
    rep = models.ForeignKey(
        "org.Person", verbose_name=_("rep"), on_delete=models.PROTECT, related_name="orders"
    )
    order_date = models.DateField(_("order date"))
    status = models.CharField(
        _("status"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.CONFIRMED
    )

    objects = RepScopedQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory], no_db_index=["code", "customer", "rep"])

    class Meta:
        ordering = ["-order_date", "code"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        indexes = [
            models.Index(fields=["rep", "order_date"]),
            models.Index(fields=["customer", "order_date"]),
            models.Index(fields=["order_date"]),
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("sales:order", args=[self.pk])


class OrderLineQuerySet(ScopedQuerySet):
    domain = Domain.SALES

    def scope_q(self, scope: Scope) -> Q:
        return Q(order__rep_id__in=scope.person_ids)


class OrderLine(models.Model):
    """A line of an order: amount and cost are line totals; gross margin = amount − cost."""

    # No index of its own: the unique (order, line_no) index serves lookups by order.
    order = models.ForeignKey(
        Order,
        verbose_name=_("order"),
        on_delete=models.CASCADE,
        related_name="lines",
        db_index=False,
    )
    line_no = models.PositiveIntegerField(_("line number"))
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="order_lines"
    )
    quantity = QuantityField(_("quantity"))
    amount = MoneyField(pgettext_lazy("money", "amount"))
    cost = MoneyField(_("cost"))

    objects = OrderLineQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory], no_db_index=["order", "product"])

    class Meta:
        ordering = ["order", "line_no"]
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        constraints = [
            models.UniqueConstraint(fields=["order", "line_no"], name="order_line_unique_no"),
            models.CheckConstraint(
                condition=Q(quantity__gte=0) & Q(amount__gte=0) & Q(cost__gte=0),
                name="order_line_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}/{self.line_no}"

    @property
    def gross_margin(self):
        return self.amount - self.cost


class InvoiceQuerySet(ScopedQuerySet):
    domain = Domain.RECEIVABLES
    person_field = "rep"


class Invoice(models.Model):
    """An invoice: a receivable of the rep's, due on its due date."""

    code = CodeField(_("code"))
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    rep = models.ForeignKey(
        "org.Person", verbose_name=_("rep"), on_delete=models.PROTECT, related_name="invoices"
    )
    order = models.ForeignKey(
        Order,
        verbose_name=_("order"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoices",
    )
    invoice_date = models.DateField(_("invoice date"))
    due_date = models.DateField(_("due date"))
    amount = MoneyField(pgettext_lazy("money", "amount"))

    objects = InvoiceQuerySet.as_manager()
    history = HistoricalRecords(
        bases=[AuditedHistory], no_db_index=["code", "customer", "rep", "order"]
    )

    class Meta:
        ordering = ["-invoice_date", "code"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        indexes = [
            models.Index(fields=["rep", "invoice_date"]),
            models.Index(fields=["customer", "invoice_date"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="invoice_not_negative"),
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("sales:invoice", args=[self.pk])


class PaymentQuerySet(ScopedQuerySet):
    domain = Domain.RECEIVABLES

    def scope_q(self, scope: Scope) -> Q:
        return Q(invoice__rep_id__in=scope.person_ids)


class Payment(models.Model):
    """A payment received on an invoice (a collection, 回款)."""

    code = CodeField(_("code"))
    invoice = models.ForeignKey(
        Invoice, verbose_name=_("invoice"), on_delete=models.PROTECT, related_name="payments"
    )
    payment_date = models.DateField(_("payment date"))
    amount = MoneyField(pgettext_lazy("money", "amount"))

    objects = PaymentQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory], no_db_index=["code", "invoice"])

    class Meta:
        ordering = ["-payment_date", "code"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        indexes = [models.Index(fields=["invoice", "payment_date"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="payment_not_negative"),
        ]

    def __str__(self) -> str:
        return self.code


class VisitPurpose(models.Model):
    """A purpose of visits (初次拜访, 回款跟进 …) with the checklist of its standard process."""

    code = CodeField(_("code"))
    name = models.CharField(_("name"), max_length=100)
    # Purposes and their steps are written in both languages; a reader sees their own
    # (`label`), the Chinese name when no English one is given.
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    active = models.BooleanField(_("active"), default=True)
    # Raised by every change to the checklist; a visit's answers record the version they
    # answered and the step as it was asked, so old visits keep reading what was asked.
    version = models.PositiveIntegerField(_("checklist version"), default=1)

    objects = CatalogueQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["code"]
        verbose_name = _("visit purpose")
        verbose_name_plural = _("visit purposes")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the reader's language."""
        return in_reader_language(zh=self.name, en=self.name_en)


class ChecklistStep(models.Model):
    """A step of a visit purpose's standard process; a required step needs a reason to skip."""

    purpose = models.ForeignKey(
        VisitPurpose,
        verbose_name=_("visit purpose"),
        on_delete=models.CASCADE,
        related_name="steps",
    )
    position = models.PositiveSmallIntegerField(_("step number"), default=0)
    text = models.CharField(_("step"), max_length=200)
    text_en = models.CharField(_("step in English"), max_length=200, blank=True)
    required = models.BooleanField(_("required"), default=True)
    # A step taken off the checklist after visits answered it stays, inactive, for them.
    active = models.BooleanField(_("active"), default=True)

    objects = CatalogueQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["purpose", "position", "id"]
        verbose_name = _("checklist step")
        verbose_name_plural = _("checklist steps")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The step in the reader's language."""
        return in_reader_language(zh=self.text, en=self.text_en)


class Visit(models.Model):
    """A customer visit (拜访), joint visit with a coach (联合拜访) or service call."""

    code = CodeField(_("code"))
    rep = models.ForeignKey(
        "org.Person", verbose_name=_("rep"), on_delete=models.PROTECT, related_name="visits"
    )
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    visit_date = models.DateField(_("visit date"))
    visit_time = models.TimeField(_("time"), null=True, blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=VisitKind.choices, default=VisitKind.VISIT
    )
    coach = models.ForeignKey(
        "org.Person",
        verbose_name=pgettext_lazy("person who coaches", "coach"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coached_visits",
    )
    purpose_type = models.ForeignKey(
        VisitPurpose,
        verbose_name=_("purpose type"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
    )
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    next_step = models.TextField(_("next step"), blank=True)
    contacts = models.ManyToManyField(
        "customers.Contact", verbose_name=_("contacts met"), blank=True, related_name="visits"
    )
    # Made on the phone when a visit is saved offline: a resend of the same visit finds it here
    # and is answered with the visit already saved, never a second one.
    client_key = models.UUIDField(
        _("idempotency key"), null=True, blank=True, unique=True, editable=False
    )
    # The check-in (签到): where the rep's phone was when the visit was started, taken only
    # with their consent; never required. Its distance from the customer is computed when read
    # (selectors/check_ins.py), so a customer's location set later counts too.
    checkin_latitude = models.DecimalField(
        _("check-in latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    checkin_longitude = models.DecimalField(
        _("check-in longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    checkin_accuracy_m = models.PositiveIntegerField(
        _("check-in accuracy (metres)"), null=True, blank=True
    )
    checkin_at = models.DateTimeField(_("checked in at"), null=True, blank=True)

    objects = RepScopedQuerySet.as_manager()
    history = HistoricalRecords(
        bases=[AuditedHistory],
        no_db_index=["code", "rep", "customer", "coach", "purpose_type", "client_key"],
    )

    class Meta:
        ordering = ["-visit_date", "code"]
        verbose_name = pgettext_lazy("customer visit", "visit")
        verbose_name_plural = _("visits")
        indexes = [
            models.Index(fields=["rep", "visit_date"]),
            models.Index(fields=["customer", "visit_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=VisitKind.JOINT) | Q(coach__isnull=False),
                name="visit_joint_has_coach",
                violation_error_message=_("A joint visit needs a coach."),
            ),
            models.CheckConstraint(
                condition=Q(
                    checkin_latitude__isnull=True,
                    checkin_longitude__isnull=True,
                    checkin_accuracy_m__isnull=True,
                    checkin_at__isnull=True,
                )
                | Q(
                    checkin_latitude__isnull=False,
                    checkin_longitude__isnull=False,
                    checkin_latitude__gte=-90,
                    checkin_latitude__lte=90,
                    checkin_longitude__gte=-180,
                    checkin_longitude__lte=180,
                    checkin_accuracy_m__isnull=False,
                    checkin_at__isnull=False,
                ),
                name="visit_check_in_whole",
                violation_error_message=_(
                    "A check-in has a latitude, a longitude, an accuracy and a time."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("sales:visit", args=[self.pk])

    @property
    def purpose_text(self) -> str:
        """The purpose as a reader sees it: the name the system copied from the purpose type
        reads in their language; details a person typed stay as typed."""
        if self.purpose_type_id and self.purpose == self.purpose_type.name:
            return self.purpose_type.label
        return self.purpose


class VisitStepQuerySet(ScopedQuerySet):
    domain = Domain.SALES

    def scope_q(self, scope: Scope) -> Q:
        return Q(visit__rep_id__in=scope.person_ids)


class VisitStep(models.Model):
    """Whether a visit did one checklist step of its purpose, and why not if skipped."""

    visit = models.ForeignKey(
        Visit,
        verbose_name=pgettext_lazy("customer visit", "visit"),
        on_delete=models.CASCADE,
        related_name="steps",
    )
    step = models.ForeignKey(
        ChecklistStep,
        verbose_name=_("checklist step"),
        on_delete=models.PROTECT,
        related_name="visit_steps",
    )
    done = models.BooleanField(_("done"), default=False)
    skip_reason = models.CharField(_("reason for skipping"), max_length=200, blank=True)
    # The step as it was asked when the visit answered it (its purpose's checklist version).
    purpose_version = models.PositiveIntegerField(_("checklist version"), default=1)
    position = models.PositiveSmallIntegerField(_("step number"), default=0)
    text = models.CharField(_("step as asked"), max_length=200, blank=True)
    text_en = models.CharField(_("step as asked in English"), max_length=200, blank=True)
    required = models.BooleanField(_("required"), default=True)

    objects = VisitStepQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory], no_db_index=["visit", "step"])

    class Meta:
        ordering = ["visit", "position", "step_id"]
        verbose_name = _("visit step")
        verbose_name_plural = _("visit steps")
        constraints = [
            models.UniqueConstraint(fields=["visit", "step"], name="visit_step_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.visit_id}/{self.step_id}"

    @property
    def label(self) -> str:
        """The step as it was asked, in the reader's language."""
        return in_reader_language(zh=self.text, en=self.text_en)


class Expense(models.Model):
    """A rep's expense (费用), counted against the expense budget."""

    code = CodeField(_("code"))
    rep = models.ForeignKey(
        "org.Person", verbose_name=_("rep"), on_delete=models.PROTECT, related_name="expenses"
    )
    expense_date = models.DateField(_("expense date"))
    category = models.CharField(pgettext_lazy("category of a record", "category"), max_length=100)
    amount = MoneyField(pgettext_lazy("money", "amount"))

    objects = RepScopedQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditedHistory], no_db_index=["code", "rep"])

    class Meta:
        ordering = ["-expense_date", "code"]
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        indexes = [models.Index(fields=["rep", "expense_date"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="expense_not_negative"),
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("sales:expense", args=[self.pk])
