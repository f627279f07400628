"""Customer evaluation (S19): how the scoring model scores a customer's facts (the facts are
read by selectors.credit, the evaluations stored by services.credit).

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

Two rules then override the score (`rating_rules_apply`, documented in docs/kpi.md):

- too little history: no confirmed order yet, a first confirmed order less than the
  model's `unrated_months` before the evaluation date, or fewer than `unrated_invoices`
  invoices up to it → rating `unrated` (未评级); the suggested limit is provisional: the
  lower of the model's `new_customer_limit` and the customer's current credit limit (the
  new-customer limit when it has none);
- dormant: the last confirmed order `dormant_after_days` (the lifecycle's setting) or more
  before the evaluation date → rating at most the model's `dormant_best_rating`, and the
  suggested limit (of the capped rating) never above the current credit limit.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy

from salesorg.core.money import quantize_cents
from salesorg.customers.lifecycle import add_months
from salesorg.customers.models import CustomerEvaluation, Rating, RatingRule, ScoringModel

ZERO = Decimal("0")
ONE = Decimal("1")
HALF = Decimal("0.5")
CENTS = Decimal("100")
FACTORS = ("overdue_share", "days_late", "sales_trend", "margin", "visits", "satisfaction")
FACTOR_LABELS = {
    "overdue_share": gettext_lazy("Overdue share of receivables"),
    "days_late": gettext_lazy("Average days late"),
    "sales_trend": gettext_lazy("Sales trend (6 months against the 6 before)"),
    "margin": gettext_lazy("Gross-margin rate (12 months)"),
    "visits": gettext_lazy("Visits (90 days)"),
    "satisfaction": gettext_lazy("Satisfaction (average survey score)"),
}


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
    first_order: date | None = None  # first confirmed order, ever
    last_order: date | None = None  # last confirmed order up to the evaluation date
    invoice_count: int = 0  # invoices up to the evaluation date, ever

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
    rule: str = RatingRule.SCORE


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


def has_too_little_history(facts: CustomerFacts, model: ScoringModel, as_of: date) -> bool:
    """No confirmed order, a first one less than `unrated_months` ago, or fewer than
    `unrated_invoices` invoices: too little history to rate."""
    if facts.first_order is None:
        return True
    if add_months(facts.first_order, model.unrated_months) > as_of:
        return True
    return facts.invoice_count < model.unrated_invoices


def is_dormant(facts: CustomerFacts, as_of: date, dormant_after_days: int) -> bool:
    """The last confirmed order `dormant_after_days` or more before `as_of` (as the
    lifecycle's dormant and lost stages)."""
    return facts.last_order is not None and facts.last_order <= as_of - timedelta(
        days=dormant_after_days
    )


def rating_rules_apply(
    scored: Scored,
    facts: CustomerFacts,
    model: ScoringModel,
    *,
    as_of: date,
    dormant_after_days: int,
    credit_limit: Decimal | None,
) -> Scored:
    """The rating after the history rules: unrated with a provisional limit, or a dormant
    customer's rating capped and its limit not raised (the score itself is kept)."""
    if has_too_little_history(facts, model, as_of):
        limit = model.new_customer_limit
        if credit_limit is not None:
            limit = min(limit, credit_limit)
        return replace(
            scored,
            rating=Rating.UNRATED.value,
            suggested_credit_limit=quantize_cents(limit),
            rule=RatingRule.NEW_CUSTOMER.value,
        )
    if is_dormant(facts, as_of, dormant_after_days):
        rating = scored.rating
        if Rating.rank(rating) > Rating.rank(model.dormant_best_rating):
            rating = model.dormant_best_rating
        limit = credit_limit_for(rating, facts, model)
        if credit_limit is not None:
            limit = min(limit, credit_limit)
        return replace(
            scored, rating=rating, suggested_credit_limit=limit, rule=RatingRule.DORMANT.value
        )
    return scored


def customer_rating(
    facts: CustomerFacts,
    model: ScoringModel,
    *,
    as_of: date,
    dormant_after_days: int,
    credit_limit: Decimal | None,
) -> Scored:
    """Score a customer's facts, then apply the history rules: what an evaluation stores."""
    return rating_rules_apply(
        customer_score(facts, model),
        facts,
        model,
        as_of=as_of,
        dormant_after_days=dormant_after_days,
        credit_limit=credit_limit,
    )


def factor_rows(evaluation: CustomerEvaluation) -> list[dict]:
    """The factor breakdown of an evaluation as rows to show."""
    return [
        {"name": name, "label": label, **evaluation.factors.get(name, {})}
        for name, label in FACTOR_LABELS.items()
    ]


def _stored_decimal(text) -> Decimal | None:
    return None if text in (None, "") else Decimal(str(text))


def factor_change_rows(
    evaluation: CustomerEvaluation, previous: CustomerEvaluation | None
) -> list[dict]:
    """Each factor's measured value at the previous evaluation and at this one, and the
    difference in the factor's unit (None where either has no value), with the points."""
    rows = []
    for name, label in FACTOR_LABELS.items():
        now = evaluation.factors.get(name, {})
        before = previous.factors.get(name, {}) if previous is not None else {}
        current, earlier = _stored_decimal(now.get("value")), _stored_decimal(before.get("value"))
        points, points_before = (
            _stored_decimal(now.get("points")),
            _stored_decimal(before.get("points")),
        )
        rows.append(
            {
                "name": name,
                "label": label,
                "previous": earlier,
                "current": current,
                "change": current - earlier if None not in (current, earlier) else None,
                "previous_points": points_before,
                "points": points,
                "points_change": (
                    points - points_before if None not in (points, points_before) else None
                ),
            }
        )
    return rows
