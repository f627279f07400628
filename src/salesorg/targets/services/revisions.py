"""Writes of a published plan's revisions: propose changed targets with a reason, approve
them (they are written, all or none) or return them with a reason. Who decides is in
`targets.permissions.can_decide_revision`.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from salesorg.core.problems import Problems
from salesorg.core.roles import person_of
from salesorg.core.scoping import SYSTEM
from salesorg.targets.choices import Metric, OwnerType
from salesorg.targets.decomposition import from_units, to_units
from salesorg.targets.models import (
    Decomposition,
    PlanStatus,
    RevisionCell,
    RevisionStatus,
    SalesPlan,
    TargetRevision,
)
from salesorg.targets.permissions import can_decide_revision
from salesorg.targets.selectors.plans import PlanValues, plan_org, plan_values
from salesorg.targets.selectors.revisions import (
    cell_unit,
    pending_revision_of,
    revision_mismatches,
    revision_unit,
)
from salesorg.targets.services.plans import mismatch_message
from salesorg.targets.services.target_writes import (
    ValuePair,
    annual_target_write,
    month_target_write,
)
from salesorg.targets.units import COMPANY, PlanOrg, Unit

Cell = tuple[Unit, int]  # (unit, month); month 0 = the year


def common_unit(org: PlanOrg, first: Unit, second: Unit) -> Unit:
    """The lowest unit that holds both (the company when they share nothing else)."""
    above = [first]
    while above[-1] in org.parent:
        above.append(org.parent[above[-1]])
    unit = second
    while unit not in above and unit in org.parent:
        unit = org.parent[unit]
    return unit if unit in above else COMPANY


def _set_unit(revision: TargetRevision, unit: Unit) -> None:
    revision.team_id = revision.region_id = None
    for name, value in unit.decomposition_fields().items():
        setattr(revision, name, value)


def _decimals(pair, metric: str) -> ValuePair:
    if pair is None:
        return None, None
    return from_units(units=pair[0], metric=metric), from_units(units=pair[1], metric=metric)


@transaction.atomic
def revision_propose(
    *,
    plan: SalesPlan,
    parent: Unit,
    metric: str,
    changes: dict[Cell, ValuePair],
    reason: str,
    actor: User,
    org: PlanOrg,
    values: PlanValues,
) -> TargetRevision | None:
    """Propose the changed cells of a published plan's grid as a revision, or add them to
    the proposer's revision still awaiting a decision: nothing in force changes until it is
    approved. Returns None when the cells only undo what the pending revision proposed."""
    problems = Problems()
    person = person_of(actor)
    if person is None:
        problems.add("plan", _("Only a person of the organisation proposes a revision."))
        problems.raise_if_any()
    reason = (reason or "").strip()
    SalesPlan.objects.select_for_update().filter(pk=plan.pk).first()  # one number at a time
    revision = pending_revision_of(plan=plan, person_id=person.pk)
    if revision is None and not reason:
        problems.add("reason", _("Say why the targets of a published plan change."))
    problems.raise_if_any()
    if revision is None:
        latest = TargetRevision.objects.filter(plan=plan).aggregate(latest=Max("number"))
        revision = TargetRevision(
            plan=plan,
            number=(latest["latest"] or 0) + 1,
            reason=reason,
            proposed_by=person,
            proposed_at=timezone.now(),
        )
        _set_unit(revision, parent)
    else:
        _set_unit(revision, common_unit(org, revision_unit(revision), parent))
        revision.reason = reason or revision.reason
    revision.save()
    existing = {(cell_unit(c), c.metric, c.month): c for c in revision.cells.all()}
    for (unit, month), (realistic, ideal) in changes.items():
        cell = existing.get((unit, metric, month))
        if cell is None:
            saved = values.year(unit, metric) if month == 0 else values.month(unit, metric, month)
            cell = RevisionCell(revision=revision, metric=metric, month=month)
            for name, value in unit.owner_fields().items():
                setattr(cell, name, value)
            cell.old_realistic, cell.old_ideal = _decimals(saved, metric)
        cell.new_realistic, cell.new_ideal = realistic, ideal
        if (cell.new_realistic, cell.new_ideal) == (cell.old_realistic, cell.old_ideal):
            if cell.pk:
                cell.delete()
            continue
        cell.save()
    if not revision.cells.exists():
        revision.delete()
        return None
    return revision


def _decider(actor: User, revision: TargetRevision) -> TargetRevision:
    """The revision read again under a lock, if the actor may still decide it."""
    fresh = (
        TargetRevision.objects.select_for_update(of=("self",))  # not the nullable team
        .select_related("plan", "team")
        .filter(pk=revision.pk)
        .first()
    )
    if fresh is None or not can_decide_revision(actor, fresh):
        raise ValidationError(
            {"revision": [_("You may not decide on this revision, or it is decided already.")]}
        )
    return fresh


def cell_place(cell: RevisionCell, org: PlanOrg) -> str:
    """Where a cell is, e.g. "East 1, Sales amount, month 3" (or "…, the year")."""
    period = _("the year") if cell.month == 0 else _("month %(month)s") % {"month": cell.month}
    return _("%(unit)s, %(metric)s, %(period)s") % {
        "unit": org.label(cell_unit(cell)),
        "metric": Metric(cell.metric).label,
        "period": period,
    }


def _units(value: Decimal | None, metric: str) -> int | None:
    return None if value is None else to_units(value=value, metric=metric)


@transaction.atomic
def revision_approve(*, revision: TargetRevision, actor: User) -> TargetRevision:
    """Approve a pending revision: its new values become the targets in force, all or none;
    refused if a cell changed since it was proposed or the result would not add up."""
    revision = _decider(actor, revision)
    plan, problems, org = revision.plan, Problems(), plan_org()
    cells = list(revision.cells.all())
    metrics = tuple(sorted({cell.metric for cell in cells}))
    values = plan_values(plan=plan, metrics=metrics, user=SYSTEM)
    for cell in cells:
        unit, metric = cell_unit(cell), cell.metric
        saved = (
            values.year(unit, metric) if cell.month == 0 else values.month(unit, metric, cell.month)
        )
        old = _units(cell.old_realistic, metric), _units(cell.old_ideal, metric)
        if (saved or (None, None)) != old:
            problems.add(
                "revision",
                _("%(place)s changed since the revision was proposed.")
                % {"place": cell_place(cell, org)},
            )
    problems.raise_if_any()
    broken = revision_mismatches(plan=plan, cells=cells, org=org)
    if broken:
        problems.add(
            "revision",
            _("Cannot approve: %(where)s")
            % {"where": mismatch_message(mismatches=broken, org=org)},
        )
    problems.raise_if_any()
    for cell in cells:
        pair = (cell.new_realistic, cell.new_ideal)
        unit = cell_unit(cell)
        if cell.month == 0:
            annual_target_write(plan=plan, unit=unit, metric=cell.metric, pair=pair)
        else:
            month_target_write(
                plan=plan, unit=unit, metric=cell.metric, month=cell.month, pair=pair,
                actor=actor,
            )  # fmt: skip
    revision.status = RevisionStatus.APPROVED
    revision.decided_by = person_of(actor)
    revision.decided_at = timezone.now()
    revision.save()
    _publish_decomposition(revision)
    return revision


def _publish_decomposition(revision: TargetRevision) -> None:
    """The approved revision is the unit's published decomposition."""
    unit = revision_unit(revision)
    if unit.owner_type == OwnerType.PERSON:
        return
    decomposition, _created = Decomposition.objects.get_or_create(
        plan=revision.plan, **unit.decomposition_fields()
    )
    decomposition.status = PlanStatus.PUBLISHED
    decomposition.published_by = revision.decided_by
    decomposition.published_at = revision.decided_at
    decomposition.save()


@transaction.atomic
def revision_return(*, revision: TargetRevision, actor: User, reason: str) -> TargetRevision:
    """Return a pending revision to its proposer with a reason; nothing in force changes."""
    revision = _decider(actor, revision)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"return_reason": [_("Say why the revision is returned.")]})
    revision.status = RevisionStatus.RETURNED
    revision.return_reason = reason
    revision.decided_by = person_of(actor)
    revision.decided_at = timezone.now()
    revision.save()
    return revision
