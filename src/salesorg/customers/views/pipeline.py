"""Pages of new-customer development (S17): proposals and the pipeline."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from salesorg.core.listing import ListFilter, ListPage, list_response
from salesorg.core.views import ScopedDetailView
from salesorg.customers.forms import PipelineCloseForm, ProposalForm, ReviewForm
from salesorg.customers.models import (
    DevelopmentProposal,
    PipelineItem,
    PipelineItemStatus,
    PipelineStep,
    ProposalStatus,
)
from salesorg.customers.permissions import can_decide_proposal, can_file_proposal, can_work_item
from salesorg.customers.selectors import pipeline as selectors
from salesorg.customers.selectors.competitors import customer_competitor_notes
from salesorg.customers.services import pipeline as services


@login_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    """Development proposals in scope: by status, those to decide, search, CSV."""
    status = request.GET.get("status", "")
    mine = request.GET.get("mine", "")
    proposals = selectors.proposals_list(user=request.user, status=status, mine=mine)
    if search := request.GET.get("q", "").strip():
        proposals = proposals.filter(prospect_name__icontains=search) | proposals.filter(
            customer__name__icontains=search
        )
    page_def = ListPage(
        title=_("Development proposals"),
        url_name="customers:proposals",
        table_template="customers/_proposal_table.html",
        csv_name="proposals",
        csv_columns=[
            (pgettext("proposal target customer", "Target"), lambda p: p.target_name),
            (_("Rep"), lambda p: p.rep.name),
            (_("Expected annual sales"), lambda p: p.expected_sales),
            (_("Expected annual gross margin"), lambda p: p.expected_margin),
            (_("Status"), lambda p: p.get_status_display()),
            (_("Submitted"), lambda p: p.submitted_at.date()),
        ],
        search_placeholder=_("Target name"),
        filters=[
            ListFilter("status", _("All statuses"), ProposalStatus.choices, status),
            ListFilter("mine", _("Everyone's"), [("decide", _("Mine to decide"))], mine),
        ],
        create_url="customers:proposal_add" if can_file_proposal(request.user) else "",
        create_label=_("New proposal"),
    )
    return list_response(request, page_def, proposals, {})


def _proposal_form_page(request, form, title, proposal=None) -> HttpResponse:
    return render(
        request,
        "customers/proposal_form.html",
        {"form": form, "title": title, "proposal": proposal},
    )


@login_required
def proposal_add(request: HttpRequest) -> HttpResponse:
    """File a development proposal."""
    if not can_file_proposal(request.user):
        raise PermissionDenied
    form = ProposalForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_file(actor=request.user, data=form.service_data())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Proposal submitted to your manager."))
            return redirect(proposal.get_absolute_url())
    return _proposal_form_page(request, form, _("New development proposal"))


@login_required
def proposal_edit(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """Change a returned proposal and submit it again (its rep)."""
    proposal = get_object_or_404(
        DevelopmentProposal.objects.visible_to(request.user), pk=proposal_id
    )
    if proposal.rep.user_id != request.user.pk:
        raise PermissionDenied
    initial = {
        name: getattr(proposal, name)
        for name in (
            "customer",
            "prospect_name",
            "market_analysis",
            "competitor_analysis",
            "planned_approach",
            "expected_sales",
            "expected_margin",
            "needed_resources",
        )
    }
    form = ProposalForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_file(actor=request.user, data=form.service_data(), proposal=proposal)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Proposal submitted again."))
            return redirect(proposal.get_absolute_url())
    return _proposal_form_page(request, form, _("Change the proposal"), proposal)


class ProposalDetail(ScopedDetailView):
    """A proposal, its decision and, once approved, its pipeline item."""

    model = DevelopmentProposal
    template_name = "customers/proposal_detail.html"
    context_object_name = "proposal"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        proposal, user = self.object, self.request.user
        may_decide = proposal.status == ProposalStatus.SUBMITTED and (
            can_decide_proposal(user, proposal)
        )
        context["form"] = kwargs.get("form") or (ReviewForm() if may_decide else None)
        context["may_edit"] = (
            proposal.status == ProposalStatus.RETURNED and proposal.rep.user_id == user.pk
        )
        context["item"] = selectors.proposal_pipeline_item(user=user, proposal=proposal)
        context["competitor_notes"] = customer_competitor_notes(
            user=user, customer=proposal.customer
        )
        return context


@require_POST
@login_required
def proposal_decide(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """The manager approves, returns or rejects a proposal."""
    proposal = get_object_or_404(
        DevelopmentProposal.objects.visible_to(request.user), pk=proposal_id
    )
    if not can_decide_proposal(request.user, proposal):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.proposal_decide(
                proposal=proposal,
                actor=request.user,
                decision=request.POST.get("decision", ""),
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Decision saved."))
            return redirect(proposal.get_absolute_url())
    view = ProposalDetail()
    view.setup(request, pk=proposal.pk)
    view.object = proposal
    return render(request, view.template_name, view.get_context_data(object=proposal, form=form))


# --- pipeline -----------------------------------------------------------------------------------


@login_required
def pipeline_list(request: HttpRequest) -> HttpResponse:
    """Pipeline items in scope by stage and status; CSV."""
    status = request.GET.get("status", PipelineItemStatus.OPEN)
    items = selectors.pipeline_items_list(user=request.user, status=status)
    if search := request.GET.get("q", "").strip():
        items = items.filter(name__icontains=search)
    page_def = ListPage(
        title=_("Pipeline"),
        url_name="customers:pipeline",
        table_template="customers/_pipeline_table.html",
        csv_name="pipeline",
        csv_columns=[
            (_("Name"), lambda i: i.name),
            (_("Rep"), lambda i: i.rep.name),
            (pgettext("stage of a process", "Stage"), lambda i: i.stage.label if i.stage else ""),
            (_("Status"), lambda i: i.get_status_display()),
            (_("Customer"), lambda i: i.customer.name if i.customer else ""),
            (_("Reason won"), lambda i: i.won_reason),
            (_("Reason lost"), lambda i: i.lost_reason),
        ],
        search_placeholder=_("Name"),
        filters=[ListFilter("status", _("All statuses"), PipelineItemStatus.choices, status)],
    )
    return list_response(
        request, page_def, items, {"stages": selectors.pipeline_stages(user=request.user)}
    )


class PipelineItemDetail(ScopedDetailView):
    """A pipeline item: its stage's steps to tick, advancing, closing."""

    model = PipelineItem
    template_name = "customers/pipeline_item_detail.html"
    context_object_name = "item"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item, user = self.object, self.request.user
        may_work = item.status == PipelineItemStatus.OPEN and can_work_item(user, item)
        context["may_work"] = may_work
        context["steps"] = selectors.pipeline_item_steps(user=user, item=item)
        context["stages"] = list(selectors.pipeline_stages(user=user))
        context["close_form"] = kwargs.get("close_form") or (
            PipelineCloseForm(user=user) if may_work else None
        )
        context["error"] = kwargs.get("error")
        return context


