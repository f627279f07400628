"""Writes of the planning cycle: research notes, goals, plans, the grid, decomposition,
publishing and progressive-target proposals; and who may do each.

Rights follow the org (SPEC §2): director and admin plan the company; a region head
decomposes their region (its teams and their members); a team manager their team and its
current members. Reps, finance and trainers read only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesorg.core.problems import Problems
from salesorg.core.roles import UNIT_LEADERS, Role, person_of, role_of
from salesorg.core.scoping import scope_for
from salesorg.targets.choices import Metric, OwnerType
from salesorg.targets.decomposition import (
    allocate_table,
    from_units,
    is_count,
    split_by_hand,
    split_by_weights,
    split_pair,
    to_units,
    year_to_months,
)
from salesorg.targets.models import (
    AnnualTarget,
    CompanyGoal,
    Decomposition,
    PlanStatus,
    ResearchNote,
    SalesPlan,
    Target,
)
from salesorg.targets.selectors import (
    COMPANY,
    MONTHS,
    Mismatch,
    PlanOrg,
    Unit,
    monthly_actuals,
    plan_mismatches,
    plan_org,
    plan_values,
    units_text,
    year_actuals,
)
from salesorg.targets.services import target_save

PLANNER_ROLES = frozenset({Role.DIRECTOR, Role.ADMIN})
RESEARCH_WRITERS = PLANNER_ROLES | UNIT_LEADERS
MAX_LISTED_MISMATCHES = 10


class Split(models.TextChoices):
    """How a whole is split into parts."""

    KEEP = "keep", gettext_lazy("Keep as is")
    EVEN = "even", gettext_lazy("Evenly")
    HISTORY = "history", gettext_lazy("By last year's actuals")
    HAND = "hand", gettext_lazy("By hand")


# --- rights -----------------------------------------------------------------------------------


def can_plan(user) -> bool:
    """May the user write goals and plans and publish a plan (director, admin)?"""
    return role_of(user) in PLANNER_ROLES


def can_write_research(user) -> bool:
    """May the user record research notes (director, admin, region heads, managers)?"""
    return role_of(user) in RESEARCH_WRITERS


def can_change_research(user, note: ResearchNote) -> bool:
    """Director and admin change any research note; leaders their own."""
    role = role_of(user)
    if role in PLANNER_ROLES:
        return True
    person = person_of(user)
    return role in UNIT_LEADERS and person is not None and note.author_id == person.pk


def can_write_unit(user, unit: Unit) -> bool:
    """May the user write the targets of this unit?

    Director and admin: every unit. A region head: their regions, the teams in them and
    those teams' current members. A team manager: their teams and their current members.
    """
    role = role_of(user)
    if role in PLANNER_ROLES:
        return True
    if role not in UNIT_LEADERS or unit == COMPANY:
        return False
    scope = scope_for(user)
    if unit.owner_type == OwnerType.REGION:
        return unit.id in scope.led_region_ids
    if unit.owner_type == OwnerType.TEAM:
        return unit.id in scope.led_team_ids
    return unit.id in scope.person_ids


def can_decompose(user, unit: Unit, org: PlanOrg) -> bool:
    """May the user decompose the unit (write it and all its children)?"""
    return can_write_unit(user, unit) and all(
        can_write_unit(user, child) for child in org.children.get(unit, [])
    )


# --- research, goals, plans -------------------------------------------------------------------


def _required(problems: Problems, field: str, value) -> None:
    if value is None or (isinstance(value, str) and not value.strip()):
        problems.add(field, _("This field is required."))


@transaction.atomic
def research_note_save(
    *, instance: ResearchNote, actor, regions=None, customers=None
) -> ResearchNote:
    """Create or change a research note (the author is set on creation)."""
    problems = Problems()
    if not can_write_research(actor) or (instance.pk and not can_change_research(actor, instance)):
        problems.add("subject", _("You may not change this research note."))
    _required(problems, "subject", instance.subject)
    _required(problems, "observed_on", instance.observed_on)
    if instance.price is not None and instance.price < 0:
        problems.add("price", _("This cannot be negative."))
    problems.raise_if_any()
    if not instance.pk and instance.author_id is None:
        instance.author = person_of(actor)
    instance.full_clean(exclude=["regions", "customers"])
    instance.save()
    if regions is not None:
        instance.regions.set(regions)
    if customers is not None:
        instance.customers.set(customers)
    return instance


@transaction.atomic
def company_goal_save(*, instance: CompanyGoal, actor, research_notes=None) -> CompanyGoal:
    """Create or change the company goal of a fiscal year (director, admin)."""
    problems = Problems()
    if not can_plan(actor):
        problems.add("statement", _("Only the director or an administrator sets company goals."))
    _required(problems, "statement", instance.statement)
    for field in ("sales_goal", "gross_margin_goal"):
        value = getattr(instance, field)
        _required(problems, field, value)
        if value is not None and value < 0:
            problems.add(field, _("This cannot be negative."))
    _year_check(problems, instance, CompanyGoal)
    problems.raise_if_any()
    if not instance.pk and instance.created_by_id is None:
        instance.created_by = person_of(actor)
    instance.full_clean(exclude=["research_notes"])
    instance.save()
    if research_notes is not None:
        instance.research_notes.set(research_notes)
    return instance


def _year_check(problems: Problems, instance, model) -> None:
    if instance.year is None:
        problems.add("year", _("This field is required."))
    elif not 2000 <= instance.year <= 2100:
        problems.add("year", _("Enter a year between 2000 and 2100."))
    elif model.objects.filter(year=instance.year).exclude(pk=instance.pk).exists():
        problems.add("year", _("There is already one for this year."))


@transaction.atomic
def sales_plan_save(*, instance: SalesPlan, actor, research_notes=None) -> SalesPlan:
    """Create or change a sales plan's title, year, strategy and cited research."""
    problems = Problems()
    if not can_plan(actor):
        problems.add("title", _("Only the director or an administrator writes sales plans."))
    _required(problems, "title", instance.title)
    _year_check(problems, instance, SalesPlan)
    if instance.pk:
        saved_year = SalesPlan.objects.filter(pk=instance.pk).values_list("year", flat=True)
        if saved_year and saved_year[0] != instance.year and instance.annual.exists():
            problems.add("year", _("The year of a plan that has targets cannot change."))
    problems.raise_if_any()
    instance.full_clean(exclude=["research_notes"])
    instance.save()
    if research_notes is not None:
        instance.research_notes.set(research_notes)
    return instance


