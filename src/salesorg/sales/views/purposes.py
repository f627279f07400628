"""Pages of visit purposes and their checklists (S2): the list, the form with its ordered
steps, and turning a purpose off and on; written by the managers of the standards."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from salesorg.core.views import ScopedDetailView
from salesorg.sales import selectors
from salesorg.sales.forms import ChecklistStepFormSet, PurposeForm
from salesorg.sales.models import VisitPurpose
from salesorg.sales.permissions import can_manage_purposes, can_write_purpose
from salesorg.sales.services.purposes import StepData, purpose_save, purpose_set_active
from salesorg.sales.views.records import RecordWriteMixin


@login_required
def purpose_list(request: HttpRequest) -> HttpResponse:
    """Visit purposes with their checklist's version and size and how many visits use them."""
    active = request.GET.get("active", "")
    context = {
        "purposes": selectors.purpose_list(user=request.user, active=active),
        "active": active,
        "can_manage": can_manage_purposes(request.user),
    }
    return render(request, "sales/purpose_list.html", context)


def _steps_initial(purpose: VisitPurpose | None) -> list[dict]:
    steps = selectors.purpose_steps(purpose=purpose)
    return [
        {
            "step_id": step.pk,
            "text": step.text,
            "text_en": step.text_en,
            "required": step.required,
            "ORDER": number,
        }
        for number, step in enumerate(steps, start=1)
    ]


def _steps_entered(formset) -> list[StepData]:
    """The steps as entered, in the order given (rows left blank or deleted dropped)."""
    rows = [f for f in formset.ordered_forms if not f.is_blank()]
    deleted = {id(f) for f in formset.deleted_forms}
    return [
        StepData(
            text=form.cleaned_data["text"],
            text_en=form.cleaned_data.get("text_en") or "",
            required=form.cleaned_data.get("required", False),
            step_id=form.cleaned_data.get("step_id"),
        )
        for form in rows
        if id(form) not in deleted
    ]


def _purpose_page(request: HttpRequest, purpose: VisitPurpose | None) -> HttpResponse:
    """The form of a purpose and its checklist: shown, or saved (a changed checklist is a new
    version), or re-shown with the problems."""
    initial = {}
    if purpose is not None:
        initial = {"code": purpose.code, "name": purpose.name, "name_en": purpose.name_en}
    data = request.POST if request.method == "POST" else None
    form = PurposeForm(data, initial=initial)
    formset = ChecklistStepFormSet(data, initial=_steps_initial(purpose))
    if data is not None and form.is_valid() and formset.is_valid():
        target = purpose or VisitPurpose()
        for name in ("code", "name", "name_en"):
            setattr(target, name, form.cleaned_data[name])
        try:
            purpose_save(purpose=target, steps=_steps_entered(formset), actor=request.user)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                _("Visit purpose saved: %(name)s (checklist version %(version)s)")
                % {"name": target.label, "version": target.version},
            )
            return redirect("sales:purposes")
    title = _("New visit purpose") if purpose is None else purpose.label
    context = {"form": form, "formset": formset, "purpose": purpose, "title": title}
    return render(request, "sales/purpose_form.html", context)


@login_required
def purpose_add(request: HttpRequest) -> HttpResponse:
    """Add a visit purpose with its checklist."""
    if not can_manage_purposes(request.user):
        raise PermissionDenied
    return _purpose_page(request, None)


class PurposeEdit(RecordWriteMixin, ScopedDetailView):
    """Edit a purpose and its checklist, or (`toggle`) offer it on new visits or no more."""

    model = VisitPurpose
    record_permission = staticmethod(can_write_purpose)

    def get(self, request, *args, **kwargs):
        return _purpose_page(request, self.get_object())

    def post(self, request, *args, **kwargs):
        purpose = self.get_object()
        if "toggle" not in request.POST:
            return _purpose_page(request, purpose)
        purpose_set_active(purpose=purpose, active=not purpose.active, actor=request.user)
        if purpose.active:
            message = _("%(name)s is offered on visits again.")
        else:
            message = _("%(name)s is no longer offered on visits.")
        messages.success(request, message % {"name": purpose.label})
        return redirect("sales:purposes")