def _visible_item(request, item_id: int) -> PipelineItem:
    item = get_object_or_404(PipelineItem.objects.visible_to(request.user), pk=item_id)
    if not can_work_item(request.user, item):
        raise PermissionDenied
    return item


def _item_page(request, item: PipelineItem, **extra) -> HttpResponse:
    view = PipelineItemDetail()
    view.setup(request, pk=item.pk)
    view.object = item
    return render(request, view.template_name, view.get_context_data(object=item, **extra))


def _first_message(error: ValidationError) -> str:
    return " ".join(message for messages_ in error.message_dict.values() for message in messages_)


@require_POST
@login_required
def pipeline_step_tick(request: HttpRequest, item_id: int, step_id: int) -> HttpResponse:
    """Tick or untick a step of the item's current stage."""
    item = _visible_item(request, item_id)
    step = get_object_or_404(PipelineStep.objects.visible_to(request.user), pk=step_id)
    try:
        services.pipeline_step_tick(
            item=item, step=step, actor=request.user, done=request.POST.get("done") == "1"
        )
    except ValidationError as error:
        return _item_page(request, item, error=_first_message(error))
    if request.POST.get("done") == "1":
        messages.success(request, _("Step done: %(step)s") % {"step": step})
    else:
        messages.success(request, _("Step no longer done: %(step)s") % {"step": step})
    return redirect(item.get_absolute_url())


@require_POST
@login_required
def pipeline_item_advance(request: HttpRequest, item_id: int) -> HttpResponse:
    """Move the item to the next stage."""
    item = _visible_item(request, item_id)
    try:
        item = services.pipeline_item_advance(item=item, actor=request.user)
    except ValidationError as error:
        return _item_page(request, item, error=_first_message(error))
    messages.success(request, _("Moved to the next stage."))
    return redirect(item.get_absolute_url())


@require_POST
@login_required
def pipeline_item_close(request: HttpRequest, item_id: int) -> HttpResponse:
    """Close the item as won or lost."""
    item = _visible_item(request, item_id)
    form = PipelineCloseForm(request.POST, user=request.user)
    if form.is_valid():
        customer = form.cleaned_data["customer"]
        try:
            services.pipeline_item_close(
                item=item,
                actor=request.user,
                won=request.POST.get("outcome") == "won",
                customer_id=customer.pk if customer else None,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            errors = error.message_dict
            if "lost_reason" in errors:
                errors["reason"] = errors.pop("lost_reason")
            form.add_service_errors(ValidationError(errors))
        else:
            messages.success(request, _("Pipeline item closed."))
            return redirect(item.get_absolute_url())
    return _item_page(request, item, close_form=form)
