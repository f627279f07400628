"""Pages of PDCA cycles (S8) and the standards library (标准/制度)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from salesorg.core.roles import role_of
from salesorg.core.views import ScopedDetailView
from salesorg.targets.forms.pdca import (
    PdcaActionForm,
    PdcaAdvanceForm,
    PdcaCheckForm,
    PdcaMeasureForm,
    PdcaPlanForm,
    PdcaProblemForm,
    PromoteLessonForm,
    StandardApproveForm,
    StandardForm,
    StandardVersionForm,
)
from salesorg.targets.models import (
    PdcaPlan,
    PdcaProblem,
    PdcaStatus,
    Standard,
    StandardCategory,
    StandardVersion,
)
from salesorg.targets.permissions import (
    can_edit_standard_draft,
    can_propose_standard,
    can_write_library,
    can_write_plan,
)
from salesorg.targets.selectors.pdca import (
    pdca_latest_check,
    pdca_plan_detail,
    pdca_plan_list,
    standard_current_version,
    standard_history,
    standard_list,
    standard_version_page,
)
from salesorg.targets.services.pdca import (
    pdca_action_add,
    pdca_check_record,
    pdca_measure_add,
    pdca_plan_advance,
    pdca_plan_create,
    pdca_problem_add,
    standard_create,
    standard_draft_update,
    standard_promote_lesson,
    standard_version_add,
    standard_version_approve,
)

# ---------------------------------------------------------------- plans


@login_required
def pdca_list(request):
    """PDCA cycles the user may see; ?status= and ?q= filter."""
    status = request.GET.get("status", "")
    search = request.GET.get("q", "").strip()
    plans = pdca_plan_list(user=request.user, status=status, search=search)
    page = Paginator(plans, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "targets/pdca_list.html",
        {
            "page": page,
            "status": status,
            "search": search,
            "statuses": PdcaStatus.choices,
            "can_create": role_of(request.user) is not None,
        },
    )


@login_required
def pdca_create(request):
    """Start a PDCA cycle for a unit the user leads."""
    if role_of(request.user) is None:
        raise PermissionDenied
    form = PdcaPlanForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = pdca_plan_create(
                title=data["title"],
                unit_type=data["unit_type"],
                unit=form.unit(),
                owner=data["owner"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                objective=data["objective"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_service_errors(_unit_errors(error, data.get("unit_type")))
        else:
            messages.success(request, _("PDCA plan created."))
            return redirect(plan.get_absolute_url())
    return render(
        request,
        "targets/pdca_form.html",
        {"form": form, "title": _("New PDCA plan")},
        status=400 if form.errors else 200,
    )


def _unit_errors(error: ValidationError, unit_type: str | None) -> ValidationError:
    """Show a service's `unit` error on the form field of the chosen unit type."""
    if hasattr(error, "error_dict") and "unit" in error.error_dict and unit_type:
        errors = dict(error.error_dict)
        errors[unit_type if unit_type != "company" else "unit_type"] = errors.pop("unit")
        return ValidationError(errors)
    return error


class PdcaPlanDetail(ScopedDetailView):
    model = PdcaPlan
    template_name = "targets/pdca_detail.html"
    context_object_name = "plan"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan, user = self.object, self.request.user
        context.update(pdca_plan_detail(plan=plan, user=user))
        context["can_write"] = can_write_plan(user, plan)
        context["can_promote"] = can_propose_standard(user, plan)
        context["today"] = timezone.localdate()
        context["stages"] = PdcaStatus.choices
        if context["can_write"]:
            context.setdefault("measure_form", PdcaMeasureForm())
            context.setdefault(
                "check_form", PdcaCheckForm(initial={"checked_on": timezone.localdate()})
            )
            context.setdefault("problem_form", PdcaProblemForm())
            context.setdefault("action_form", PdcaActionForm(user=user))
            context.setdefault(
                "advance_form",
                PdcaAdvanceForm(
                    initial={"lesson": plan.lesson}, open_items=_closing_items(context)
                ),
            )
            stages = list(PdcaStatus.values)
            if plan.status != PdcaStatus.CLOSED:
                context["next_stage"] = PdcaStatus(stages[stages.index(plan.status) + 1]).label
        if context["can_promote"]:
            context.setdefault("promote_form", PromoteLessonForm(user=user))
        return context


