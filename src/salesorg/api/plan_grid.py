"""A plan's target grid over the API: cells, decomposition, publishing, mismatches, next year's
proposals, a person's target history and the revisions of a published plan, through the same
services as the pages."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from salesorg.api.crud import scoped_model
from salesorg.api.errors import Forbidden
from salesorg.api.plans import SalesPlanOut
from salesorg.api.types import Amount, RecordId, Year
from salesorg.core.scoping import SYSTEM
from salesorg.org.models import Person
from salesorg.targets.choices import HistoryBasis, Metric, Split, UpliftSource
from salesorg.targets.decomposition import from_units, is_count
from salesorg.targets.models import SalesPlan, TargetRevision
from salesorg.targets.permissions import (
    can_decide_revision,
    can_plan,
    can_write_unit,
)
from salesorg.targets.selectors import grid as grid_selectors
from salesorg.targets.selectors import plans as selectors
from salesorg.targets.selectors import revisions as revision_selectors
from salesorg.targets.selectors.actuals import target_proposals
from salesorg.targets.services.decomposition import plan_unit_decompose
from salesorg.targets.services.grid import grid_save, proposals_apply
from salesorg.targets.services.plans import (
    plan_publish,
    plan_unit_publish,
)
from salesorg.targets.services.revisions import revision_approve, revision_return
from salesorg.targets.units import Unit

router = Router(tags=["plans"])

SCOPED_ROWS = {"x-scoped-rows": True}
PLAN_SCOPED = scoped_model("targets.SalesPlan")


# --- the grid ---------------------------------------------------------------------------------


class PairOut(Schema):
    realistic: str
    ideal: str


class CellOut(Schema):
    month: int = Field(..., description="0 = the year, 1–12 = months")
    realistic: str | None
    ideal: str | None


class GridRowOut(Schema):
    unit: str
    label: str
    code: str
    is_parent: bool
    editable: bool
    cells: list[CellOut]
    quarter_sums: list[PairOut]
    months_sum: PairOut
    months_mismatch: bool


class MismatchOut(Schema):
    unit: str
    metric: str
    kind: str
    month: int | None
    value_kind: str
    expected: str
    actual: str
    text: str


class GridOut(Schema):
    plan_id: RecordId
    metric: str
    unit: str
    complete: bool
    editable: bool
    rows: list[GridRowOut]
    children_sums: list[PairOut]
    children_mismatch: list[bool]
    mismatches: list[MismatchOut]
    revision_id: RecordId | None = Field(
        None, description="a published plan: the revision the saved cells were proposed in"
    )


def _units_text(units: int | None, metric: str) -> str | None:
    if units is None:
        return None
    value = from_units(units=units, metric=metric)
    return str(int(value)) if is_count(metric) else f"{value:.2f}"


def _pair_out(pair, metric: str) -> dict:
    return {"realistic": _units_text(pair[0], metric), "ideal": _units_text(pair[1], metric)}


def _mismatch_out(mismatch: selectors.Mismatch, org) -> dict:
    return {
        "unit": mismatch.unit.key,
        "metric": mismatch.metric,
        "kind": mismatch.kind,
        "month": mismatch.month,
        "value_kind": mismatch.value_kind,
        "expected": _units_text(mismatch.expected, mismatch.metric),
        "actual": _units_text(mismatch.actual, mismatch.metric),
        "text": mismatch.text(org),
    }


def _plan(request, plan_id: int) -> SalesPlan:
    return get_object_or_404(SalesPlan.objects.visible_to(request.user), pk=plan_id)


def _unit(request, key: str, *, field: str = "unit", parent: bool = True) -> Unit:
    """The unit of a key, visible to the caller (404 otherwise; 400 when malformed)."""
    unit = Unit.parse(key)
    if unit is None or (parent and unit.owner_type == "person"):
        raise ValidationError({field: [f"{key!r}: team-<id>, region-<id> or company-0"]})
    if not selectors.unit_visible(user=request.user, unit=unit):
        raise Http404
    return unit


def _grid_out(request, plan: SalesPlan, metric: str, unit: Unit) -> dict:
    grid = grid_selectors.target_grid(
        plan=plan,
        metric=metric,
        parent=unit,
        user=request.user,
        can_write=lambda u: can_write_unit(request.user, u),
    )
    org = selectors.plan_org()
    return {
        "plan_id": plan.pk,
        "metric": metric,
        "unit": unit.key,
        "complete": grid.complete,
        "editable": grid.editable,
        "rows": [
            {
                "unit": row.unit.key,
                "label": row.label,
                "code": row.code,
                "is_parent": row.is_parent,
                "editable": row.editable,
                "cells": [
                    {
                        "month": cell.month,
                        "realistic": cell.realistic or None,
                        "ideal": cell.ideal or None,
                    }
                    for cell in row.cells
                ],
                "quarter_sums": [_pair_out(pair, metric) for pair in row.quarter_sums],
                "months_sum": _pair_out(row.months_sum, metric),
                "months_mismatch": row.months_mismatch,
            }
            for row in grid.rows
        ],
        "children_sums": [_pair_out(pair, metric) for pair in grid.children_sums]
        if grid.complete
        else [],
        "children_mismatch": grid.children_mismatch if grid.complete else [],
        "mismatches": [_mismatch_out(m, org) for m in grid.mismatches],
    }


class GridQuery(Schema):
    plan_id: RecordId
    metric: Metric = Metric.SALES
    unit: str = Field(..., description="team-<id>, region-<id> or company-0")


@router.get("/plan-grid", response=GridOut, openapi_extra=SCOPED_ROWS, operation_id="plan_grid")
def plan_grid(request, query: Query[GridQuery]):
    """A unit and its visible children × the year and 12 months, with sums and mismatches."""
    plan = _plan(request, query.plan_id)
    return _grid_out(request, plan, query.metric, _unit(request, query.unit))


class CellIn(Schema):
    unit: str
    month: int = Field(..., ge=0, le=12, description="0 = the year")
    realistic: Amount | None = None
    ideal: Amount | None = None


class GridIn(Schema):
    plan_id: RecordId
    metric: Metric
    unit: str
    cells: list[CellIn]
    reason: str = Field("", description="a published plan: why its targets change (required)")


@router.post(
    "/plan-grid", response=GridOut, openapi_extra=PLAN_SCOPED, operation_id="plan_grid_save"
)
def plan_grid_save(request, payload: GridIn):
    """Save cells of a grid (blank realistic and ideal = no target): all or none. On a
    published plan the changed cells are proposed as a revision (with `reason`); the
    targets in force change when it is approved."""
    plan = _plan(request, payload.plan_id)
    parent = _unit(request, payload.unit)
    cells = {}
    for cell in payload.cells:
        unit = Unit.parse(cell.unit)
        if unit is None:
            raise ValidationError({"cells": [f"{cell.unit!r}?"]})
        cells[(unit, cell.month)] = (cell.realistic, cell.ideal)
    result = grid_save(
        plan=plan,
        metric=payload.metric,
        parent=parent,
        cells=cells,
        actor=request.user,
        reason=payload.reason,
    )
    out = _grid_out(request, plan, payload.metric, parent)
    out["revision_id"] = result.revision.pk if result.revision else None
    return out


class DecomposeIn(Schema):
    plan_id: RecordId
    metric: Metric
    unit: str
    months: Split = Split.EVEN
    children: Split = Split.EVEN
    basis: HistoryBasis = Field(
        HistoryBasis.LAST_YEAR,
        description="the complete period a split by history follows (never a running year)",
    )
    reference_year: Year | None = Field(
        None, description="basis=reference_year: a year that is over"
    )
    month_parts: list[Amount] | None = Field(None, description="12 realistic months (by hand)")
    child_parts: dict[str, Decimal] | None = Field(
        None, description="realistic year per child unit key (by hand)"
    )


@router.post(
    "/plan-decompose", response=GridOut, openapi_extra=PLAN_SCOPED, operation_id="plan_decompose"
)
def plan_decompose(request, payload: DecomposeIn):
    """Split a unit's year into months and among its children (evenly, by last year, by hand)."""
    plan = _plan(request, payload.plan_id)
    unit = _unit(request, payload.unit)
    child_parts = None
    if payload.child_parts is not None:
        child_parts = {}
        for key, value in payload.child_parts.items():
            child = Unit.parse(key)
            if child is None:
                raise ValidationError({"child_parts": [f"{key!r}?"]})
            child_parts[child] = value
    plan_unit_decompose(
        plan=plan,
        unit=unit,
        metric=payload.metric,
        actor=request.user,
        months=payload.months,
        children=payload.children,
        month_parts=payload.month_parts,
        child_parts=child_parts,
        basis=payload.basis,
        reference_year=payload.reference_year,
        today=timezone.localdate(),
    )
    return _grid_out(request, plan, payload.metric, unit)


