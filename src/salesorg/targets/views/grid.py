"""Pages of the targets grid: a unit and its children × year and months, decomposition,
publishing a unit and progressive-target proposals."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from salesorg.core.money import format_money
from salesorg.targets.choices import Metric, OwnerType
from salesorg.targets.decomposition import from_units, is_count
from salesorg.targets.forms.plans import DecomposeForm, ProposalForm, parse_decimal, parse_grid
from salesorg.targets.history import MIN_MONTHS_WITH_ACTUALS, basis_options
from salesorg.targets.models import SalesPlan
from salesorg.targets.permissions import (
    can_change_plan_targets,
    can_decompose,
    can_write_unit,
)
from salesorg.targets.selectors.actuals import Proposals, history_years, target_proposals
from salesorg.targets.selectors.grid import grid_home, target_grid
from salesorg.targets.selectors.plans import plan_org, unit_visible
from salesorg.targets.services.decomposition import plan_unit_decompose
from salesorg.targets.services.grid import grid_save, proposals_apply
from salesorg.targets.services.plans import plan_unit_publish
from salesorg.targets.units import PlanOrg, Unit


def error_messages(request, error: ValidationError) -> None:
    """Show a service's refusal as error messages on the next page."""
    for message in error.messages:
        messages.error(request, message)


def metric_of(request) -> str:
    """The metric asked for (?metric= or the posted one), sales by default."""
    metric = request.GET.get("metric") or request.POST.get("metric") or Metric.SALES
    return metric if metric in Metric.values else Metric.SALES


def grid_units(*, user, org: PlanOrg) -> list[tuple[str, str]]:
    """The units whose grid the user may open: (key, label), top-down."""
    return [
        (unit.key, org.label(unit))
        for unit in org.units()
        if unit.owner_type != OwnerType.PERSON and unit_visible(user=user, unit=unit)
    ]


def _grid_parent(request, org: PlanOrg) -> Unit:
    """The grid's parent unit from ?unit= (default: the user's own, see `grid_home`)."""
    key = request.GET.get("unit") or request.POST.get("unit")
    if key:
        unit = Unit.parse(key)
        if unit is None or unit.owner_type == OwnerType.PERSON or unit not in org.names:
            raise Http404
        if not unit_visible(user=request.user, unit=unit):
            raise Http404
        return unit
    home = grid_home(user=request.user, org=org)
    if home is not None:
        return home
    for unit_key, _label in grid_units(user=request.user, org=org):
        return Unit.parse(unit_key)
    raise Http404


def _grid_url(plan: SalesPlan, metric: str, unit: Unit) -> str:
    query = urlencode({"metric": metric, "unit": unit.key})
    return f"{reverse('targets:plan_grid', args=[plan.pk])}?{query}"


@login_required
def plan_grid(request, plan_id: int):
    """The targets grid of a unit and its children × year and months; POST saves it."""
    plan = get_object_or_404(SalesPlan.objects.visible_to(request.user), pk=plan_id)
    org = plan_org()
    parent = _grid_parent(request, org)
    metric = metric_of(request)
    posted = errors = None
    status = 200
    if request.method == "POST":
        units = [parent, *org.children.get(parent, [])]
        cells, typed, errors = parse_grid(request.POST, units=units)
        if not errors:
            try:
                result = grid_save(
                    plan=plan, metric=metric, parent=parent, cells=cells, actor=request.user,
                    reason=request.POST.get("reason", ""),
                )  # fmt: skip
            except ValidationError as error:
                errors = _cell_errors(error, units)
            else:
                if plan.is_published:
                    return _revision_proposed(request, plan, result.revision)
                messages.success(request, _("Saved."))
                if result.reopened:
                    messages.info(request, _("The decomposition is a draft again."))
                return redirect(_grid_url(plan, metric, parent))
        posted = typed
        status = 400
    return render(
        request,
        "targets/grid.html",
        _grid_context(request, plan, metric, parent, org, posted=posted, errors=errors),
        status=status,
    )


def _revision_proposed(request, plan: SalesPlan, revision):
    """After a grid save on a published plan: say what was proposed, show the revisions."""
    if revision is None:
        messages.info(request, _("Nothing changed: the targets in force stay as they are."))
    else:
        messages.success(
            request,
            _(
                "Revision %(number)s is proposed: the targets change when the next level "
                "approves it."
            )
            % {"number": revision.number},
        )
    return redirect(plan.get_absolute_url() + "#revisions")


