"""Reads of plans and targets: the org tree of a plan, the grid, mismatches, history.

Targets are compared in whole units (cents, or 1 for counts): a unit's months must add up
to its annual target, and a unit's children (company → regions → teams → current members)
must add up to it, for the year and for every month, realistic and ideal each. A value
that is missing counts as zero, so a parent with a target and no children's targets is
flagged as not decomposed.

The grid shows and checks what the dashboards read (`effective_values`): a unit without a
row of its own has the sum of its children's targets, so a region whose teams have targets
is not shown at zero.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from salesorg.core.money import format_money
from salesorg.core.numbers import format_number
from salesorg.core.roles import Role
from salesorg.core.scoping import Domain, scope_for
from salesorg.org.models import Membership, Person, Region, Team
from salesorg.targets.choices import Metric, OwnerType
from salesorg.targets.decomposition import QUARTERS, from_units, is_count, to_units
from salesorg.targets.models import (
    AnnualTarget,
    CompanyGoal,
    Decomposition,
    PlanStatus,
    ResearchNote,
    SalesPlan,
    Target,
)

MONTHS = tuple(range(1, 13))
VALUE_KINDS = ("realistic", "ideal")
OWNER_COLUMN = {OwnerType.PERSON: "person", OwnerType.TEAM: "team", OwnerType.REGION: "region"}
# The indicator (KPI.md) that measures what each target metric aims at.
ACTUAL_COLUMN = {
    Metric.SALES: "sales",
    Metric.GROSS_MARGIN: "gross_margin",
    Metric.COLLECTIONS: "collected",
    Metric.NEW_CUSTOMERS: "new_customers",
    Metric.PROSPECTS_ADDED: "prospects_added",
    Metric.VISITS: "visits",
    Metric.EXPENSE_BUDGET: "expenses",
}
LEVEL_RANK = {OwnerType.COMPANY: 0, OwnerType.REGION: 1, OwnerType.TEAM: 2, OwnerType.PERSON: 3}

Pair = tuple[int, int]  # (realistic, ideal) in whole units


@dataclass(frozen=True)
class Unit:
    """An org unit that can own targets: a person, a team, a region or the company."""

    owner_type: str
    id: int | None = None

    @property
    def key(self) -> str:
        """A stable text key, e.g. `team-5` or `company-0` (form fields, URLs, JSON)."""
        return f"{self.owner_type}-{self.id or 0}"

    @classmethod
    def parse(cls, key: str) -> Unit | None:
        """The unit of a key, or None when the key is malformed."""
        owner_type, _sep, number = (key or "").partition("-")
        if owner_type not in OwnerType.values or not number.isdigit():
            return None
        if owner_type == OwnerType.COMPANY:
            return COMPANY
        return cls(owner_type, int(number)) if int(number) > 0 else None

    @classmethod
    def of(cls, record) -> Unit:
        """The unit that owns a Target or AnnualTarget row."""
        if record.owner_type == OwnerType.COMPANY:
            return COMPANY
        return cls(record.owner_type, getattr(record, f"{OWNER_COLUMN[record.owner_type]}_id"))

    def owner_fields(self) -> dict:
        """The owner columns of a target row of this unit."""
        fields = {"owner_type": self.owner_type, "person_id": None, "team_id": None}
        fields["region_id"] = None
        if self.owner_type != OwnerType.COMPANY:
            fields[f"{OWNER_COLUMN[self.owner_type]}_id"] = self.id
        return fields


COMPANY = Unit(OwnerType.COMPANY)


@dataclass
class PlanOrg:
    """The org tree a plan is decomposed along: company → regions → teams → current members."""

    names: dict[Unit, str] = field(default_factory=dict)
    codes: dict[Unit, str] = field(default_factory=dict)
    children: dict[Unit, list[Unit]] = field(default_factory=lambda: defaultdict(list))
    parent: dict[Unit, Unit] = field(default_factory=dict)
    leaders: dict[Unit, int | None] = field(default_factory=dict)  # manager / head person id

    def units(self) -> list[Unit]:
        """Every unit, top-down."""
        ordered, stack = [], [COMPANY]
        while stack:
            unit = stack.pop(0)
            ordered.append(unit)
            stack.extend(self.children.get(unit, ()))
        return ordered

    def subtree(self, root: Unit) -> list[Unit]:
        """The root and everything below it."""
        ordered, stack = [], [root]
        while stack:
            unit = stack.pop(0)
            ordered.append(unit)
            stack.extend(self.children.get(unit, ()))
        return ordered

    def label(self, unit: Unit) -> str:
        if unit == COMPANY:
            return _("Company")
        return self.names.get(unit, unit.key)


def plan_org(*, on: date | None = None) -> PlanOrg:
    """Regions, teams and the teams' current members (any role), in three queries."""
    on = on or timezone.localdate()
    org = PlanOrg()
    org.names[COMPANY] = _("Company")
    org.codes[COMPANY] = ""
    for region_id, code, name, head_id in Region.objects.order_by("code").values_list(
        "id", "code", "name", "head_id"
    ):
        unit = Unit(OwnerType.REGION, region_id)
        org.names[unit], org.codes[unit], org.leaders[unit] = name, code, head_id
        org.children[COMPANY].append(unit)
        org.parent[unit] = COMPANY
    for team_id, code, name, region_id, manager_id in Team.objects.order_by("code").values_list(
        "id", "code", "name", "region_id", "manager_id"
    ):
        unit, region = Unit(OwnerType.TEAM, team_id), Unit(OwnerType.REGION, region_id)
        org.names[unit], org.codes[unit], org.leaders[unit] = name, code, manager_id
        org.children[region].append(unit)
        org.parent[unit] = region
    members = (
        Membership.objects.current(on)
        .order_by("person__role", "person__code")
        .values_list("team_id", "person_id", "person__code", "person__name")
    )
    for team_id, person_id, code, name in members:
        unit, team = Unit(OwnerType.PERSON, person_id), Unit(OwnerType.TEAM, team_id)
        org.names[unit], org.codes[unit] = name, code
        org.children[team].append(unit)
        org.parent[unit] = team
    return org