# --- the grid ---------------------------------------------------------------------------------

Cell = tuple[Unit, int]  # (unit, month); month 0 = the year


def cell_key(unit: Unit, month: int) -> str:
    """The error key (and form-field stem) of a grid cell, e.g. `team-5-3`."""
    return f"{unit.key}-{month}"


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


@transaction.atomic
def grid_save(
    *,
    plan: SalesPlan,
    metric: str,
    parent: Unit,
    cells: dict[Cell, tuple[Decimal | None, Decimal | None]],
    actor,
) -> GridSaveResult:
    """Save the typed cells of a grid (blank realistic and ideal = no target): all or none.

    Errors are keyed by cell (`team-5-3`); unchanged cells are not written. A published
    decomposition of the parent goes back to draft when its targets change.
    """
    problems = Problems()
    if metric not in Metric.values:
        problems.add("metric", _("Unknown metric: %(metric)s.") % {"metric": metric})
        problems.raise_if_any()
    if plan.is_published and not can_plan(actor):
        problems.add("plan", _("This plan is published; only the director can change it."))
    org = plan_org()
    allowed = {parent, *org.children.get(parent, [])}
    values = plan_values(plan=plan, metrics=(metric,))
    changes: dict[Cell, tuple[Decimal | None, Decimal | None]] = {}
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
            if realistic is None
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
    for (unit, month), (realistic, ideal) in changes.items():
        try:
            if month == 0:
                _annual_write(plan=plan, unit=unit, metric=metric, pair=(realistic, ideal))
            else:
                _month_write(
                    plan=plan, unit=unit, metric=metric, month=month, pair=(realistic, ideal),
                    actor=actor,
                )  # fmt: skip
        except ValidationError as error:
            problems.add(cell_key(unit, month), " ".join(error.messages))
    problems.raise_if_any()
    reopened = bool(changes) and _reopen(plan=plan, unit=parent)
    return GridSaveResult(changed=len(changes), reopened=reopened)


