"""Pages of coaching, joint-visit reviews, targeted training and personnel reviews."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from salesorg.core.roles import person_of, role_of
from salesorg.core.views import ScopedDetailView
from salesorg.development import coaching, joint_visits, personnel, targeted
from salesorg.development.forms_coaching import (
    CoachingSessionForm,
    EvaluateForm,
    FollowUpForm,
    JointVisitReviewForm,
    PersonnelReviewForm,
    ProposalDecisionForm,
    ReviewDecisionForm,
    TrainingRuleForm,
)
from salesorg.development.models import (
    CoachingSession,
    JointVisitReview,
    PersonnelReview,
    PositionChange,
    ProposalStatus,
    TrainingProposal,
    TrainingRule,
)
from salesorg.org.models import Person
from salesorg.performance.periods import this_month
from salesorg.sales.models import Visit
from salesorg.targets.actions import action_items_for_source

PAGE_SIZE = 25


def _page(request, objects):
    return Paginator(objects, PAGE_SIZE).get_page(request.GET.get("page"))


def _person_filter(request) -> Person | None:
    person_id = request.GET.get("person", "")
    if not person_id.isdigit():
        return None
    return get_object_or_404(Person.objects.visible_to(request.user), pk=int(person_id))


# --- one-on-one coaching -----------------------------------------------------------------


@login_required
def coaching_list(request: HttpRequest) -> HttpResponse:
    """Coaching sessions in the user's scope (a rep: their own), newest first."""
    person = _person_filter(request)
    me = person_of(request.user)
    context = {
        "page": _page(request, coaching.sessions_for(user=request.user, person=person)),
        "person": person,
        "today": timezone.localdate(),
        "can_coach": coaching.coachable_people(user=request.user).exists(),
        "open_items": list(coaching.open_coaching_items(person=me)) if me else [],
        "follow_ups": list(coaching.follow_ups_due(coach=me, today=timezone.localdate()))
        if me
        else [],
    }
    return render(request, "development/coaching_list.html", context)


