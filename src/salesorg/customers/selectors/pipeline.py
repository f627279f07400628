"""Reads of new-customer development (S17): proposals, pipeline items, their stages and steps."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import Prefetch, QuerySet

from salesorg.core.roles import COMPANY_WIDE, role_of
from salesorg.core.scoping import SystemActor, scope_for
from salesorg.customers.models import (
    DevelopmentProposal,
    PipelineItem,
    PipelineItemStatus,
    PipelineStage,
    PipelineStep,
    PipelineStepCheck,
    ProposalStatus,
)
from salesorg.org.models import Person


def proposals_list(
    *, user: User | SystemActor, status: str = "", mine: str = ""
) -> QuerySet[DevelopmentProposal]:
    """Proposals in scope, newest first; `mine` = "decide" for those the user decides."""
    proposals = DevelopmentProposal.objects.visible_to(user).select_related("rep", "customer")
    if status in ProposalStatus.values:
        proposals = proposals.filter(status=status)
    if mine == "decide":
        scope = scope_for(user)
        proposals = proposals.filter(status=ProposalStatus.SUBMITTED)
        if role_of(user) not in COMPANY_WIDE:
            proposals = proposals.filter(rep_id__in=scope.person_ids).exclude(
                rep_id=scope.person_id
            )
    return proposals


def proposal_pipeline_item(
    *, user: User | SystemActor, proposal: DevelopmentProposal
) -> PipelineItem | None:
    """The pipeline item an approved proposal became, if the user may see it."""
    return PipelineItem.objects.visible_to(user).filter(proposal=proposal).first()


def pipeline_items_list(*, user: User | SystemActor, status: str = "") -> QuerySet[PipelineItem]:
    """Pipeline items in scope with their stage, open ones first."""
    items = PipelineItem.objects.visible_to(user).select_related("rep", "stage", "customer")
    if status in PipelineItemStatus.values:
        items = items.filter(status=status)
    return items.order_by("-status", "stage__position", "-created_at")


def pipeline_item_steps(
    *, user: User | SystemActor, item: PipelineItem
) -> list[tuple[PipelineStep, bool]]:
    """The steps of the item's current stage with whether each is ticked (two queries)."""
    if item.stage_id is None:
        return []
    done = set(PipelineStepCheck.objects.filter(item=item).values_list("step_id", flat=True))
    steps = (
        PipelineStep.objects.visible_to(user)
        .filter(stage_id=item.stage_id)
        .order_by("position", "pk")
    )
    return [(step, step.pk in done) for step in steps]


def pipeline_missing_steps(*, user: User | SystemActor, item: PipelineItem) -> list[PipelineStep]:
    """Required steps of the item's current stage not yet ticked."""
    if item.stage_id is None:
        return []
    done = PipelineStepCheck.objects.filter(item=item).values("step_id")
    return list(
        PipelineStep.objects.visible_to(user)
        .filter(stage_id=item.stage_id, required=True)
        .exclude(pk__in=done)
    )


def pipeline_stages(*, user: User | SystemActor) -> QuerySet[PipelineStage]:
    """Active stages with their steps, in order (company configuration)."""
    return (
        PipelineStage.objects.visible_to(user)
        .filter(active=True)
        .prefetch_related(
            Prefetch("steps", queryset=PipelineStep.objects.order_by("position", "pk"))
        )
    )


def proposals_waiting_count(*, user: User | SystemActor, person: Person | None) -> int:
    """How many proposals in scope await a decision, not counting `person`'s own."""
    return (
        DevelopmentProposal.objects.visible_to(user)
        .filter(status=ProposalStatus.SUBMITTED)
        .exclude(rep=person)
        .count()
    )
