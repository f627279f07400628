"""Writes of a unit's decomposition: its annual target split into its 12 months and among
its children, each part adding up to its whole exactly (see `targets.decomposition` for the
arithmetic)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from salesorg.core.problems import Problems
from salesorg.core.scoping import SYSTEM
from salesorg.targets.choices import HistoryBasis, Metric, OwnerType, Split
from salesorg.targets.decomposition import (
    allocate_table,
    from_units,
    split_by_hand,
    split_by_weights,
    split_pair,
    to_units,
    year_to_months,
)
from salesorg.targets.history import (
    Basis,
    history_basis,
    history_gap,
    no_shares_message,
    too_little_message,
)
from salesorg.targets.models import Decomposition, SalesPlan, Target
from salesorg.targets.permissions import can_change_plan_targets, can_decompose
from salesorg.targets.selectors.actuals import monthly_actuals, period_actuals
from salesorg.targets.selectors.plans import PlanValues, plan_org, plan_values, units_text
from salesorg.targets.services.grid import annual_target_write, decomposition_reopen
from salesorg.targets.services.targets import target_save
from salesorg.targets.units import MONTHS, Pair, PlanOrg, Unit


@dataclass(frozen=True)
class DecomposeResult:
    """The parts written by a decomposition, in whole units: the parent's 12 months and,
    per child, its year and 12 months (realistic, ideal); the period of actuals followed
    (None when nothing was split by history)."""

    months: list[Pair]
    children: dict[Unit, tuple[Pair, list[Pair]]]
    basis: Basis | None = None


def _hand_units(
    *, parts: Sequence[Decimal], metric: str, field: str, problems: Problems
) -> list[int] | None:
    try:
        return [to_units(value=Decimal(part), metric=metric) for part in parts]
    except (ValueError, InvalidOperation):
        problems.add(field, _("Enter amounts to the cent (whole numbers for counts)."))
        return None


def _permission_check(
    problems: Problems, *, plan: SalesPlan, unit: Unit, actor: User, org: PlanOrg
) -> None:
    """A published plan is decomposed by no one (it changes by revisions); a unit by its
    leaders."""
    if not can_change_plan_targets(actor, plan):
        problems.add(
            "plan",
            _(
                "This plan is published: its targets change only by a revision, proposed "
                "by saving the grid with a reason."
            ),
        )
    if not can_decompose(actor, unit, org):
        problems.add(
            "unit",
            _("You may not decompose the targets of %(unit)s.") % {"unit": org.label(unit)},
        )


@transaction.atomic
def plan_unit_decompose(
    *,
    plan: SalesPlan,
    unit: Unit,
    metric: str,
    actor: User,
    months: str = Split.EVEN,
    children: str = Split.EVEN,
    month_parts: Sequence[Decimal] | None = None,
    child_parts: dict[Unit, Decimal] | None = None,
    basis: str = HistoryBasis.LAST_YEAR,
    reference_year: int | None = None,
    today: date | None = None,
) -> DecomposeResult:
    """Split a unit's annual target into its 12 months and among its children.

    Months: evenly, by the seasonality of a complete period's actuals (`basis`: the last
    complete year, the last 12 complete months or a reference year, see `targets.history`;
    the unit's actuals from the indicator engine; year → quarters → months), by hand
    (`month_parts`, realistic only: the stretch to the ideal follows it proportionally), or
    kept. Children: evenly, by their share of the period's actuals, by hand
    (`child_parts`), or kept; each child's months then follow the parent's months, adding
    up exactly both ways. A split by history with too little history is refused, naming
    the period. Realistic and ideal are split each; every part adds up to its whole to the
    cent (or to 1 for counts).
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
    _permission_check(problems, plan=plan, unit=unit, actor=actor, org=org)
    values = plan_values(plan=plan, metrics=(metric,), user=SYSTEM)
    whole = values.year(unit, metric)
    if whole is None:
        problems.add(
            "year",
            _("Set the annual target of %(unit)s first.") % {"unit": org.label(unit)},
        )
    period = None
    if Split.HISTORY in (months, children):
        period = _basis(plan, basis, reference_year, today, problems)
    problems.raise_if_any()
    assert whole is not None
    split = _Split(
        plan=plan, unit=unit, metric=metric, whole=whole, values=values, org=org, basis=period
    )
    month_pairs = split.parent_months(method=months, parts=month_parts, problems=problems)
    child_pairs = split.children_years(method=children, parts=child_parts, problems=problems)
    problems.raise_if_any()
    child_months = _children_months(child_pairs=child_pairs, month_pairs=month_pairs)
    _write_months(plan=plan, unit=unit, metric=metric, pairs=month_pairs, actor=actor)
    for kid, pair, kid_months in zip(kids, child_pairs, child_months, strict=True):
        annual_target_write(plan=plan, unit=kid, metric=metric, pair=_decimals(pair, metric))
        _write_months(plan=plan, unit=kid, metric=metric, pairs=kid_months, actor=actor)
    if unit.owner_type != OwnerType.PERSON:
        decomposition_reopen(plan=plan, unit=unit)
        Decomposition.objects.get_or_create(plan=plan, **unit.decomposition_fields())
    return DecomposeResult(
        months=month_pairs,
        children={
            kid: (pair, kid_months)
            for kid, pair, kid_months in zip(kids, child_pairs, child_months, strict=True)
        },
        basis=period,
    )