@login_required
def coaching_new(request: HttpRequest) -> HttpResponse:
    """Record a one-on-one: it opens with the last session's open items and indicator changes."""
    if not coaching.coachable_people(user=request.user).exists():
        raise PermissionDenied
    if request.method == "POST":
        form = CoachingSessionForm(request.POST, user=request.user)
    else:  # ?person=<id> preselects the person (a link from a home or a person's figures)
        form = CoachingSessionForm(
            user=request.user, initial={"person": request.GET.get("person", "")}
        )
    person = None
    person_id = form["person"].value()
    if person_id and str(person_id).isdigit():
        person = form.fields["person"].queryset.filter(pk=int(person_id)).first()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = coaching.coaching_session_create(
                person=data["person"],
                actor=request.user,
                session_date=data["session_date"],
                strengths=data["strengths"],
                weaknesses=data["weaknesses"],
                context=data["context"],
                improvement_plan=data["improvement_plan"],
                follow_up_date=data["follow_up_date"],
                action_items=form.action_items(),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Coaching session saved."))
            return redirect(session.get_absolute_url())
    start = (
        coaching.session_start(person=person, user=request.user, today=timezone.localdate())
        if person
        else None
    )
    return render(
        request, "development/coaching_form.html", {"form": form, "start": start, "person": person}
    )


class CoachingSessionDetail(ScopedDetailView):
    """A coaching session: notes, action items, carried items, indicator changes, follow-up."""

    model = CoachingSession
    template_name = "development/coaching_detail.html"
    context_object_name = "session"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        session = self.object
        user = self.request.user
        context["items"] = action_items_for_source(session)
        context["carried"] = session.carried_items.select_related("owner")
        comparison = coaching.session_changes(session=session)
        context["comparison"] = comparison
        context["changes"] = comparison.changes
        context["can_check"] = (
            session.follow_up_date is not None
            and session.follow_up_checked_at is None
            and coaching.can_coach(user, session.person)
        )
        context["follow_up_form"] = FollowUpForm()
        return context


@login_required
@require_POST
def coaching_follow_up(request: HttpRequest, session_id: int) -> HttpResponse:
    """Mark a session's follow-up check as done."""
    session = get_object_or_404(CoachingSession.objects.visible_to(request.user), pk=session_id)
    form = FollowUpForm(request.POST)
    form.is_valid()
    try:
        coaching.coaching_follow_up_check(
            session=session, actor=request.user, note=form.cleaned_data.get("follow_up_note", "")
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Follow-up check recorded."))
    return redirect(session.get_absolute_url())


# --- joint visits ------------------------------------------------------------------------


@login_required
def joint_visit_list(request: HttpRequest) -> HttpResponse:
    """Joint visits in scope with their review (or a button for the coach to review)."""
    me = person_of(request.user)
    context = {
        "page": _page(request, joint_visits.joint_visits_for(user=request.user)),
        "me": me,
        "reps": Person.objects.visible_to(request.user)
        .filter(visits__kind="joint")
        .distinct()
        .order_by("code"),
    }
    return render(request, "development/joint_list.html", context)


@login_required
def joint_review_new(request: HttpRequest, visit_id: int) -> HttpResponse:
    """The coach's rubric review of a joint visit, showing the last review's points."""
    visit = get_object_or_404(
        Visit.objects.visible_to(request.user).select_related("rep", "coach", "customer"),
        pk=visit_id,
    )
    existing = JointVisitReview.objects.filter(visit=visit).first()
    if existing is not None:
        return redirect(existing.get_absolute_url())
    if not joint_visits.can_review(request.user, visit):
        raise PermissionDenied
    rubric = joint_visits.default_rubric()
    criteria = joint_visits.rubric_criteria(rubric=rubric) if rubric else []
    form = JointVisitReviewForm(request.POST or None, criteria=criteria)
    if request.method == "POST" and form.is_valid():
        try:
            review = joint_visits.joint_visit_review_create(
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
        "previous": joint_visits.previous_review(visit=visit),
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
        context["previous"] = joint_visits.previous_review(visit=review.visit)
        return context


@login_required
def joint_chart(request: HttpRequest, person_id: int) -> HttpResponse:
    """A rep's rubric scores over time: a chart with the table beneath."""
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=person_id)
    history = joint_visits.rubric_history(user=request.user, person=person)
    context = {"person": person, "history": history, "chart_data": history.chart_data()}
    return render(request, "development/joint_chart.html", context)


# --- targeted training -------------------------------------------------------------------


@login_required
def targeted_list(request: HttpRequest) -> HttpResponse:
    """Proposals awaiting a decision (and past ones), the evaluate form and the rules."""
    month = this_month(today=timezone.localdate())
    form = EvaluateForm(request.POST or None, initial={"start": month.start, "end": month.end})
    can_evaluate = role_of(request.user) in targeted.EVALUATORS
    if request.method == "POST":
        if not can_evaluate:
            raise PermissionDenied
        if form.is_valid():
            try:
                proposals = targeted.proposals_evaluate(
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
        "page": _page(request, targeted.proposals_for(user=request.user, status=status)),
        "rules": TrainingRule.objects.visible_to(request.user).select_related("material"),
        "can_edit_rules": role_of(request.user) in targeted.RULE_WRITERS,
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
            targeted.proposal_accept(
                proposal=proposal, actor=request.user, due_date=form.cleaned_data["due_date"]
            )
            messages.success(request, _("Training assigned."))
        else:
            targeted.proposal_dismiss(proposal=proposal, actor=request.user)
            messages.success(request, _("Proposal dismissed."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("development:targeted")


@login_required
def targeted_rule_edit(request: HttpRequest, rule_id: int | None = None) -> HttpResponse:
    """Create or change a targeted-training rule (director, admin, trainer)."""
    if role_of(request.user) not in targeted.RULE_WRITERS:
        raise PermissionDenied
    rule = (
        get_object_or_404(TrainingRule.objects.visible_to(request.user), pk=rule_id)
        if rule_id
        else TrainingRule()
    )
    form = TrainingRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        try:
            targeted.training_rule_save(rule=form.instance, actor=request.user)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Rule saved."))
            return redirect("development:targeted")
    return render(request, "development/targeted_rule_form.html", {"form": form, "rule": rule})


# --- personnel reviews -------------------------------------------------------------------


@login_required
def personnel_list(request: HttpRequest) -> HttpResponse:
    """Personnel reviews in scope (optionally of one person), and those awaiting my decision."""
    person = _person_filter(request)
    context = {
        "page": _page(request, personnel.reviews_for(user=request.user, person=person)),
        "person": person,
        "awaiting": list(personnel.reviews_awaiting(user=request.user)),
        "can_file": role_of(request.user) in personnel.FILER_ROLES,
        "changes": PositionChange.objects.visible_to(request.user)
        .filter(person=person)
        .select_related("new_position", "old_position")
        if person
        else [],
    }
    return render(request, "development/personnel_list.html", context)


@login_required
def personnel_new(request: HttpRequest) -> HttpResponse:
    """File a personnel review; the evidence is attached when it is filed."""
    if role_of(request.user) not in personnel.FILER_ROLES:
        raise PermissionDenied
    initial = {"person": request.GET.get("person")} if request.GET.get("person") else None
    form = PersonnelReviewForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            review = personnel.personnel_review_file(
                person=data["person"],
                actor=request.user,
                stage=data["stage"],
                outcome=data["outcome"],
                summary=data["summary"],
                new_position=data["new_position"],
                effective_date=data["effective_date"],
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
        context["can_decide"] = review.status == "pending" and personnel.can_decide_review(
            self.request.user, review
        )
        context["decision_form"] = ReviewDecisionForm()
        indicators = (review.evidence or {}).get("indicators") or {}
        context["indicator_rows"] = coaching.indicator_changes(then=None, now=indicators)
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
            personnel.personnel_review_approve(review=review, actor=request.user, comment=comment)
            messages.success(request, _("Review approved."))
        else:
            personnel.personnel_review_reject(review=review, actor=request.user, comment=comment)
            messages.success(request, _("Review rejected."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(review.get_absolute_url())