class PlanIdIn(Schema):
    plan_id: RecordId
    deviation_reason: str = Field(
        "", description="why the company targets differ from the goal (required if they do)"
    )


@router.post(
    "/plan-publish", response=SalesPlanOut, openapi_extra=PLAN_SCOPED, operation_id="plan_publish"
)
def plan_publish_endpoint(request, payload: PlanIdIn):
    """Publish a plan (director, admin); 400 when it has no targets, where targets don't add
    up, or (`deviation_reason`) when they differ from the goal without a reason."""
    plan = _plan(request, payload.plan_id)
    if not can_plan(request.user):
        raise Forbidden
    return plan_publish(plan=plan, actor=request.user, deviation_reason=payload.deviation_reason)


class UnitPublishIn(Schema):
    plan_id: RecordId
    unit: str


class DecompositionOut(Schema):
    unit: str
    status: str
    published_by_id: RecordId | None
    published_at: datetime | None


@router.post(
    "/plan-unit-publish",
    response=DecompositionOut,
    openapi_extra=PLAN_SCOPED,
    operation_id="plan_unit_publish",
)
def plan_unit_publish_endpoint(request, payload: UnitPublishIn):
    """Publish a unit's decomposition; 400 listing where anything below doesn't add up."""
    plan = _plan(request, payload.plan_id)
    unit = _unit(request, payload.unit)
    decomposition = plan_unit_publish(plan=plan, unit=unit, actor=request.user)
    return {
        "unit": unit.key,
        "status": decomposition.status,
        "published_by_id": decomposition.published_by_id,
        "published_at": decomposition.published_at,
    }


