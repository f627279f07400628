"""Reads of old-customer care (S16) and satisfaction (S4): reward budgets, referrals with the
referred customers' sales, and satisfaction surveys.

A reward budget belongs to an established customer: the configured share of the gross
margin it brought in the 12 months up to a date, less the rewards already drawn in
that window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.db.models import Avg, BigIntegerField, Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from salesorg.core.money import quantize_cents, sum_cents
from salesorg.core.scoping import SystemActor
from salesorg.customers.choices import LifecycleStage, RewardStatus
from salesorg.customers.lifecycle import add_months
from salesorg.customers.models import (
    CareSettings,
    Customer,
    Referral,
    Reward,
    SatisfactionSurvey,
)
from salesorg.sales.choices import OrderStatus
from salesorg.sales.models import OrderLine

BUDGET_MONTHS = 12
TIMELINE = 15
SURVEY_TREND = 24


@dataclass(frozen=True)
class RewardBudget:
    """A customer's reward budget on a date: funded share of margin, drawn, available."""

    window_start: date  # first day of the 12-month window (inclusive)
    as_of: date  # last day of the window (inclusive)
    share_percent: Decimal
    gross_margin: Decimal
    funded: Decimal
    drawn: Decimal
    eligible: bool  # only established customers have a budget

    @property
    def available(self) -> Decimal:
        return max(self.funded - self.drawn, Decimal("0.00")) if self.eligible else Decimal("0")


def budget_window_start(as_of: date) -> date:
    """The first day of the 12 months that end on `as_of`."""
    return add_months(as_of, -BUDGET_MONTHS) + timedelta(days=1)


def customer_gross_margin(*, customer_id: int, start: date, end: date) -> Decimal:
    """Σ (amount − cost) of the customer's confirmed order lines dated start…end (exact)."""
    totals = OrderLine.objects.filter(
        order__customer_id=customer_id,
        order__status=OrderStatus.CONFIRMED,
        order__order_date__gte=start,
        order__order_date__lte=end,
    ).aggregate(amount=sum_cents("amount"), cost=sum_cents("cost"))
    return Decimal((totals["amount"] or 0) - (totals["cost"] or 0)) / 100


def reward_budget(
    *, customer: Customer, as_of: date | None = None, excluding: Reward | None = None
) -> RewardBudget:
    """The reward budget of `customer` on `as_of` (rewards drawn in the window deducted)."""
    as_of = as_of or timezone.localdate()
    start = budget_window_start(as_of)
    share = CareSettings.current().reward_share_percent
    margin = customer_gross_margin(customer_id=customer.pk, start=start, end=as_of)
    funded = quantize_cents(max(margin, Decimal("0")) * share / 100)
    rewards = Reward.objects.filter(
        customer_id=customer.pk, granted_on__gte=start, granted_on__lte=as_of
    )
    if excluding is not None and excluding.pk:
        rewards = rewards.exclude(pk=excluding.pk)
    drawn = Decimal(rewards.aggregate(t=sum_cents("value"))["t"] or 0) / 100
    return RewardBudget(
        window_start=start,
        as_of=as_of,
        share_percent=share,
        gross_margin=quantize_cents(margin),
        funded=funded,
        drawn=quantize_cents(drawn),
        eligible=customer.lifecycle_stage == LifecycleStage.ESTABLISHED,
    )


def reward_list(*, user: User | SystemActor, status: str = "") -> QuerySet[Reward]:
    """Rewards in the user's scope, newest first; `status` pending or approved filters."""
    rewards = Reward.objects.visible_to(user).select_related(
        "customer", "customer__owner", "approved_by", "created_by"
    )
    if status == RewardStatus.PENDING:
        rewards = rewards.filter(approved_at__isnull=True)
    elif status == RewardStatus.APPROVED:
        rewards = rewards.filter(approved_at__isnull=False)
    return rewards.order_by("-granted_on", "-id")


def customer_satisfaction_trend(*, user: User | SystemActor, customer: Customer) -> dict:
    """The customer's surveys (latest first), average and monthly average score."""
    surveys = SatisfactionSurvey.objects.visible_to(user).filter(customer=customer)
    latest = list(
        surveys.select_related("visit", "recorded_by", "contact").order_by("-surveyed_on", "-id")
    )
    monthly = (
        surveys.annotate(month=TruncMonth("surveyed_on"))
        .values("month")
        .annotate(score=Avg("overall"), count=Count("id"))
        .order_by("-month")[:SURVEY_TREND]
    )
    points = [
        {"month": row["month"].strftime("%Y-%m"), "score": round(float(row["score"]), 2)}
        for row in reversed(list(monthly))
    ]
    scores = [survey.overall for survey in latest]
    return {
        "surveys": latest[:TIMELINE],
        "survey_count": len(scores),
        "survey_average": round(sum(scores) / len(scores), 2) if scores else None,
        "survey_points": points,
    }


def referred_sales(referrals: QuerySet[Referral], *, since: date | None = None):
    """Annotate referrals with the referred customer's confirmed sales (all time and since
    a date), in exact cents."""
    lines = OrderLine.objects.filter(
        order__customer=OuterRef("referred_id"), order__status=OrderStatus.CONFIRMED
    )

    def total(queryset):
        sums = queryset.values("order__customer").annotate(t=sum_cents("amount")).values("t")
        return Coalesce(Subquery(sums[:1], output_field=BigIntegerField()), 0)

    annotated = referrals.annotate(referred_sales_cents=total(lines))
    if since is not None:
        recent = lines.filter(order__order_date__gte=since)
        annotated = annotated.annotate(referred_recent_cents=total(recent))
    return annotated


def customer_referrals(
    *, user: User | SystemActor, customer: Customer, as_of: date | None = None
) -> dict:
    """Whom the customer introduced (with their sales) and who introduced it."""
    as_of = as_of or timezone.localdate()
    since = add_months(as_of, -12) + timedelta(days=1)
    made = referred_sales(
        Referral.objects.visible_to(user).filter(referrer=customer).select_related("referred"),
        since=since,
    ).order_by("-referred_on", "-id")
    made = list(made)
    for referral in made:
        referral.referred_sales = Decimal(referral.referred_sales_cents) / 100
        referral.referred_recent = Decimal(referral.referred_recent_cents) / 100
    received = (
        Referral.objects.visible_to(user).filter(referred=customer).select_related("referrer")
    ).first()
    return {
        "referrals_made": made,
        "referred_sales_total": sum((r.referred_sales for r in made), Decimal("0")),
        "referred_recent_total": sum((r.referred_recent for r in made), Decimal("0")),
        "referred_by": received,
    }


def referral_report(
    *, user: User | SystemActor, search: str = "", as_of: date | None = None
) -> QuerySet[Referral]:
    """Referrals the user may see, with the referred customers' sales (all time, 12 months)."""
    as_of = as_of or timezone.localdate()
    referrals = Referral.objects.visible_to(user).select_related(
        "referrer__owner", "referred__owner"
    )
    if search:
        referrals = referrals.filter(
            Q(referrer__name__icontains=search)
            | Q(referrer__code__icontains=search)
            | Q(referred__name__icontains=search)
            | Q(referred__code__icontains=search)
        )
    since = add_months(as_of, -12) + timedelta(days=1)
    return referred_sales(referrals, since=since).order_by("-referred_on", "-id")
