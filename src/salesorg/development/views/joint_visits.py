"""Pages of joint visits: the coach's rubric review and a rep's rubric history."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from salesorg.core.roles import person_of
from salesorg.core.views import ScopedDetailView
from salesorg.development import permissions
from salesorg.development.forms.joint_visits import JointVisitReviewForm
from salesorg.development.models import JointVisitReview
from salesorg.development.selectors import joint_visits as joint_visit_selectors
from salesorg.development.services import joint_visits as joint_visit_services
from salesorg.development.views.common import page_of
from salesorg.org.models import Person
from salesorg.sales.models import Visit

# A point to improve is due this many days after it becomes an action item, unless changed.
POINT_DUE_DAYS = 14


@login_required
def joint_visit_list(request: HttpRequest) -> HttpResponse:
    """Joint visits in scope with their review (or a button for the coach to review)."""
    me = person_of(request.user)
    context = {
        "page": page_of(request, joint_visit_selectors.joint_visits_for(user=request.user)),
        "me": me,
        "reps": joint_visit_selectors.joint_visit_reps(user=request.user),
    }
    return render(request, "development/joint_list.html", context)


@login_required
def joint_review_new(request: HttpRequest, visit_id: int) -> HttpResponse:
    """The coach's rubric review of a joint visit, showing the last review's points."""
    visit = get_object_or_404(
        Visit.objects.visible_to(request.user).select_related("rep", "coach", "customer"),
        pk=visit_id,
    )
    existing = joint_visit_selectors.visit_review(user=request.user, visit=visit)
    if existing is not None:
        return redirect(existing.get_absolute_url())
    if not permissions.can_review(request.user, visit):
        raise PermissionDenied
    rubric = joint_visit_selectors.default_rubric()
    criteria = joint_visit_selectors.rubric_criteria(rubric=rubric) if rubric else []
    form = JointVisitReviewForm(request.POST or None, criteria=criteria)
    if request.method == "POST" and form.is_valid():
        try:
            review = joint_visit_services.joint_visit_review_create(
                visit=visit,
                actor=request.user,
                scores=form.scores(),
                strengths=form.cleaned_data["strengths"],
                improvements=form.cleaned_data["improvements"],
                rubric=rubric,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Joint-visit review saved."))
            return redirect(review.get_absolute_url())
    context = {
        "form": form,
        "visit": visit,
        "previous": joint_visit_selectors.previous_review(user=request.user, visit=visit),
    }
    return render(request, "development/joint_form.html", context)


class JointVisitReviewDetail(ScopedDetailView):
    """A joint-visit review: rubric scores, strengths, points to improve, previous points."""

    model = JointVisitReview
    template_name = "development/joint_detail.html"
    context_object_name = "review"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        review = self.object
        context["scores"] = review.scores.select_related("criterion")
        context["previous"] = joint_visit_selectors.previous_review(
            user=self.request.user, visit=review.visit
        )
        context["points"] = joint_visit_selectors.review_points(
            user=self.request.user, review=review
        )
        context["can_plan_points"] = permissions.can_plan_review_points(self.request.user, review)
        context["point_due"] = timezone.localdate() + timedelta(days=POINT_DUE_DAYS)
        return context


@login_required
@require_POST
def joint_review_point(request: HttpRequest, review_id: int) -> HttpResponse:
    """Make one point to improve of a review an action item of the rep."""
    review = get_object_or_404(JointVisitReview.objects.visible_to(request.user), pk=review_id)
    number = forms.IntegerField(required=False).clean(request.POST.get("point") or None)
    try:
        due_date = forms.DateField(required=False).clean(request.POST.get("due_date", ""))
        joint_visit_services.joint_review_point_to_action(
            review=review, number=number or 0, due_date=due_date, actor=request.user
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Action item created."))
    return redirect(f"{review.get_absolute_url()}#points")


@login_required
def joint_chart(request: HttpRequest, person_id: int) -> HttpResponse:
    """A rep's rubric scores over time: a chart with the table beneath."""
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=person_id)
    history = joint_visit_selectors.rubric_history(user=request.user, person=person)
    context = {"person": person, "history": history, "chart_data": history.chart_data()}
    return render(request, "development/joint_chart.html", context)
