"""New-customer development (S17): proposals filed by reps and decided by their manager;
approved proposals become pipeline items that move through the configured stages, a stage's
required steps ticked before moving on, and end won (optionally with the customer) or lost."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from salesorg.core.problems import Problems
from salesorg.core.roles import Role, person_of, role_of
from salesorg.core.scoping import scope_for
from salesorg.customers.models import (
    Customer,
    DevelopmentProposal,
    PipelineItem,
    PipelineItemStatus,
    PipelineStage,
    PipelineStep,
    PipelineStepCheck,
    ProposalStatus,
)

ALL_ROLES = frozenset({Role.DIRECTOR, Role.ADMIN})
LEADERS = frozenset({Role.MANAGER, Role.REGION_HEAD})
PROPOSAL_TEXT_FIELDS = ("market_analysis", "competitor_analysis", "planned_approach")


class ProposalDecision:
    APPROVE = "approve"
    RETURN = "return"
    REJECT = "reject"
    CHOICES = (APPROVE, RETURN, REJECT)


def can_file_proposal(user) -> bool:
    """Reps and leaders file proposals for themselves."""
    return role_of(user) in (Role.REP, Role.MANAGER, Role.REGION_HEAD)


def can_decide_proposal(user, proposal: DevelopmentProposal) -> bool:
    """A leader above the proposal's rep (not the rep), director, admin."""
    role = role_of(user)
    if role in ALL_ROLES:
        return True
    scope = scope_for(user)
    return (
        role in LEADERS
        and proposal.rep_id in scope.person_ids
        and proposal.rep_id != scope.person_id
    )


def can_work_item(user, item: PipelineItem) -> bool:
    """The item's rep, leaders above them, director, admin."""
    role = role_of(user)
    if role in ALL_ROLES:
        return True
    scope = scope_for(user)
    if item.rep_id == scope.person_id and role is not None:
        return True
    return role in LEADERS and item.rep_id in scope.person_ids


def _proposal_check(problems: Problems, data: dict, user) -> None:
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
def proposal_file(*, actor, data: dict, proposal: DevelopmentProposal | None = None):
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
    *, proposal: DevelopmentProposal, actor, decision: str, comment: str = ""
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
        PipelineItem.objects.create(
            proposal=proposal,
            rep_id=proposal.rep_id,
            name=proposal.target_name[:200],
            stage=PipelineStage.objects.filter(active=True).order_by("position", "pk").first(),
        )
    return proposal


def _open_item(item: PipelineItem, problems: Problems) -> None:
    if item.status != PipelineItemStatus.OPEN:
        problems.add("status", _("This pipeline item is closed."))


@transaction.atomic
def pipeline_step_tick(*, item: PipelineItem, step: PipelineStep, actor, done: bool = True):
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


def missing_steps(item: PipelineItem) -> list[PipelineStep]:
    """Required steps of the item's current stage not yet ticked."""
    if item.stage_id is None:
        return []
    done = PipelineStepCheck.objects.filter(item=item).values("step_id")
    return list(
        PipelineStep.objects.filter(stage_id=item.stage_id, required=True).exclude(pk__in=done)
    )


@transaction.atomic
def pipeline_item_advance(*, item: PipelineItem, actor) -> PipelineItem:
    """Move an item to the next active stage once its stage's required steps are ticked."""
    if not can_work_item(actor, item):
        raise PermissionDenied
    item = PipelineItem.objects.select_for_update().get(pk=item.pk)
    problems = Problems()
    _open_item(item, problems)
    missing = missing_steps(item)
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
    item.stage = next_stage
    item.save()
    return item


@transaction.atomic
def pipeline_item_close(
    *, item: PipelineItem, actor, won: bool, customer_id: int | None = None, reason: str = ""
) -> PipelineItem:
    """Close an item as won (optionally linking the customer) or lost (with a reason)."""
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
        if missing := missing_steps(item):
            problems.add(
                "stage",
                _("Tick the required steps first: %(steps)s.")
                % {"steps": ", ".join(step.label for step in missing)},
            )
    elif not (reason or "").strip():
        problems.add("lost_reason", _("Say why the customer was lost."))
    problems.raise_if_any()
    item.status = PipelineItemStatus.WON if won else PipelineItemStatus.LOST
    item.customer_id = customer_id if won else item.customer_id
    item.lost_reason = "" if won else reason.strip()
    item.closed_at = timezone.now()
    item.save()
    return item


def proposals_list(*, user, status: str = "", mine: str = "") -> QuerySet[DevelopmentProposal]:
    """Proposals in scope, newest first; `mine` = "decide" for those the user decides."""
    proposals = DevelopmentProposal.objects.visible_to(user).select_related("rep", "customer")
    if status in ProposalStatus.values:
        proposals = proposals.filter(status=status)
    if mine == "decide":
        scope = scope_for(user)
        proposals = proposals.filter(status=ProposalStatus.SUBMITTED)
        if role_of(user) not in ALL_ROLES:
            proposals = proposals.filter(rep_id__in=scope.person_ids).exclude(
                rep_id=scope.person_id
            )
    return proposals


def pipeline_items_list(*, user, status: str = "") -> QuerySet[PipelineItem]:
    """Pipeline items in scope with their stage, open ones first."""
    items = PipelineItem.objects.visible_to(user).select_related("rep", "stage", "customer")
    if status in PipelineItemStatus.values:
        items = items.filter(status=status)
    return items.order_by("-status", "stage__position", "-created_at")


def pipeline_item_steps(item: PipelineItem) -> list[tuple[PipelineStep, bool]]:
    """The steps of the item's current stage with whether each is ticked (two queries)."""
    if item.stage_id is None:
        return []
    done = set(PipelineStepCheck.objects.filter(item=item).values_list("step_id", flat=True))
    steps = PipelineStep.objects.filter(stage_id=item.stage_id).order_by("position", "pk")
    return [(step, step.pk in done) for step in steps]


def pipeline_stages() -> QuerySet[PipelineStage]:
    """Active stages with their steps, in order."""
    return PipelineStage.objects.filter(active=True).prefetch_related(
        Prefetch("steps", queryset=PipelineStep.objects.order_by("position", "pk"))
    )
