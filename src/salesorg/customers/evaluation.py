"""Customer evaluation (S19): the scoring model, its set-based factor queries and the services
that store evaluations and open root-cause records on downgrades.

Five factor families, each scored as a fraction 0–1 and weighted by the scoring model:

- payment behaviour from receivables, as of the evaluation date: the overdue share of the
  open receivables (1 − share) and the amount-weighted average days late of the payments of
  the last 365 days and of what is still open past its due date (1 − days / worst days);
- sales trend: confirmed sales of the last 6 months against the 6 months before
  (0.5 when flat, 1 at +50 % or a first sale, 0 at −50 % or worse);
- gross-margin rate of the last 12 months against the rate that scores in full;
- visit engagement: visits of the last 90 days against the number that scores in full;
- satisfaction: the average overall survey score of the last 365 days, (avg − 1) / 4
  (0.5, neutral, without surveys).

score = Σ weight × fraction / Σ weights × 100 → rating by the model's thresholds; the
suggested credit limit is the average monthly sales of the last 12 months times the
rating's number of months. Every figure is an exact Decimal.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    DateField,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from salesorg.core.money import cents, quantize_cents, sum_cents
from salesorg.customers.models import (
    CustomerEvaluation,
    Rating,
    RootCause,
    ScoringModel,
)
from salesorg.customers.models.base import Customer

ZERO = Decimal("0")
ONE = Decimal("1")
HALF = Decimal("0.5")
CENTS = Decimal("100")
PAYMENT_WINDOW_DAYS = 365
VISIT_WINDOW_DAYS = 90
SURVEY_WINDOW_DAYS = 365
EVALUATION_BATCH = 2000  # rows per upsert statement
# A whole run groups millions of fact rows by 100k customers: with PostgreSQL's default
# 4 MB its hash joins and aggregates spill to disk (~20 % of their time at 100k customers).
RUN_WORK_MEM = "64MB"
FACTORS = ("overdue_share", "days_late", "sales_trend", "margin", "visits", "satisfaction")


@dataclass
class CustomerFacts:
    """What the scoring model looks at for one customer as of a date (all exact)."""

    open_receivables: Decimal = ZERO
    overdue_receivables: Decimal = ZERO
    late_amount_days: Decimal = ZERO  # Σ amount × days late (payments and open overdue)
    late_basis: Decimal = ZERO  # Σ amount that the days late are averaged over
    sales_recent: Decimal = ZERO  # last 6 months
    sales_previous: Decimal = ZERO  # the 6 months before
    cost_12m: Decimal = ZERO
    visits_90d: int = 0
    survey_total: int = 0
    survey_count: int = 0

    @property
    def sales_12m(self) -> Decimal:
        return self.sales_recent + self.sales_previous


@dataclass(frozen=True)
class Scored:
    """The result of scoring one customer."""

    score: Decimal
    rating: str
    suggested_credit_limit: Decimal
    factors: dict = field(default_factory=dict)


def _clamp(value: Decimal) -> Decimal:
    return max(ZERO, min(ONE, value))


def factor_fractions(facts: CustomerFacts, model: ScoringModel) -> dict[str, tuple]:
    """Each factor as (measured value, fraction 0–1 of its points)."""
    overdue_share = (
        facts.overdue_receivables / facts.open_receivables if facts.open_receivables else ZERO
    )
    days_late = facts.late_amount_days / facts.late_basis if facts.late_basis else ZERO
    if facts.sales_previous:
        growth = facts.sales_recent / facts.sales_previous - ONE
        trend = _clamp(HALF + growth)
    else:
        growth = None
        trend = ONE if facts.sales_recent else HALF
    margin_rate = (facts.sales_12m - facts.cost_12m) / facts.sales_12m if facts.sales_12m else None
    average_survey = (
        Decimal(facts.survey_total) / Decimal(facts.survey_count) if facts.survey_count else None
    )
    return {
        "overdue_share": (overdue_share, _clamp(ONE - overdue_share)),
        "days_late": (days_late, _clamp(ONE - days_late / Decimal(model.days_late_worst))),
        "sales_trend": (growth, trend),
        "margin": (
            margin_rate,
            _clamp(margin_rate / model.margin_rate_best) if margin_rate is not None else ZERO,
        ),
        "visits": (
            Decimal(facts.visits_90d),
            _clamp(Decimal(facts.visits_90d) / Decimal(model.visits_best)),
        ),
        "satisfaction": (
            average_survey,
            _clamp((average_survey - ONE) / Decimal(4)) if average_survey is not None else HALF,
        ),
    }


def model_weights(model: ScoringModel) -> dict[str, int]:
    """The weight of each factor in the scoring model."""
    return {name: getattr(model, f"weight_{name}") for name in FACTORS}


def rating_for(score: Decimal, model: ScoringModel) -> str:
    """The rating a score earns under the model's thresholds."""
    for rating, threshold in (
        (Rating.AAA, model.threshold_aaa),
        (Rating.AA, model.threshold_aa),
        (Rating.A, model.threshold_a),
        (Rating.B, model.threshold_b),
    ):
        if score >= threshold:
            return rating.value
    return Rating.C.value