@dataclass
class PlanValues:
    """A plan's annual and monthly targets in whole units, by (unit, metric[, month])."""

    annual: dict[tuple[Unit, str], Pair] = field(default_factory=dict)
    monthly: dict[tuple[Unit, str, int], Pair] = field(default_factory=dict)

    def year(self, unit: Unit, metric: str) -> Pair | None:
        return self.annual.get((unit, metric))

    def month(self, unit: Unit, metric: str, month: int) -> Pair | None:
        return self.monthly.get((unit, metric, month))

    def has_any(self, unit: Unit, metric: str) -> bool:
        return (unit, metric) in self.annual or any(
            (unit, metric, month) in self.monthly for month in MONTHS
        )


def _pair(*, realistic: Decimal, ideal: Decimal, metric: str) -> Pair:
    return to_units(value=realistic, metric=metric), to_units(value=ideal, metric=metric)


def plan_values(
    *, plan: SalesPlan, metrics: tuple[str, ...] | None = None, user=None
) -> PlanValues:
    """The plan's annual targets and its year's monthly targets (two queries); scoped to
    `user` when one is given."""
    values = PlanValues()
    annual = AnnualTarget.objects.filter(plan=plan)
    monthly = Target.objects.filter(year=plan.year)
    if user is not None:
        annual, monthly = annual.visible_to(user), monthly.visible_to(user)
    if metrics:
        annual, monthly = annual.filter(metric__in=metrics), monthly.filter(metric__in=metrics)
    columns = ("owner_type", "person_id", "team_id", "region_id", "metric", "realistic", "ideal")
    for row in annual.order_by().values_list(*columns):
        unit = _unit_of_row(row)
        values.annual[(unit, row[4])] = _pair(realistic=row[5], ideal=row[6], metric=row[4])
    for row in monthly.order_by().values_list(*columns, "month"):
        unit = _unit_of_row(row)
        values.monthly[(unit, row[4], row[7])] = _pair(
            realistic=row[5], ideal=row[6], metric=row[4]
        )
    return values


