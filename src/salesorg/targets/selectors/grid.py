"""Reads of the targets grid: a unit and its visible children × the year and 12 months,
with the sums the dashboards read and the places where parts don't add up."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.models import User

from salesorg.core.scoping import SYSTEM, Domain, SystemActor, scope_for
from salesorg.targets.choices import OwnerType
from salesorg.targets.decomposition import QUARTERS, from_units, is_count
from salesorg.targets.models import Decomposition, SalesPlan
from salesorg.targets.selectors.plans import (
    Mismatch,
    PlanValues,
    add_pairs,
    effective_values,
    plan_org,
    plan_values,
    unit_mismatches,
    unit_visible,
)
from salesorg.targets.units import COMPANY, MONTHS, Pair, PlanOrg, Unit


@dataclass
class GridCell:
    """One cell of the grid: month 0 is the year; values as shown (text) and flags."""

    month: int
    realistic: str
    ideal: str
    errors: list[str] = field(default_factory=list)
    derived_realistic: str = ""  # summed from the units below when the unit has no row
    derived_ideal: str = ""

    @property
    def derived(self) -> bool:
        return bool(self.derived_realistic)


@dataclass
class GridRow:
    """A unit's row: the year, 12 months, quarter and year sums of the months."""

    unit: Unit
    label: str
    code: str
    is_parent: bool
    is_viewer: bool
    cells: list[GridCell]
    quarter_sums: list[Pair]
    months_sum: Pair
    months_mismatch: bool
    editable: bool


@dataclass
class Grid:
    """A unit and its children × the year and 12 months, for one plan and metric."""

    plan: SalesPlan
    metric: str
    parent: Unit
    parent_label: str
    rows: list[GridRow]
    children_sums: list[Pair]  # index 0 = the year, 1..12 = months
    children_mismatch: list[bool]
    complete: bool  # every child is visible, so the children's sums mean something
    editable: bool
    mismatches: list[Mismatch]
    decomposition: Decomposition | None
    is_count: bool

    @property
    def has_mismatch(self) -> bool:
        return bool(self.mismatches)


def grid_home(*, user: User | SystemActor, org: PlanOrg) -> Unit | None:
    """The grid a user opens first: the company for who sees all sales, else the highest
    unit they lead, else their own team (where their own row comes first)."""
    scope = scope_for(user)
    if scope.sees_all(Domain.SALES):
        return COMPANY
    if scope.person_id is None:
        return None
    for unit in org.units():
        led = unit != COMPANY and org.leaders.get(unit) == scope.person_id
        if led and unit.owner_type != OwnerType.PERSON and unit_visible(user=user, unit=unit):
            return unit
    team = org.parent.get(Unit(OwnerType.PERSON, scope.person_id))
    if team is not None and unit_visible(user=user, unit=team):
        return team
    return None


def visible_children(*, user: User | SystemActor, org: PlanOrg, unit: Unit) -> list[Unit]:
    """The unit's children whose targets the user may see."""
    return [child for child in org.children.get(unit, []) if unit_visible(user=user, unit=child)]


def _text(units: int | None, metric: str) -> str:
    if units is None:
        return ""
    value = from_units(units=units, metric=metric)
    return str(int(value)) if is_count(metric) else f"{value:.2f}"


Cells = dict[tuple[Unit, int], tuple[str, str]]  # (unit, month) → (realistic, ideal) typed
CellErrors = dict[tuple[Unit, int], list[str]]


