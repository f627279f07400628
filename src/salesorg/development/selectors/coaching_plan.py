"""Reads of a one-on-one's improvement-plan thread (S6)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import QuerySet

from salesorg.development.models import CoachingComment, CoachingSession


def plan_comments(*, user: User, session: CoachingSession) -> QuerySet[CoachingComment]:
    """The comments on the session's plan the user may see, oldest first, with authors."""
    return (
        CoachingComment.objects.visible_to(user)
        .filter(session=session)
        .select_related("author")
        .order_by("created_at", "id")
    )


def plans_awaiting_agreement(*, user: User, person) -> QuerySet[CoachingSession]:
    """The person's own sessions whose plan they have not agreed to yet, newest first."""
    if person is None:
        return CoachingSession.objects.none()
    return (
        CoachingSession.objects.visible_to(user)
        .filter(person=person, plan_agreed_at__isnull=True)
        .select_related("coach")
        .order_by("-session_date", "-id")
    )
