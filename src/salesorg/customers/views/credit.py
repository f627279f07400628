"""Pages of customer evaluation (S19) and credit control: evaluations, the scoring model,
re-evaluation, downgrade root causes and orders awaiting credit approval."""

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
from salesorg.customers.forms import (
    ReviewForm,
    RootCauseActionForm,
    RootCauseForm,
    ScoringModelForm,
)
from salesorg.customers.models import (
    CreditApproval,
    CreditApprovalStatus,
    Customer,
    CustomerEvaluation,
    Rating,
    RootCause,
    RootCauseStatus,
    ScoringModel,
)
from salesorg.customers.permissions import (
    can_change_scoring_model,
    can_complete_root_cause,
    can_decide_credit,
    can_plan_root_cause,
    can_review_root_cause,
)
from salesorg.customers.selectors import credit as selectors
from salesorg.customers.services import credit as services
from salesorg.customers.services import root_causes as root_cause_services

# --- evaluations --------------------------------------------------------------------------------


@login_required
def evaluation_list(request: HttpRequest) -> HttpResponse:
    """Evaluations in scope: by rating and date, search, CSV."""
    rating = request.GET.get("rating", "")
    evaluations = selectors.evaluation_list(
        user=request.user,
        rating=rating,
        search=request.GET.get("q", "").strip(),
        sort=request.GET.get("sort", ""),
    )
    page_def = ListPage(
        title=_("Customer evaluations"),
        url_name="customers:evaluations",
        table_template="customers/_evaluation_table.html",
        csv_name="evaluations",
        csv_columns=[
            (_("Customer code"), lambda e: e.customer.code),
            (_("Customer"), lambda e: e.customer.name),
            (pgettext("responsible person", "Owner"), lambda e: e.customer.owner.name),
            (_("As of"), lambda e: e.as_of),
            (_("Score"), lambda e: e.score),
            (pgettext("customer credit", "Rating"), lambda e: e.get_rating_display()),
            (_("Previous rating"), lambda e: e.get_previous_rating_display()),
            (_("Rating rule"), lambda e: e.get_rating_rule_display()),
            (_("Suggested credit limit"), lambda e: e.suggested_credit_limit),
            (_("Credit limit when evaluated"), lambda e: e.credit_limit),
        ],
        search_placeholder=_("Customer name or code"),
        filters=[ListFilter("rating", _("All ratings"), Rating.choices, rating)],
    )
    return list_response(request, page_def, evaluations, {})


class EvaluationDetail(ScopedDetailView):
    """One evaluation with its factor breakdown."""

    model = CustomerEvaluation
    template_name = "customers/evaluation_detail.html"
    context_object_name = "evaluation"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["changes"] = selectors.evaluation_factor_changes(
            user=self.request.user, evaluation=self.object
        )
        context["root_cause"] = selectors.evaluation_root_cause(
            user=self.request.user, evaluation=self.object
        )
        return context


@require_POST
@login_required
def customer_reevaluate(request: HttpRequest, customer_id: int) -> HttpResponse:
    """Re-evaluate one customer now (the button on the customer page)."""
    customer = get_object_or_404(Customer.objects.visible_to(request.user), pk=customer_id)
    result = services.customer_reevaluate(customer=customer, actor=request.user)
    messages.success(
        request,
        _("Evaluated: score %(score)s, rating %(rating)s.")
        % {"score": result.score, "rating": result.get_rating_display()},
    )
    if result.is_downgrade:
        messages.warning(request, _("The rating fell: a root-cause record is open."))
    return redirect(customer.get_absolute_url())


@login_required
def scoring_settings(request: HttpRequest) -> HttpResponse:
    """The scoring model: director and admin."""
    if not can_change_scoring_model(request.user):
        raise PermissionDenied
    form = ScoringModelForm(request.POST or None, instance=ScoringModel.current())
    if request.method == "POST" and form.is_valid():
        try:
            services.scoring_model_save(instance=form.instance, actor=request.user)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, _("Saved. The next evaluation uses the new model."))
            return redirect("customers:scoring_settings")
    return render(
        request,
        "customers/evaluation_settings.html",
        {"form": form, "title": _("Customer scoring model")},
    )


