"""Writes of old-customer care (S16) and satisfaction (S4): rewards within each customer's
reward budget, referrals, satisfaction surveys and the care settings.

A reward beyond what is left of the customer's reward budget (selectors.care) is refused.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from salesorg.core.money import format_money
from salesorg.core.problems import Problems, reference_check
from salesorg.core.roles import person_of
from salesorg.customers.choices import SurveySource
from salesorg.customers.models import (
    CareSettings,
    Customer,
    Referral,
    Reward,
    SatisfactionSurvey,
)
from salesorg.customers.permissions import (
    can_approve_reward,
    can_change_care_settings,
    can_record_referral,
    can_record_reward,
    can_record_survey,
)
from salesorg.customers.selectors.care import reward_budget
from salesorg.customers.services.customers import customers_lifecycle_recompute
from salesorg.sales.models import Visit


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
def reward_save(*, instance: Reward, actor: User) -> Reward:
    """Validate and save a reward: an established customer and a value within what is left of
    the customer's reward budget on the reward's date. A new reward, or one whose customer,
    value or date change, awaits its approver's approval (reward_approve); pending rewards
    draw on the budget as approved ones do."""
    problems = Problems()
    reference_check(
        problems, field="customer", model=Customer, pk=instance.customer_id, actor=actor
    )
    if instance.value is not None and instance.value <= 0:
        problems.add("value", _("The value must be more than zero."))
    if instance.granted_on is None:
        problems.add("granted_on", _("This field is required."))
    if not can_record_reward(actor, instance):
        problems.add("customer", _("You may not record rewards for this customer."))
    problems.raise_if_any()
    # Lock the customer so that two rewards cannot both fit what is left of its budget.
    customer = Customer.objects.select_for_update().get(pk=instance.customer_id)
    # A reward whose customer, value and date stay (its kind or note change) was checked
    # when it was drawn, and keeps its approval; the customer may since have gone dormant.
    if _draws_anew(instance):
        _budget_check(problems, instance, customer)
        instance.approved_by = None
        instance.approved_at = None
    elif instance.pk is not None:  # the approval is never set by a save, only kept
        saved = Reward.objects.values("approved_by_id", "approved_at").get(pk=instance.pk)
        instance.approved_by_id = saved["approved_by_id"]
        instance.approved_at = saved["approved_at"]
    problems.raise_if_any()
    if instance.created_by_id is None:
        instance.created_by = person_of(actor)
    instance.full_clean()
    instance.save()
    return instance


@transaction.atomic
def reward_approve(*, reward: Reward, actor: User) -> Reward:
    """The approver approves a pending reward with their own login (approved_by = them)."""
    problems = Problems()
    reward = Reward.objects.select_for_update().get(pk=reward.pk)
    if not can_approve_reward(actor, reward):
        problems.add(
            "approved_by",
            _(
                "A reward is approved by the region head over the customer's owner or the "
                "director, never by the one who recorded it."
            ),
        )
    elif reward.approved_at is not None:
        problems.add("approved_by", _("This reward is already approved."))
    problems.raise_if_any()
    reward.approved_by = person_of(actor)
    reward.approved_at = timezone.now()
    reward._history_user = actor  # type: ignore[attr-defined]  # the actor, outside a request too
    reward.save(update_fields=["approved_by", "approved_at"])
    return reward


# --- referrals ----------------------------------------------------------------------------------


@transaction.atomic
def referral_save(*, instance: Referral, actor: User) -> Referral:
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
def survey_save(*, instance: SatisfactionSurvey, actor: User) -> SatisfactionSurvey:
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
    if instance.source == SurveySource.CUSTOMER:
        problems.add("overall", _("A survey the customer answered cannot be changed."))
    problems.raise_if_any()
    if instance.recorded_by_id is None:
        instance.recorded_by = person_of(actor)
    instance.full_clean()
    instance.save()
    return instance


@transaction.atomic
def visit_survey_record(
    *, visit: Visit, overall: int | None, comment: str, actor: User
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


# --- settings ------------------------------------------------------------------------------------


@transaction.atomic
def care_settings_save(*, instance: CareSettings, actor: User) -> dict[str, int]:
    """Save the care settings and recompute every customer's lifecycle stage with them."""
    problems = Problems()
    if not can_change_care_settings(actor):
        problems.add("established_after_months", _("You may not change these settings."))
    problems.raise_if_any()
    instance.full_clean()
    instance.save()
    return customers_lifecycle_recompute()


# --- deletes (the API's) ------------------------------------------------------------------------


@transaction.atomic
def reward_delete(*, reward: Reward, actor: User) -> None:
    """Delete a reward, by whoever may record rewards for its customer."""
    if not (can_record_reward(actor) and can_record_reward(actor, reward)):
        raise PermissionDenied
    reward.delete()


@transaction.atomic
def referral_delete(*, referral: Referral, actor: User) -> None:
    """Delete a referral, by whoever may record referrals for its referrer."""
    if not (can_record_referral(actor) and can_record_referral(actor, referral)):
        raise PermissionDenied
    referral.delete()


@transaction.atomic
def survey_delete(*, survey: SatisfactionSurvey, actor: User) -> None:
    """Delete a satisfaction survey, by whoever may record surveys for its customer."""
    if not (can_record_survey(actor) and can_record_survey(actor, survey)):
        raise PermissionDenied
    survey.delete()