def credit_limit_for(rating: str, facts: CustomerFacts, model: ScoringModel) -> Decimal:
    """Average monthly sales of the last 12 months × the rating's months, to the cent."""
    months = getattr(model, f"months_{rating.lower()}")
    return quantize_cents(facts.sales_12m / Decimal(12) * months)


def _text(value) -> str | None:
    if value is None:
        return None
    return str(value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


def customer_score(facts: CustomerFacts, model: ScoringModel) -> Scored:
    """Score one customer's facts: score 0–100, rating, credit limit and factor breakdown."""
    weights = model_weights(model)
    total_weight = sum(weights.values()) or 1
    points = {}
    breakdown = {}
    for name, (value, fraction) in factor_fractions(facts, model).items():
        points[name] = Decimal(weights[name]) * fraction * CENTS / Decimal(total_weight)
        breakdown[name] = {
            "value": _text(value),
            "fraction": _text(fraction),
            "weight": weights[name],
            "points": str(points[name].quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)),
        }
    score = sum(points.values(), ZERO).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    rating = rating_for(score, model)
    return Scored(
        score=score,
        rating=rating,
        suggested_credit_limit=credit_limit_for(rating, facts, model),
        factors=breakdown,
    )


# --- set-based factor queries -------------------------------------------------------------------


def _months_back(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _money(cent_count) -> Decimal:
    return Decimal(cent_count or 0) / CENTS


class _DaysBetween(Func):
    """Whole days from the second date to the first, as an integer on every database
    (Django's own date subtraction yields a duration, which cannot be multiplied)."""

    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra_context,
        )


def _sum_if(condition: Q, value) -> Sum:
    """Σ of an integer expression over the rows that meet `condition`."""
    return Sum(Case(When(condition, then=value), default=Value(0)), output_field=BigIntegerField())


def _receivable_facts(facts, *, invoices, payments, as_of: date) -> None:
    """Open and overdue receivables and days late, one grouped row per customer.

    Amounts are whole cents and days whole integers, so Σ cents × days is exact in SQL
    and the Decimal figures equal a per-invoice computation."""
    overdue = Q(due_date__lt=as_of)
    days_overdue = _DaysBetween(Value(as_of, output_field=DateField()), F("due_date"))
    for customer_id, total, overdue_total, overdue_days in (
        invoices.values("customer_id")
        .annotate(
            total=sum_cents("amount"),
            overdue=_sum_if(overdue, cents("amount")),
            overdue_days=_sum_if(overdue, cents("amount") * days_overdue),
        )
        .values_list("customer_id", "total", "overdue", "overdue_days")
    ):
        item = facts[customer_id]
        item.open_receivables += _money(total)
        item.overdue_receivables += _money(overdue_total)
        item.late_amount_days += _money(overdue_days)
        item.late_basis += _money(overdue_total)
    paid_overdue = Q(invoice__due_date__lt=as_of)
    in_window = Q(payment_date__gt=as_of - timedelta(days=PAYMENT_WINDOW_DAYS))
    days_late = _DaysBetween(F("payment_date"), F("invoice__due_date"))
    for customer_id, total, overdue_total, overdue_days, window_total, window_days in (
        payments.values("invoice__customer_id")
        .annotate(
            total=sum_cents("amount"),
            overdue=_sum_if(paid_overdue, cents("amount")),
            overdue_days=_sum_if(
                paid_overdue,
                cents("amount")
                * _DaysBetween(Value(as_of, output_field=DateField()), F("invoice__due_date")),
            ),
            window=_sum_if(in_window, cents("amount")),
            window_days=_sum_if(
                in_window & Q(payment_date__gt=F("invoice__due_date")),
                cents("amount") * days_late,
            ),
        )
        .values_list(
            "invoice__customer_id", "total", "overdue", "overdue_days", "window", "window_days"
        )
    ):
        item = facts[customer_id]
        item.open_receivables -= _money(total)
        # what was paid no longer counts as open past due
        item.overdue_receivables -= _money(overdue_total)
        item.late_amount_days += _money(window_days) - _money(overdue_days)
        item.late_basis += _money(window_total) - _money(overdue_total)