def recovery_text(cause: RootCause) -> str:
    """已恢复 / 未恢复 at the next evaluation, with its date and rating; empty before it."""
    if cause.recovered is None or cause.recovery_evaluation is None:
        return ""
    evaluation = cause.recovery_evaluation
    label = _("Recovered") if cause.recovered else _("Not recovered")
    return _("%(label)s (%(date)s, %(rating)s)") % {
        "label": label,
        "date": evaluation.as_of.isoformat(),
        "rating": evaluation.get_rating_display(),
    }


# --- root causes --------------------------------------------------------------------------------


@login_required
def root_cause_list(request: HttpRequest) -> HttpResponse:
    """Downgrades and their root causes in scope: to complete, to review, all; CSV."""
    status = request.GET.get("status", "unresolved")
    mine = request.GET.get("mine", "")
    causes = selectors.root_causes_list(user=request.user, status=status, mine=mine)
    if search := request.GET.get("q", "").strip():
        causes = causes.filter(customer__name__icontains=search)
    page_def = ListPage(
        title=_("Downgrades"),
        url_name="customers:root_causes",
        table_template="customers/_root_cause_table.html",
        csv_name="downgrades",
        csv_columns=[
            (_("Customer"), lambda c: c.customer.name),
            (pgettext("responsible person", "Owner"), lambda c: c.owner.name),
            (_("Reviewer"), lambda c: c.reviewer.name if c.reviewer else ""),
            (_("From"), lambda c: c.from_rating),
            (_("To"), lambda c: c.to_rating),
            (_("Status"), lambda c: c.get_status_display()),
            (_("Cause category"), lambda c: c.get_cause_category_display()),
            (_("Opened"), lambda c: c.created_at.date()),
            (_("Recovery"), lambda c: recovery_text(c)),
        ],
        search_placeholder=_("Customer name"),
        filters=[
            ListFilter(
                "status",
                _("All statuses"),
                [("unresolved", _("Unresolved")), *RootCauseStatus.choices],
                status,
            ),
            ListFilter(
                "mine",
                _("Everyone's"),
                [("complete", _("Mine to complete")), ("review", _("Mine to review"))],
                mine,
            ),
        ],
    )
    return list_response(request, page_def, causes, {})


class RootCauseDetail(ScopedDetailView):
    """A downgrade's root cause: the owner's form, then the reviewer's decision."""

    model = RootCause
    template_name = "customers/root_cause_detail.html"
    context_object_name = "cause"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cause, user = self.object, self.request.user
        may_complete = can_complete_root_cause(user, cause) and cause.status in (
            RootCauseStatus.OPEN,
            RootCauseStatus.RETURNED,
        )
        may_review = (
            can_review_root_cause(user, cause) and cause.status == RootCauseStatus.SUBMITTED
        )
        initial = {
            "cause_category": cause.cause_category,
            "explanation": cause.explanation,
            "action_plan": cause.action_plan,
        }
        context["form"] = kwargs.get("form") or (
            RootCauseForm(initial=initial) if may_complete else None
        )
        context["review_form"] = kwargs.get("review_form") or (ReviewForm() if may_review else None)
        may_plan = can_plan_root_cause(user, cause) and cause.status != RootCauseStatus.ACCEPTED
        context["action_form"] = kwargs.get("action_form") or (
            RootCauseActionForm(
                owners=selectors.root_cause_action_owners(user=user, cause=cause),
                initial={"owner": cause.owner_id},
            )
            if may_plan
            else None
        )
        context["actions"] = selectors.root_cause_actions(user=user, cause=cause)
        context["changes"] = selectors.evaluation_factor_changes(
            user=user, evaluation=cause.evaluation
        )
        return context


def _visible_cause(request, root_cause_id: int) -> RootCause:
    return get_object_or_404(RootCause.objects.visible_to(request.user), pk=root_cause_id)


def _render_cause(request, cause: RootCause, **forms) -> HttpResponse:
    view = RootCauseDetail()
    view.setup(request, pk=cause.pk)
    view.object = cause
    return render(request, view.template_name, view.get_context_data(object=cause, **forms))