def _owner_filter(unit: Unit) -> dict:
    return unit.owner_fields()


def _annual_write(
    *, plan: SalesPlan, unit: Unit, metric: str, pair: tuple[Decimal | None, Decimal | None]
) -> None:
    realistic, ideal = pair
    rows = AnnualTarget.objects.filter(plan=plan, metric=metric, **_owner_filter(unit))
    if realistic is None:
        for row in rows:
            row.delete()
        return
    row = rows.first() or AnnualTarget(plan=plan, metric=metric, **_owner_filter(unit))
    row.realistic, row.ideal = realistic, ideal
    row.full_clean()
    row.save()


def _month_write(
    *,
    plan: SalesPlan,
    unit: Unit,
    metric: str,
    month: int,
    pair: tuple[Decimal | None, Decimal | None],
    actor,
) -> None:
    realistic, ideal = pair
    rows = Target.objects.filter(year=plan.year, month=month, metric=metric, **_owner_filter(unit))
    if realistic is None:
        for row in rows:
            row.delete()
        return
    row = rows.first() or Target(year=plan.year, month=month, metric=metric, **_owner_filter(unit))
    row.realistic, row.ideal = realistic, ideal
    target_save(instance=row, actor=actor)


def _decomposition_fields(unit: Unit) -> dict:
    fields = {"owner_type": unit.owner_type}
    if unit.owner_type == OwnerType.TEAM:
        fields["team_id"] = unit.id
    elif unit.owner_type == OwnerType.REGION:
        fields["region_id"] = unit.id
    return fields


def _reopen(*, plan: SalesPlan, unit: Unit) -> bool:
    """Put a published decomposition of the unit back to draft; True if it was published."""
    if unit.owner_type == OwnerType.PERSON:
        return False
    decomposition = Decomposition.objects.filter(plan=plan, **_decomposition_fields(unit)).first()
    if decomposition is None or decomposition.status != PlanStatus.PUBLISHED:
        return False
    decomposition.status = PlanStatus.DRAFT
    decomposition.published_by = None
    decomposition.published_at = None
    decomposition.save()
    return True


# --- decomposition ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DecomposeResult:
    """The parts written by a decomposition, in whole units: the parent's 12 months and,
    per child, its year and 12 months (realistic, ideal)."""

    months: list[tuple[int, int]]
    children: dict[Unit, tuple[tuple[int, int], list[tuple[int, int]]]]


def _hand_units(*, parts: Sequence[Decimal], metric: str, field: str, problems: Problems):
    try:
        return [to_units(value=Decimal(part), metric=metric) for part in parts]
    except (ValueError, InvalidOperation):
        problems.add(field, _("Enter amounts to the cent (whole numbers for counts)."))
        return None