def effective_values(
    *, values: PlanValues, org: PlanOrg, metric: str, year: int
) -> tuple[PlanValues, set[tuple[Unit, int]]]:
    """Every unit's targets of one metric as the dashboards read them (KPI.md, Sales and
    margin): its own row, else the sum of its children's; a month's team sums its members
    on the month's first day, the year its current members. Returns the values and the
    (unit, month) cells that were summed from below (month 0 is the year); one query."""
    first_days = {month: date(year, month, 1) for month in MONTHS}
    stints = (
        Membership.objects.filter(start_date__lte=first_days[12])
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=first_days[1]))
        .order_by("person__role", "person__code")
        .values_list("team_id", "person_id", "start_date", "end_date")
    )
    members: dict[int, dict[int, list[Unit]]] = {month: defaultdict(list) for month in MONTHS}
    for team_id, person_id, start, end in stints:
        for month, day in first_days.items():
            if start <= day and (end is None or end >= day):
                members[month][team_id].append(Unit(OwnerType.PERSON, person_id))
    effective = PlanValues(
        annual={key: pair for key, pair in values.annual.items() if key[1] == metric},
        monthly={key: pair for key, pair in values.monthly.items() if key[1] == metric},
    )
    derived: set[tuple[Unit, int]] = set()
    for month in (0, *MONTHS):
        found: dict[Unit, Pair | None] = {}

        def value(unit: Unit, month: int = month, found: dict = found) -> Pair | None:
            if unit in found:
                return found[unit]
            own = values.year(unit, metric) if month == 0 else values.month(unit, metric, month)
            if own is None and unit.owner_type != OwnerType.PERSON:
                if unit.owner_type == OwnerType.TEAM and month:
                    children = members[month].get(unit.id, [])
                else:
                    children = org.children.get(unit, [])
                parts = [pair for pair in (value(child) for child in children) if pair]
                if parts:
                    own = _add(parts)
                    derived.add((unit, month))
                    if month == 0:
                        effective.annual[(unit, metric)] = own
                    else:
                        effective.monthly[(unit, metric, month)] = own
            found[unit] = own
            return own

        for unit in org.units():
            value(unit)
    return effective, derived


def _unit_of_row(row) -> Unit:
    owner_type = row[0]
    if owner_type == OwnerType.COMPANY:
        return COMPANY
    index = {OwnerType.PERSON: 1, OwnerType.TEAM: 2, OwnerType.REGION: 3}[owner_type]
    return Unit(owner_type, row[index])


# --- mismatches -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mismatch:
    """A place where parts don't add up to their whole.

    kind "months": the unit's months vs its annual target (month None);
    kind "children": the unit's children vs the unit, for the year (month None) or a month.
    """

    unit: Unit
    metric: str
    kind: str
    month: int | None
    value_kind: str
    expected: int
    actual: int

    def text(self, org: PlanOrg) -> str:
        """A sentence saying where and by how much, e.g. for a publish refusal."""
        values = {
            "unit": org.label(self.unit),
            "metric": Metric(self.metric).label,
            "value": _("realistic") if self.value_kind == "realistic" else _("ideal"),
            "expected": units_text(units=self.expected, metric=self.metric),
            "actual": units_text(units=self.actual, metric=self.metric),
            "month": self.month,
        }
        if self.kind == "months":
            return (
                _(
                    "%(unit)s, %(metric)s (%(value)s): the months add up to %(actual)s, "
                    "the year is %(expected)s."
                )
                % values
            )
        if self.month is None:
            return (
                _(
                    "%(unit)s, %(metric)s (%(value)s): its units add up to %(actual)s "
                    "for the year, the target is %(expected)s."
                )
                % values
            )
        return (
            _(
                "%(unit)s, %(metric)s (%(value)s): its units add up to %(actual)s "
                "in month %(month)s, the target is %(expected)s."
            )
            % values
        )


def units_text(*, units: int, metric: str) -> str:
    """Whole units as text: a count as a number, an amount as money."""
    if is_count(metric):
        return format_number(units)
    return format_money(from_units(units=units, metric=metric))