@require_POST
@login_required
def root_cause_complete(request: HttpRequest, root_cause_id: int) -> HttpResponse:
    """The owner submits the root cause and action plan."""
    cause = _visible_cause(request, root_cause_id)
    if not can_complete_root_cause(request.user, cause):
        raise PermissionDenied
    form = RootCauseForm(request.POST)
    if form.is_valid():
        try:
            root_cause_services.root_cause_complete(
                cause=cause, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Submitted for review."))
            return redirect(cause.get_absolute_url())
    return _render_cause(request, cause, form=form)


@require_POST
@login_required
def root_cause_action_add(request: HttpRequest, root_cause_id: int) -> HttpResponse:
    """Add an action item (what, who, by when) to the downgrade's plan."""
    cause = _visible_cause(request, root_cause_id)
    if not can_plan_root_cause(request.user, cause):
        raise PermissionDenied
    form = RootCauseActionForm(
        request.POST,
        owners=selectors.root_cause_action_owners(user=request.user, cause=cause),
    )
    if form.is_valid():
        try:
            root_cause_services.root_cause_action_add(
                cause=cause, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Action item added to the plan."))
            return redirect(cause.get_absolute_url())
    return _render_cause(request, cause, action_form=form)


@require_POST
@login_required
def root_cause_review(request: HttpRequest, root_cause_id: int) -> HttpResponse:
    """The reviewer accepts the root cause or returns it with a comment."""
    cause = _visible_cause(request, root_cause_id)
    if not can_review_root_cause(request.user, cause):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            root_cause_services.root_cause_review(
                cause=cause,
                actor=request.user,
                decision=request.POST.get("decision", ""),
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Review saved."))
            return redirect(cause.get_absolute_url())
    return _render_cause(request, cause, review_form=form)


# --- credit approvals ---------------------------------------------------------------------------


@login_required
def credit_approval_list(request: HttpRequest) -> HttpResponse:
    """Orders held for credit approval in scope (pending by default); CSV."""
    status = request.GET.get("status", CreditApprovalStatus.PENDING)
    approvals = selectors.credit_approvals_list(user=request.user, status=status)
    if search := request.GET.get("q", "").strip():
        approvals = approvals.filter(order__customer__name__icontains=search)
    page_def = ListPage(
        title=_("Credit approvals"),
        url_name="customers:credit_approvals",
        table_template="customers/_credit_approval_table.html",
        csv_name="credit-approvals",
        csv_columns=[
            (_("Order"), lambda a: a.order.code),
            (_("Customer"), lambda a: a.order.customer.name),
            (_("Rep"), lambda a: a.order.rep.name),
            (_("Order amount"), lambda a: a.order_amount),
            (_("Open receivables"), lambda a: a.open_receivables),
            (_("Credit limit"), lambda a: a.credit_limit),
            (_("Status"), lambda a: a.get_status_display()),
            (_("Reasons"), lambda a: "\n".join(a.reason_texts)),
        ],
        search_placeholder=_("Customer name"),
        filters=[
            ListFilter("status", _("All statuses"), CreditApprovalStatus.choices, status),
        ],
    )
    return list_response(request, page_def, approvals, {})


class CreditApprovalDetail(ScopedDetailView):
    """An order held for credit approval: the reasons, the figures, the decision."""

    model = CreditApproval
    template_name = "customers/credit_approval_detail.html"
    context_object_name = "approval"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        approval = self.object
        may_decide = approval.status == CreditApprovalStatus.PENDING and can_decide_credit(
            self.request.user, approval
        )
        context["form"] = kwargs.get("form") or (ReviewForm() if may_decide else None)
        context["reasons"] = approval.reason_texts
        return context


@require_POST
@login_required
def credit_approval_decide(request: HttpRequest, approval_id: int) -> HttpResponse:
    """Approve or reject an order held for credit approval."""
    approval = get_object_or_404(
        CreditApproval.objects.visible_to(request.user).select_related("order"), pk=approval_id
    )
    if not can_decide_credit(request.user, approval):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.credit_approval_decide(
                approval=approval,
                actor=request.user,
                decision=request.POST.get("decision", ""),
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Decision saved."))
            return redirect(approval.get_absolute_url())
    view = CreditApprovalDetail()
    view.setup(request, pk=approval.pk)
    view.object = approval
    return render(request, view.template_name, view.get_context_data(object=approval, form=form))
