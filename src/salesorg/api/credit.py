"""Evaluation, credit-control and development endpoints: customer evaluations and on-demand
re-evaluation (downgrade root causes: api.root_causes), credit approvals of held orders,
development proposals (file, decide) and pipeline items (tick steps, advance, close).

Reads are scoped by `visible_to`; actions name their object in the body and go through the
same services as the pages (PermissionDenied → 403, ValidationError → 400 naming the field).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from salesorg.api.crud import ApiPagination, renamed_errors, scoped_model
from salesorg.api.errors import Forbidden
from salesorg.api.types import Amount, RecordId, optional_query
from salesorg.customers.models import (
    CreditApproval,
    Customer,
    CustomerEvaluation,
    DevelopmentProposal,
    PipelineItem,
    PipelineStep,
)
from salesorg.customers.selectors import credit as credit_selectors
from salesorg.customers.selectors import pipeline as pipeline_selectors
from salesorg.customers.services import credit as credit_services
from salesorg.customers.services import pipeline as pipeline_services

router = Router(tags=["evaluation and development"])


def _scoped(label: str, name: str) -> dict:
    return {"openapi_extra": scoped_model(label), "operation_id": name}


API_FIELD_NAMES = {"customer": "customer_id", "step": "step_id"}


def _call(service, **kwargs):
    """Call a service: PermissionDenied → 403; field errors named as in the payload."""
    try:
        return service(**kwargs)
    except PermissionDenied as error:
        raise Forbidden from error
    except ValidationError as error:
        raise renamed_errors(error, API_FIELD_NAMES) from error


# --- evaluations ----------------------------------------------------------------------------------


class CustomerEvaluationOut(Schema):
    id: int
    customer_id: RecordId
    as_of: date
    score: Decimal
    rating: str = Field(description="AAA, AA, A, B, C, or unrated (too little history).")
    previous_rating: str
    rating_rule: str = Field(
        description="score; new_customer (unrated, provisional limit); dormant (capped)."
    )
    suggested_credit_limit: Decimal
    credit_limit: Decimal | None = Field(description="The customer's limit when evaluated.")
    factors: dict
    is_downgrade: bool


class CustomerEvaluateIn(Schema):
    customer_id: RecordId


@router.get(
    "/evaluations",
    response=list[CustomerEvaluationOut],
    **_scoped("customers.CustomerEvaluation", "evaluation_list"),
)
@paginate(ApiPagination)
def evaluation_list(request, customer_id: int | None = optional_query(), rating: str = ""):
    """Customer evaluations in scope, newest first (filter by customer or rating)."""
    evaluations = CustomerEvaluation.objects.visible_to(request.user)
    if customer_id is not None:
        evaluations = evaluations.filter(customer_id=customer_id)
    if rating:
        evaluations = evaluations.filter(rating=rating)
    return evaluations.order_by("-as_of", "customer_id")


class FactorChangeOut(Schema):
    name: str
    previous: Decimal | None
    current: Decimal | None
    change: Decimal | None = Field(description="current − previous, in the factor's unit.")
    previous_points: Decimal | None
    points: Decimal | None


class CustomerEvaluationDetailOut(CustomerEvaluationOut):
    previous_evaluation_id: RecordId | None = Field(description="The previous rating's.")
    factor_changes: list[FactorChangeOut] = Field(
        description="Each factor's measured value at the previous evaluation and now."
    )


@router.get(
    "/evaluations/{pk}",
    response=CustomerEvaluationDetailOut,
    **_scoped("customers.CustomerEvaluation", "evaluation_get"),
)
def evaluation_get(request, pk: RecordId):
    """One evaluation with its factor breakdown and each factor's change since the previous."""
    evaluation = get_object_or_404(CustomerEvaluation.objects.visible_to(request.user), pk=pk)
    changes = credit_selectors.evaluation_factor_changes(user=request.user, evaluation=evaluation)
    evaluation.previous_evaluation_id = changes["previous"].pk if changes["previous"] else None
    evaluation.factor_changes = changes["rows"]
    return evaluation


@router.post(
    "/evaluations",
    response={201: CustomerEvaluationOut},
    **_scoped("customers.CustomerEvaluation", "evaluation_create"),
)
def evaluation_create(request, payload: CustomerEvaluateIn):
    """Re-evaluate one customer now (team writers of the customer's records)."""
    customer = get_object_or_404(Customer.objects.visible_to(request.user), pk=payload.customer_id)
    return 201, _call(credit_services.customer_reevaluate, customer=customer, actor=request.user)


# --- credit approvals -----------------------------------------------------------------------------