def _add(pairs) -> Pair:
    realistic = ideal = 0
    for pair in pairs:
        if pair is not None:
            realistic += pair[0]
            ideal += pair[1]
    return realistic, ideal


def _compare(*, unit, metric, kind, month, expected: Pair | None, actual: Pair) -> list[Mismatch]:
    expected = expected or (0, 0)
    return [
        Mismatch(unit, metric, kind, month, value_kind, expected[i], actual[i])
        for i, value_kind in enumerate(VALUE_KINDS)
        if expected[i] != actual[i]
    ]


def unit_mismatches(
    *,
    unit: Unit,
    metric: str,
    values: PlanValues,
    children: list[Unit],
    own_values: PlanValues | None = None,
) -> list[Mismatch]:
    """Where a unit's months or its children don't add up to it (for one metric).

    With `values` summed from below (`effective_values`), `own_values` are the rows
    themselves: a unit's months are checked only where it has rows of its own."""
    found: list[Mismatch] = []
    own = values.has_any(unit, metric)
    if (own_values or values).has_any(unit, metric):
        months_sum = _add(values.month(unit, metric, month) for month in MONTHS)
        found += _compare(
            unit=unit,
            metric=metric,
            kind="months",
            month=None,
            expected=values.year(unit, metric),
            actual=months_sum,
        )
    if children and (own or any(values.has_any(child, metric) for child in children)):
        found += _compare(
            unit=unit,
            metric=metric,
            kind="children",
            month=None,
            expected=values.year(unit, metric),
            actual=_add(values.year(child, metric) for child in children),
        )
        for month in MONTHS:
            found += _compare(
                unit=unit,
                metric=metric,
                kind="children",
                month=month,
                expected=values.month(unit, metric, month),
                actual=_add(values.month(child, metric, month) for child in children),
            )
    return found


def plan_mismatches(
    *,
    plan: SalesPlan,
    root: Unit = COMPANY,
    metrics: tuple[str, ...] | None = None,
    org: PlanOrg | None = None,
    values: PlanValues | None = None,
    depth: int | None = None,
) -> list[Mismatch]:
    """Every mismatch in the plan below `root` (its subtree; `depth` 0 = the root only):
    five queries, whatever the size of the org."""
    org = org or plan_org()
    values = values or plan_values(plan=plan, metrics=metrics)
    metrics = metrics or tuple(Metric.values)
    units = org.subtree(root)
    if depth is not None:
        units = [u for u in units if _depth_below(org, u, root) <= depth]
    found: list[Mismatch] = []
    for unit in units:
        for metric in metrics:
            found += unit_mismatches(
                unit=unit, metric=metric, values=values, children=org.children.get(unit, [])
            )
    return found


def _depth_below(org: PlanOrg, unit: Unit, root: Unit) -> int:
    depth = 0
    while unit != root and unit in org.parent:
        unit = org.parent[unit]
        depth += 1
    return depth


# --- the grid ---------------------------------------------------------------------------------


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


def unit_visible(*, user, unit: Unit) -> bool:
    """May the user open the grid of this unit (its own targets are in scope)?"""
    scope = scope_for(user)
    if scope.sees_all(Domain.SALES):
        return True
    if unit == COMPANY:
        return False
    column = {OwnerType.PERSON: scope.person_ids, OwnerType.TEAM: scope.team_ids}
    column[OwnerType.REGION] = scope.region_ids
    return unit.id in column[unit.owner_type]


def grid_home(*, user, org: PlanOrg) -> Unit | None:
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


def visible_children(*, user, org: PlanOrg, unit: Unit) -> list[Unit]:
    """The unit's children whose targets the user may see."""
    return [child for child in org.children.get(unit, []) if unit_visible(user=user, unit=child)]


def _text(units: int | None, metric: str) -> str:
    if units is None:
        return ""
    value = from_units(units=units, metric=metric)
    return str(int(value)) if is_count(metric) else f"{value:.2f}"


