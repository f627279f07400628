"""Pages of one-on-one coaching: sessions, the next session's start and follow-up checks."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from salesorg.core.hygiene import id_param
from salesorg.core.roles import person_of
from salesorg.core.views import ScopedDetailView
from salesorg.development import permissions
from salesorg.development.forms.coaching import CoachingSessionForm, FollowUpForm
from salesorg.development.models import CoachingSession
from salesorg.development.selectors import coaching as coaching_selectors
from salesorg.development.selectors import coaching_plan as coaching_plan_selectors
from salesorg.development.services import coaching as coaching_services
from salesorg.development.views.common import page_of, person_filter
from salesorg.work.actions import action_items_for_source


@login_required
def coaching_list(request: HttpRequest) -> HttpResponse:
    """Coaching sessions in the user's scope (a rep: their own), newest first."""
    person = person_filter(request)
    me = person_of(request.user)
    context = {
        "page": page_of(request, coaching_selectors.sessions_for(user=request.user, person=person)),
        "person": person,
        "today": timezone.localdate(),
        "can_coach": coaching_selectors.coachable_people(user=request.user).exists(),
        "open_items": list(coaching_selectors.open_coaching_items(user=request.user, person=me))
        if me
        else [],
        "plans_to_agree": list(
            coaching_plan_selectors.plans_awaiting_agreement(user=request.user, person=me)[:10]
        ),
        "follow_ups": list(
            coaching_selectors.follow_ups_due(
                user=request.user, coach=me, today=timezone.localdate()
            )
        )
        if me
        else [],
    }
    return render(request, "development/coaching_list.html", context)


@login_required
def coaching_new(request: HttpRequest) -> HttpResponse:
    """Record a one-on-one: it opens with the last session's open items and indicator changes."""
    if not coaching_selectors.coachable_people(user=request.user).exists():
        raise PermissionDenied
    if request.method == "POST":
        form = CoachingSessionForm(request.POST, user=request.user)
    else:  # ?person=<id> preselects the person (a link from a home or a person's figures)
        form = CoachingSessionForm(
            user=request.user, initial={"person": request.GET.get("person", "")}
        )
    person = None
    person_id = id_param({"person": str(form["person"].value() or "")}, "person")
    if person_id is not None:
        person = form.fields["person"].queryset.filter(pk=person_id).first()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = coaching_services.coaching_session_create(
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
        coaching_selectors.session_start(
            user=request.user, person=person, today=timezone.localdate()
        )
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
        comparison = coaching_selectors.session_changes(session=session)
        context["comparison"] = comparison
        context["changes"] = comparison.changes
        context["can_check"] = (
            session.follow_up_date is not None
            and session.follow_up_checked_at is None
            and permissions.can_coach(user, session.person)
        )
        context["follow_up_form"] = FollowUpForm()
        context["plan_comments"] = coaching_plan_selectors.plan_comments(user=user, session=session)
        context["can_comment_plan"] = permissions.can_comment_plan(user, session)
        context["can_agree_plan"] = permissions.can_agree_plan(user, session)
        context["can_change_plan"] = permissions.can_change_plan(user, session)
        return context


@login_required
@require_POST
def coaching_follow_up(request: HttpRequest, session_id: int) -> HttpResponse:
    """Mark a session's follow-up check as done."""
    session = get_object_or_404(CoachingSession.objects.visible_to(request.user), pk=session_id)
    form = FollowUpForm(request.POST)
    form.is_valid()
    try:
        coaching_services.coaching_follow_up_check(
            session=session, actor=request.user, note=form.cleaned_data.get("follow_up_note", "")
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Follow-up check recorded."))
    return redirect(session.get_absolute_url())