class CreditApprovalOut(Schema):
    id: int
    order_id: RecordId
    status: str
    reasons: str = Field(description="Why the order is held, in the requester's language.")
    order_amount: Decimal
    open_receivables: Decimal
    overdue_over_90: Decimal
    credit_limit: Decimal | None
    requested_by_id: RecordId | None = Field(description="The person who entered the order.")
    requested_by_user_id: RecordId | None = Field(description="Deprecated: their login.")
    requested_at: datetime
    decided_by_id: RecordId | None = Field(description="The person who decided.")
    decided_by_user_id: RecordId | None = Field(description="Deprecated: their login.")
    decided_at: datetime | None
    comment: str

    @staticmethod
    def resolve_reasons(approval: CreditApproval) -> str:
        return "\n".join(approval.reason_texts)

    @staticmethod
    def resolve_requested_by_id(approval: CreditApproval) -> int | None:
        return _person_id(approval.requested_by if approval.requested_by_id else None)

    @staticmethod
    def resolve_decided_by_id(approval: CreditApproval) -> int | None:
        return _person_id(approval.decided_by if approval.decided_by_id else None)

    @staticmethod
    def resolve_requested_by_user_id(approval: CreditApproval) -> int | None:
        return approval.requested_by_id

    @staticmethod
    def resolve_decided_by_user_id(approval: CreditApproval) -> int | None:
        return approval.decided_by_id


def _person_id(user) -> int | None:
    """The person behind a login (None without one)."""
    person = getattr(user, "person", None) if user is not None else None
    return person.pk if person is not None else None


APPROVAL_PEOPLE = ("requested_by__person", "decided_by__person")


class CreditApprovalDecisionIn(Schema):
    approval_id: RecordId
    decision: Literal["approve", "reject"]
    comment: str = ""


@router.get(
    "/credit-approvals",
    response=list[CreditApprovalOut],
    **_scoped("customers.CreditApproval", "credit_approval_list"),
)
@paginate(ApiPagination)
def credit_approval_list(request, status: str = ""):
    """Orders held for credit approval in scope (filter by status: pending …)."""
    approvals = credit_selectors.credit_approvals_list(user=request.user, status=status)
    return approvals.select_related(*APPROVAL_PEOPLE)


@router.get(
    "/credit-approvals/{pk}",
    response=CreditApprovalOut,
    **_scoped("customers.CreditApproval", "credit_approval_get"),
)
def credit_approval_get(request, pk: RecordId):
    """One credit approval."""
    return get_object_or_404(
        CreditApproval.objects.visible_to(request.user).select_related(*APPROVAL_PEOPLE), pk=pk
    )


@router.post(
    "/credit-decisions",
    response=CreditApprovalOut,
    **_scoped("customers.CreditApproval", "credit_approval_decide"),
)
def credit_approval_decide(request, payload: CreditApprovalDecisionIn):
    """A manager approves the held order (confirmed) or rejects it (cancelled)."""
    approval = get_object_or_404(
        CreditApproval.objects.visible_to(request.user).select_related("order"),
        pk=payload.approval_id,
    )
    return _call(
        credit_services.credit_approval_decide,
        approval=approval,
        actor=request.user,
        decision=payload.decision,
        comment=payload.comment,
    )


# --- proposals ------------------------------------------------------------------------------------


class DevelopmentProposalOut(Schema):
    id: int
    rep_id: RecordId
    customer_id: RecordId | None
    prospect_name: str
    market_analysis: str
    competitor_analysis: str
    planned_approach: str
    expected_sales: Decimal
    expected_margin: Decimal
    needed_resources: str
    status: str
    submitted_at: datetime
    decided_by_id: RecordId | None = Field(description="The person who decided.")
    decided_by_user_id: RecordId | None = Field(description="Deprecated: their login.")
    decided_at: datetime | None
    decision_comment: str

    @staticmethod
    def resolve_decided_by_id(proposal: DevelopmentProposal) -> int | None:
        return _person_id(proposal.decided_by if proposal.decided_by_id else None)

    @staticmethod
    def resolve_decided_by_user_id(proposal: DevelopmentProposal) -> int | None:
        return proposal.decided_by_id


class DevelopmentProposalIn(Schema):
    customer_id: RecordId | None = None
    prospect_name: str = Field("", max_length=200)
    market_analysis: str
    competitor_analysis: str
    planned_approach: str
    expected_sales: Amount
    expected_margin: Amount
    needed_resources: str = ""


class DevelopmentProposalDecisionIn(Schema):
    proposal_id: RecordId
    decision: Literal["approve", "return", "reject"]
    comment: str = ""


@router.get(
    "/proposals",
    response=list[DevelopmentProposalOut],
    **_scoped("customers.DevelopmentProposal", "proposal_list"),
)
@paginate(ApiPagination)
def proposal_list(request, status: str = "", mine: str = ""):
    """Development proposals in scope (`mine=decide`: those awaiting the caller's decision)."""
    proposals = pipeline_selectors.proposals_list(user=request.user, status=status, mine=mine)
    return proposals.select_related("decided_by__person")


@router.get(
    "/proposals/{pk}",
    response=DevelopmentProposalOut,
    **_scoped("customers.DevelopmentProposal", "proposal_get"),
)
def proposal_get(request, pk: RecordId):
    """One development proposal."""
    return get_object_or_404(DevelopmentProposal.objects.visible_to(request.user), pk=pk)