def _basis(
    plan: SalesPlan, kind: str, reference_year: int | None, today: date | None, problems: Problems
) -> Basis | None:
    """The complete period a split by history follows; a refused choice is a problem."""
    try:
        return history_basis(
            kind=kind,
            plan_year=plan.year,
            today=today or timezone.localdate(),
            reference_year=reference_year,
        )
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            for message in messages:
                problems.add(field, message)
        return None


@dataclass(frozen=True)
class _Split:
    """One decomposition's inputs: the unit's whole year, its plan values and org."""

    plan: SalesPlan
    unit: Unit
    metric: str
    whole: Pair
    values: PlanValues
    org: PlanOrg
    basis: Basis | None = None

    def parent_months(
        self, *, method: str, parts: Sequence[Decimal] | None, problems: Problems
    ) -> list[Pair]:
        """The parent's 12 months: kept, by hand, or split evenly or by the basis' months."""
        realistic, ideal = self.whole
        metric = self.metric
        month_pairs: list[Pair] = []
        if method == Split.KEEP:
            month_pairs = [self.values.month(self.unit, metric, m) or (0, 0) for m in MONTHS]
            if (sum(p[0] for p in month_pairs), sum(p[1] for p in month_pairs)) != self.whole:
                problems.add("months", _("The months do not add up to the year; split them first."))
        elif method == Split.HAND:
            hand = _hand_units(parts=parts or [], metric=metric, field="months", problems=problems)
            if hand is not None and (len(hand) != 12 or sum(hand) != realistic):
                problems.add(
                    "months",
                    _("Give 12 months that add up to %(total)s.")
                    % {"total": units_text(units=realistic, metric=metric)},
                )
            if "months" not in problems.errors:
                assert hand is not None
                stretch = split_by_weights(total=ideal - realistic, weights=hand)
                month_pairs = [
                    (r, r + s)
                    for r, s in zip(
                        split_by_hand(total=realistic, parts=hand), stretch, strict=True
                    )
                ]
        else:
            weights: Sequence[int] = [1] * 12
            if method == Split.HISTORY:
                assert self.basis is not None
                monthly = monthly_actuals(
                    months=self.basis.months,
                    metric=metric,
                    units=[self.unit],
                    org=self.org,
                    user=SYSTEM,
                )[self.unit]
                if history_gap(monthly=monthly):
                    problems.add(
                        "months",
                        too_little_message(
                            unit=self.org.label(self.unit),
                            metric=str(Metric(metric).label),
                            basis=self.basis,
                            monthly=monthly,
                        ),
                    )
                    return []
                weights = self.basis.by_calendar_month(monthly)
            real, ideal_parts = split_pair(
                realistic=realistic, ideal=ideal, split=year_to_months, monthly_weights=weights
            )
            month_pairs = list(zip(real, ideal_parts, strict=True))
        return month_pairs

    def children_years(
        self, *, method: str, parts: dict[Unit, Decimal] | None, problems: Problems
    ) -> list[Pair]:
        """The children's years: kept (checked to add up), by hand, evenly or by the basis."""
        kids = self.org.children.get(self.unit, [])
        metric = self.metric
        realistic, ideal = self.whole
        if not kids:
            return []
        if method == Split.KEEP:
            child_pairs = [self.values.year(kid, metric) or (0, 0) for kid in kids]
            if (sum(p[0] for p in child_pairs), sum(p[1] for p in child_pairs)) != self.whole:
                problems.add(
                    "children", _("The children's targets do not add up to the year; split them.")
                )
            return child_pairs
        weights: Sequence[int] | None
        if method == Split.HAND:
            given = parts or {}
            weights = _hand_units(
                parts=[given.get(kid, Decimal(0)) for kid in kids],
                metric=metric,
                field="children",
                problems=problems,
            )
            if weights is not None and sum(weights) != realistic:
                problems.add(
                    "children",
                    _("The parts add up to %(sum)s, not %(total)s.")
                    % {
                        "sum": units_text(units=sum(weights), metric=metric),
                        "total": units_text(units=realistic, metric=metric),
                    },
                )
        elif method == Split.HISTORY:
            assert self.basis is not None
            actuals = period_actuals(
                basis=self.basis, metric=metric, units=kids, org=self.org, user=SYSTEM
            )
            weights = [actuals[kid] for kid in kids]
            if not any(weights):
                problems.add(
                    "children",
                    no_shares_message(
                        unit=self.org.label(self.unit),
                        metric=str(Metric(metric).label),
                        basis=self.basis,
                    ),
                )
        else:
            weights = [1] * len(kids)
        problems.raise_if_any()
        real, ideal_parts = split_pair(
            realistic=realistic, ideal=ideal, split=split_by_weights, weights=weights
        )
        return list(zip(real, ideal_parts, strict=True))


