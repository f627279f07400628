"""Reads of plans and targets: the org tree of a plan, its values, mismatches, the plan
page's levels, research notes, plans and a person's target history.

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
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from salesorg.core.money import format_money
from salesorg.core.numbers import format_number
from salesorg.core.roles import COMPANY_WIDE
from salesorg.core.scoping import SYSTEM, Domain, SystemActor, scope_for
from salesorg.org.models import Membership, Person, Region, Team
from salesorg.targets.choices import Metric, OwnerType
from salesorg.targets.decomposition import from_units, is_count, to_units
from salesorg.targets.models import (
    AnnualTarget,
    CompanyGoal,
    Decomposition,
    ResearchNote,
    SalesPlan,
    Target,
)
from salesorg.targets.units import COMPANY, MONTHS, Pair, PlanOrg, Unit

VALUE_KINDS = ("realistic", "ideal")
LEVEL_RANK: dict[str, int] = {
    OwnerType.COMPANY: 0,
    OwnerType.REGION: 1,
    OwnerType.TEAM: 2,
    OwnerType.PERSON: 3,
}


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
    *, plan: SalesPlan, user: User | SystemActor, metrics: tuple[str, ...] | None = None
) -> PlanValues:
    """The plan's annual targets and its year's monthly targets that `user` may see (two
    queries); SYSTEM reads the whole plan, to check its sums."""
    values = PlanValues()
    annual = AnnualTarget.objects.visible_to(user).filter(plan=plan)
    monthly = Target.objects.visible_to(user).filter(year=plan.year)
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
    members: dict[int, dict[int | None, list[Unit]]] = {
        month: defaultdict(list) for month in MONTHS
    }
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
                    own = add_pairs(parts)
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


def add_pairs(pairs: Iterable[Pair | None]) -> Pair:
    """The sum of (realistic, ideal) pairs, a missing one counting as zero."""
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
        months_sum = add_pairs(values.month(unit, metric, month) for month in MONTHS)
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
            actual=add_pairs(values.year(child, metric) for child in children),
        )
        for month in MONTHS:
            found += _compare(
                unit=unit,
                metric=metric,
                kind="children",
                month=month,
                expected=values.month(unit, metric, month),
                actual=add_pairs(values.month(child, metric, month) for child in children),
            )
    return found


def plan_mismatches(
    *,
    plan: SalesPlan,
    user: User | SystemActor,
    root: Unit = COMPANY,
    metrics: tuple[str, ...] | None = None,
    org: PlanOrg | None = None,
    values: PlanValues | None = None,
    depth: int | None = None,
) -> list[Mismatch]:
    """Every mismatch in the plan below `root` (its subtree; `depth` 0 = the root only):
    five queries, whatever the size of the org. The sums are over the targets `user` sees."""
    org = org or plan_org()
    values = values or plan_values(plan=plan, metrics=metrics, user=user)
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


# --- visibility and the plan page ---------------------------------------------------------------


def unit_visible(*, user: User | SystemActor, unit: Unit) -> bool:
    """May the user open the grid of this unit (its own targets are in scope)?"""
    scope = scope_for(user)
    if scope.sees_all(Domain.SALES):
        return True
    if unit == COMPANY:
        return False
    column: dict[str, frozenset[int]] = {
        OwnerType.PERSON: scope.person_ids,
        OwnerType.TEAM: scope.team_ids,
    }
    column[OwnerType.REGION] = scope.region_ids
    return unit.id in column[unit.owner_type]


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


def plan_levels(
    *, plan: SalesPlan, metric: str, user: User | SystemActor
) -> tuple[list[LevelRow], list[Mismatch]]:
    """The plan's targets per level (company, regions, teams, people) for one metric, as far
    as the user may see, with the sums and mismatch counts (six queries)."""
    org = plan_org()
    # The sums are checked over the whole plan; what the user is shown is cut below.
    values = plan_values(plan=plan, metrics=(metric,), user=SYSTEM)
    statuses = {
        Unit.of(row) if row.owner_type != OwnerType.COMPANY else COMPANY: row.status
        for row in Decomposition.objects.filter(plan=plan)
    }
    mismatches = visible_mismatches(
        mismatches=plan_mismatches(
            plan=plan, metrics=(metric,), org=org, values=values, user=SYSTEM
        ),
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
                months_sum=add_pairs(values.month(unit, metric, month) for month in MONTHS),
                children_sum=add_pairs(values.year(child, metric) for child in children)
                if children and _sees_all_children(user=user, org=org, unit=unit)
                else None,
                mismatch_count=counts.get(unit, 0),
                status=statuses.get(unit),
            )
        )
    rows.sort(key=lambda row: LEVEL_RANK[row.level])
    return rows, mismatches


def _sees_all_children(*, user: User | SystemActor, org: PlanOrg, unit: Unit) -> bool:
    return all(unit_visible(user=user, unit=child) for child in org.children.get(unit, []))


def visible_mismatches(
    *, mismatches: list[Mismatch], user: User | SystemActor, org: PlanOrg
) -> list[Mismatch]:
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


def goal_for_year(*, year: int, user: User | SystemActor) -> CompanyGoal | None:
    """The company goal of a fiscal year, if there is one the user may read."""
    goals = CompanyGoal.objects.visible_to(user).filter(year=year)
    return goals.prefetch_related("research_notes").first()


def research_note_list(
    *, user: User | SystemActor, search: str = "", kind: str = ""
) -> QuerySet[ResearchNote]:
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


def plan_list(*, user: User | SystemActor) -> QuerySet[SalesPlan]:
    """Sales plans the user may read, newest year first."""
    return SalesPlan.objects.visible_to(user).select_related("published_by").order_by("-year")


# --- history ----------------------------------------------------------------------------------


@dataclass
class HistoryRow:
    """A person's targets for one year and metric, with the change on the year before."""

    year: int
    metric: str
    realistic: Decimal
    ideal: Decimal
    change: Decimal | None


def person_target_history(*, person: Person, user: User | SystemActor) -> list[HistoryRow]:
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
    if person.role in COMPANY_WIDE:
        led.insert(0, COMPANY)
    if not led:
        return []
    found = []
    for plan in plans:
        values = plan_values(plan=plan, user=SYSTEM)  # the sums of units the person leads
        for unit in led:
            for metric in Metric.values:
                if values.has_any(unit, metric) and unit_mismatches(
                    unit=unit, metric=metric, values=values, children=org.children.get(unit, [])
                ):
                    found.append((plan, unit, org.label(unit), metric))
                    break
    return found