def _closing_items(context: dict) -> list:
    """The open action items a close has to settle (only offered at the Act stage)."""
    return context["open_items"] if context["plan"].status == PdcaStatus.ACT else []


def _plan(request, plan_id: int) -> PdcaPlan:
    return get_object_or_404(
        PdcaPlan.objects.visible_to(request.user).select_related("person", "team", "region"),
        pk=plan_id,
    )


def _redisplay(request, plan: PdcaPlan, **forms):
    view = PdcaPlanDetail()
    view.setup(request, pk=plan.pk)
    view.object = plan
    return render(request, view.template_name, view.get_context_data(**forms), status=400)


def _plan_action(request, plan_id: int, form_name: str, form, run, done: str):
    """Validate `form`, call `run(cleaned_data)`, redirect or re-show the page with errors."""
    plan = _plan(request, plan_id)
    if form.is_valid():
        try:
            run(plan, form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, done)
            return redirect(plan.get_absolute_url())
    return _redisplay(request, plan, **{form_name: form})


@login_required
@require_POST
def pdca_measure(request, plan_id: int):
    """Add a measure to the plan."""
    return _plan_action(
        request,
        plan_id,
        "measure_form",
        PdcaMeasureForm(request.POST),
        lambda plan, data: pdca_measure_add(plan=plan, actor=request.user, **data),
        _("Measure added."),
    )


@login_required
@require_POST
def pdca_check(request, plan_id: int):
    """Record a check with the actuals from the indicators."""
    return _plan_action(
        request,
        plan_id,
        "check_form",
        PdcaCheckForm(request.POST),
        lambda plan, data: pdca_check_record(plan=plan, actor=request.user, **data),
        _("Check recorded."),
    )


@login_required
@require_POST
def pdca_problem(request, plan_id: int):
    """Record a problem and its cause, optionally against the latest check."""

    def run(plan, data):
        check = pdca_latest_check(plan=plan, user=request.user)
        return pdca_problem_add(plan=plan, actor=request.user, check=check, **data)

    return _plan_action(
        request, plan_id, "problem_form", PdcaProblemForm(request.POST), run, _("Problem recorded.")
    )


@login_required
@require_POST
def pdca_action(request, problem_id: int):
    """Give someone an action item against a problem."""
    problem = get_object_or_404(PdcaProblem.objects.visible_to(request.user), pk=problem_id)
    return _plan_action(
        request,
        problem.plan_id,
        "action_form",
        PdcaActionForm(request.POST, user=request.user),
        lambda plan, data: pdca_action_add(problem=problem, actor=request.user, **data),
        _("Action item created."),
    )


@login_required
@require_POST
def pdca_advance(request, plan_id: int):
    """Move the cycle to its next stage (closing it records the lesson and the items carried
    over)."""
    plan = _plan(request, plan_id)
    open_items = []
    if plan.status == PdcaStatus.ACT:
        open_items = pdca_plan_detail(plan=plan, user=request.user)["open_items"]
    form = PdcaAdvanceForm(request.POST, open_items=open_items)
    return _plan_action(
        request,
        plan_id,
        "advance_form",
        form,
        lambda plan, data: pdca_plan_advance(
            plan=plan, actor=request.user, lesson=data["lesson"], carry_over=form.carry_over()
        ),
        _("Stage updated."),
    )


@login_required
@require_POST
def pdca_promote(request, plan_id: int):
    """Promote the closed cycle's lesson into a draft revision of a standard (or a new one)
    and open that draft for editing."""
    plan = _plan(request, plan_id)
    form = PromoteLessonForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            version = standard_promote_lesson(
                plan=plan,
                actor=request.user,
                standard=data.get("standard"),
                code=data.get("code") or "",
                title=data.get("title") or "",
                category=data.get("category") or StandardCategory.OTHER,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request, _("Lesson added to a draft revision; edit it, then have it approved.")
            )
            return redirect(version.get_absolute_url())
    return _redisplay(request, plan, promote_form=form)


# ---------------------------------------------------------------- standards


