"""Writes of the targets grid: typed cells saved all or none, the annual and monthly rows
behind them, and reviewed progressive-target proposals saved as annual targets."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from salesorg.core.problems import Problems
from salesorg.core.scoping import SYSTEM
from salesorg.targets.choices import Metric, OwnerType
from salesorg.targets.decomposition import is_count, to_units
from salesorg.targets.models import Decomposition, PlanStatus, SalesPlan, TargetRevision
from salesorg.targets.permissions import can_write_unit
from salesorg.targets.selectors.plans import plan_org, plan_values
from salesorg.targets.services.revisions import revision_propose
from salesorg.targets.services.target_writes import (
    ValuePair,
    annual_target_write,
    month_target_write,
)
from salesorg.targets.units import Unit, cell_key

Cell = tuple[Unit, int]  # (unit, month); month 0 = the year


def _cell_problems(*, metric: str, realistic: Decimal | None, ideal: Decimal | None) -> list[str]:
    """target_save's value rules for one cell: ideal ≥ realistic ≥ 0, cents or whole."""
    messages = []
    for value in (realistic, ideal):
        if value is None:
            continue
        if value < 0:
            messages.append(_("This cannot be negative."))
        elif is_count(metric) and value != value.to_integral_value():
            messages.append(_("Enter a whole number."))
        elif value != value.quantize(Decimal("0.01")):
            messages.append(_("Enter an amount to the cent."))
    if realistic is None and ideal is not None:
        messages.append(_("Enter the realistic target too."))
    if realistic is not None and ideal is not None and ideal < realistic:
        messages.append(_("The ideal target cannot be below the realistic one."))
    return list(dict.fromkeys(messages))


@dataclass(frozen=True)
class GridSaveResult:
    """What a grid save changed."""

    changed: int
    reopened: bool
    revision: TargetRevision | None = None  # a published plan's changes, to be approved


@transaction.atomic
def grid_save(
    *,
    plan: SalesPlan,
    metric: str,
    parent: Unit,
    cells: dict[Cell, ValuePair],
    actor: User,
    reason: str = "",
) -> GridSaveResult:
    """Save the typed cells of a grid (blank realistic and ideal = no target): all or none.

    Errors are keyed by cell (`team-5-3`); unchanged cells are not written. A published
    decomposition of the parent goes back to draft when its targets change. A published
    plan is locked: its changed cells are proposed as a revision with `reason` instead.
    """
    problems = Problems()
    if metric not in Metric.values:
        problems.add("metric", _("Unknown metric: %(metric)s.") % {"metric": metric})
        problems.raise_if_any()
    org = plan_org()
    allowed = {parent, *org.children.get(parent, [])}
    values = plan_values(plan=plan, metrics=(metric,), user=SYSTEM)
    changes: dict[Cell, ValuePair] = {}
    for (unit, month), (realistic, ideal) in cells.items():
        key = cell_key(unit, month)
        if unit not in allowed or not 0 <= month <= 12:
            problems.add(key, _("This cell is not part of the grid."))
            continue
        if realistic is not None and ideal is None:
            ideal = realistic  # targets.csv: ideal defaults to realistic
        for message in _cell_problems(metric=metric, realistic=realistic, ideal=ideal):
            problems.add(key, message)
        if key in problems.errors:
            continue
        saved = values.year(unit, metric) if month == 0 else values.month(unit, metric, month)
        typed = (
            None
            if realistic is None or ideal is None
            else (to_units(value=realistic, metric=metric), to_units(value=ideal, metric=metric))
        )
        if typed == saved:
            continue
        if not can_write_unit(actor, unit):
            problems.add(
                key,
                _("You may not change the targets of %(unit)s.") % {"unit": org.label(unit)},
            )
            continue
        changes[(unit, month)] = (realistic, ideal)
    problems.raise_if_any()
    if plan.is_published:
        if not changes:
            return GridSaveResult(changed=0, reopened=False)
        revision = revision_propose(
            plan=plan, parent=parent, metric=metric, changes=changes, reason=reason,
            actor=actor, org=org, values=values,
        )  # fmt: skip
        return GridSaveResult(changed=len(changes), reopened=False, revision=revision)
    for (unit, month), (realistic, ideal) in changes.items():
        try:
            if month == 0:
                annual_target_write(plan=plan, unit=unit, metric=metric, pair=(realistic, ideal))
            else:
                month_target_write(
                    plan=plan, unit=unit, metric=metric, month=month, pair=(realistic, ideal),
                    actor=actor,
                )  # fmt: skip
        except ValidationError as error:
            problems.add(cell_key(unit, month), " ".join(error.messages))
    problems.raise_if_any()
    reopened = bool(changes) and decomposition_reopen(plan=plan, unit=parent)
    return GridSaveResult(changed=len(changes), reopened=reopened)


def decomposition_reopen(*, plan: SalesPlan, unit: Unit) -> bool:
    """Put a published decomposition of the unit back to draft; True if it was published."""
    if unit.owner_type == OwnerType.PERSON:
        return False
    decomposition = Decomposition.objects.filter(plan=plan, **unit.decomposition_fields()).first()
    if decomposition is None or decomposition.status != PlanStatus.PUBLISHED:
        return False
    decomposition.status = PlanStatus.DRAFT
    decomposition.published_by = None
    decomposition.published_at = None
    decomposition.save()
    return True


@transaction.atomic
def proposals_apply(
    *,
    plan: SalesPlan,
    metric: str,
    parent: Unit,
    values: dict[Unit, ValuePair],
    actor: User,
) -> int:
    """Save reviewed proposals as the annual targets of the plan's year (all or none)."""
    cells = {(unit, 0): pair for unit, pair in values.items()}
    return grid_save(plan=plan, metric=metric, parent=parent, cells=cells, actor=actor).changed