def _children_months(*, child_pairs: list[Pair], month_pairs: list[Pair]) -> list[list[Pair]]:
    """The children's months follow the parent's months and add up both ways."""
    if not child_pairs:
        return []
    real_table = allocate_table(
        row_totals=[p[0] for p in child_pairs], column_totals=[p[0] for p in month_pairs]
    )
    stretch_table = allocate_table(
        row_totals=[p[1] - p[0] for p in child_pairs],
        column_totals=[p[1] - p[0] for p in month_pairs],
    )
    return [
        [(r, r + s) for r, s in zip(real_row, stretch_row, strict=True)]
        for real_row, stretch_row in zip(real_table, stretch_table, strict=True)
    ]


def _decimals(pair: Pair, metric: str) -> tuple[Decimal, Decimal]:
    return from_units(units=pair[0], metric=metric), from_units(units=pair[1], metric=metric)


def _write_months(
    *, plan: SalesPlan, unit: Unit, metric: str, pairs: list[Pair], actor: User
) -> None:
    """Write 12 monthly rows of a unit (one read, then a save per changed month)."""
    existing = {
        row.month: row
        for row in Target.objects.filter(year=plan.year, metric=metric, **unit.owner_fields())
    }
    for month, pair in zip(MONTHS, pairs, strict=True):
        realistic, ideal = _decimals(pair, metric)
        row = existing.get(month)
        if row is not None and (row.realistic, row.ideal) == (realistic, ideal):
            continue
        row = row or Target(year=plan.year, month=month, metric=metric, **unit.owner_fields())
        row.realistic, row.ideal = realistic, ideal
        target_save(instance=row, actor=actor, system=True)  # derived from the plan
