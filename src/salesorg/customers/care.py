"""Old-customer care (S16) and satisfaction (S4): reward budgets and rewards, referrals,
satisfaction surveys, and who may record them.

A reward budget belongs to an established customer: the configured share of the gross
margin it brought in the 12 months up to a date, less the rewards already drawn in
that window. A reward beyond what is left is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from salesorg.core.money import format_money, quantize_cents, sum_cents
from salesorg.core.problems import Problems, reference_check
from salesorg.core.roles import UNIT_LEADERS, Role, person_of, role_of
from salesorg.core.scoping import scope_for
from salesorg.customers.choices import LifecycleStage
from salesorg.customers.lifecycle import add_months
from salesorg.customers.models import (
    CareSettings,
    Customer,
    Referral,
    Reward,
    SatisfactionSurvey,
)
from salesorg.org.models import Person
from salesorg.sales.choices import OrderStatus
from salesorg.sales.models import OrderLine, Visit

ALL_RECORDS_ROLES = frozenset({Role.DIRECTOR, Role.ADMIN})
APPROVER_ROLES = frozenset({Role.MANAGER, Role.REGION_HEAD, Role.DIRECTOR, Role.ADMIN})
BUDGET_MONTHS = 12


# --- who may record -----------------------------------------------------------------------------


def can_record_for_customer(user, owner_id: int | None, *, reps_too: bool) -> bool:
    """Director/admin always; leaders for customers in their scope; reps (when allowed) for
    their own customers."""
    role = role_of(user)
    if role in ALL_RECORDS_ROLES:
        return True
    scope = scope_for(user)
    if role in UNIT_LEADERS:
        return owner_id is None or owner_id in scope.person_ids
    if role == Role.REP and reps_too:
        return owner_id is None or owner_id == scope.person_id
    return False


def _owner_id(record, field: str) -> int | None:
    """The owner of the customer `record.<field>` (from the loaded customer when there is one)."""
    if record is None:
        return None
    customer = record._state.fields_cache.get(field)
    if customer is not None:
        return customer.owner_id
    customer_id = getattr(record, f"{field}_id")
    if customer_id is None:
        return None
    return Customer.objects.filter(pk=customer_id).values_list("owner_id", flat=True).first()


def can_record_reward(user, reward: Reward | None = None) -> bool:
    """Rewards are recorded by leaders of the customer's owner, director and admin."""
    return can_record_for_customer(user, _owner_id(reward, "customer"), reps_too=False)


def can_record_referral(user, referral: Referral | None = None) -> bool:
    """Referrals are recorded by the referrer's owner, their leaders, director and admin."""
    return can_record_for_customer(user, _owner_id(referral, "referrer"), reps_too=True)


def can_record_survey(user, survey: SatisfactionSurvey | None = None) -> bool:
    """Surveys are recorded by the customer's owner, their leaders, director and admin."""
    return can_record_for_customer(user, _owner_id(survey, "customer"), reps_too=True)


# --- reward budget ------------------------------------------------------------------------------


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


def _draws_anew(reward: Reward) -> bool:
    """Is this a new reward, or one whose customer, value or date changes?"""
    if reward.pk is None:
        return True
    saved = (
        Reward.objects.filter(pk=reward.pk)
        .values_list("customer_id", "value", "granted_on")
        .first()
    )
    return saved != (reward.customer_id, reward.value, reward.granted_on)


def _budget_check(problems: Problems, instance: Reward, customer: Customer) -> None:
    """An established customer, and a value within what is left of its budget on the date."""
    budget = reward_budget(customer=customer, as_of=instance.granted_on, excluding=instance)
    if not budget.eligible:
        problems.add(
            "customer",
            _("Only established customers have a reward budget; this one is %(stage)s.")
            % {"stage": customer.get_lifecycle_stage_display()},
        )
    elif instance.value is not None and instance.value > budget.available:
        problems.add(
            "value",
            _(
                "The value %(value)s is more than what is left of the reward budget "
                "(%(available)s of %(funded)s)."
            )
            % {
                "value": format_money(instance.value),
                "available": format_money(budget.available),
                "funded": format_money(budget.funded),
            },
        )


