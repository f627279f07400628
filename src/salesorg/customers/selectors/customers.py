"""Reads of customers and their contacts (stakeholders), always scoped to the user: the list,
the customer page (360), receivables ageing, referrals and a contact's history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db.models import (
    BigIntegerField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from salesorg.core.money import cents, sum_cents
from salesorg.core.scoping import SystemActor
from salesorg.customers.choices import LifecycleStage
from salesorg.customers.lifecycle import add_months
from salesorg.customers.models import (
    Contact,
    Customer,
    CustomerEvaluation,
    Rating,
    Reward,
    SatisfactionSurvey,
)
from salesorg.customers.selectors.care import (
    TIMELINE,
    customer_referrals,
    customer_satisfaction_trend,
    reward_budget,
)
from salesorg.org.models import Person
from salesorg.sales.choices import OrderStatus
from salesorg.sales.models import Invoice, OrderLine, Payment, Visit
from salesorg.targets.models import ActionItem

CUSTOMER_SORTS = (
    "code",
    "name",
    "industry",
    "owner__name",
    "created_date",
    "credit_limit",
    "lifecycle_stage",
)


def customer_list(
    *,
    user: User | SystemActor,
    search: str = "",
    industry: str = "",
    lifecycle: str = "",
    rating: str = "",
    sort: str = "code",
) -> QuerySet[Customer]:
    """Customers the user may see, filtered by a search term, industry, lifecycle stage and
    rating, sorted."""
    customers: QuerySet[Customer] = Customer.objects.visible_to(user).select_related(
        "owner", "region"
    )
    if lifecycle in LifecycleStage.values:
        customers = customers.filter(lifecycle_stage=lifecycle)
    if rating in dict(rating_choices()):
        customers = with_current_rating(customers, rating)
    if search:
        customers = customers.filter(
            Q(code__icontains=search)
            | Q(name__icontains=search)
            | Q(industry__icontains=search)
            | Q(owner__name__icontains=search)
        )
    if industry:
        customers = customers.filter(industry=industry)
    key = sort if sort.lstrip("-") in CUSTOMER_SORTS else "code"
    return customers.order_by(key, "code")


def dormant_customer_count(*, user: User | SystemActor, person: Person) -> int:
    """How many of `person`'s own customers have gone dormant."""
    return (
        Customer.objects.visible_to(user)
        .filter(owner=person, lifecycle_stage=LifecycleStage.DORMANT)
        .count()
    )


def customer_industries(*, user: User | SystemActor) -> list[str]:
    """The industries of the customers the user may see, for the filter."""
    return list(
        Customer.objects.visible_to(user)
        .exclude(industry="")
        .order_by("industry")
        .values_list("industry", flat=True)
        .distinct()
    )


# --- receivables ageing -------------------------------------------------------------------------

AGEING_BUCKETS = ("current", "d1_30", "d31_60", "d61_90", "over_90")


@dataclass(frozen=True)
class Ageing:
    """Outstanding receivables by days overdue on a date: not yet due, 1–30, 31–60, 61–90
    and more than 90 days past the due date (exact amounts)."""

    current: Decimal
    d1_30: Decimal
    d31_60: Decimal
    d61_90: Decimal
    over_90: Decimal
    as_of: date

    @property
    def total(self) -> Decimal:
        return self.current + self.d1_30 + self.d31_60 + self.d61_90 + self.over_90

    @property
    def overdue(self) -> Decimal:
        return self.total - self.current

    def rows(self) -> list[tuple[str, Decimal]]:
        return [(name, getattr(self, name)) for name in AGEING_BUCKETS]


def ageing_bucket_bounds(as_of: date) -> dict[str, Q]:
    """Each bucket as a condition on the invoice due date (days overdue = as_of − due)."""
    day = timedelta
    return {
        "current": Q(due_date__gte=as_of),
        "d1_30": Q(due_date__lt=as_of, due_date__gte=as_of - day(30)),
        "d31_60": Q(due_date__lt=as_of - day(30), due_date__gte=as_of - day(60)),
        "d61_90": Q(due_date__lt=as_of - day(60), due_date__gte=as_of - day(90)),
        "over_90": Q(due_date__lt=as_of - day(90)),
    }