def target_grid(
    *,
    plan: SalesPlan,
    metric: str,
    parent: Unit,
    user,
    can_write=None,
    posted: dict[tuple[Unit, int], tuple[str, str]] | None = None,
    errors: dict[tuple[Unit, int], list[str]] | None = None,
) -> Grid:
    """The grid of a parent unit and its visible children (a bounded number of queries).

    `posted` holds values typed into a form that was refused, with `errors` per cell, so
    the form is re-shown as typed; flags are computed from the saved values.
    """
    org = plan_org()
    own_values = plan_values(plan=plan, metrics=(metric,))
    # A unit without rows of its own shows what the dashboards read: its children's sum.
    values, derived = effective_values(values=own_values, org=org, metric=metric, year=plan.year)
    children = visible_children(user=user, org=org, unit=parent)
    for unit in (parent, *children):
        # A sum over units the user may not see would reveal their targets: not shown.
        if not all(unit_visible(user=user, unit=below) for below in org.subtree(unit)[1:]):
            for summed, month in [cell for cell in derived if cell[0] == unit]:
                derived.discard((summed, month))
                if month == 0:
                    del values.annual[(unit, metric)]
                else:
                    del values.monthly[(unit, metric, month)]
    all_children = org.children.get(parent, [])
    complete = len(children) == len(all_children)
    units = [parent, *children]
    viewer = Unit(OwnerType.PERSON, scope_for(user).person_id)
    if viewer in children and org.leaders.get(parent) != viewer.id:
        units = [viewer, *(unit for unit in units if unit != viewer)]  # a rep's own row first
    can_write = can_write or (lambda unit: False)
    rows = []
    for unit in units:
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
        month_pairs = [values.month(unit, metric, month) for month in MONTHS]
        months_sum = _add(month_pairs)
        rows.append(
            GridRow(
                unit=unit,
                label=org.label(unit),
                code=org.codes.get(unit, ""),
                is_parent=unit == parent,
                is_viewer=unit == viewer,
                cells=cells,
                quarter_sums=[_add(month_pairs[m - 1] for m in quarter) for quarter in QUARTERS],
                months_sum=months_sum,
                months_mismatch=own_values.has_any(unit, metric)
                and months_sum != (values.year(unit, metric) or (0, 0)),
                editable=can_write(unit),
            )
        )
    children_sums = [_add(values.year(child, metric) for child in all_children)] + [
        _add(values.month(child, metric, month) for child in all_children) for month in MONTHS
    ]
    parents = [values.year(parent, metric)] + [
        values.month(parent, metric, month) for month in MONTHS
    ]
    checked = bool(all_children) and (
        values.has_any(parent, metric) or any(values.has_any(c, metric) for c in all_children)
    )
    children_mismatch = [checked and children_sums[i] != (parents[i] or (0, 0)) for i in range(13)]
    mismatches = []
    for unit in units:
        mismatches += unit_mismatches(
            unit=unit,
            metric=metric,
            values=values,
            children=all_children if unit == parent else [],
            own_values=own_values,
        )
    decomposition = None
    if parent.owner_type != OwnerType.PERSON:
        decomposition = Decomposition.objects.filter(
            plan=plan, **_decomposition_owner(parent)
        ).first()
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
        decomposition=decomposition,
        is_count=is_count(metric),
    )


def _decomposition_owner(unit: Unit) -> dict:
    fields = {"owner_type": unit.owner_type}
    if unit.owner_type == OwnerType.TEAM:
        fields["team_id"] = unit.id
    elif unit.owner_type == OwnerType.REGION:
        fields["region_id"] = unit.id
    return fields


def decomposition_of(*, plan: SalesPlan, unit: Unit) -> Decomposition | None:
    """The unit's decomposition state in the plan, if any was recorded."""
    return Decomposition.objects.filter(plan=plan, **_decomposition_owner(unit)).first()


# --- the plan page ----------------------------------------------------------------------------


@dataclass
class LevelRow:
    """A unit on the plan page: its annual target, the sum of its months and children."""

    unit: Unit
    label: str
    code: str
    level: str
    year: Pair | None
    months_sum: Pair
    children_sum: Pair | None
    mismatch_count: int
    status: str | None


