"""Pages of the planning cycle: research, goals, plans, the targets grid, decomposition,
publishing, progressive-target proposals and a person's target history."""

from __future__ import annotations

import csv
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from salesorg.core.money import format_money
from salesorg.core.numbers import format_number
from salesorg.core.views import ScopedDetailView, ScopedUpdateView
from salesorg.org.models import Person
from salesorg.targets import selectors
from salesorg.targets.choices import Metric, OwnerType
from salesorg.targets.decomposition import from_units, is_count
from salesorg.targets.forms import (
    CompanyGoalForm,
    DecomposeForm,
    ProposalForm,
    ResearchNoteForm,
    SalesPlanForm,
    parse_decimal,
    parse_grid,
)
from salesorg.targets.models import CompanyGoal, ResearchKind, ResearchNote, SalesPlan
from salesorg.targets.plans import (
    can_change_research,
    can_decompose,
    can_plan,
    can_write_research,
    can_write_unit,
    company_goal_save,
    grid_save,
    plan_publish,
    plan_reopen,
    plan_unit_decompose,
    plan_unit_publish,
    proposals_apply,
    research_note_save,
    sales_plan_save,
    target_proposals,
)
from salesorg.targets.selectors import Unit


def _error_messages(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- research ---------------------------------------------------------------------------------


@login_required
def research_list(request):
    """Research notes and competitor observations: search, filter by kind, CSV export."""
    search = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    notes = selectors.research_note_list(
        user=request.user, search=search, kind=kind if kind in ResearchKind.values else ""
    )
    if request.GET.get("format") == "csv":
        return _research_csv(notes)
    page = Paginator(notes, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "targets/plan_research_list.html",
        {
            "page": page,
            "search": search,
            "kind": kind,
            "kinds": ResearchKind.choices,
            "can_write": can_write_research(request.user),
        },
    )


def _research_csv(notes) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="research-notes.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Date"),
            _("Kind"),
            _("Subject"),
            _("Competitor"),
            _("Product"),
            _("Price"),
            _("Regions"),
            _("Source"),
            _("Author"),
        ]
    )
    for note in notes:
        writer.writerow(
            [
                note.observed_on.isoformat(),
                note.get_kind_display(),
                note.subject,
                note.competitor,
                note.product,
                "" if note.price is None else f"{note.price:.2f}",
                " ".join(region.code for region in note.regions.all()),
                note.source,
                note.author.code if note.author else "",
            ]
        )
    return response


def _save_research(request, form: ResearchNoteForm, note: ResearchNote):
    data = form.cleaned_data
    for name in ("kind", "subject", "competitor", "product", "price", "source", "observed_on"):
        setattr(note, name, data[name])
    note.notes = data["notes"]
    research_note_save(
        instance=note,
        actor=request.user,
        regions=list(data["regions"]),
        customers=data["customer_codes"],
    )


@login_required
def research_create(request):
    """Record a research note or competitor observation."""
    if not can_write_research(request.user):
        raise PermissionDenied
    form = ResearchNoteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        note = ResearchNote()
        try:
            _save_research(request, form, note)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Saved."))
            return redirect("targets:research")
    return render(
        request,
        "targets/plan_form.html",
        {"form": form, "title": _("New research note"), "cancel_href": reverse("targets:research")},
    )


