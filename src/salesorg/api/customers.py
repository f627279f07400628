"""Customer-care endpoints: rewards, referrals, satisfaction surveys, and a customer's care
summary (lifecycle stage, receivables ageing, reward budget).

Reads are scoped by `visible_to`; writes go through the services of customers/services/care.py,
which check who may record them and answer 400 naming the field.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from salesorg.api.crud import register_crud, scoped_model
from salesorg.api.types import RecordId
from salesorg.customers.choices import RewardKind
from salesorg.customers.models import Customer, Referral, Reward, SatisfactionSurvey
from salesorg.customers.permissions import can_record_referral, can_record_reward, can_record_survey
from salesorg.customers.selectors.care import reward_budget
from salesorg.customers.selectors.customers import receivables_ageing
from salesorg.customers.services.care import referral_save, reward_save, survey_save
from salesorg.sales.models import Invoice

router = Router(tags=["customers"])


# --- rewards ------------------------------------------------------------------------------------


class RewardOut(Schema):
    id: int
    customer_id: RecordId
    kind: str
    value: Decimal
    granted_on: date
    approved_by_id: RecordId
    note: str
    created_by_id: RecordId | None


class RewardIn(Schema):
    customer_id: RecordId
    kind: RewardKind
    value: Decimal = Field(..., max_digits=18, decimal_places=2)
    granted_on: date
    approved_by_id: RecordId
    note: str = ""


class RewardPatch(Schema):
    kind: RewardKind = None
    value: Decimal = Field(None, max_digits=18, decimal_places=2)
    granted_on: date = None
    approved_by_id: RecordId = None
    note: str = None


# --- referrals ----------------------------------------------------------------------------------


class ReferralOut(Schema):
    id: int
    referrer_id: RecordId
    referred_id: RecordId
    referred_on: date
    note: str


class ReferralIn(Schema):
    referrer_id: RecordId
    referred_id: RecordId
    referred_on: date
    note: str = ""


class ReferralPatch(Schema):
    referred_id: RecordId = None
    referred_on: date = None
    note: str = None


# --- satisfaction surveys -----------------------------------------------------------------------


class SurveyOut(Schema):
    id: int
    customer_id: RecordId
    visit_id: RecordId | None
    surveyed_on: date
    overall: int
    comment: str
    recorded_by_id: RecordId | None


class SurveyIn(Schema):
    customer_id: RecordId
    visit_id: RecordId | None = None
    surveyed_on: date
    overall: int = Field(..., ge=1, le=5)
    comment: str = ""


class SurveyPatch(Schema):
    visit_id: RecordId | None = None
    surveyed_on: date = None
    overall: int = Field(None, ge=1, le=5)
    comment: str = None


def _service(save):
    def adapted(*, instance, actor, extra):
        return save(instance=instance, actor=actor)

    return adapted


def _may(check):
    def model_level(user) -> bool:
        return check(user)

    return model_level


for model, prefix, out_schema, in_schema, patch_schema, save, check, search in (
    (
        Reward,
        "rewards",
        RewardOut,
        RewardIn,
        RewardPatch,
        reward_save,
        can_record_reward,
        ("customer__code", "customer__name", "note"),
    ),
    (
        Referral,
        "referrals",
        ReferralOut,
        ReferralIn,
        ReferralPatch,
        referral_save,
        can_record_referral,
        ("referrer__code", "referred__code", "referred__name"),
    ),
    (
        SatisfactionSurvey,
        "surveys",
        SurveyOut,
        SurveyIn,
        SurveyPatch,
        survey_save,
        can_record_survey,
        ("customer__code", "customer__name", "comment"),
    ),
):
    register_crud(
        router,
        model=model,
        prefix=prefix,
        out_schema=out_schema,
        create_schema=in_schema,
        update_schema=patch_schema,
        save=_service(save),
        can_write=_may(check),
        can_write_object=check,
        search_fields=search,
        actor_aware=True,
    )


# --- a customer's care summary ------------------------------------------------------------------


class AgeingOut(Schema):
    as_of: date
    current: Decimal
    d1_30: Decimal
    d31_60: Decimal
    d61_90: Decimal
    over_90: Decimal
    total: Decimal


class BudgetOut(Schema):
    eligible: bool
    window_start: date
    as_of: date
    share_percent: Decimal
    gross_margin: Decimal
    funded: Decimal
    drawn: Decimal
    available: Decimal


class CareSummaryOut(Schema):
    customer_id: RecordId
    lifecycle_stage: str
    lifecycle_since: date | None
    ageing: AgeingOut
    reward_budget: BudgetOut


@router.get(
    "/customers/{pk}/care",
    response=CareSummaryOut,
    openapi_extra=scoped_model("customers.Customer"),
    operation_id="customer_care_summary",
)
def customer_care_summary(request, pk: int, as_of: date | None = None):
    """A customer's lifecycle stage, receivables ageing and reward budget (on `as_of`)."""
    customer = get_object_or_404(Customer.objects.visible_to(request.user), pk=pk)
    invoices = Invoice.objects.visible_to(request.user).filter(customer=customer)
    ageing = receivables_ageing(invoices=invoices, as_of=as_of)
    budget = reward_budget(customer=customer, as_of=as_of)
    return {
        "customer_id": customer.pk,
        "lifecycle_stage": customer.lifecycle_stage,
        "lifecycle_since": customer.lifecycle_since,
        "ageing": {
            "as_of": ageing.as_of,
            **{name: amount for name, amount in ageing.rows()},
            "total": ageing.total,
        },
        "reward_budget": {
            "eligible": budget.eligible,
            "window_start": budget.window_start,
            "as_of": budget.as_of,
            "share_percent": budget.share_percent,
            "gross_margin": budget.gross_margin,
            "funded": budget.funded,
            "drawn": budget.drawn,
            "available": budget.available,
        },
    }
