"""Pages of targeted training: proposals, their decision, and the rules."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from salesorg.development import permissions
from salesorg.development.forms.targeted import (
    EvaluateForm,
    ProposalDecisionForm,
    TrainingRuleForm,
)
from salesorg.development.models import ProposalStatus, TrainingProposal, TrainingRule
from salesorg.development.selectors import targeted as targeted_selectors
from salesorg.development.services import targeted as targeted_services
from salesorg.development.views.common import page_of
from salesorg.performance.kpi.periods import this_month


@login_required
def targeted_list(request: HttpRequest) -> HttpResponse:
    """Proposals awaiting a decision (and past ones), the evaluate form and the rules."""
    month = this_month(today=timezone.localdate())
    form = EvaluateForm(request.POST or None, initial={"start": month.start, "end": month.end})
    can_evaluate = permissions.can_evaluate_rules(request.user)
    if request.method == "POST":
        if not can_evaluate:
            raise PermissionDenied
        if form.is_valid():
            try:
                proposals = targeted_services.proposals_evaluate(
                    user=request.user,
                    start=form.cleaned_data["start"],
                    end=form.cleaned_data["end"],
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(
                    request,
                    ngettext(
                        "Rules evaluated: %(count)d proposal awaits a decision.",
                        "Rules evaluated: %(count)d proposals await a decision.",
                        len(proposals),
                    )
                    % {"count": len(proposals)},
                )
                return redirect("development:targeted")
    status = request.GET.get("status", ProposalStatus.PROPOSED)
    if status not in ProposalStatus.values:
        status = ""
    context = {
        "form": form,
        "can_evaluate": can_evaluate,
        "status": status,
        "statuses": ProposalStatus.choices,
        "page": page_of(
            request, targeted_selectors.proposals_for(user=request.user, status=status)
        ),
        "rules": targeted_selectors.training_rules(user=request.user),
        "can_edit_rules": permissions.can_edit_rules(request.user),
        "decision_form": ProposalDecisionForm(),
    }
    return render(request, "development/targeted_list.html", context)


@login_required
@require_POST
def targeted_decide(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """Accept or dismiss one proposal."""
    proposal = get_object_or_404(
        TrainingProposal.objects.visible_to(request.user).select_related("person", "rule"),
        pk=proposal_id,
    )
    form = ProposalDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose accept or dismiss."))
        return redirect("development:targeted")
    try:
        if form.cleaned_data["decision"] == "accept":
            targeted_services.proposal_accept(
                proposal=proposal, actor=request.user, due_date=form.cleaned_data["due_date"]
            )
            messages.success(request, _("Training assigned."))
        else:
            targeted_services.proposal_dismiss(proposal=proposal, actor=request.user)
            messages.success(request, _("Proposal dismissed."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("development:targeted")


@login_required
def targeted_rule_edit(request: HttpRequest, rule_id: int | None = None) -> HttpResponse:
    """Create or change a targeted-training rule (director, admin, trainer)."""
    if not permissions.can_edit_rules(request.user):
        raise PermissionDenied
    rule = (
        get_object_or_404(TrainingRule.objects.visible_to(request.user), pk=rule_id)
        if rule_id
        else TrainingRule()
    )
    form = TrainingRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        try:
            targeted_services.training_rule_save(rule=form.instance, actor=request.user)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Rule saved."))
            return redirect("development:targeted")
    return render(request, "development/targeted_rule_form.html", {"form": form, "rule": rule})