@transaction.atomic
def plan_unit_decompose(
    *,
    plan: SalesPlan,
    unit: Unit,
    metric: str,
    actor,
    months: str = Split.EVEN,
    children: str = Split.EVEN,
    month_parts: Sequence[Decimal] | None = None,
    child_parts: dict[Unit, Decimal] | None = None,
) -> DecomposeResult:
    """Split a unit's annual target into its 12 months and among its children.

    Months: evenly, by last year's monthly seasonality (the unit's actuals from the
    indicator engine; year → quarters → months), by hand (`month_parts`, realistic only:
    the stretch to the ideal follows it proportionally), or kept. Children: evenly, by
    their share of last year's actuals, by hand (`child_parts`), or kept; each child's
    months then follow the parent's months, adding up exactly both ways. Realistic and
    ideal are split each; every part adds up to its whole to the cent (or to 1 for counts).
    """
    problems = Problems()
    if metric not in Metric.values:
        problems.add("metric", _("Unknown metric: %(metric)s.") % {"metric": metric})
    for field, value in (("months", months), ("children", children)):
        if value not in Split.values:
            problems.add(field, _("Unknown method: %(method)s.") % {"method": value})
    problems.raise_if_any()
    org = plan_org()
    kids = org.children.get(unit, [])
    if plan.is_published and not can_plan(actor):
        problems.add("plan", _("This plan is published; only the director can change it."))
    if not can_decompose(actor, unit, org):
        problems.add(
            "unit",
            _("You may not decompose the targets of %(unit)s.") % {"unit": org.label(unit)},
        )
    values = plan_values(plan=plan, metrics=(metric,))
    whole = values.year(unit, metric)
    if whole is None:
        problems.add(
            "year",
            _("Set the annual target of %(unit)s first.") % {"unit": org.label(unit)},
        )
    problems.raise_if_any()
    realistic, ideal = whole

    # The parent's months.
    month_pairs: list[tuple[int, int]] = []
    if months == Split.KEEP:
        month_pairs = [values.month(unit, metric, m) or (0, 0) for m in MONTHS]
        if (sum(p[0] for p in month_pairs), sum(p[1] for p in month_pairs)) != whole:
            problems.add("months", _("The months do not add up to the year; split them first."))
    elif months == Split.HAND:
        hand = _hand_units(
            parts=month_parts or [], metric=metric, field="months", problems=problems
        )
        if hand is not None and (len(hand) != 12 or sum(hand) != realistic):
            problems.add(
                "months",
                _("Give 12 months that add up to %(total)s.")
                % {"total": units_text(units=realistic, metric=metric)},
            )
        if "months" not in problems.errors:
            stretch = split_by_weights(total=ideal - realistic, weights=hand)
            month_pairs = [
                (r, r + s)
                for r, s in zip(split_by_hand(total=realistic, parts=hand), stretch, strict=True)
            ]
    else:
        weights = [1] * 12
        if months == Split.HISTORY:
            weights = monthly_actuals(year=plan.year - 1, metric=metric, units=[unit], org=org)[
                unit
            ]
        real, ideal_parts = split_pair(
            realistic=realistic, ideal=ideal, split=year_to_months, monthly_weights=weights
        )
        month_pairs = list(zip(real, ideal_parts, strict=True))

    # The children's years.
    child_pairs: list[tuple[int, int]] = []
    if kids and children != Split.KEEP:
        if children == Split.HAND:
            given = child_parts or {}
            hand = _hand_units(
                parts=[given.get(kid, Decimal(0)) for kid in kids],
                metric=metric,
                field="children",
                problems=problems,
            )
            if hand is not None and sum(hand) != realistic:
                problems.add(
                    "children",
                    _("The parts add up to %(sum)s, not %(total)s.")
                    % {
                        "sum": units_text(units=sum(hand), metric=metric),
                        "total": units_text(units=realistic, metric=metric),
                    },
                )
            weights = hand
        elif children == Split.HISTORY:
            actuals = year_actuals(year=plan.year - 1, metric=metric, units=kids, org=org)
            weights = [actuals[kid] for kid in kids]
        else:
            weights = [1] * len(kids)
        problems.raise_if_any()
        real, ideal_parts = split_pair(
            realistic=realistic, ideal=ideal, split=split_by_weights, weights=weights
        )
        child_pairs = list(zip(real, ideal_parts, strict=True))
    elif kids:
        child_pairs = [values.year(kid, metric) or (0, 0) for kid in kids]
        if (sum(p[0] for p in child_pairs), sum(p[1] for p in child_pairs)) != whole:
            problems.add(
                "children", _("The children's targets do not add up to the year; split them.")
            )
    problems.raise_if_any()

    # The children's months follow the parent's months and add up both ways.
    child_months: list[list[tuple[int, int]]] = []
    if kids:
        real_table = allocate_table(
            row_totals=[p[0] for p in child_pairs], column_totals=[p[0] for p in month_pairs]
        )
        stretch_table = allocate_table(
            row_totals=[p[1] - p[0] for p in child_pairs],
            column_totals=[p[1] - p[0] for p in month_pairs],
        )
        child_months = [
            [(r, r + s) for r, s in zip(real_row, stretch_row, strict=True)]
            for real_row, stretch_row in zip(real_table, stretch_table, strict=True)
        ]

    _write_months(plan=plan, unit=unit, metric=metric, pairs=month_pairs, actor=actor)
    for kid, pair, kid_months in zip(kids, child_pairs, child_months, strict=True):
        _annual_write(plan=plan, unit=kid, metric=metric, pair=_decimals(pair, metric))
        _write_months(plan=plan, unit=kid, metric=metric, pairs=kid_months, actor=actor)
    if unit.owner_type != OwnerType.PERSON:
        _reopen(plan=plan, unit=unit)
        Decomposition.objects.get_or_create(plan=plan, **_decomposition_fields(unit))
    return DecomposeResult(
        months=month_pairs,
        children={
            kid: (pair, kid_months)
            for kid, pair, kid_months in zip(kids, child_pairs, child_months, strict=True)
        },
    )


