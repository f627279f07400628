"""Who may write the customers app's records (reads are scoped by `visible_to` alone): care
records, evaluations and their root causes, credit approvals, proposals and the pipeline.

Customers and contacts themselves follow the sales records' rule (sales.permissions).
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import Model

from salesorg.core.roles import COMPANY_WIDE, UNIT_LEADERS, Role, role_of
from salesorg.core.scoping import scope_for
from salesorg.customers.models import (
    CreditApproval,
    Customer,
    DevelopmentProposal,
    PipelineItem,
    Referral,
    Reward,
    RootCause,
    SatisfactionSurvey,
)
from salesorg.sales.permissions import can_write

# --- care ---------------------------------------------------------------------------------------


def can_record_for_customer(user: User, owner_id: int | None, *, reps_too: bool) -> bool:
    """Director/admin always; leaders for customers in their scope; reps (when allowed) for
    their own customers."""
    role = role_of(user)
    if role in COMPANY_WIDE:
        return True
    scope = scope_for(user)
    if role in UNIT_LEADERS:
        return owner_id is None or owner_id in scope.person_ids
    if role == Role.REP and reps_too:
        return owner_id is None or owner_id == scope.person_id
    return False


def _owner_id(record: Model | None, field: str) -> int | None:
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


def can_record_reward(user: User, reward: Reward | None = None) -> bool:
    """Rewards are recorded by leaders of the customer's owner, director and admin."""
    return can_record_for_customer(user, _owner_id(reward, "customer"), reps_too=False)


def can_approve_reward(user: User, reward: Reward) -> bool:
    """A reward is approved by the level above its recorder: the region head over the
    customer's owner, the director or an admin; never by the one who recorded it (the
    director and admins excepted: nobody is above them)."""
    role = role_of(user)
    if role in COMPANY_WIDE:
        return True
    scope = scope_for(user)
    if role != Role.REGION_HEAD or reward.created_by_id == scope.person_id:
        return False
    return _owner_id(reward, "customer") in scope.person_ids


def can_record_referral(user: User, referral: Referral | None = None) -> bool:
    """Referrals are recorded by the referrer's owner, their leaders, director and admin."""
    return can_record_for_customer(user, _owner_id(referral, "referrer"), reps_too=True)


def can_record_survey(user: User, survey: SatisfactionSurvey | None = None) -> bool:
    """Surveys are recorded by the customer's owner, their leaders, director and admin."""
    return can_record_for_customer(user, _owner_id(survey, "customer"), reps_too=True)


def can_change_care_settings(user: User) -> bool:
    """Lifecycle thresholds and the reward share are set by the director and admin."""
    return role_of(user) in COMPANY_WIDE


# --- credit control -----------------------------------------------------------------------------


def can_decide_credit(user: User, approval: CreditApproval) -> bool:
    """Leaders above the order's rep (not the rep themselves), director and admin."""
    role = role_of(user)
    if role in COMPANY_WIDE:
        return True
    if role not in UNIT_LEADERS:
        return False
    scope = scope_for(user)
    rep_id = approval.order.rep_id
    return rep_id in scope.person_ids and rep_id != scope.person_id


# --- evaluation and root causes -----------------------------------------------------------------


def can_reevaluate(user: User, customer: Customer) -> bool:
    """Who may re-evaluate a customer on demand: whoever may write the customer's records."""
    return can_write(user, customer)


def can_change_scoring_model(user: User) -> bool:
    """Director and admin configure the scoring model."""
    return role_of(user) in COMPANY_WIDE


def can_complete_root_cause(user: User, cause: RootCause) -> bool:
    """The owner completes their root cause (director and admin may stand in)."""
    role = role_of(user)
    return role in COMPANY_WIDE or (
        role is not None and cause.owner_id == scope_for(user).person_id
    )


def can_review_root_cause(user: User, cause: RootCause) -> bool:
    """The named reviewer, a leader who sees the owner's records (not the owner), director,
    admin."""
    role = role_of(user)
    if role in COMPANY_WIDE:
        return True
    scope = scope_for(user)
    if scope.person_id is None or cause.owner_id == scope.person_id:
        return False
    if cause.reviewer_id == scope.person_id:
        return True
    return role in UNIT_LEADERS and cause.owner_id in scope.person_ids


def can_plan_root_cause(user: User, cause: RootCause) -> bool:
    """Who adds action items to a downgrade's plan: whoever completes or reviews it."""
    return can_complete_root_cause(user, cause) or can_review_root_cause(user, cause)


# --- new-customer development -------------------------------------------------------------------


def can_record_competitor_note(user: User, customer: Customer) -> bool:
    """May the user record a competitor note on this customer (targets' research, where
    leaders record any note): reps on their own customers, leaders in their scope."""
    return can_record_for_customer(user, customer.owner_id, reps_too=True)


def can_file_proposal(user: User) -> bool:
    """Reps and leaders file proposals for themselves."""
    return role_of(user) in (Role.REP, Role.MANAGER, Role.REGION_HEAD)


def can_decide_proposal(user: User, proposal: DevelopmentProposal) -> bool:
    """A leader above the proposal's rep (not the rep), director, admin."""
    role = role_of(user)
    if role in COMPANY_WIDE:
        return True
    scope = scope_for(user)
    return (
        role in UNIT_LEADERS
        and proposal.rep_id in scope.person_ids
        and proposal.rep_id != scope.person_id
    )


def can_work_item(user: User, item: PipelineItem) -> bool:
    """The item's rep, leaders above them, director, admin."""
    role = role_of(user)
    if role in COMPANY_WIDE:
        return True
    scope = scope_for(user)
    if item.rep_id == scope.person_id and role is not None:
        return True
    return role in UNIT_LEADERS and item.rep_id in scope.person_ids