def plan_levels(*, plan: SalesPlan, metric: str, user) -> tuple[list[LevelRow], list[Mismatch]]:
    """The plan's targets per level (company, regions, teams, people) for one metric, as far
    as the user may see, with the sums and mismatch counts (six queries)."""
    org = plan_org()
    values = plan_values(plan=plan, metrics=(metric,))
    statuses = {
        Unit.of(row) if row.owner_type != OwnerType.COMPANY else COMPANY: row.status
        for row in Decomposition.objects.filter(plan=plan)
    }
    mismatches = visible_mismatches(
        mismatches=plan_mismatches(plan=plan, metrics=(metric,), org=org, values=values),
        user=user,
        org=org,
    )
    counts: dict[Unit, int] = defaultdict(int)
    for mismatch in mismatches:
        counts[mismatch.unit] += 1
    rows = []
    for unit in org.units():
        if not unit_visible(user=user, unit=unit):
            continue
        children = org.children.get(unit, [])
        if not values.has_any(unit, metric) and not any(
            values.has_any(child, metric) for child in children
        ):
            continue
        rows.append(
            LevelRow(
                unit=unit,
                label=org.label(unit),
                code=org.codes.get(unit, ""),
                level=unit.owner_type,
                year=values.year(unit, metric),
                months_sum=_add(values.month(unit, metric, month) for month in MONTHS),
                children_sum=_add(values.year(child, metric) for child in children)
                if children and _sees_all_children(user=user, org=org, unit=unit)
                else None,
                mismatch_count=counts.get(unit, 0),
                status=statuses.get(unit),
            )
        )
    rows.sort(key=lambda row: LEVEL_RANK[row.level])
    return rows, mismatches


def _sees_all_children(*, user, org: PlanOrg, unit: Unit) -> bool:
    return all(unit_visible(user=user, unit=child) for child in org.children.get(unit, []))


def visible_mismatches(*, mismatches: list[Mismatch], user, org: PlanOrg) -> list[Mismatch]:
    """The mismatches a user may be told of: of units they see, and sums over children only
    where they see every child (a sum would otherwise reveal hidden targets)."""
    return [
        mismatch
        for mismatch in mismatches
        if unit_visible(user=user, unit=mismatch.unit)
        and (
            mismatch.kind == "months" or _sees_all_children(user=user, org=org, unit=mismatch.unit)
        )
    ]


def plan_for_year(*, year: int) -> SalesPlan | None:
    """The sales plan of a fiscal year, if there is one."""
    return SalesPlan.objects.filter(year=year).first()


def goal_for_year(*, year: int) -> CompanyGoal | None:
    """The company goal of a fiscal year, if there is one."""
    return CompanyGoal.objects.filter(year=year).prefetch_related("research_notes").first()


def research_note_list(*, user, search: str = "", kind: str = "") -> QuerySet[ResearchNote]:
    """Research notes the user may read, filtered by a search term and kind, newest first."""
    notes = ResearchNote.objects.visible_to(user).select_related("author")
    if search:
        notes = notes.filter(
            Q(subject__icontains=search)
            | Q(competitor__icontains=search)
            | Q(product__icontains=search)
            | Q(source__icontains=search)
            | Q(notes__icontains=search)
        )
    if kind:
        notes = notes.filter(kind=kind)
    return notes.prefetch_related("regions").order_by("-observed_on", "-id")


def plan_list(*, user) -> QuerySet[SalesPlan]:
    """Sales plans the user may read, newest year first."""
    return SalesPlan.objects.visible_to(user).select_related("published_by").order_by("-year")


# --- actuals from the indicator engine --------------------------------------------------------


def _indicator_key(unit: Unit, org: PlanOrg) -> tuple[str, str]:
    return unit.owner_type, org.codes.get(unit, "")


def monthly_actuals(*, year: int, metric: str, units: list[Unit], org: PlanOrg) -> dict:
    """Each unit's actual per month of `year` (KPI.md, via the indicator engine), in units."""
    from salesorg.performance.indicators import indicator_table
    from salesorg.performance.periods import month_end

    column = ACTUAL_COLUMN[metric]
    wanted = {_indicator_key(unit, org): unit for unit in units}
    actuals: dict[Unit, list[int]] = {unit: [0] * 12 for unit in units}
    for month in MONTHS:
        table = indicator_table(start=date(year, month, 1), end=month_end(year=year, month=month))
        for row in table.rows:
            unit = wanted.get((row.level, row.code))
            if unit is not None:
                actuals[unit][month - 1] = _actual_units(row.value(column), metric)
    return actuals