def _decimals(pair: tuple[int, int], metric: str) -> tuple[Decimal, Decimal]:
    return from_units(units=pair[0], metric=metric), from_units(units=pair[1], metric=metric)


def _write_months(*, plan, unit: Unit, metric: str, pairs: list[tuple[int, int]], actor) -> None:
    """Write 12 monthly rows of a unit (one read, then a save per changed month)."""
    existing = {
        row.month: row
        for row in Target.objects.filter(year=plan.year, metric=metric, **_owner_filter(unit))
    }
    for month, pair in zip(MONTHS, pairs, strict=True):
        realistic, ideal = _decimals(pair, metric)
        row = existing.get(month)
        if row is not None and (row.realistic, row.ideal) == (realistic, ideal):
            continue
        row = row or Target(year=plan.year, month=month, metric=metric, **_owner_filter(unit))
        row.realistic, row.ideal = realistic, ideal
        target_save(instance=row, actor=actor)


# --- publishing -------------------------------------------------------------------------------


def mismatch_message(*, mismatches: list[Mismatch], org: PlanOrg) -> str:
    """One message listing where parts don't add up (the first ten, then a count)."""
    lines = [mismatch.text(org) for mismatch in mismatches[:MAX_LISTED_MISMATCHES]]
    more = len(mismatches) - MAX_LISTED_MISMATCHES
    if more > 0:
        lines.append(_("… and %(count)s more.") % {"count": more})
    return " ".join(lines)


@transaction.atomic
def plan_unit_publish(*, plan: SalesPlan, unit: Unit, actor) -> Decomposition:
    """Publish a unit's decomposition: refused while anything below it doesn't add up."""
    problems = Problems()
    if unit.owner_type == OwnerType.PERSON:
        problems.add("unit", _("Only a team, a region or the company is decomposed."))
        problems.raise_if_any()
    org = plan_org()
    if not can_decompose(actor, unit, org):
        problems.add(
            "unit",
            _("You may not publish the targets of %(unit)s.") % {"unit": org.label(unit)},
        )
        problems.raise_if_any()
    mismatches = plan_mismatches(plan=plan, root=unit, org=org)
    if mismatches:
        problems.add(
            "unit",
            _("Cannot publish: %(where)s")
            % {"where": mismatch_message(mismatches=mismatches, org=org)},
        )
    problems.raise_if_any()
    decomposition, _created = Decomposition.objects.get_or_create(
        plan=plan, **_decomposition_fields(unit)
    )
    decomposition.status = PlanStatus.PUBLISHED
    decomposition.published_by = person_of(actor)
    decomposition.published_at = timezone.now()
    decomposition.save()
    return decomposition


@transaction.atomic
def plan_publish(*, plan: SalesPlan, actor) -> SalesPlan:
    """Publish a sales plan (director, admin): refused while any target doesn't add up."""
    problems = Problems()
    if not can_plan(actor):
        problems.add("plan", _("Only the director or an administrator publishes a plan."))
        problems.raise_if_any()
    org = plan_org()
    mismatches = plan_mismatches(plan=plan, org=org)
    if mismatches:
        problems.add(
            "plan",
            _("Cannot publish: %(where)s")
            % {"where": mismatch_message(mismatches=mismatches, org=org)},
        )
    problems.raise_if_any()
    plan.status = PlanStatus.PUBLISHED
    plan.published_by = person_of(actor)
    plan.published_at = timezone.now()
    plan.save()
    return plan