def receivables_ageing(*, invoices: QuerySet[Invoice], as_of: date | None = None) -> Ageing:
    """Age what is still owed on `invoices` on `as_of`: invoices dated up to then, less the
    payments received up to then; one aggregate query."""
    as_of = as_of or timezone.localdate()
    paid = (
        Payment.objects.filter(invoice=OuterRef("pk"), payment_date__lte=as_of)
        .values("invoice")
        .annotate(t=sum_cents("amount"))
        .values("t")[:1]
    )
    open_invoices = invoices.filter(invoice_date__lte=as_of).annotate(
        open_cents=cents("amount") - Coalesce(Subquery(paid, output_field=BigIntegerField()), 0)
    )
    sums = {
        name: Coalesce(
            _open_sum(condition & Q(open_cents__gt=0)), 0, output_field=BigIntegerField()
        )
        for name, condition in ageing_bucket_bounds(as_of).items()
    }
    totals = open_invoices.order_by().aggregate(**sums)
    return Ageing(as_of=as_of, **{name: Decimal(totals[name]) / 100 for name in AGEING_BUCKETS})


def _open_sum(condition: Q) -> Sum:
    """Σ of the open cents of the invoices meeting `condition`."""
    return Sum("open_cents", filter=condition, output_field=BigIntegerField())


# --- the customer page (360) ---------------------------------------------------------------------

TREND_MONTHS = 12


def customer_sales_trend(
    *, user: User | SystemActor, customer: Customer, as_of: date | None = None
) -> list[dict]:
    """Sales and gross margin by month over the last TREND_MONTHS months (one query)."""
    as_of = as_of or timezone.localdate()
    first_month = add_months(as_of.replace(day=1), -(TREND_MONTHS - 1))
    rows = (
        OrderLine.objects.visible_to(user)
        .filter(
            order__customer=customer,
            order__status=OrderStatus.CONFIRMED,
            order__order_date__gte=first_month,
            order__order_date__lte=as_of,
        )
        .annotate(month=TruncMonth("order__order_date"))
        .values("month")
        .annotate(amount=sum_cents("amount"), cost=sum_cents("cost"))
        .order_by("month")
    )
    by_month: dict[tuple[int, int], tuple[int, int]] = {}
    for row in rows:
        month = row["month"]
        month = month.date() if hasattr(month, "date") and callable(month.date) else month
        by_month[(month.year, month.month)] = (row["amount"] or 0, row["cost"] or 0)
    trend = []
    for index in range(TREND_MONTHS):
        month = add_months(first_month, index)
        amount, cost = by_month.get((month.year, month.month), (0, 0))
        trend.append(
            {
                "month": month.strftime("%Y-%m"),
                "sales": Decimal(amount) / 100,
                "gross_margin": Decimal(amount - cost) / 100,
            }
        )
    return trend