def _cell_errors(error: ValidationError, units: list[Unit]) -> dict:
    """A service's errors by cell key back to (unit, month); others under (None, None)."""
    by_key = {f"{unit.key}-{month}": (unit, month) for unit in units for month in range(13)}
    errors: dict = {}
    for key, messages_ in error.message_dict.items():
        errors.setdefault(by_key.get(key, (None, None)), []).extend(messages_)
    return errors


def _grid_context(request, plan, metric, parent, org, *, posted=None, errors=None) -> dict:
    user = request.user
    grid = target_grid(
        plan=plan,
        metric=metric,
        parent=parent,
        user=user,
        can_write=lambda unit: can_write_unit(user, unit),
        posted=posted,
        errors=errors,
    )
    text = (lambda units: f"{units:,}") if is_count(metric) else plain_amount(metric)
    rows = []
    for row in grid.rows:
        child_grid = (
            _grid_url(plan, metric, row.unit)
            if not row.is_parent and row.unit.owner_type != OwnerType.PERSON
            else None
        )
        rows.append(
            {
                "row": row,
                "cells": [
                    {
                        "cell": cell,
                        "realistic": _grid_shown(cell.realistic, metric),
                        "ideal": _grid_shown(cell.ideal, metric),
                        "derived_realistic": _grid_shown(cell.derived_realistic, metric),
                        "derived_ideal": _grid_shown(cell.derived_ideal, metric),
                    }
                    for cell in row.cells
                ],
                "quarters": [(text(q[0]), text(q[1])) for q in row.quarter_sums],
                "months_sum": (text(row.months_sum[0]), text(row.months_sum[1])),
                "child_grid": child_grid,
                "history": reverse("targets:person_targets", args=[row.unit.id])
                if row.unit.owner_type == OwnerType.PERSON
                else None,
            }
        )
    up = org.parent.get(parent)
    return {
        "plan": plan,
        "grid": grid,
        "rows": rows,
        "metric": metric,
        "metric_label": Metric(metric).label,
        "metrics": Metric.choices,
        "unit_key": parent.key,
        "units": grid_units(user=user, org=org),
        "children_sums": [
            {"month": i, "realistic": text(pair[0]), "ideal": text(pair[1]), "flag": flag}
            for i, (pair, flag) in enumerate(
                zip(grid.children_sums, grid.children_mismatch, strict=True)
            )
        ],
        "has_children": len(grid.rows) > 1,
        "has_derived": any(cell.derived for row in grid.rows for cell in row.cells),
        "mismatch_texts": [m.text(org) for m in grid.mismatches],
        "mismatch_count": len(grid.mismatches),
        "can_decompose": grid.editable
        and can_decompose(user, parent, org)
        and can_change_plan_targets(user, plan),
        "decompose_form": DecomposeForm(basis_choices=basis_choices(plan)),
        "min_months_with_actuals": MIN_MONTHS_WITH_ACTUALS,
        "up_url": _grid_url(plan, metric, up) if up and unit_visible(user=user, unit=up) else None,
        "general_errors": (errors or {}).get((None, None), []),
        "revision_reason": request.POST.get("reason", "") if plan.is_published else "",
        "grid_config": {"count": is_count(metric), "complete": grid.complete},
        "month_headers": list(range(1, 13)),
    }


def plain_amount(metric: str):
    """Whole units of an amount metric as money text (¥1,234.00)."""

    def text(units: int) -> str:
        return format_money(from_units(units=units, metric=metric))

    return text


def _grid_shown(text: str, metric: str) -> str:
    """A grid value as a person reads it (¥76,650,000.00; a count 1,234); text typed into a
    refused form that is no plain amount stays as typed, so nothing typed is lost."""
    try:
        value = parse_decimal(text)
    except ValueError:
        return text
    if value is None:
        return ""
    if value != value.quantize(Decimal("0.01")):
        return text
    if is_count(metric):
        return f"{value:,.0f}" if value == value.to_integral_value() else text
    return format_money(value)


@require_POST
@login_required
def plan_decompose(request, plan_id: int):
    """Decompose the grid's parent: its months and its children, by the chosen methods."""
    plan = get_object_or_404(SalesPlan.objects.visible_to(request.user), pk=plan_id)
    org = plan_org()
    parent = _grid_parent(request, org)
    metric = metric_of(request)
    form = DecomposeForm(request.POST, basis_choices=basis_choices(plan))
    if not form.is_valid():
        messages.error(request, _("Choose how to split the months and the units below."))
    else:
        kind, reference_year = form.cleaned_data["basis"]
        try:
            result = plan_unit_decompose(
                plan=plan,
                unit=parent,
                metric=metric,
                actor=request.user,
                months=form.cleaned_data["months"],
                children=form.cleaned_data["children"],
                basis=kind,
                reference_year=reference_year,
                today=timezone.localdate(),
            )
        except ValidationError as error:
            error_messages(request, error)
        else:
            if result.basis is not None:
                messages.success(
                    request,
                    _("Decomposed by the actuals of %(period)s: every part adds up to its whole.")
                    % {"period": result.basis.label},
                )
            else:
                messages.success(request, _("Decomposed: every part adds up to its whole."))
    return redirect(_grid_url(plan, metric, parent))


