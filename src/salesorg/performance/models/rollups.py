"""Rollups: the facts of the indicator engine pre-aggregated per person and month.

Every row is derived from the raw records (orders, lines, invoices, payments, visits,
expenses) and can be rebuilt from them (`salesorg rollups rebuild`); see
`salesorg.performance.services.rollups` for how they are kept up to date. Facts are keyed by the
person they are credited to and the month of the date they are credited on (KPI.md,
Periods and units); memberships are applied when the engine reads them, so a team move,
even a backdated one, never makes a rollup stale. Money is in whole cents.

The foreign keys have no database constraint: a rollup row is bookkeeping, never a
reason to refuse deleting a record, and the tables can be distributed by person.
"""

from __future__ import annotations

from django.db import models

_REF = {"on_delete": models.DO_NOTHING, "db_constraint": False, "related_name": "+"}


class _Rollup(models.Model):
    """A row of bookkeeping: shown only in the admin's shell, named by its key."""

    class Meta:
        abstract = True

    def __str__(self) -> str:
        key = [f"{f.name}={f.value_from_object(self)}" for f in self._meta.concrete_fields[:4]]
        return f"{type(self).__name__}({', '.join(key)})"


class RollupMonth(_Rollup):
    """Σ of a person's additive facts in a month: confirmed sales and cost, invoiced, expenses."""

    person = models.ForeignKey("org.Person", **_REF)
    month = models.DateField()  # the 1st
    sales = models.BigIntegerField(default=0)
    cost = models.BigIntegerField(default=0)
    invoiced = models.BigIntegerField(default=0)
    expenses = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "month"], name="rollup_month_key"),
        ]
        indexes = [models.Index(fields=["month"], name="rollup_month_month")]


class RollupCategoryMonth(_Rollup):
    """A person's confirmed order lines of one product category in a month."""

    person = models.ForeignKey("org.Person", **_REF)
    month = models.DateField()
    category = models.ForeignKey("sales.Category", **_REF)
    amount = models.BigIntegerField(default=0)
    cost = models.BigIntegerField(default=0)
    lines = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "month", "category"], name="rollup_category_key"
            ),
        ]
        indexes = [models.Index(fields=["month"], name="rollup_category_month")]


class RollupPayment(_Rollup):
    """Payments on a person's invoices of one month, by the month they were paid in."""

    person = models.ForeignKey("org.Person", **_REF)
    invoice_month = models.DateField()
    payment_month = models.DateField()
    amount = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "invoice_month", "payment_month"], name="rollup_payment_key"
            ),
        ]
        indexes = [models.Index(fields=["payment_month"], name="rollup_payment_paid")]


class RollupVisitDay(_Rollup):
    """A rep's distinct customers visited and served on one day (KPI.md, Visits)."""

    person = models.ForeignKey("org.Person", **_REF)
    day = models.DateField()
    month = models.DateField()
    visits = models.IntegerField(default=0)
    service_calls = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "day"], name="rollup_visit_key"),
        ]
        indexes = [models.Index(fields=["month"], name="rollup_visit_month")]


class RollupCustomerYear(_Rollup):
    """The months of a year in which a person had a confirmed order of a customer.

    `months` has bit m−1 set for month m: the distinct customers of any set of months
    is the set of rows whose bits meet the period's.
    """

    person = models.ForeignKey("org.Person", **_REF)
    customer = models.ForeignKey("customers.Customer", **_REF)
    year = models.IntegerField()
    months = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "customer", "year"], name="rollup_customer_key"
            ),
        ]
        indexes = [models.Index(fields=["year"], name="rollup_customer_year")]


class RollupFirstOrder(_Rollup):
    """A customer's first confirmed order ever: who it is credited to and when (KPI.md)."""

    customer = models.OneToOneField("customers.Customer", primary_key=True, **_REF)
    person = models.ForeignKey("org.Person", **_REF)
    day = models.DateField()
    code = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["day"], name="rollup_first_day")]


class RollupInvoiceDay(_Rollup):
    """Σ of a person's invoices of one invoice day (the receivables' ageing by day)."""

    person = models.ForeignKey("org.Person", **_REF)
    day = models.DateField()
    month = models.DateField()
    amount = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "day"], name="rollup_invoice_day_key"),
        ]
        indexes = [models.Index(fields=["day"], name="rollup_invoice_day_day")]


class RollupPaymentDay(_Rollup):
    """Payments on a person's invoices of one invoice day, by the month they were paid in.

    With `RollupInvoiceDay`, what was open on the last day of any month per invoice day;
    `RollupMonth.invoiced` and `RollupPayment` are the same facts in whole months, read
    for the invoice months that are all in the oldest age bucket.
    """

    person = models.ForeignKey("org.Person", **_REF)
    invoice_day = models.DateField()
    invoice_month = models.DateField()
    payment_month = models.DateField()
    amount = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "invoice_day", "payment_month"],
                name="rollup_payment_day_key",
            ),
        ]
        indexes = [models.Index(fields=["invoice_day"], name="rollup_payment_day_day")]
