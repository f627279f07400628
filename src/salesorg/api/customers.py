"""Customer-care endpoints: rewards, referrals, satisfaction surveys, and a customer's care
summary (lifecycle stage, receivables ageing, reward budget).

Reads are scoped by `visible_to`; writes go through the services of customers/services/care.py,
which check who may record them and answer 400 naming the field.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import partial
from typing import Literal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from salesorg.api.crud import ApiPagination, plain_save, register_crud, scoped_model, versioned_save
from salesorg.api.types import Amount, Day, OptionalCode, RecordId, VersionedPatch
from salesorg.core.fields import CODE_LENGTH
from salesorg.customers.choices import (
    Attitude,
    ContactRole,
    ContactStatus,
    RewardKind,
    RewardStatus,
)
from salesorg.customers.models import Contact, Customer, Referral, Reward, SatisfactionSurvey
from salesorg.customers.permissions import can_record_referral, can_record_reward, can_record_survey
from salesorg.customers.selectors.care import reward_budget, reward_list
from salesorg.customers.selectors.customers import receivables_ageing
from salesorg.customers.selectors.stakeholders import decision_chain
from salesorg.customers.services.care import (
    referral_delete,
    referral_save,
    reward_approve,
    reward_delete,
    reward_save,
    survey_delete,
    survey_save,
)
from salesorg.customers.services.customers import (
    contact_delete,
    contact_save,
    customer_delete,
    customer_save,
)
from salesorg.sales.models import Invoice
from salesorg.sales.permissions import can_create, can_write

router = Router(tags=["customers"])


# --- rewards ------------------------------------------------------------------------------------


class RewardOut(Schema):
    id: int
    customer_id: RecordId
    kind: str
    value: Decimal
    granted_on: date
    status: RewardStatus = Field(description="pending until the approver approves it")
    approved_by_id: RecordId | None = Field(description="the person who approved it")
    approved_at: datetime | None
    note: str
    created_by_id: RecordId | None

    @staticmethod
    def resolve_status(reward) -> str:
        return RewardStatus.APPROVED if reward.is_approved else RewardStatus.PENDING


class RewardIn(Schema):
    customer_id: RecordId
    kind: RewardKind
    value: Amount = Field(..., max_digits=18, decimal_places=2)
    granted_on: Day
    note: str = ""


class RewardPatch(Schema):
    kind: RewardKind = None
    value: Amount = Field(None, max_digits=18, decimal_places=2)
    granted_on: Day = None
    note: str = None


class RewardApprovalIn(Schema):
    reward_id: RecordId


@router.get(
    "/reward-approvals",
    response=list[RewardOut],
    openapi_extra=scoped_model("customers.Reward"),
    operation_id="reward_approval_list",
)
@paginate(ApiPagination)
def reward_approval_list(request, status: str = ""):
    """Rewards the caller may see, by approval status (`pending` or `approved`), newest first."""
    if status and status not in RewardStatus.values:
        raise ValidationError({"status": [_("Use pending or approved.")]})
    return reward_list(user=request.user, status=status)


@router.post(
    "/reward-approvals",
    response=RewardOut,
    openapi_extra=scoped_model("customers.Reward"),
    operation_id="reward_approval_create",
)
def reward_approval_create(request, payload: RewardApprovalIn):
    """Approve a pending reward as the caller (the region head over the customer's owner, the
    director or an admin; never the one who recorded it)."""
    reward = get_object_or_404(Reward.objects.visible_to(request.user), pk=payload.reward_id)
    return reward_approve(reward=reward, actor=request.user)


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
    referred_on: Day
    note: str = ""


class ReferralPatch(Schema):
    referred_id: RecordId = None
    referred_on: Day = None
    note: str = None


# --- satisfaction surveys -----------------------------------------------------------------------


class SurveyOut(Schema):
    id: int
    customer_id: RecordId
    visit_id: RecordId | None
    surveyed_on: date
    overall: int
    recommend: int | None
    comment: str
    source: str
    contact_id: RecordId | None
    recorded_by_id: RecordId | None


class SurveyIn(Schema):
    customer_id: RecordId
    visit_id: RecordId | None = None
    surveyed_on: Day
    overall: int = Field(..., ge=1, le=5)
    comment: str = ""


class SurveyPatch(Schema):
    visit_id: RecordId | None = None
    surveyed_on: Day = None
    overall: int = Field(None, ge=1, le=5)
    comment: str = None


# --- customers and contacts ---------------------------------------------------------------------


class CustomerOut(Schema):
    id: int
    code: str
    name: str
    industry: str
    region_id: RecordId | None
    owner_id: RecordId
    created_date: date
    credit_limit: Decimal | None
    lifecycle_stage: str  # read-only: derived from orders (customers/lifecycle.py)
    lifecycle_since: date | None
    latitude: Decimal | None
    longitude: Decimal | None
    version: int


# A customer's location in degrees (set by hand, or from the first visit checked in there).
Latitude = Field(None, ge=-90, le=90, decimal_places=6, allow_inf_nan=False)
Longitude = Field(None, ge=-180, le=180, decimal_places=6, allow_inf_nan=False)


class CustomerIn(Schema):
    code: str = OptionalCode
    name: str = Field(..., min_length=1, max_length=200)
    industry: str = Field("", max_length=100)
    region_id: RecordId | None = None
    owner_id: RecordId
    created_date: Day
    credit_limit: Amount | None = None
    latitude: Decimal | None = Latitude
    longitude: Decimal | None = Longitude


class CustomerPatch(VersionedPatch):
    code: str = Field(None, min_length=1, max_length=CODE_LENGTH)
    name: str = Field(None, min_length=1, max_length=200)
    industry: str = Field(None, max_length=100)
    region_id: RecordId | None = None
    owner_id: RecordId = None
    created_date: Day = None
    credit_limit: Amount | None = None
    latitude: Decimal | None = Latitude
    longitude: Decimal | None = Longitude


class ContactOut(Schema):
    id: int
    code: str
    customer_id: RecordId
    name: str
    title: str
    role: str
    phone: str
    email: str
    influence: int | None
    attitude: str
    needs: str
    response: str
    status: str
    left_on: date | None
    replaced_by_id: int | None
    version: int


class ContactIn(Schema):
    code: str = OptionalCode
    customer_id: RecordId
    name: str = Field(..., min_length=1, max_length=100)
    title: str = Field("", max_length=100)
    role: ContactRole | Literal[""] = ""
    phone: str = Field("", max_length=50)
    email: str = Field("", max_length=254)
    influence: int | None = Field(None, ge=1, le=5)
    attitude: Attitude | Literal[""] = ""
    needs: str = ""
    response: str = ""
    status: ContactStatus = ContactStatus.ACTIVE
    left_on: Day | None = None
    replaced_by_id: RecordId | None = None


class ContactPatch(VersionedPatch):
    code: str = Field(None, min_length=1, max_length=CODE_LENGTH)
    customer_id: RecordId = None
    name: str = Field(None, min_length=1, max_length=100)
    title: str = Field(None, max_length=100)
    role: ContactRole | Literal[""] = ""
    phone: str = Field(None, max_length=50)
    email: str = Field(None, max_length=254)
    influence: int | None = Field(None, ge=1, le=5)
    attitude: Attitude | Literal[""] = None
    needs: str = None
    response: str = None
    status: ContactStatus = None
    left_on: Day | None = None
    replaced_by_id: RecordId | None = None


def _may(check):
    def model_level(user) -> bool:
        return check(user)

    return model_level


for model, prefix, out_schema, in_schema, patch_schema, save, delete, check, search in (
    (
        Reward,
        "rewards",
        RewardOut,
        RewardIn,
        RewardPatch,
        reward_save,
        reward_delete,
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
        referral_delete,
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
        survey_delete,
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
        save=plain_save(save),
        delete=delete,
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
def customer_care_summary(request, pk: RecordId, as_of: Day | None = None):
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


class ChainChangeOut(Schema):
    field: str = Field(..., description="role, attitude or influence")
    old: str | int | None
    new: str | int | None
    text: str = Field(..., description="The change as shown, in the reader's language.")


class ChainEntryOut(Schema):
    when: datetime
    changed_by: str
    created: bool
    changes: list[ChainChangeOut]


class ChainMemberOut(Schema):
    contact_id: int
    name: str
    title: str
    role: str
    attitude: str
    influence: int | None
    is_key: bool
    history: list[ChainEntryOut]


class ChainGroupOut(Schema):
    key: str = Field(..., description="decision_makers, influencers, supporters, opponents, others")
    label: str
    members: list[ChainMemberOut]


class DecisionChainOut(Schema):
    customer_id: RecordId
    has_decision_maker: bool
    opposing_decision_maker_ids: list[int]
    groups: list[ChainGroupOut]


@router.get(
    "/customers/{pk}/decision-chain",
    response=DecisionChainOut,
    openapi_extra=scoped_model("customers.Customer"),
    operation_id="customer_decision_chain",
)
def customer_decision_chain(request, pk: RecordId):
    """A customer's decision chain (S18): its active stakeholders by role, then attitude, each
    with the history of their role, attitude and influence, newest first."""
    customer = get_object_or_404(Customer.objects.visible_to(request.user), pk=pk)
    chain = decision_chain(user=request.user, customer=customer)
    return {
        "customer_id": customer.pk,
        "has_decision_maker": chain.has_decision_maker,
        "opposing_decision_maker_ids": [c.pk for c in chain.opposing_decision_makers],
        "groups": [
            {
                "key": group.key,
                "label": group.label,
                "members": [_chain_member(member) for member in group.members],
            }
            for group in chain.groups
        ],
    }


def _chain_member(member) -> dict:
    contact = member.contact
    history = [
        {
            "when": entry["when"],
            "changed_by": entry["who"],
            "created": entry["created"],
            "changes": [
                {
                    "field": change["name"],
                    "old": change["old_value"],
                    "new": change["new_value"],
                    "text": change["text"],
                }
                for change in entry["changes"]
            ],
        }
        for entry in member.history
    ]
    return {
        "contact_id": contact.pk,
        "name": contact.name,
        "title": contact.title,
        "role": contact.role,
        "attitude": contact.attitude,
        "influence": contact.influence,
        "is_key": contact.is_key,
        "history": history,
    }


for model, prefix, out_schema, in_schema, patch_schema, save, delete, search in (
    (
        Customer,
        "customers",
        CustomerOut,
        CustomerIn,
        CustomerPatch,
        versioned_save(customer_save),
        customer_delete,
        ("code", "name", "industry"),
    ),
    (
        Contact,
        "contacts",
        ContactOut,
        ContactIn,
        ContactPatch,
        versioned_save(contact_save),
        contact_delete,
        ("code", "name", "customer__code"),
    ),
):
    register_crud(
        router,
        model=model,
        prefix=prefix,
        out_schema=out_schema,
        create_schema=in_schema,
        update_schema=patch_schema,
        save=save,
        delete=delete,
        can_write=partial(can_create, model=model),
        can_write_object=can_write,
        search_fields=search,
        actor_aware=True,
        write_only=("version",),
    )