def customer_facts(*, as_of: date, customer_ids=None) -> dict[int, CustomerFacts]:
    """The scoring facts of every customer (or of `customer_ids`) as of a date.

    Five aggregate queries whatever the number of customers, each grouped by customer so
    that the database, not Python, adds up the millions of fact rows.
    """
    from salesorg.customers.models import SatisfactionSurvey
    from salesorg.sales.choices import OrderStatus
    from salesorg.sales.models import Invoice, OrderLine, Payment, Visit

    facts: dict[int, CustomerFacts] = defaultdict(CustomerFacts)

    def restrict(queryset, path):
        if customer_ids is None:
            return queryset
        return queryset.filter(**{f"{path}__in": list(customer_ids)})

    _receivable_facts(
        facts,
        invoices=restrict(Invoice.objects.filter(invoice_date__lte=as_of), "customer_id"),
        payments=restrict(
            Payment.objects.filter(payment_date__lte=as_of, invoice__invoice_date__lte=as_of),
            "invoice__customer_id",
        ),
        as_of=as_of,
    )
    recent_start = _months_back(as_of, 6)
    previous_start = _months_back(as_of, 12)
    lines = restrict(
        OrderLine.objects.filter(
            order__status=OrderStatus.CONFIRMED,
            order__order_date__gt=previous_start,
            order__order_date__lte=as_of,
        ),
        "order__customer_id",
    )
    recent = Q(order__order_date__gt=recent_start)
    for row in lines.values("order__customer_id").annotate(
        recent=Sum(
            Case(When(recent, then=cents("amount")), default=0), output_field=BigIntegerField()
        ),
        previous=Sum(
            Case(When(~recent, then=cents("amount")), default=0), output_field=BigIntegerField()
        ),
        cost=sum_cents("cost"),
    ):
        item = facts[row["order__customer_id"]]
        item.sales_recent = _money(row["recent"])
        item.sales_previous = _money(row["previous"])
        item.cost_12m = _money(row["cost"])
    visits = restrict(
        Visit.objects.filter(
            visit_date__gt=as_of - timedelta(days=VISIT_WINDOW_DAYS), visit_date__lte=as_of
        ),
        "customer_id",
    )
    for row in visits.values("customer_id").annotate(count=Count("id")):
        facts[row["customer_id"]].visits_90d = row["count"]
    surveys = restrict(
        SatisfactionSurvey.objects.filter(
            surveyed_on__gt=as_of - timedelta(days=SURVEY_WINDOW_DAYS), surveyed_on__lte=as_of
        ),
        "customer_id",
    )
    for row in surveys.values("customer_id").annotate(total=Sum("overall"), count=Count("id")):
        item = facts[row["customer_id"]]
        item.survey_total, item.survey_count = row["total"] or 0, row["count"]
    return facts


def _reviewers_of(owner_ids: set[int], today: date) -> dict[int, int | None]:
    """Who reviews an owner's root causes: their manager, else their current team's manager.
    Two queries whatever the number of owners."""
    from salesorg.org.models import Membership, Person

    reviewers = dict(Person.objects.filter(pk__in=owner_ids).values_list("pk", "manager_id"))
    missing = {pk for pk, manager in reviewers.items() if manager is None}
    if missing:
        rows = (
            Membership.objects.current(today)
            .filter(person_id__in=missing, team__manager__isnull=False)
            .exclude(team__manager_id__in=missing)
            .values_list("person_id", "team__manager_id")
        )
        for person_id, manager_id in rows:
            reviewers[person_id] = manager_id
    return reviewers