def year_actuals(*, year: int, metric: str, units: list[Unit], org: PlanOrg) -> dict:
    """Each unit's actual for the whole of `year` (via the indicator engine), in units."""
    from salesorg.performance.indicators import indicator_table

    column = ACTUAL_COLUMN[metric]
    wanted = {_indicator_key(unit, org): unit for unit in units}
    actuals = dict.fromkeys(units, 0)
    table = indicator_table(start=date(year, 1, 1), end=date(year, 12, 31))
    for row in table.rows:
        unit = wanted.get((row.level, row.code))
        if unit is not None:
            actuals[unit] = _actual_units(row.value(column), metric)
    return actuals


def _actual_units(value, metric: str) -> int:
    """An actual as whole units; negative (a margin loss) counts as no history."""
    if value is None:
        return 0
    units = int(value) if is_count(metric) else int(Decimal(value) * 100)
    return max(units, 0)


# --- history ----------------------------------------------------------------------------------


@dataclass
class HistoryRow:
    """A person's targets for one year and metric, with the change on the year before."""

    year: int
    metric: str
    realistic: Decimal
    ideal: Decimal
    change: Decimal | None


def person_target_history(*, person: Person, user) -> list[HistoryRow]:
    """A person's yearly target totals per metric, year over year (one query)."""
    rows = (
        Target.objects.visible_to(user)
        .filter(owner_type=OwnerType.PERSON, person=person)
        .values("year", "metric")
        .annotate(realistic=Sum("realistic"), ideal=Sum("ideal"))
        .order_by("metric", "year")
    )
    history: list[HistoryRow] = []
    previous: dict[str, Decimal] = {}
    for row in rows:
        before = previous.get(row["metric"])
        realistic = Decimal(row["realistic"]).quantize(Decimal("0.01"))
        change = None
        if before:
            change = ((realistic - before) / before * 100).quantize(Decimal("0.1"))
        history.append(
            HistoryRow(
                year=row["year"],
                metric=row["metric"],
                realistic=realistic,
                ideal=Decimal(row["ideal"]).quantize(Decimal("0.01")),
                change=change,
            )
        )
        previous[row["metric"]] = realistic
    order = {metric: index for index, metric in enumerate(Metric.values)}
    history.sort(key=lambda row: (order[row.metric], -row.year))
    return history


def units_not_decomposed(*, person: Person, today: date) -> list[tuple[SalesPlan, Unit, str, str]]:
    """Units the person leads whose targets in this or next year's plan are not decomposed
    (months or children missing or not adding up): (plan, unit, label, first metric off)."""
    plans = list(SalesPlan.objects.filter(year__in=(today.year, today.year + 1)).order_by("year"))
    if not plans:
        return []
    org = plan_org(on=today)
    led = [unit for unit, leader in org.leaders.items() if leader == person.pk]
    if person.role in (Role.DIRECTOR, Role.ADMIN):
        led.insert(0, COMPANY)
    if not led:
        return []
    found = []
    for plan in plans:
        values = plan_values(plan=plan)
        for unit in led:
            for metric in Metric.values:
                if values.has_any(unit, metric) and unit_mismatches(
                    unit=unit, metric=metric, values=values, children=org.children.get(unit, [])
                ):
                    found.append((plan, unit, org.label(unit), metric))
                    break
    return found


def plan_statuses(*, plan: SalesPlan) -> dict[Unit, str]:
    """Each unit's decomposition status in the plan."""
    return {
        (COMPANY if row.owner_type == OwnerType.COMPANY else Unit.of(row)): row.status
        for row in Decomposition.objects.filter(plan=plan)
    }


__all__ = [
    "COMPANY",
    "Grid",
    "Mismatch",
    "PlanOrg",
    "PlanStatus",
    "Unit",
    "plan_mismatches",
    "plan_org",
    "plan_values",
    "target_grid",
]