class MismatchQuery(Schema):
    plan_id: RecordId
    unit: str = "company-0"
    metric: Metric | None = None


@router.get(
    "/plan-mismatches",
    response=list[MismatchOut],
    openapi_extra=SCOPED_ROWS,
    operation_id="plan_mismatches",
)
def plan_mismatches(request, query: Query[MismatchQuery]):
    """Every place below a unit where months or children don't add up (the caller's units)."""
    plan = _plan(request, query.plan_id)
    unit = _unit(request, query.unit)
    org = selectors.plan_org()
    found = selectors.plan_mismatches(
        plan=plan,
        root=unit,
        metrics=(query.metric,) if query.metric else None,
        org=org,
        user=SYSTEM,
    )
    visible = selectors.visible_mismatches(mismatches=found, user=request.user, org=org)
    return [_mismatch_out(m, org) for m in visible]


class ProposalQuery(Schema):
    plan_id: RecordId
    metric: Metric = Metric.SALES
    unit: str
    growth_rate: Amount = Field(Decimal("0.1"), description="0.1 = +10%")
    basis: HistoryBasis = Field(HistoryBasis.LAST_YEAR, description="the period of the actuals")
    reference_year: Year | None = Field(
        None, description="basis=reference_year: a year that is over"
    )


class TargetProposalOut(Schema):
    unit: str
    label: str
    actual: str
    actual_period: str = Field(..., description="exactly which months `actual` is from")
    target_realistic: str | None
    target_ideal: str | None
    realistic: str
    ideal: str
    ideal_uplift_percent: str = Field(..., description="ideal = realistic × (1 + this / 100)")
    ideal_uplift_source: UpliftSource
    ideal_uplift_note: str


@router.get(
    "/plan-proposals",
    response=list[TargetProposalOut],
    openapi_extra=SCOPED_ROWS,
    operation_id="plan_proposals",
)
def plan_proposals(request, query: Query[ProposalQuery]):
    """Next year's proposals: a complete period's actual × (1 + growth), at least last year's
    target; the ideal is the realistic × (1 + the plan's uplift), with where it came from."""
    plan = _plan(request, query.plan_id)
    unit = _unit(request, query.unit)
    proposals = target_proposals(
        plan=plan,
        metric=query.metric,
        parent=unit,
        growth_rate=query.growth_rate,
        user=request.user,
        basis=query.basis,
        reference_year=query.reference_year,
        today=timezone.localdate(),
    )
    metric = query.metric
    uplift = proposals.uplift
    return [
        {
            "unit": p.unit.key,
            "label": p.label,
            "actual": _units_text(p.actual, metric),
            "actual_period": proposals.basis.label,
            "target_realistic": _units_text(p.target[0], metric) if p.target else None,
            "target_ideal": _units_text(p.target[1], metric) if p.target else None,
            "realistic": _units_text(p.realistic, metric),
            "ideal": _units_text(p.ideal, metric),
            "ideal_uplift_percent": f"{uplift.percent:.2f}",
            "ideal_uplift_source": uplift.source,
            "ideal_uplift_note": f"{uplift.text} {uplift.source_text}",
        }
        for p in proposals.rows
    ]


class ProposalTargetIn(Schema):
    unit: str
    realistic: Amount
    ideal: Amount | None = None


class ProposalsIn(Schema):
    plan_id: RecordId
    metric: Metric
    unit: str
    targets: list[ProposalTargetIn]