def customer_page(
    *, user: User | SystemActor, customer: Customer, as_of: date | None = None
) -> dict:
    """Everything on the customer page, scoped and in a bounded number of queries."""
    as_of = as_of or timezone.localdate()
    invoices = Invoice.objects.visible_to(user).filter(customer=customer)
    visits = list(
        Visit.objects.visible_to(user)
        .filter(customer=customer)
        .select_related("rep", "purpose_type")
        .order_by("-visit_date", "-id")[:TIMELINE]
    )
    scores = dict(
        SatisfactionSurvey.objects.filter(visit__in=[v.pk for v in visits]).values_list(
            "visit_id", "overall"
        )
    )
    for visit in visits:
        visit.satisfaction = scores.get(visit.pk)  # type: ignore[attr-defined]  # for the page
    contacts = list(stakeholder_list(user=user, customer=customer))
    context: dict[str, Any] = {
        "as_of": as_of,
        "ageing": receivables_ageing(invoices=invoices, as_of=as_of),
        "trend": customer_sales_trend(user=user, customer=customer, as_of=as_of),
        "timeline": visits,
        "stakeholders": contacts,
        "rewards": list(
            Reward.objects.visible_to(user)
            .filter(customer=customer)
            .select_related("approved_by")
            .order_by("-granted_on", "-id")[:TIMELINE]
        ),
        "budget": reward_budget(customer=customer, as_of=as_of),
        "open_items": list(
            ActionItem.objects.open()
            .visible_to(user)
            .filter(customer=customer)
            .select_related("owner")
            .order_by("due_date", "id")
        ),
    }
    context["trend_total_sales"] = sum((row["sales"] for row in context["trend"]), Decimal(0))
    context["trend_total_margin"] = sum(
        (row["gross_margin"] for row in context["trend"]), Decimal(0)
    )
    context.update(customer_satisfaction_trend(user=user, customer=customer))
    context.update(customer_referrals(user=user, customer=customer, as_of=as_of))
    return context


def stakeholder_list(*, user: User | SystemActor, customer: Customer) -> QuerySet[Contact]:
    """The customer's stakeholders the user may see, active and key ones first."""
    return (
        Contact.objects.visible_to(user)
        .filter(customer=customer)
        .select_related("replaced_by")
        .order_by("status", F("influence").desc(nulls_last=True), "name")
    )


def rating_choices() -> list[tuple[str, str]]:
    """The credit ratings (AAA … C, unrated) of the customer evaluation, to filter the list
    by, in the reader's language."""
    return [(value, str(label)) for value, label in Rating.choices]


def with_current_rating(customers: QuerySet[Customer], rating: str) -> QuerySet[Customer]:
    """The customers whose latest evaluation gave `rating` (annotated `current_rating`)."""
    latest = CustomerEvaluation.objects.filter(customer=OuterRef("pk")).order_by("-as_of", "-pk")
    return customers.annotate(current_rating=Subquery(latest.values("rating")[:1])).filter(
        current_rating=rating
    )


# --- stakeholders --------------------------------------------------------------------------------

HISTORY_FIELDS = (
    "name",
    "title",
    "role",
    "phone",
    "email",
    "influence",
    "attitude",
    "needs",
    "response",
    "status",
    "left_on",
    "replaced_by",
)


def contact_history(*, user: User | SystemActor, contact: Contact) -> list[dict]:
    """The contact's change history, newest first: who, when, and each field changed."""
    records = list(contact.history.select_related("history_user__person").order_by("-history_id"))
    labels = {
        field.name: field.verbose_name
        for field in Contact._meta.concrete_fields
        if field.name in HISTORY_FIELDS
    }
    successor_ids = {r.replaced_by_id for r in records if r.replaced_by_id}
    names = dict(
        Contact.objects.visible_to(user).filter(pk__in=successor_ids).values_list("pk", "name")
    )
    entries = []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        changes = []
        if older is not None:
            for name in HISTORY_FIELDS:
                before = _display(older, name, names)
                after = _display(newer, name, names)
                if before != after:
                    changes.append({"field": labels[name], "old": before, "new": after})
        entries.append(
            {
                "when": newer.history_date,
                "who": _who(newer.history_user),
                "kind": newer.get_history_type_display(),
                "created": older is None,
                "changes": changes,
            }
        )
    return entries


def _who(user: User | None) -> str:
    if user is None:
        return ""
    person = getattr(user, "person", None)
    return person.name if person is not None else user.get_username()


def _display(record, name: str, names: dict[int, str]) -> str:
    if name == "replaced_by":
        return names.get(record.replaced_by_id, "") if record.replaced_by_id else ""
    value = getattr(record, name)
    display = getattr(record, f"get_{name}_display", None)
    if display is not None and value:
        return str(display())
    return "" if value is None else str(value)