@router.post(
    "/proposals",
    response={201: DevelopmentProposalOut},
    **_scoped("customers.DevelopmentProposal", "proposal_create"),
)
def proposal_create(request, payload: DevelopmentProposalIn):
    """File a development proposal (the caller is its rep)."""
    return 201, _call(pipeline_services.proposal_file, actor=request.user, data=payload.dict())


@router.post(
    "/proposal-decisions",
    response=DevelopmentProposalOut,
    **_scoped("customers.DevelopmentProposal", "proposal_decide"),
)
def proposal_decide(request, payload: DevelopmentProposalDecisionIn):
    """The manager approves (a pipeline item is created), returns or rejects a proposal."""
    proposal = get_object_or_404(
        DevelopmentProposal.objects.visible_to(request.user), pk=payload.proposal_id
    )
    return _call(
        pipeline_services.proposal_decide,
        proposal=proposal,
        actor=request.user,
        decision=payload.decision,
        comment=payload.comment,
    )


class DevelopmentProposalResubmitIn(DevelopmentProposalIn):
    proposal_id: RecordId


@router.post(
    "/proposal-resubmissions",
    response=DevelopmentProposalOut,
    **_scoped("customers.DevelopmentProposal", "proposal_resubmit"),
)
def proposal_resubmit(request, payload: DevelopmentProposalResubmitIn):
    """Its rep changes a returned proposal and submits it again (as on the proposal page)."""
    proposal = get_object_or_404(
        DevelopmentProposal.objects.visible_to(request.user), pk=payload.proposal_id
    )
    return _call(
        pipeline_services.proposal_file,
        actor=request.user,
        data=payload.dict(exclude={"proposal_id"}),
        proposal=proposal,
    )


# --- pipeline items -------------------------------------------------------------------------------


class PipelineItemOut(Schema):
    id: int
    proposal_id: RecordId
    rep_id: RecordId
    name: str
    stage_id: RecordId | None
    status: str
    customer_id: RecordId | None
    lost_reason: str
    won_reason: str
    closed_at: datetime | None
    done_step_ids: list[RecordId]

    @staticmethod
    def resolve_done_step_ids(item: PipelineItem) -> list[int]:
        return [check.step_id for check in item.checks.all()]


class PipelineStepTickIn(Schema):
    item_id: RecordId
    step_id: RecordId
    done: bool = True


class PipelineAdvanceIn(Schema):
    item_id: RecordId


class PipelineCloseIn(Schema):
    item_id: RecordId
    outcome: Literal["won", "lost"]
    customer_id: RecordId | None = None
    lost_reason: str = ""
    won_reason: str = ""


def _item(request, item_id: int) -> PipelineItem:
    return get_object_or_404(PipelineItem.objects.visible_to(request.user), pk=item_id)


@router.get(
    "/pipeline-items",
    response=list[PipelineItemOut],
    **_scoped("customers.PipelineItem", "pipeline_item_list"),
)
@paginate(ApiPagination)
def pipeline_item_list(request, status: str = ""):
    """Pipeline items in scope (filter by status: open, won, lost)."""
    items = pipeline_selectors.pipeline_items_list(user=request.user, status=status)
    return items.prefetch_related("checks")


@router.get(
    "/pipeline-items/{pk}",
    response=PipelineItemOut,
    **_scoped("customers.PipelineItem", "pipeline_item_get"),
)
def pipeline_item_get(request, pk: RecordId):
    """One pipeline item with the steps ticked."""
    return _item(request, pk)


@router.post(
    "/pipeline-step-checks",
    response=PipelineItemOut,
    **_scoped("customers.PipelineItem", "pipeline_step_tick"),
)
def pipeline_step_tick(request, payload: PipelineStepTickIn):
    """Tick (or untick) a step of the item's current stage."""
    item = _item(request, payload.item_id)
    step = get_object_or_404(PipelineStep.objects.visible_to(request.user), pk=payload.step_id)
    return _call(
        pipeline_services.pipeline_step_tick,
        item=item,
        step=step,
        actor=request.user,
        done=payload.done,
    )


@router.post(
    "/pipeline-advances",
    response=PipelineItemOut,
    **_scoped("customers.PipelineItem", "pipeline_item_advance"),
)
def pipeline_item_advance(request, payload: PipelineAdvanceIn):
    """Move the item to the next stage (its stage's required steps ticked)."""
    return _call(
        pipeline_services.pipeline_item_advance,
        item=_item(request, payload.item_id),
        actor=request.user,
    )


@router.post(
    "/pipeline-closures",
    response=PipelineItemOut,
    **_scoped("customers.PipelineItem", "pipeline_item_close"),
)
def pipeline_item_close(request, payload: PipelineCloseIn):
    """Close the item as won (optionally with the customer) or lost (with a reason)."""
    return _call(
        pipeline_services.pipeline_item_close,
        item=_item(request, payload.item_id),
        actor=request.user,
        won=payload.outcome == "won",
        customer_id=payload.customer_id,
        reason=payload.won_reason if payload.outcome == "won" else payload.lost_reason,
    )
