"""Pages of personnel reviews: the list, filing one, its evidence and its decision."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from salesorg.core.views import ScopedDetailView
from salesorg.development import permissions
from salesorg.development.forms.personnel import PersonnelReviewForm, ReviewDecisionForm
from salesorg.development.models import PersonnelReview
from salesorg.development.selectors import personnel as personnel_selectors
from salesorg.development.selectors.coaching import indicator_changes
from salesorg.development.services import personnel as personnel_services
from salesorg.development.views.common import page_of, person_filter


@login_required
def personnel_list(request: HttpRequest) -> HttpResponse:
    """Personnel reviews in scope (optionally of one person), and those awaiting my decision."""
    person = person_filter(request)
    context = {
        "page": page_of(request, personnel_selectors.reviews_for(user=request.user, person=person)),
        "person": person,
        "awaiting": list(personnel_selectors.reviews_awaiting(user=request.user)),
        "can_file": permissions.can_file_reviews(request.user),
        "changes": personnel_selectors.position_changes_of(user=request.user, person=person)
        if person
        else [],
    }
    return render(request, "development/personnel_list.html", context)


@login_required
def personnel_new(request: HttpRequest) -> HttpResponse:
    """File a personnel review; the evidence is attached when it is filed."""
    if not permissions.can_file_reviews(request.user):
        raise PermissionDenied
    initial = {"person": request.GET.get("person")} if request.GET.get("person") else None
    form = PersonnelReviewForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            review = personnel_services.personnel_review_file(
                person=data["person"],
                actor=request.user,
                stage=data["stage"],
                outcome=data["outcome"],
                summary=data["summary"],
                new_position=data["new_position"],
                effective_date=data["effective_date"],
                override_reason=data["override_reason"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Personnel review filed; it awaits approval."))
            return redirect(review.get_absolute_url())
    return render(request, "development/personnel_form.html", {"form": form})


class PersonnelReviewDetail(ScopedDetailView):
    """A personnel review with its evidence snapshot and the approval decision."""

    model = PersonnelReview
    template_name = "development/personnel_detail.html"
    context_object_name = "review"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        review = self.object
        context["can_decide"] = review.status == "pending" and permissions.can_decide_review(
            self.request.user, review
        )
        context["decision_form"] = ReviewDecisionForm()
        context["can_hand_over"] = permissions.can_hand_over(self.request.user, review.person)
        indicators = (review.evidence or {}).get("indicators") or {}
        context["indicator_rows"] = indicator_changes(then=None, now=indicators)
        return context


@login_required
@require_POST
def personnel_decide(request: HttpRequest, review_id: int) -> HttpResponse:
    """Approve or reject a personnel review (the next level)."""
    review = get_object_or_404(
        PersonnelReview.objects.visible_to(request.user).select_related("person"), pk=review_id
    )
    form = ReviewDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or reject."))
        return redirect(review.get_absolute_url())
    comment = form.cleaned_data["comment"]
    try:
        if form.cleaned_data["decision"] == "approve":
            personnel_services.personnel_review_approve(
                review=review, actor=request.user, comment=comment
            )
            messages.success(request, _("Review approved."))
        else:
            personnel_services.personnel_review_reject(
                review=review, actor=request.user, comment=comment
            )
            messages.success(request, _("Review rejected."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(review.get_absolute_url())
