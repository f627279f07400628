"""Pages' actions on a one-on-one's improvement plan: comment, agree (the coached person),
change (the coach). Each answers with the session page and a message."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from salesorg.development.models import CoachingSession
from salesorg.development.services import coaching_plan


def _session(request: HttpRequest, session_id: int) -> CoachingSession:
    return get_object_or_404(CoachingSession.objects.visible_to(request.user), pk=session_id)


def _answer(request: HttpRequest, session: CoachingSession, write, done: str) -> HttpResponse:
    try:
        write()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect(f"{session.get_absolute_url()}#plan")


@login_required
@require_POST
def plan_comment(request: HttpRequest, session_id: int) -> HttpResponse:
    """Add a comment to the plan's thread."""
    session = _session(request, session_id)
    text = forms.CharField(required=False).clean(request.POST.get("text", ""))
    return _answer(
        request,
        session,
        lambda: coaching_plan.coaching_plan_comment(session=session, actor=request.user, text=text),
        _("Comment added."),
    )


@login_required
@require_POST
def plan_agree(request: HttpRequest, session_id: int) -> HttpResponse:
    """The coached person agrees to the plan."""
    session = _session(request, session_id)
    return _answer(
        request,
        session,
        lambda: coaching_plan.coaching_plan_agree(session=session, actor=request.user),
        _("You agreed to the plan."),
    )


@login_required
@require_POST
def plan_change(request: HttpRequest, session_id: int) -> HttpResponse:
    """The coach changes the plan (an earlier agreement is cleared)."""
    session = _session(request, session_id)
    plan = forms.CharField(required=False).clean(request.POST.get("improvement_plan", ""))
    return _answer(
        request,
        session,
        lambda: coaching_plan.coaching_plan_change(
            session=session, actor=request.user, improvement_plan=plan
        ),
        _("Improvement plan saved."),
    )