class ChangedOut(Schema):
    changed: int


@router.post(
    "/plan-proposals",
    response=ChangedOut,
    openapi_extra=PLAN_SCOPED,
    operation_id="plan_proposals_apply",
)
def plan_proposals_apply(request, payload: ProposalsIn):
    """Save reviewed proposals as the annual targets of the plan's year."""
    plan = _plan(request, payload.plan_id)
    parent = _unit(request, payload.unit)
    values = {}
    for target in payload.targets:
        unit = Unit.parse(target.unit)
        if unit is None:
            raise ValidationError({"targets": [f"{target.unit!r}?"]})
        values[unit] = (target.realistic, target.ideal)
    changed = proposals_apply(
        plan=plan, metric=payload.metric, parent=parent, values=values, actor=request.user
    )
    return {"changed": changed}


class HistoryOut(Schema):
    year: int
    metric: str
    realistic: Decimal
    ideal: Decimal
    change_percent: Decimal | None


@router.get(
    "/people/{person_id}/target-history",
    response=list[HistoryOut],
    openapi_extra=SCOPED_ROWS,
    operation_id="person_target_history",
)
def person_target_history(request, person_id: RecordId):
    """A person's yearly target totals per metric, year over year."""
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=person_id)
    return [
        {
            "year": row.year,
            "metric": row.metric,
            "realistic": row.realistic,
            "ideal": row.ideal,
            "change_percent": row.change,
        }
        for row in selectors.person_target_history(person=person, user=request.user)
    ]


# --- revisions of a published plan -------------------------------------------------------------


class RevisionCellOut(Schema):
    unit: str
    metric: str
    month: int = Field(..., description="0 = the year, 1–12 = months")
    old_realistic: Decimal | None
    old_ideal: Decimal | None
    new_realistic: Decimal | None
    new_ideal: Decimal | None


class RevisionOut(Schema):
    id: RecordId
    plan_id: RecordId
    number: int
    unit: str
    reason: str
    status: str
    proposed_by_id: RecordId
    proposed_at: datetime
    decided_by_id: RecordId | None
    decided_at: datetime | None
    return_reason: str
    can_decide: bool
    cells: list[RevisionCellOut]


def _revision_out(request, revision) -> dict:
    return {
        "id": revision.pk,
        "plan_id": revision.plan_id,
        "number": revision.number,
        "unit": revision_selectors.revision_unit(revision).key,
        "reason": revision.reason,
        "status": revision.status,
        "proposed_by_id": revision.proposed_by_id,
        "proposed_at": revision.proposed_at,
        "decided_by_id": revision.decided_by_id,
        "decided_at": revision.decided_at,
        "return_reason": revision.return_reason,
        "can_decide": can_decide_revision(request.user, revision),
        "cells": [
            {
                "unit": revision_selectors.cell_unit(cell).key,
                "metric": cell.metric,
                "month": cell.month,
                "old_realistic": cell.old_realistic,
                "old_ideal": cell.old_ideal,
                "new_realistic": cell.new_realistic,
                "new_ideal": cell.new_ideal,
            }
            for cell in revision.cells.all()
        ],
    }


@router.get(
    "/plan-revisions",
    response=list[RevisionOut],
    openapi_extra=SCOPED_ROWS,
    operation_id="plan_revisions",
)
def plan_revisions(request, plan_id: RecordId):
    """A published plan's revisions the user may see, newest first, with old → new cells."""
    plan = _plan(request, plan_id)
    revisions = revision_selectors.revision_list(plan=plan, user=request.user)
    return [_revision_out(request, revision) for revision in revisions]


class RevisionDecisionIn(Schema):
    revision_id: RecordId
    approve: bool = Field(..., description="true: approve; false: return to the proposer")
    return_reason: str = Field("", description="why it is returned (required to return)")


@router.post(
    "/plan-revision-decision",
    response=RevisionOut,
    openapi_extra=scoped_model("targets.TargetRevision"),
    operation_id="plan_revision_decide",
)
def plan_revision_decide(request, payload: RevisionDecisionIn):
    """Approve a pending revision (its targets come in force, all or none) or return it with
    a reason; by the next level above its unit, never its proposer."""
    revision = get_object_or_404(
        TargetRevision.objects.visible_to(request.user).select_related("plan", "team"),
        pk=payload.revision_id,
    )
    if not can_decide_revision(request.user, revision):
        raise Forbidden
    if payload.approve:
        revision = revision_approve(revision=revision, actor=request.user)
    else:
        revision = revision_return(
            revision=revision, actor=request.user, reason=payload.return_reason
        )
    return _revision_out(request, revision)