def basis_choices(plan: SalesPlan) -> list[tuple[str, str]]:
    """The periods of actuals a split or proposal may follow, labelled with their months."""
    today = timezone.localdate()
    return basis_options(
        plan_year=plan.year, today=today, years_with_data=history_years(today=today)
    )


@require_POST
@login_required
def plan_unit_publish_view(request, plan_id: int):
    """Publish the decomposition of the grid's parent unit."""
    plan = get_object_or_404(SalesPlan.objects.visible_to(request.user), pk=plan_id)
    org = plan_org()
    parent = _grid_parent(request, org)
    metric = metric_of(request)
    try:
        plan_unit_publish(plan=plan, unit=parent, actor=request.user)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(
            request, _("The targets of %(unit)s are published.") % {"unit": org.label(parent)}
        )
    return redirect(_grid_url(plan, metric, parent))


@login_required
def plan_proposals(request, plan_id: int):
    """Progressive targets: next year's proposals from a complete period's actuals ×
    (1 + growth), at least last year's target, the ideal raised by the plan's uplift;
    reviewed and edited before they are saved."""
    plan = get_object_or_404(SalesPlan.objects.visible_to(request.user), pk=plan_id)
    org = plan_org()
    parent = _grid_parent(request, org)
    asked = request.POST if request.method == "POST" else request.GET
    metric = asked.get("metric") if asked.get("metric") in Metric.values else Metric.SALES
    form = ProposalForm(
        asked if "growth" in asked else None,  # opened from a link: the form, not an error
        basis_choices=basis_choices(plan),
        initial={"metric": metric},
    )
    proposals, problems = None, []
    if form.is_bound and form.is_valid():
        metric = form.cleaned_data["metric"]
        growth = form.cleaned_data["growth"] / Decimal(100)
        if request.method == "POST":
            units = [parent, *org.children.get(parent, [])]
            cells, _typed, errors = parse_grid(request.POST, units=units, months=(0,))
            if errors:
                problems = [m for messages_ in errors.values() for m in messages_]
            else:
                try:
                    changed = proposals_apply(
                        plan=plan,
                        metric=metric,
                        parent=parent,
                        values={unit: pair for (unit, _month), pair in cells.items()},
                        actor=request.user,
                    )
                except ValidationError as error:
                    problems = error.messages
                else:
                    messages.success(
                        request,
                        _("%(count)s annual targets saved.") % {"count": changed},
                    )
                    return redirect(_grid_url(plan, metric, parent))
        kind, reference_year = form.cleaned_data["basis"]
        try:
            proposals = target_proposals(
                plan=plan,
                metric=metric,
                parent=parent,
                growth_rate=growth,
                user=request.user,
                basis=kind,
                reference_year=reference_year,
                today=timezone.localdate(),
            )
        except ValidationError as error:
            problems = error.messages
    metric = metric if metric in Metric.values else Metric.SALES
    return render(
        request,
        "targets/plan_proposals.html",
        {
            "plan": plan,
            "form": form,
            "unit_key": parent.key,
            "units": grid_units(user=request.user, org=org),
            "problems": problems,
            "metric": metric,
            **_proposals_context(request, plan, metric, proposals),
        },
    )


def _proposals_context(request, plan: SalesPlan, metric: str, proposals: Proposals | None):
    """The proposals as the page shows them: amounts as text, the period and the uplift."""
    rows = proposals.rows if proposals else []
    text = (lambda units: str(units)) if is_count(metric) else plain_amount(metric)
    raw = (
        (lambda units: str(units))
        if is_count(metric)
        else (lambda units: f"{from_units(units=units, metric=metric):.2f}")
    )
    return {
        "can_save": all(can_write_unit(request.user, p.unit) for p in rows)
        and can_change_plan_targets(request.user, plan),
        "proposal_set": proposals,
        "proposals": [
            {
                "proposal": p,
                "key": f"{p.unit.key}-0",
                "actual": text(p.actual),
                "target": text(p.target[0]) if p.target else "",
                "realistic": raw(p.realistic),
                "ideal": raw(p.ideal),
            }
            for p in rows
        ],
    }