@login_required
def standard_index(request):
    """The standards library: every published standard, with the version in force."""
    if role_of(request.user) is None:
        raise PermissionDenied
    category = request.GET.get("category", "")
    search = request.GET.get("q", "").strip()
    today = timezone.localdate()
    standards = standard_list(user=request.user, category=category, search=search)
    page = Paginator(standards, 50).get_page(request.GET.get("page"))
    rows = [
        (standard, standard_current_version(standard.visible_versions, today=today))
        for standard in page.object_list
    ]
    return render(
        request,
        "targets/standard_list.html",
        {
            "page": page,
            "rows": rows,
            "category": category,
            "search": search,
            "categories": StandardCategory.choices,
            "can_write": can_write_library(request.user),
        },
    )


@login_required
def standard_new(request):
    """Write a new standard with its first version (director and admin)."""
    if not can_write_library(request.user):
        raise PermissionDenied
    form = StandardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = standard_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Standard drafted; approve its version to publish it."))
            return redirect(version.standard.get_absolute_url())
    return render(
        request,
        "targets/pdca_form.html",
        {"form": form, "title": _("New standard")},
        status=400 if form.errors else 200,
    )


class StandardDetail(ScopedDetailView):
    model = Standard
    template_name = "targets/standard_detail.html"
    context_object_name = "standard"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        history = standard_history(standard=self.object, user=user, today=timezone.localdate())
        context["history"] = history
        context["current"] = history.current
        context["my_draft"] = history.own_draft
        context["can_write"] = can_write_library(user)
        if context["can_write"] and context["my_draft"] is None:
            latest = history.latest
            context.setdefault(
                "version_form", StandardVersionForm(initial={"body": latest.body if latest else ""})
            )
        return context


@login_required
@require_POST
def standard_version_new(request, standard_id: int):
    """Draft the next version of a standard (director and admin)."""
    standard = get_object_or_404(Standard.objects.visible_to(request.user), pk=standard_id)
    form = StandardVersionForm(request.POST)
    if form.is_valid():
        try:
            version = standard_version_add(
                standard=standard, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Version drafted."))
            return redirect(version.get_absolute_url())
    return _standard_redisplay(request, standard, version_form=form)


class StandardVersionDetail(ScopedDetailView):
    """One version: its text and its diff against the version it replaces; for a draft the
    edit form (author, director, admin) and the approval form (director, admin)."""

    model = StandardVersion
    template_name = "targets/standard_version.html"
    context_object_name = "version"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version, user, today = self.object, self.request.user, timezone.localdate()
        context.update(standard_version_page(version=version, user=user, today=today))
        context["standard"] = version.standard
        if can_edit_standard_draft(user, version):
            context.setdefault("draft_form", StandardVersionForm(initial={"body": version.body}))
        if can_write_library(user) and not version.is_approved:
            context.setdefault(
                "approve_form", StandardApproveForm(initial={"effective_date": today})
            )
        return context


def _version(request, version_id: int) -> StandardVersion:
    return get_object_or_404(
        StandardVersion.objects.visible_to(request.user).select_related("standard"),
        pk=version_id,
    )


def _version_redisplay(request, version: StandardVersion, **forms):
    view = StandardVersionDetail()
    view.setup(request, pk=version.pk)
    view.object = version
    return render(request, view.template_name, view.get_context_data(**forms), status=400)


@login_required
@require_POST
def standard_draft_edit(request, version_id: int):
    """Change a draft's text (its author, director and admin)."""
    version = _version(request, version_id)
    if not can_edit_standard_draft(request.user, version):
        raise PermissionDenied
    form = StandardVersionForm(request.POST)
    if form.is_valid():
        try:
            standard_draft_update(version=version, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Draft saved."))
            return redirect(version.get_absolute_url())
    return _version_redisplay(request, version, draft_form=form)


@login_required
@require_POST
def standard_version_approval(request, version_id: int):
    """Approve a draft version from an effective date (director and admin)."""
    version = _version(request, version_id)
    form = StandardApproveForm(request.POST)
    if form.is_valid():
        try:
            standard_version_approve(version=version, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Version approved."))
            return redirect(version.standard.get_absolute_url())
    return _version_redisplay(request, version, approve_form=form)


def _standard_redisplay(request, standard: Standard, **forms):
    view = StandardDetail()
    view.setup(request, pk=standard.pk)
    view.object = standard
    return render(request, view.template_name, view.get_context_data(**forms), status=400)
