"""Pages of the planning cycle: research, goals, plans, publishing a plan and a person's
target history (the grid and decomposition are in `views.grid`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from salesorg.core.exports import csv_download
from salesorg.core.numbers import format_number
from salesorg.core.views import ScopedDetailView, ScopedUpdateView
from salesorg.customers.models import Customer
from salesorg.org.models import Person
from salesorg.targets.choices import Metric, OwnerType
from salesorg.targets.decomposition import is_count
from salesorg.targets.forms.plans import CompanyGoalForm, ResearchNoteForm, SalesPlanForm
from salesorg.targets.models import (
    CompanyGoal,
    ResearchKind,
    ResearchNote,
    SalesPlan,
    TargetRevision,
)
from salesorg.targets.permissions import (
    can_change_research,
    can_plan,
    can_record_research,
    can_write_research,
)
from salesorg.targets.selectors import plans as plan_selectors
from salesorg.targets.selectors import revisions as revision_selectors
from salesorg.targets.selectors.actuals import plan_uplift
from salesorg.targets.services.plans import (
    company_goal_save,
    plan_publish,
    research_note_save,
    sales_plan_save,
)
from salesorg.targets.services.revisions import revision_approve, revision_return
from salesorg.targets.views.grid import grid_units, metric_of
from salesorg.targets.views.revisions import goal_view, revision_view

# --- research ---------------------------------------------------------------------------------


@login_required
def research_list(request):
    """Research notes and competitor observations: search, filter by kind, CSV export."""
    search = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    notes = plan_selectors.research_note_list(
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
            "competitor_only": not can_record_research(request.user, ResearchNote()),
        },
    )


def _research_csv(notes) -> HttpResponse:
    response, writer = csv_download("research-notes.csv")
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
    # From a customer page (?customer=CODE): a competitor note on that customer, then back.
    customer = (
        Customer.objects.visible_to(request.user)
        .filter(code=request.GET.get("customer", ""))
        .first()
    )
    initial = {"kind": ResearchKind.COMPETITOR, "customer_codes": customer.code} if customer else {}
    form = ResearchNoteForm(
        request.POST or None,
        user=request.user,
        initial=initial,
        competitor_only=not can_record_research(request.user, ResearchNote()),
    )
    back = customer.get_absolute_url() if customer else reverse("targets:research")
    if request.method == "POST" and form.is_valid():
        note = ResearchNote()
        try:
            _save_research(request, form, note)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Saved."))
            return redirect(back)
    title = _("Record competitor intelligence") if customer else _("New research note")
    return render(
        request, "targets/plan_form.html", {"form": form, "title": title, "cancel_href": back}
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
        user = self.request.user
        competitor_only = not can_record_research(user, ResearchNote())
        if self.request.method == "POST":
            return ResearchNoteForm(self.request.POST, user=user, competitor_only=competitor_only)
        return ResearchNoteForm(
            initial=ResearchNoteForm.initial_for(self.object),
            user=user,
            competitor_only=competitor_only,
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
    plans = list(plan_selectors.plan_list(user=request.user))
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
    for name in ("year", "title", "strategy", "ideal_uplift"):
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
            "ideal_uplift": plan.ideal_uplift,
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


class SalesPlanDetail(ScopedDetailView):
    """The chain of a fiscal year: research → goal → plan → targets per level, with sums."""

    model = SalesPlan
    template_name = "targets/plan_detail.html"
    context_object_name = "plan"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan, user = self.object, self.request.user
        metric = metric_of(self.request)
        levels, mismatches = plan_selectors.plan_levels(plan=plan, metric=metric, user=user)
        goal = plan_selectors.goal_for_year(year=plan.year, user=user)
        org = plan_selectors.plan_org()
        notes = {note.pk: note for note in plan.research_notes.select_related("author")}
        if goal is not None:
            notes.update({note.pk: note for note in goal.research_notes.all()})
        goal_lines = revision_selectors.goal_lines(plan=plan, user=user)
        decided = context.get("decided_revision")
        context.update(
            {
                "goal": goal,
                "goal_lines": [goal_view(line) for line in goal_lines],
                "goal_deviates": any(not line.matches for line in goal_lines),
                "revisions": [
                    revision_view(revision, user=user)
                    if decided is None or decided["id"] != revision.pk
                    else revision_view(revision, user=user, **decided["form"])
                    for revision in revision_selectors.revision_list(plan=plan, user=user)
                ],
                "research": sorted(notes.values(), key=lambda n: n.observed_on, reverse=True),
                "metric": metric,
                "metric_label": Metric(metric).label,
                "metrics": Metric.choices,
                "uplift": plan_uplift(plan=plan, metric=metric),
                "levels": [_level_view(row, metric) for row in levels],
                "mismatches": [m.text(org) for m in mismatches[:20]],
                "mismatch_count": len(mismatches),
                "can_plan": can_plan(user),
                "grid_units": grid_units(user=user, org=org),
            }
        )
        return context


def _money_or_count(units: int | None, metric: str) -> str:
    if units is None:
        return ""
    return plan_selectors.units_text(units=units, metric=metric)


def _level_view(row: plan_selectors.LevelRow, metric: str) -> dict:
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


def _plan_page(request, plan: SalesPlan, *, status: int, **extra):
    """The plan page again (a refused form re-shown with its message)."""
    view = SalesPlanDetail()
    view.setup(request, pk=plan.pk)
    view.object = plan
    context = view.get_context_data(object=plan, **extra)
    return render(request, view.template_name, context, status=status)


@require_POST
@login_required
def plan_publish_view(request, plan_id: int):
    """Publish the plan (director, admin), with the reason for any deviation from the goal;
    a refusal re-shows the plan page with its reasons."""
    plan = get_object_or_404(SalesPlan.objects.visible_to(request.user), pk=plan_id)
    reason = request.POST.get("deviation_reason", "")
    try:
        plan_publish(plan=plan, actor=request.user, deviation_reason=reason)
    except ValidationError as error:
        plan.refresh_from_db()
        return _plan_page(
            request,
            plan,
            status=400,
            publish_errors=[m for messages_ in error.message_dict.values() for m in messages_],
            typed_deviation_reason=reason,
        )
    messages.success(request, _("The plan is published."))
    return redirect(plan.get_absolute_url())


@require_POST
@login_required
def revision_decision(request, revision_id: int):
    """Approve a pending revision of a plan's targets, or return it with a reason."""
    revision = get_object_or_404(
        TargetRevision.objects.visible_to(request.user).select_related("plan", "team"),
        pk=revision_id,
    )
    plan, action = revision.plan, request.POST.get("action")
    reason = request.POST.get("return_reason", "")
    try:
        if action not in ("approve", "return"):
            raise ValidationError({"action": [_("Choose to approve or to return it.")]})
        if action == "return":
            revision_return(revision=revision, actor=request.user, reason=reason)
            messages.success(request, _("The revision is returned to its proposer."))
        else:
            revision_approve(revision=revision, actor=request.user)
            messages.success(request, _("The revision is approved: its targets are in force."))
    except ValidationError as error:
        problems = [m for messages_ in error.message_dict.values() for m in messages_]
        form = {"errors": problems, "typed": reason}
        return _plan_page(
            request, plan, status=400, decided_revision={"id": revision.pk, "form": form}
        )
    return redirect(plan.get_absolute_url() + "#revisions")


# --- history ----------------------------------------------------------------------------------


@login_required
def person_targets(request, person_id: int):
    """A person's target history year over year."""
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=person_id)
    history = plan_selectors.person_target_history(person=person, user=request.user)
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
