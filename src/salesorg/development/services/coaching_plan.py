"""Writes of a one-on-one's improvement plan as both sides discuss it (双方共同讨论、拟订,
S6): comments by the coached person and the coach, the coached person's agreement, and the
coach's change of the plan, which clears the agreement and asks the person to look again.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesorg.core.problems import Problems
from salesorg.core.roles import person_of
from salesorg.core.stored_text import stored_message
from salesorg.development.models import CoachingComment, CoachingSession
from salesorg.development.permissions import can_agree_plan, can_change_plan, can_comment_plan
from salesorg.targets.choices import ActionOrigin
from salesorg.work.actions import action_item_create

# The coached person has this many days to look at a changed plan.
PLAN_REVIEW_DAYS = 3

PLAN_CHANGED_TITLE = stored_message(
    "development.coaching_plan_changed",
    gettext_lazy("Read the changed improvement plan of %(date)s and agree to it"),
)


@transaction.atomic
def coaching_plan_comment(*, session: CoachingSession, actor: User, text: str) -> CoachingComment:
    """Add a comment to the session's plan thread, by the coached person or their coach."""
    problems = Problems()
    text = (text or "").strip()
    if not text:
        problems.add("text", _("Write a comment."))
    if not can_comment_plan(actor, session):
        problems.add("text", _("You may not comment on this plan."))
    problems.raise_if_any()
    return CoachingComment.objects.create(session=session, author=person_of(actor), text=text)


@transaction.atomic
def coaching_plan_agree(*, session: CoachingSession, actor: User) -> CoachingSession:
    """The coached person agrees to the plan as it stands now."""
    problems = Problems()
    if not can_agree_plan(actor, session):
        problems.add("plan_agreed_at", _("Only the coached person agrees to the plan."))
    elif session.plan_agreed_at is not None:
        problems.add("plan_agreed_at", _("You have already agreed to this plan."))
    problems.raise_if_any()
    session.plan_agreed_at = timezone.now()
    session._history_user = actor  # type: ignore[attr-defined]  # the actor, outside a request too
    session.save(update_fields=["plan_agreed_at"])
    return session


@transaction.atomic
def coaching_plan_change(
    *, session: CoachingSession, actor: User, improvement_plan: str
) -> CoachingSession:
    """The coach changes the plan; an agreement given to the old text no longer holds, and
    the coached person gets an action item to read the new one."""
    problems = Problems()
    improvement_plan = (improvement_plan or "").strip()
    if not can_change_plan(actor, session):
        problems.add("improvement_plan", _("You may not change this plan."))
    elif not improvement_plan:
        problems.add("improvement_plan", _("Write the improvement plan."))
    problems.raise_if_any()
    if improvement_plan == session.improvement_plan.strip():
        return session
    was_agreed = session.plan_agreed_at is not None
    session.improvement_plan = improvement_plan
    session.plan_agreed_at = None
    session._history_user = actor  # type: ignore[attr-defined]  # the actor, outside a request too
    session.save(update_fields=["improvement_plan", "plan_agreed_at"])
    if was_agreed:
        action_item_create(
            owner=session.person,
            due_date=timezone.localdate() + timedelta(days=PLAN_REVIEW_DAYS),
            origin=ActionOrigin.COACHING,
            source=session,
            title_message=PLAN_CHANGED_TITLE,
            text_params={"date": session.session_date},
        )
    return session