def target_grid(
    *,
    plan: SalesPlan,
    metric: str,
    parent: Unit,
    user: User | SystemActor,
    can_write: Callable[[Unit], bool] | None = None,
    posted: Cells | None = None,
    errors: CellErrors | None = None,
) -> Grid:
    """The grid of a parent unit and its visible children (a bounded number of queries).

    `posted` holds values typed into a form that was refused, with `errors` per cell, so
    the form is re-shown as typed; flags are computed from the saved values.
    """
    org = plan_org()
    # The whole plan is read to check its sums; what the user may not see is cut below.
    own_values = plan_values(plan=plan, metrics=(metric,), user=SYSTEM)
    # A unit without rows of its own shows what the dashboards read: its children's sum.
    values, derived = effective_values(values=own_values, org=org, metric=metric, year=plan.year)
    children = visible_children(user=user, org=org, unit=parent)
    _hide_sums_over_hidden_units(
        user=user, org=org, units=[parent, *children], metric=metric, values=values, derived=derived
    )
    all_children = org.children.get(parent, [])
    complete = len(children) == len(all_children)
    units = [parent, *children]
    viewer = Unit(OwnerType.PERSON, scope_for(user).person_id)
    if viewer in children and org.leaders.get(parent) != viewer.id:
        units = [viewer, *(unit for unit in units if unit != viewer)]  # a rep's own row first
    can_write = can_write or (lambda unit: False)
    rows = [
        GridRow(
            unit=unit,
            label=org.label(unit),
            code=org.codes.get(unit, ""),
            is_parent=unit == parent,
            is_viewer=unit == viewer,
            cells=_grid_cells(
                unit=unit,
                metric=metric,
                values=values,
                derived=derived,
                posted=posted,
                errors=errors,
            ),
            editable=can_write(unit),
            **_month_sums(unit=unit, metric=metric, values=values, own_values=own_values),
        )
        for unit in units
    ]
    children_sums, children_mismatch = _children_sums(
        parent=parent, children=all_children, metric=metric, values=values
    )
    mismatches = [
        mismatch
        for unit in units
        for mismatch in unit_mismatches(
            unit=unit,
            metric=metric,
            values=values,
            children=all_children if unit == parent else [],
            own_values=own_values,
        )
    ]
    return Grid(
        plan=plan,
        metric=metric,
        parent=parent,
        parent_label=org.label(parent),
        rows=rows,
        children_sums=children_sums,
        children_mismatch=children_mismatch,
        complete=complete,
        editable=all(row.editable for row in rows),
        mismatches=mismatches if complete else [m for m in mismatches if m.kind == "months"],
        decomposition=_decomposition(plan=plan, unit=parent),
        is_count=is_count(metric),
    )


def _decomposition(*, plan: SalesPlan, unit: Unit) -> Decomposition | None:
    """The unit's decomposition state in the plan (a person is not decomposed)."""
    if unit.owner_type == OwnerType.PERSON:
        return None
    return Decomposition.objects.filter(plan=plan, **unit.decomposition_fields()).first()


def _hide_sums_over_hidden_units(
    *,
    user: User | SystemActor,
    org: PlanOrg,
    units: list[Unit],
    metric: str,
    values: PlanValues,
    derived: set[tuple[Unit, int]],
) -> None:
    """A sum over units the user may not see would reveal their targets: not shown."""
    for unit in units:
        if not all(unit_visible(user=user, unit=below) for below in org.subtree(unit)[1:]):
            for summed, month in [cell for cell in derived if cell[0] == unit]:
                derived.discard((summed, month))
                if month == 0:
                    del values.annual[(unit, metric)]
                else:
                    del values.monthly[(unit, metric, month)]


def _grid_cells(
    *,
    unit: Unit,
    metric: str,
    values: PlanValues,
    derived: set[tuple[Unit, int]],
    posted: Cells | None,
    errors: CellErrors | None,
) -> list[GridCell]:
    """A unit's year and 12 months as shown: its own values, typed ones, or a derived sum."""
    cells = []
    for month in (0, *MONTHS):
        pair = values.year(unit, metric) if month == 0 else values.month(unit, metric, month)
        texts = (_text(pair[0], metric), _text(pair[1], metric)) if pair else ("", "")
        summed = (unit, month) in derived
        realistic, ideal = ("", "") if summed else texts
        if posted and (unit, month) in posted:
            realistic, ideal = posted[(unit, month)]
        cells.append(
            GridCell(
                month=month,
                realistic=realistic,
                ideal=ideal,
                errors=(errors or {}).get((unit, month), []),
                derived_realistic=texts[0] if summed else "",
                derived_ideal=texts[1] if summed else "",
            )
        )
    return cells


def _month_sums(*, unit: Unit, metric: str, values: PlanValues, own_values: PlanValues) -> dict:
    """A row's quarter and year sums of its months, and whether they miss its annual target."""
    month_pairs = [values.month(unit, metric, month) for month in MONTHS]
    months_sum = add_pairs(month_pairs)
    return {
        "quarter_sums": [add_pairs(month_pairs[m - 1] for m in quarter) for quarter in QUARTERS],
        "months_sum": months_sum,
        "months_mismatch": own_values.has_any(unit, metric)
        and months_sum != (values.year(unit, metric) or (0, 0)),
    }


def _children_sums(
    *, parent: Unit, children: list[Unit], metric: str, values: PlanValues
) -> tuple[list[Pair], list[bool]]:
    """The children's sums for the year and each month, and where they miss the parent's."""
    sums = [add_pairs(values.year(child, metric) for child in children)] + [
        add_pairs(values.month(child, metric, month) for child in children) for month in MONTHS
    ]
    parents = [values.year(parent, metric)] + [
        values.month(parent, metric, month) for month in MONTHS
    ]
    checked = bool(children) and (
        values.has_any(parent, metric) or any(values.has_any(c, metric) for c in children)
    )
    return sums, [checked and sums[i] != (parents[i] or (0, 0)) for i in range(13)]
