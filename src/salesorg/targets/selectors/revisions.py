"""Reads of a plan's revisions and of how its company targets compare to the goal: the
revision history of the plan page, the revisions awaiting a user's decision, the targets
a revision would leave and where they would not add up."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from django.contrib.auth.models import User
from django.db.models import Prefetch, QuerySet

from salesorg.core.scoping import SYSTEM, SystemActor
from salesorg.targets.choices import Metric, OwnerType
from salesorg.targets.decomposition import from_units, to_units
from salesorg.targets.models import (
    AnnualTarget,
    CompanyGoal,
    RevisionCell,
    SalesPlan,
    Target,
    TargetRevision,
)
from salesorg.targets.permissions import can_decide_revision
from salesorg.targets.selectors.plans import (
    Mismatch,
    PlanValues,
    plan_mismatches,
    plan_org,
    plan_values,
)
from salesorg.targets.units import COMPANY, PlanOrg, Unit

GOAL_METRICS = {Metric.SALES: "sales_goal", Metric.GROSS_MARGIN: "gross_margin_goal"}


# --- the goal --------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalLine:
    """A goal amount beside the company's annual realistic target of the same metric."""

    metric: str
    goal: Decimal
    target: Decimal | None  # None: the company has no annual target of this metric

    @property
    def difference(self) -> Decimal:
        """Target − goal (no target counts as zero)."""
        return (self.target or Decimal(0)) - self.goal

    @property
    def matches(self) -> bool:
        return self.target == self.goal

    @property
    def label(self) -> str:
        return str(Metric(self.metric).label)


def goal_lines(
    *, plan: SalesPlan, user: User | SystemActor, values: PlanValues | None = None
) -> list[GoalLine]:
    """The company goal's sales and gross margin beside the company's annual realistic
    targets of the plan (empty when there is no goal of the plan's year); two queries."""
    goal = CompanyGoal.objects.visible_to(user).filter(year=plan.year).first()
    if goal is None:
        return []
    values = values or plan_values(plan=plan, metrics=tuple(GOAL_METRICS), user=SYSTEM)
    lines = []
    for metric, field in GOAL_METRICS.items():
        pair = values.year(COMPANY, metric)
        target = None if pair is None else from_units(units=pair[0], metric=metric)
        lines.append(GoalLine(metric=metric, goal=getattr(goal, field), target=target))
    return lines


def plan_has_targets(*, plan: SalesPlan) -> bool:
    """Has the plan any annual target, or its year any monthly target?"""
    return (
        AnnualTarget.objects.filter(plan=plan).exists()
        or Target.objects.filter(year=plan.year).exists()
    )


def goal_deviations(*, plan: SalesPlan) -> list[GoalLine]:
    """The goal lines where the company's target differs from the goal (system read)."""
    return [line for line in goal_lines(plan=plan, user=SYSTEM) if not line.matches]


# --- revisions -------------------------------------------------------------------------------


def cell_unit(cell: RevisionCell) -> Unit:
    """The unit whose target a revision cell changes."""
    return Unit.of(cell)


def revision_unit(revision: TargetRevision) -> Unit:
    """The unit whose grid a revision was proposed in (the highest, when several)."""
    if revision.owner_type == OwnerType.COMPANY:
        return COMPANY
    return Unit(revision.owner_type, revision.team_id or revision.region_id)


def revision_list(*, plan: SalesPlan, user: User | SystemActor) -> list[TargetRevision]:
    """The plan's revisions the user may see, newest first, with their cells (two queries)."""
    cells = RevisionCell.objects.select_related("person", "team", "region").order_by(
        "metric", "owner_type", "id"
    )
    return list(
        TargetRevision.objects.visible_to(user)
        .filter(plan=plan)
        .select_related("proposed_by", "decided_by", "team", "region")
        .prefetch_related(Prefetch("cells", queryset=cells))
        .order_by("-number")
    )


def revisions_to_decide(*, user: User, limit: int) -> list[TargetRevision]:
    """Pending revisions the user may approve or return, oldest first (one query)."""
    pending: QuerySet[TargetRevision] = (
        TargetRevision.objects.visible_to(user)
        .pending()
        .select_related("plan", "team", "region", "proposed_by")
        .order_by("proposed_at", "id")
    )
    return [revision for revision in pending if can_decide_revision(user, revision)][:limit]


def pending_revision_of(*, plan: SalesPlan, person_id: int | None) -> TargetRevision | None:
    """The person's own revision of the plan still awaiting a decision, if any."""
    if person_id is None:
        return None
    return (
        TargetRevision.objects.filter(plan=plan, proposed_by_id=person_id)
        .pending()
        .select_related("team", "region")
        .first()
    )


def revised_values(*, values: PlanValues, cells: list[RevisionCell]) -> PlanValues:
    """The plan's values as they would be with the cells' new values written."""
    revised = replace(values, annual=dict(values.annual), monthly=dict(values.monthly))
    for cell in cells:
        unit = cell_unit(cell)
        target: dict = revised.annual if cell.month == 0 else revised.monthly
        key = (unit, cell.metric) if cell.month == 0 else (unit, cell.metric, cell.month)
        if cell.new_realistic is None or cell.new_ideal is None:
            target.pop(key, None)
        else:
            target[key] = (
                to_units(value=cell.new_realistic, metric=cell.metric),
                to_units(value=cell.new_ideal, metric=cell.metric),
            )
    return revised


def _mismatch_key(mismatch: Mismatch) -> tuple:
    return (mismatch.unit, mismatch.metric, mismatch.kind, mismatch.month, mismatch.value_kind)


def revision_mismatches(
    *, plan: SalesPlan, cells: list[RevisionCell], org: PlanOrg | None = None
) -> list[Mismatch]:
    """Where the plan would not add up once the cells are written and does add up now (a
    change of the org since publishing is not the revision's doing); five queries."""
    org = org or plan_org()
    metrics = tuple(sorted({cell.metric for cell in cells}))
    if not metrics:
        return []
    values = plan_values(plan=plan, metrics=metrics, user=SYSTEM)
    before = {
        _mismatch_key(m)
        for m in plan_mismatches(plan=plan, metrics=metrics, org=org, values=values, user=SYSTEM)
    }
    after = plan_mismatches(
        plan=plan,
        metrics=metrics,
        org=org,
        values=revised_values(values=values, cells=cells),
        user=SYSTEM,
    )
    return [mismatch for mismatch in after if _mismatch_key(mismatch) not in before]