@transaction.atomic
def reward_save(*, instance: Reward, actor) -> Reward:
    """Validate and save a reward: an established customer, a leader approving, and a value
    within what is left of the customer's reward budget on the reward's date."""
    problems = Problems()
    reference_check(
        problems, field="customer", model=Customer, pk=instance.customer_id, actor=actor
    )
    if instance.approved_by_id is None:
        problems.add("approved_by", _("This field is required."))
    elif not Person.objects.filter(pk=instance.approved_by_id, role__in=APPROVER_ROLES).exists():
        problems.add("approved_by", _("A reward must be approved by a manager or above."))
    if instance.value is not None and instance.value <= 0:
        problems.add("value", _("The value must be more than zero."))
    if instance.granted_on is None:
        problems.add("granted_on", _("This field is required."))
    if not can_record_reward(actor, instance):
        problems.add("customer", _("You may not record rewards for this customer."))
    problems.raise_if_any()
    # Lock the customer so that two rewards cannot both fit what is left of its budget.
    customer = Customer.objects.select_for_update().get(pk=instance.customer_id)
    # A reward whose customer, value and date stay (its kind, approver or note change) was
    # checked when it was drawn; the customer may since have gone dormant.
    if _draws_anew(instance):
        _budget_check(problems, instance, customer)
    problems.raise_if_any()
    if instance.created_by_id is None:
        instance.created_by = person_of(actor)
    instance.full_clean()
    instance.save()
    return instance


# --- referrals ----------------------------------------------------------------------------------


@transaction.atomic
def referral_save(*, instance: Referral, actor) -> Referral:
    """Validate and save a referral: customer A introduced customer B (once per B)."""
    problems = Problems()
    reference_check(
        problems, field="referrer", model=Customer, pk=instance.referrer_id, actor=actor
    )
    reference_check(
        problems, field="referred", model=Customer, pk=instance.referred_id, actor=actor
    )
    if instance.referred_on is None:
        problems.add("referred_on", _("This field is required."))
    if instance.referrer_id and instance.referrer_id == instance.referred_id:
        problems.add("referred", _("A customer cannot introduce itself."))
    elif instance.referred_id:
        other = Referral.objects.filter(referred_id=instance.referred_id)
        if instance.pk:
            other = other.exclude(pk=instance.pk)
        if other.exists():
            problems.add("referred", _("This customer already has a referrer."))
    if not can_record_referral(actor, instance):
        problems.add("referrer", _("You may not record referrals for this customer."))
    problems.raise_if_any()
    if instance.created_by_id is None:
        instance.created_by = person_of(actor)
    instance.full_clean()
    instance.save()
    return instance


# --- satisfaction surveys -----------------------------------------------------------------------


@transaction.atomic
def survey_save(*, instance: SatisfactionSurvey, actor) -> SatisfactionSurvey:
    """Validate and save a satisfaction survey (score 1–5), of a visit of that customer."""
    problems = Problems()
    reference_check(
        problems, field="customer", model=Customer, pk=instance.customer_id, actor=actor
    )
    if instance.overall is None or not 1 <= instance.overall <= 5:
        problems.add("overall", _("Give a score from 1 to 5."))
    if instance.surveyed_on is None:
        problems.add("surveyed_on", _("This field is required."))
    if (
        instance.visit_id is not None
        and not Visit.objects.filter(
            Q(pk=instance.visit_id) & Q(customer_id=instance.customer_id)
        ).exists()
    ):
        problems.add("visit", _("The visit must be a visit of this customer."))
    if not can_record_survey(actor, instance):
        problems.add("customer", _("You may not record surveys for this customer."))
    problems.raise_if_any()
    if instance.recorded_by_id is None:
        instance.recorded_by = person_of(actor)
    instance.full_clean()
    instance.save()
    return instance


@transaction.atomic
def visit_survey_record(
    *, visit: Visit, overall: int | None, comment: str, actor
) -> SatisfactionSurvey | None:
    """Record (or update) the satisfaction survey taken on a visit; no score, no survey."""
    survey = SatisfactionSurvey.objects.filter(visit=visit).order_by("id").first()
    if overall is None:
        return survey
    if survey is None:
        survey = SatisfactionSurvey(visit=visit, customer_id=visit.customer_id)
    survey.customer_id = visit.customer_id
    survey.surveyed_on = visit.visit_date
    survey.overall = overall
    survey.comment = comment
    return survey_save(instance=survey, actor=actor)


# --- settings -----------------------------------------------------------------------------------


def can_change_care_settings(user) -> bool:
    """Lifecycle thresholds and the reward share are set by the director and admin."""
    return role_of(user) in ALL_RECORDS_ROLES


@transaction.atomic
def care_settings_save(*, instance: CareSettings, actor) -> dict[str, int]:
    """Save the care settings and recompute every customer's lifecycle stage with them."""
    from salesorg.customers.lifecycle import customers_lifecycle_recompute

    problems = Problems()
    if not can_change_care_settings(actor):
        problems.add("established_after_months", _("You may not change these settings."))
    problems.raise_if_any()
    instance.full_clean()
    instance.save()
    return customers_lifecycle_recompute()
