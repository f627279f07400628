"""Writes of new-customer development (S17): proposals filed by reps and decided by their manager;
approved proposals become pipeline items that move through the configured stages, a stage's
required steps ticked before moving on, and end won (optionally with the customer) or lost."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from salesorg.core.problems import Problems
from salesorg.core.roles import person_of
from salesorg.customers.models import (
    Customer,
    DevelopmentProposal,
    PipelineItem,
    PipelineItemStatus,
    PipelineStage,
    PipelineStageEntry,
    PipelineStep,
    PipelineStepCheck,
    ProposalStatus,
)
from salesorg.customers.permissions import can_decide_proposal, can_file_proposal, can_work_item
from salesorg.customers.selectors.pipeline import pipeline_missing_steps

PROPOSAL_TEXT_FIELDS = ("market_analysis", "competitor_analysis", "planned_approach")


class ProposalDecision:
    APPROVE = "approve"
    RETURN = "return"
    REJECT = "reject"
    CHOICES = (APPROVE, RETURN, REJECT)


def _proposal_check(problems: Problems, data: dict, user: User) -> None:
    customer_id = data.get("customer_id")
    if customer_id is not None:
        if not Customer.objects.visible_to(user).filter(pk=customer_id).exists():
            problems.add("customer", _("Unknown customer: %(pk)s.") % {"pk": customer_id})
    elif not (data.get("prospect_name") or "").strip():
        problems.add("prospect_name", _("Name the target customer or the prospect."))
    for name in PROPOSAL_TEXT_FIELDS:
        if not (data.get(name) or "").strip():
            problems.add(name, _("This field is required."))
    for name in ("expected_sales", "expected_margin"):
        value = data.get(name)
        if value is None:
            problems.add(name, _("This field is required."))
        elif Decimal(value) < 0:
            problems.add(name, _("This cannot be negative."))
    sales, margin = data.get("expected_sales"), data.get("expected_margin")
    if sales is not None and margin is not None and Decimal(margin) > Decimal(sales):
        problems.add("expected_margin", _("The margin cannot exceed the sales."))


@transaction.atomic
def proposal_file(
    *, actor: User, data: dict, proposal: DevelopmentProposal | None = None
) -> DevelopmentProposal:
    """File a new proposal, or resubmit a returned one with changes (by its rep)."""
    rep = person_of(actor)
    if proposal is None:
        if not can_file_proposal(actor) or rep is None:
            raise PermissionDenied
        proposal = DevelopmentProposal(rep=rep)
    else:
        if proposal.rep_id != getattr(rep, "pk", None):
            raise PermissionDenied
        if proposal.status != ProposalStatus.RETURNED:
            problems = Problems()
            problems.add("status", _("Only a returned proposal can be changed."))
            problems.raise_if_any()
    problems = Problems()
    _proposal_check(problems, data, actor)
    problems.raise_if_any()
    proposal.customer_id = data.get("customer_id")
    proposal.prospect_name = (data.get("prospect_name") or "").strip()
    for name in PROPOSAL_TEXT_FIELDS:
        setattr(proposal, name, data[name].strip())
    proposal.expected_sales = Decimal(data["expected_sales"])
    proposal.expected_margin = Decimal(data["expected_margin"])
    proposal.needed_resources = (data.get("needed_resources") or "").strip()
    proposal.status = ProposalStatus.SUBMITTED
    proposal.full_clean()
    proposal.save()
    return proposal


@transaction.atomic
def proposal_decide(
    *, proposal: DevelopmentProposal, actor: User, decision: str, comment: str = ""
) -> DevelopmentProposal:
    """The manager approves (a pipeline item at the first stage), returns or rejects."""
    if not can_decide_proposal(actor, proposal):
        raise PermissionDenied
    proposal = DevelopmentProposal.objects.select_for_update().get(pk=proposal.pk)
    problems = Problems()
    if proposal.status != ProposalStatus.SUBMITTED:
        problems.add("status", _("Only a submitted proposal can be decided."))
    if decision not in ProposalDecision.CHOICES:
        problems.add("decision", _("Approve, return or reject the proposal."))
    if (
        decision in (ProposalDecision.RETURN, ProposalDecision.REJECT)
        and not (comment or "").strip()
    ):
        problems.add("comment", _("Give the rep your reasons."))
    problems.raise_if_any()
    proposal.status = {
        ProposalDecision.APPROVE: ProposalStatus.APPROVED,
        ProposalDecision.RETURN: ProposalStatus.RETURNED,
        ProposalDecision.REJECT: ProposalStatus.REJECTED,
    }[decision]
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.decision_comment = (comment or "").strip()
    proposal.save()
    if decision == ProposalDecision.APPROVE:
        item = PipelineItem.objects.create(
            proposal=proposal,
            rep_id=proposal.rep_id,
            customer_id=proposal.customer_id,
            name=proposal.target_name[:200],
            stage=PipelineStage.objects.filter(active=True).order_by("position", "pk").first(),
        )
        _stage_enter(item, item.created_at)
    return proposal


def _stage_enter(item: PipelineItem, when) -> None:
    """Record that the item entered its current stage (the funnel's days per stage)."""
    if item.stage_id is not None:
        PipelineStageEntry.objects.get_or_create(
            item=item, stage_id=item.stage_id, defaults={"entered_at": when}
        )


def _stage_leave(item: PipelineItem, when) -> None:
    """Record that the item left its current stage (advanced or closed)."""
    PipelineStageEntry.objects.filter(
        item=item, stage_id=item.stage_id, left_at__isnull=True
    ).update(left_at=when)


def _open_item(item: PipelineItem, problems: Problems) -> None:
    if item.status != PipelineItemStatus.OPEN:
        problems.add("status", _("This pipeline item is closed."))


@transaction.atomic
def pipeline_step_tick(
    *, item: PipelineItem, step: PipelineStep, actor: User, done: bool = True
) -> PipelineItem:
    """Tick (or untick) a step of the item's current stage."""
    if not can_work_item(actor, item):
        raise PermissionDenied
    problems = Problems()
    _open_item(item, problems)
    if step.stage_id != item.stage_id:
        problems.add("step", _("This step is not a step of the item's current stage."))
    problems.raise_if_any()
    if done:
        PipelineStepCheck.objects.get_or_create(item=item, step=step, defaults={"done_by": actor})
    else:
        for check in PipelineStepCheck.objects.filter(item=item, step=step):
            check.delete()
    return item


@transaction.atomic
def pipeline_item_advance(*, item: PipelineItem, actor: User) -> PipelineItem:
    """Move an item to the next active stage once its stage's required steps are ticked."""
    if not can_work_item(actor, item):
        raise PermissionDenied
    item = PipelineItem.objects.select_for_update().get(pk=item.pk)
    problems = Problems()
    _open_item(item, problems)
    missing = pipeline_missing_steps(user=actor, item=item)
    if missing:
        problems.add(
            "stage",
            _("Tick the required steps first: %(steps)s.")
            % {"steps": ", ".join(step.label for step in missing)},
        )
    stages = PipelineStage.objects.filter(active=True).order_by("position", "pk")
    current = item.stage
    following = (
        stages.filter(position__gt=current.position)
        | stages.filter(position=current.position, pk__gt=current.pk)
        if current
        else stages
    )
    next_stage = following.order_by("position", "pk").first()
    if next_stage is None and not missing:
        problems.add("stage", _("This is the last stage: close the item as won or lost."))
    problems.raise_if_any()
    now = timezone.now()
    _stage_leave(item, now)
    item.stage = next_stage
    item.save()
    _stage_enter(item, now)
    return item


@transaction.atomic
def pipeline_item_close(
    *, item: PipelineItem, actor: User, won: bool, customer_id: int | None = None, reason: str = ""
) -> PipelineItem:
    """Close an item as won (optionally linking the customer, with an optional reason) or
    lost (with a reason)."""
    if not can_work_item(actor, item):
        raise PermissionDenied
    item = PipelineItem.objects.select_for_update().get(pk=item.pk)
    problems = Problems()
    _open_item(item, problems)
    if won:
        if customer_id is not None and not (
            Customer.objects.visible_to(actor).filter(pk=customer_id).exists()
        ):
            problems.add("customer", _("Unknown customer: %(pk)s.") % {"pk": customer_id})
        if missing := pipeline_missing_steps(user=actor, item=item):
            problems.add(
                "stage",
                _("Tick the required steps first: %(steps)s.")
                % {"steps": ", ".join(step.label for step in missing)},
            )
    elif not (reason or "").strip():
        problems.add("lost_reason", _("Say why the customer was lost."))
    problems.raise_if_any()
    item.status = PipelineItemStatus.WON if won else PipelineItemStatus.LOST
    if won and customer_id is not None:  # else the proposal's customer stays
        item.customer_id = customer_id
    item.lost_reason = "" if won else reason.strip()
    item.won_reason = (reason or "").strip() if won else ""
    item.closed_at = timezone.now()
    item.save()
    _stage_leave(item, item.closed_at)
    return item
