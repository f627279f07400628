"""Who may write the customers app's records (reads are scoped by `visible_to` alone): care
records, evaluations and their root causes, credit approvals, proposals and the pipeline.

Customers and contacts themselves follow the sales records' rule (sales.permissions).
"""

from __future__ import annotations

from django.contrib.auth.models import User

from salesorg.core.roles import COMPANY_WIDE, UNIT_LEADERS, Role, role_of
from salesorg.core.scoping import scope_for
from salesorg.customers.models import (
    Customer,
    DevelopmentProposal,
    PipelineItem,
    RootCause,
)
from salesorg.sales.permissions import can_write

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


# --- new-customer development -------------------------------------------------------------------


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