class ResearchNoteEdit(ScopedUpdateView):
    """Edit a research note (its author, director, admin)."""

    model = ResearchNote
    template_name = "targets/plan_form.html"
    record_permission = staticmethod(can_change_research)
    fields: list[str] = []

    def get_object(self, queryset=None):
        note = super().get_object(queryset)
        if not self.record_permission(self.request.user, note):
            raise PermissionDenied
        return note

    def get_form(self, form_class=None):
        if self.request.method == "POST":
            return ResearchNoteForm(self.request.POST, user=self.request.user)
        return ResearchNoteForm(
            initial=ResearchNoteForm.initial_for(self.object), user=self.request.user
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Edit research note")
        context["cancel_href"] = reverse("targets:research")
        return context

    def form_valid(self, form):
        try:
            _save_research(self.request, form, self.object)
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect("targets:research")


# --- goals and plans --------------------------------------------------------------------------


@login_required
def plan_list(request):
    """Sales plans and company goals by fiscal year."""
    plans = list(selectors.plan_list(user=request.user))
    goals = {goal.year: goal for goal in CompanyGoal.objects.visible_to(request.user)}
    years = sorted({*goals, *(plan.year for plan in plans)}, reverse=True)
    by_year = {plan.year: plan for plan in plans}
    rows = [{"year": year, "goal": goals.get(year), "plan": by_year.get(year)} for year in years]
    return render(
        request,
        "targets/plan_list.html",
        {"rows": rows, "can_plan": can_plan(request.user)},
    )


class _PlannerEdit(ScopedUpdateView):
    """Edit a goal or a plan (director, admin); the form is saved by a service."""

    template_name = "targets/plan_form.html"
    record_permission = staticmethod(lambda user, obj: can_plan(user))
    fields: list[str] = []
    form_class_for = None
    title = ""

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not self.record_permission(self.request.user, obj):
            raise PermissionDenied
        return obj

    def initial(self) -> dict:
        raise NotImplementedError

    def get_form(self, form_class=None):
        form_class = type(self).form_class_for
        if self.request.method == "POST":
            return form_class(self.request.POST, user=self.request.user)
        return form_class(initial=self.initial(), user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        context["cancel_href"] = reverse("targets:plans")
        return context


class CompanyGoalEdit(_PlannerEdit):
    """Edit a fiscal year's company goal."""

    model = CompanyGoal
    form_class_for = CompanyGoalForm

    @property
    def title(self):
        return _("Edit company goal")

    def initial(self) -> dict:
        goal = self.object
        return {
            "year": goal.year,
            "statement": goal.statement,
            "sales_goal": goal.sales_goal,
            "gross_margin_goal": goal.gross_margin_goal,
            "research_notes": list(goal.research_notes.values_list("pk", flat=True)),
        }

    def form_valid(self, form):
        try:
            _goal_save(self.request, self.object, form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect("targets:plans")


def _goal_save(request, goal: CompanyGoal, data: dict) -> CompanyGoal:
    for name in ("year", "statement", "sales_goal", "gross_margin_goal"):
        setattr(goal, name, data[name])
    return company_goal_save(
        instance=goal, actor=request.user, research_notes=list(data["research_notes"])
    )


def _plan_save(request, plan: SalesPlan, data: dict) -> SalesPlan:
    for name in ("year", "title", "strategy"):
        setattr(plan, name, data[name])
    return sales_plan_save(
        instance=plan, actor=request.user, research_notes=list(data["research_notes"])
    )


class SalesPlanEdit(_PlannerEdit):
    """Edit a sales plan's year, title, strategy and cited research."""

    model = SalesPlan
    form_class_for = SalesPlanForm

    @property
    def title(self):
        return _("Edit sales plan")

    def initial(self) -> dict:
        plan = self.object
        return {
            "year": plan.year,
            "title": plan.title,
            "strategy": plan.strategy,
            "research_notes": list(plan.research_notes.values_list("pk", flat=True)),
        }

    def form_valid(self, form):
        try:
            _plan_save(self.request, self.object, form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect(self.object.get_absolute_url())


@login_required
def goal_create(request):
    """Set the company goal of a fiscal year (director, admin)."""
    if not can_plan(request.user):
        raise PermissionDenied
    form = CompanyGoalForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            _goal_save(request, CompanyGoal(), form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Saved."))
            return redirect("targets:plans")
    return render(
        request,
        "targets/plan_form.html",
        {"form": form, "title": _("New company goal"), "cancel_href": reverse("targets:plans")},
    )


@login_required
def plan_create(request):
    """Start the sales plan of a fiscal year (director, admin)."""
    if not can_plan(request.user):
        raise PermissionDenied
    form = SalesPlanForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            plan = _plan_save(request, SalesPlan(), form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Saved."))
            return redirect(plan.get_absolute_url())
    return render(
        request,
        "targets/plan_form.html",
        {"form": form, "title": _("New sales plan"), "cancel_href": reverse("targets:plans")},
    )


def _metric_of(request) -> str:
    metric = request.GET.get("metric") or request.POST.get("metric") or Metric.SALES
    return metric if metric in Metric.values else Metric.SALES


class SalesPlanDetail(ScopedDetailView):
    """The chain of a fiscal year: research → goal → plan → targets per level, with sums."""

    model = SalesPlan
    template_name = "targets/plan_detail.html"
    context_object_name = "plan"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan, user = self.object, self.request.user
        metric = _metric_of(self.request)
        levels, mismatches = selectors.plan_levels(plan=plan, metric=metric, user=user)
        goal = selectors.goal_for_year(year=plan.year)
        org = selectors.plan_org()
        notes = {note.pk: note for note in plan.research_notes.select_related("author")}
        if goal is not None:
            notes.update({note.pk: note for note in goal.research_notes.all()})
        context.update(
            {
                "goal": goal,
                "research": sorted(notes.values(), key=lambda n: n.observed_on, reverse=True),
                "metric": metric,
                "metric_label": Metric(metric).label,
                "metrics": Metric.choices,
                "levels": [_level_view(row, metric) for row in levels],
                "mismatches": [m.text(org) for m in mismatches[:20]],
                "mismatch_count": len(mismatches),
                "can_plan": can_plan(user),
                "grid_units": _grid_units(user=user, org=org),
            }
        )
        return context


def _money_or_count(units: int | None, metric: str) -> str:
    if units is None:
        return ""
    return selectors.units_text(units=units, metric=metric)


def _level_view(row: selectors.LevelRow, metric: str) -> dict:
    return {
        "row": row,
        "year_realistic": _money_or_count(row.year[0] if row.year else None, metric),
        "year_ideal": _money_or_count(row.year[1] if row.year else None, metric),
        "months_realistic": _money_or_count(row.months_sum[0], metric),
        "children_realistic": _money_or_count(
            row.children_sum[0] if row.children_sum else None, metric
        ),
        "grid_unit": row.unit.key if row.unit.owner_type != OwnerType.PERSON else None,
        "person_id": row.unit.id if row.unit.owner_type == OwnerType.PERSON else None,
    }


def _grid_units(*, user, org: selectors.PlanOrg) -> list[tuple[str, str]]:
    """The units whose grid the user may open: (key, label), top-down."""
    return [
        (unit.key, org.label(unit))
        for unit in org.units()
        if unit.owner_type != OwnerType.PERSON and selectors.unit_visible(user=user, unit=unit)
    ]


@require_POST
@login_required
def plan_publish_view(request, plan_id: int):
    """Publish the plan (director, admin) or, with `unpublish`, put it back to draft."""
    plan = get_object_or_404(SalesPlan.objects.visible_to(request.user), pk=plan_id)
    try:
        if request.POST.get("action") == "reopen":
            plan_reopen(plan=plan, actor=request.user)
            messages.success(request, _("The plan is a draft again."))
        else:
            plan_publish(plan=plan, actor=request.user)
            messages.success(request, _("The plan is published."))
    except ValidationError as error:
        _error_messages(request, error)
    return redirect(plan.get_absolute_url())


# --- the grid ---------------------------------------------------------------------------------


def _grid_parent(request, org: selectors.PlanOrg) -> Unit:
    """The grid's parent unit from ?unit= (default: the user's own, see `grid_home`)."""
    key = request.GET.get("unit") or request.POST.get("unit")
    if key:
        unit = Unit.parse(key)
        if unit is None or unit.owner_type == OwnerType.PERSON or unit not in org.names:
            raise Http404
        if not selectors.unit_visible(user=request.user, unit=unit):
            raise Http404
        return unit
    home = selectors.grid_home(user=request.user, org=org)
    if home is not None:
        return home
    for unit_key, _label in _grid_units(user=request.user, org=org):
        return Unit.parse(unit_key)
    raise Http404


def _grid_url(plan: SalesPlan, metric: str, unit: Unit) -> str:
    query = urlencode({"metric": metric, "unit": unit.key})
    return f"{reverse('targets:plan_grid', args=[plan.pk])}?{query}"


@login_required
def plan_grid(request, plan_id: int):
    """The targets grid of a unit and its children × year and months; POST saves it."""
    plan = get_object_or_404(SalesPlan.objects.visible_to(request.user), pk=plan_id)
    org = selectors.plan_org()
    parent = _grid_parent(request, org)
    metric = _metric_of(request)
    posted = errors = None
    status = 200
    if request.method == "POST":
        units = [parent, *org.children.get(parent, [])]
        cells, typed, errors = parse_grid(request.POST, units=units)
        if not errors:
            try:
                result = grid_save(
                    plan=plan, metric=metric, parent=parent, cells=cells, actor=request.user
                )
            except ValidationError as error:
                errors = _cell_errors(error, units)
            else:
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


def _cell_errors(error: ValidationError, units: list[Unit]) -> dict:
    """A service's errors by cell key back to (unit, month); others under (None, None)."""
    by_key = {f"{unit.key}-{month}": (unit, month) for unit in units for month in range(13)}
    errors: dict = {}
    for key, messages_ in error.message_dict.items():
        errors.setdefault(by_key.get(key, (None, None)), []).extend(messages_)
    return errors


def _grid_context(request, plan, metric, parent, org, *, posted=None, errors=None) -> dict:
    user = request.user
    grid = selectors.target_grid(
        plan=plan,
        metric=metric,
        parent=parent,
        user=user,
        can_write=lambda unit: can_write_unit(user, unit),
        posted=posted,
        errors=errors,
    )
    text = (lambda units: f"{units:,}") if is_count(metric) else _plain_amount(metric)
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
        "units": _grid_units(user=user, org=org),
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
        and not (plan.is_published and not can_plan(user)),
        "decompose_form": DecomposeForm(),
        "up_url": _grid_url(plan, metric, up)
        if up and selectors.unit_visible(user=user, unit=up)
        else None,
        "general_errors": (errors or {}).get((None, None), []),
        "grid_config": {"count": is_count(metric), "complete": grid.complete},
        "month_headers": list(range(1, 13)),
    }


def _plain_amount(metric: str):
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
    org = selectors.plan_org()
    parent = _grid_parent(request, org)
    metric = _metric_of(request)
    form = DecomposeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how to split the months and the units below."))
    else:
        try:
            plan_unit_decompose(
                plan=plan,
                unit=parent,
                metric=metric,
                actor=request.user,
                months=form.cleaned_data["months"],
                children=form.cleaned_data["children"],
            )
        except ValidationError as error:
            _error_messages(request, error)
        else:
            messages.success(request, _("Decomposed: every part adds up to its whole."))
    return redirect(_grid_url(plan, metric, parent))


@require_POST
@login_required
def plan_unit_publish_view(request, plan_id: int):
    """Publish the decomposition of the grid's parent unit."""
    plan = get_object_or_404(SalesPlan.objects.visible_to(request.user), pk=plan_id)
    org = selectors.plan_org()
    parent = _grid_parent(request, org)
    metric = _metric_of(request)
    try:
        plan_unit_publish(plan=plan, unit=parent, actor=request.user)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(
            request, _("The targets of %(unit)s are published.") % {"unit": org.label(parent)}
        )
    return redirect(_grid_url(plan, metric, parent))


# --- proposals and history --------------------------------------------------------------------


@login_required
def plan_proposals(request, plan_id: int):
    """Progressive targets: next year's proposals from this year's actuals × (1 + growth),
    at least this year's target; reviewed and edited before they are saved."""
    plan = get_object_or_404(SalesPlan.objects.visible_to(request.user), pk=plan_id)
    org = selectors.plan_org()
    parent = _grid_parent(request, org)
    form = ProposalForm(request.POST or request.GET or None)
    metric = form.data.get("metric") if form.is_bound else Metric.SALES
    proposals, problems = [], []
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
        try:
            proposals = target_proposals(
                plan=plan, metric=metric, parent=parent, growth_rate=growth, user=request.user
            )
        except ValidationError as error:
            problems = error.messages
    metric = metric if metric in Metric.values else Metric.SALES
    text = (lambda units: str(units)) if is_count(metric) else _plain_amount(metric)
    raw = (
        (lambda units: str(units))
        if is_count(metric)
        else (lambda units: f"{from_units(units=units, metric=metric):.2f}")
    )
    return render(
        request,
        "targets/plan_proposals.html",
        {
            "plan": plan,
            "form": form,
            "unit_key": parent.key,
            "units": _grid_units(user=request.user, org=org),
            "problems": problems,
            "can_save": all(can_write_unit(request.user, p.unit) for p in proposals)
            and not (plan.is_published and not can_plan(request.user)),
            "proposals": [
                {
                    "proposal": p,
                    "key": f"{p.unit.key}-0",
                    "actual": text(p.actual),
                    "target": text(p.target[0]) if p.target else "",
                    "realistic": raw(p.realistic),
                    "ideal": raw(p.ideal),
                }
                for p in proposals
            ],
            "metric": metric,
        },
    )


@login_required
def person_targets(request, person_id: int):
    """A person's target history year over year."""
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=person_id)
    history = selectors.person_target_history(person=person, user=request.user)
    return render(
        request,
        "targets/plan_target_history.html",
        {
            "person": person,
            "rows": [
                {
                    "row": row,
                    "label": Metric(row.metric).label,
                    "realistic": format_number(row.realistic) if is_count(row.metric) else None,
                    "ideal": format_number(row.ideal) if is_count(row.metric) else None,
                }
                for row in history
            ],
        },
    )