@transaction.atomic
def plan_reopen(*, plan: SalesPlan, actor) -> SalesPlan:
    """Put a published plan back to draft so that its targets can change (director, admin)."""
    if not can_plan(actor):
        raise ValidationError(
            {"plan": [_("Only the director or an administrator reopens a plan.")]}
        )
    plan.status = PlanStatus.DRAFT
    plan.published_by = None
    plan.published_at = None
    plan.save()
    return plan


# --- progressive targets ----------------------------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    """Next year's proposed target of a unit: this year's actual × (1 + growth), at least
    this year's target (whole units)."""

    unit: Unit
    label: str
    actual: int
    target: tuple[int, int] | None
    realistic: int
    ideal: int


def _grow(units: int, growth_rate: Decimal) -> int:
    return int((Decimal(units) * (1 + growth_rate)).to_integral_value(rounding=ROUND_CEILING))


def target_proposals(
    *, plan: SalesPlan, metric: str, parent: Unit, growth_rate: Decimal, user
) -> list[Proposal]:
    """Proposals for the plan's year for a unit and its visible children, from the year
    before's actuals (indicator engine) and targets; nothing is saved."""
    from salesorg.targets.selectors import visible_children

    if metric not in Metric.values:
        raise ValidationError({"metric": [_("Unknown metric: %(metric)s.") % {"metric": metric}]})
    if growth_rate <= -1 or growth_rate > 10:
        raise ValidationError({"growth_rate": [_("Enter a growth rate between -100% and 1000%.")]})
    org = plan_org()
    units = [parent, *visible_children(user=user, org=org, unit=parent)]
    actuals = year_actuals(year=plan.year - 1, metric=metric, units=units, org=org)
    previous = SalesPlan.objects.filter(year=plan.year - 1).first()
    prior_annual = plan_values(plan=previous, metrics=(metric,)) if previous else None
    this_year = _year_sums(year=plan.year - 1, metric=metric)
    proposals = []
    for unit in units:
        target = (prior_annual.year(unit, metric) if prior_annual else None) or this_year.get(unit)
        realistic = _grow(actuals[unit], growth_rate)
        ideal = realistic
        if target is not None:
            realistic = max(realistic, target[0])
            stretch = Decimal(target[1]) / Decimal(target[0]) if target[0] else Decimal(1)
            ideal = max(int((realistic * stretch).to_integral_value(ROUND_CEILING)), target[1])
        proposals.append(
            Proposal(
                unit=unit,
                label=org.label(unit),
                actual=actuals[unit],
                target=target,
                realistic=realistic,
                ideal=max(ideal, realistic),
            )
        )
    return proposals


def _year_sums(*, year: int, metric: str) -> dict[Unit, tuple[int, int]]:
    sums: dict[Unit, tuple[int, int]] = {}
    rows = Target.objects.filter(year=year, metric=metric).values_list(
        "owner_type", "person_id", "team_id", "region_id", "realistic", "ideal"
    )
    for owner_type, person_id, team_id, region_id, realistic, ideal in rows.order_by():
        unit = (
            COMPANY
            if owner_type == OwnerType.COMPANY
            else Unit(owner_type, person_id or team_id or region_id)
        )
        before = sums.get(unit, (0, 0))
        sums[unit] = (
            before[0] + to_units(value=realistic, metric=metric),
            before[1] + to_units(value=ideal, metric=metric),
        )
    return sums


@transaction.atomic
def proposals_apply(
    *,
    plan: SalesPlan,
    metric: str,
    parent: Unit,
    values: dict[Unit, tuple[Decimal | None, Decimal | None]],
    actor,
) -> int:
    """Save reviewed proposals as the annual targets of the plan's year (all or none)."""
    cells = {(unit, 0): pair for unit, pair in values.items()}
    return grid_save(plan=plan, metric=metric, parent=parent, cells=cells, actor=actor).changed