def root_causes_open(evaluations: list[CustomerEvaluation], owners: dict[int, int]) -> int:
    """Open one root-cause record per downgrade that has none yet (bulk, two queries)."""
    downgrades = [e for e in evaluations if e.is_downgrade]
    if not downgrades:
        return 0
    existing = set(
        RootCause.objects.filter(evaluation__in=[e.pk for e in downgrades]).values_list(
            "evaluation_id", flat=True
        )
    )
    new = [e for e in downgrades if e.pk not in existing]
    if not new:
        return 0
    reviewers = _reviewers_of({owners[e.customer_id] for e in new}, timezone.localdate())
    RootCause.objects.bulk_create(
        [
            RootCause(
                evaluation=e,
                customer_id=e.customer_id,
                owner_id=owners[e.customer_id],
                reviewer_id=reviewers.get(owners[e.customer_id]),
                from_rating=e.previous_rating,
                to_rating=e.rating,
            )
            for e in new
        ]
    )
    return len(new)


_UPSERT_POSTGRESQL = """
INSERT INTO {table} (customer_id, as_of, score, rating, previous_rating,
                     suggested_credit_limit, factors, evaluated_at)
SELECT given.customer_id, %s, given.score, given.rating, given.previous_rating,
       given.suggested_credit_limit, given.factors, %s
FROM jsonb_to_recordset(%s::jsonb) AS given(customer_id bigint, score numeric, rating text,
     previous_rating text, suggested_credit_limit numeric, factors jsonb)
ON CONFLICT (customer_id, as_of) DO UPDATE SET
  score = excluded.score, rating = excluded.rating, previous_rating = excluded.previous_rating,
  suggested_credit_limit = excluded.suggested_credit_limit, factors = excluded.factors,
  evaluated_at = excluded.evaluated_at
RETURNING customer_id, id"""


def _evaluations_store(evaluations: list[CustomerEvaluation], *, restricted: bool) -> None:
    """Insert or update evaluations (one date, one evaluation time) and set their ids.

    An upsert instead of loading the stored rows and bulk_update (a CASE per row and
    column, minutes for 100k rows): a re-run keeps the rows' ids and their root causes.
    On PostgreSQL each batch travels as one JSON document: Django's bulk upsert sends
    every column as an array literal, and escaping 100k factor breakdowns into a text
    array took psycopg 14 of the 40 s of a run; one JSON string is escaped in C.
    """
    if not evaluations:
        return
    if connection.vendor != "postgresql":
        _evaluations_bulk_upsert(evaluations, restricted=restricted)
        return
    sql = _UPSERT_POSTGRESQL.format(
        table=connection.ops.quote_name(CustomerEvaluation._meta.db_table)
    )
    first = evaluations[0]
    ids = {}
    with connection.cursor() as cursor:
        for start in range(0, len(evaluations), EVALUATION_BATCH):
            document = json.dumps(
                [
                    {
                        "customer_id": e.customer_id,
                        "score": str(e.score),
                        "rating": e.rating,
                        "previous_rating": e.previous_rating,
                        "suggested_credit_limit": str(e.suggested_credit_limit),
                        "factors": e.factors,
                    }
                    for e in evaluations[start : start + EVALUATION_BATCH]
                ]
            )
            cursor.execute(sql, [first.as_of, first.evaluated_at, document])
            ids.update(cursor.fetchall())
    for evaluation in evaluations:
        evaluation.pk = ids[evaluation.customer_id]


def _evaluations_bulk_upsert(evaluations: list[CustomerEvaluation], *, restricted: bool) -> None:
    """The ORM's bulk upsert: fast enough where parameters are not quoted by Python."""
    CustomerEvaluation.objects.bulk_create(
        evaluations,
        batch_size=EVALUATION_BATCH,
        update_conflicts=True,
        unique_fields=["customer", "as_of"],
        update_fields=[
            "score",
            "rating",
            "previous_rating",
            "suggested_credit_limit",
            "factors",
            "evaluated_at",
        ],
    )
    if evaluations[0].pk is None:  # databases that return no ids from upserts
        as_of = evaluations[0].as_of
        ids = dict(
            CustomerEvaluation.objects.filter(
                as_of=as_of, customer_id__in=[e.customer_id for e in evaluations]
            ).values_list("customer_id", "pk")
            if restricted
            else CustomerEvaluation.objects.filter(as_of=as_of).values_list("customer_id", "pk")
        )
        for evaluation in evaluations:
            evaluation.pk = ids[evaluation.customer_id]


@dataclass(frozen=True)
class EvaluationRun:
    """What one evaluation run did."""

    as_of: date
    evaluated: int
    downgrades: int
    root_causes_opened: int


@transaction.atomic
def customers_evaluate(*, as_of: date, customer_ids=None) -> EvaluationRun:
    """Evaluate every customer (or `customer_ids`) as of a date, set-based.

    A fixed number of queries whatever the number of customers (bulk inserts aside, which
    the database splits into batches): customers with their previous rating, the factor
    facts, then one upsert of the evaluations. Re-running a date updates its evaluations
    in place (same ids); a downgrade opens its root-cause record once.
    """
    if customer_ids is None and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # true: for this transaction only
            cursor.execute("SELECT set_config('work_mem', %s, true)", [RUN_WORK_MEM])
    model = ScoringModel.current()
    previous = (
        CustomerEvaluation.objects.filter(customer=OuterRef("pk"), as_of__lt=as_of)
        .order_by("-as_of")
        .values("rating")[:1]
    )
    customers = Customer.objects.all()
    if customer_ids is not None:
        customers = customers.filter(pk__in=list(customer_ids))
    rows = list(
        customers.annotate(previous=Subquery(previous)).values_list("pk", "owner_id", "previous")
    )
    owners = {pk: owner_id for pk, owner_id, _previous in rows}
    facts = customer_facts(as_of=as_of, customer_ids=customer_ids)
    now = timezone.now()
    evaluations = []
    for pk, _owner_id, previous_rating in rows:
        scored = customer_score(facts.get(pk) or CustomerFacts(), model)
        evaluations.append(
            CustomerEvaluation(
                customer_id=pk,
                as_of=as_of,
                score=scored.score,
                rating=scored.rating,
                previous_rating=previous_rating or "",
                suggested_credit_limit=scored.suggested_credit_limit,
                factors=scored.factors,
                evaluated_at=now,
            )
        )
    _evaluations_store(evaluations, restricted=customer_ids is not None)
    opened = root_causes_open(evaluations, owners)
    return EvaluationRun(
        as_of=as_of,
        evaluated=len(evaluations),
        downgrades=sum(1 for e in evaluations if e.is_downgrade),
        root_causes_opened=opened,
    )


def can_reevaluate(user, customer: Customer) -> bool:
    """Who may re-evaluate a customer on demand: whoever may write the customer's records."""
    from salesorg.sales.permissions import can_write

    return can_write(user, customer)


@transaction.atomic
def customer_reevaluate(
    *, customer: Customer, actor, as_of: date | None = None
) -> CustomerEvaluation:
    """Evaluate one customer now (on demand, from its page or the API)."""
    if not can_reevaluate(actor, customer):
        raise PermissionDenied
    as_of = as_of or timezone.localdate()
    customers_evaluate(as_of=as_of, customer_ids=[customer.pk])
    return CustomerEvaluation.objects.get(customer=customer, as_of=as_of)


def customer_evaluations(*, user, customer: Customer, limit: int = 24):
    """A customer's evaluations, newest first, in the user's scope."""
    return (
        CustomerEvaluation.objects.visible_to(user)
        .filter(customer=customer)
        .order_by("-as_of")[:limit]
    )


def can_change_scoring_model(user) -> bool:
    """Director and admin configure the scoring model."""
    from salesorg.core.roles import Role, role_of

    return role_of(user) in (Role.DIRECTOR, Role.ADMIN)


@transaction.atomic
def scoring_model_save(*, instance: ScoringModel, actor) -> ScoringModel:
    """Validate and save the scoring model (director, admin)."""
    if not can_change_scoring_model(actor):
        raise PermissionDenied
    instance.full_clean()
    instance.save()
    return instance
