"""Writes of one-on-one coaching (一对一辅导, S6): a session with its action items, and the
coach's follow-up check.

The session carries the person's still-open coaching items and snapshots their indicator
changes between ended months (see selectors.coaching).
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from salesorg.core.problems import Problems
from salesorg.core.roles import person_of
from salesorg.core.scoping import SYSTEM
from salesorg.development.models import CoachingSession
from salesorg.development.permissions import can_coach
from salesorg.development.selectors.coaching import (
    last_session,
    open_coaching_items,
    session_snapshot,
)
from salesorg.org.models import Person
from salesorg.targets.choices import ActionOrigin
from salesorg.work.actions import action_item_create


def _clean_items(action_items, problems: Problems) -> list[dict]:
    items = []
    for number, item in enumerate(action_items or (), start=1):
        title = (item.get("title") or "").strip()
        due_date = item.get("due_date")
        if not title and not due_date:
            continue
        if not title:
            problems.add(f"items-{number}-title", _("Give the action item a title."))
        if not due_date:
            problems.add(f"items-{number}-due_date", _("Give the action item a due date."))
        items.append({"title": title, "due_date": due_date, "detail": item.get("detail", "")})
    return items


@transaction.atomic
def coaching_session_create(
    *,
    person: Person,
    actor: User,
    session_date: date,
    strengths: str = "",
    weaknesses: str = "",
    context: str = "",
    improvement_plan: str = "",
    follow_up_date: date | None = None,
    action_items: list[dict] | tuple = (),
) -> CoachingSession:
    """Record a session, create its action items (owned by the person) and carry open items."""
    problems = Problems()
    if person is None:
        problems.add("person", _("This field is required."))
    elif not can_coach(actor, person):
        problems.add("person", _("You may not coach this person."))
    if session_date is None:
        problems.add("session_date", _("This field is required."))
    if not any(text.strip() for text in (strengths, weaknesses, context, improvement_plan)):
        problems.add("improvement_plan", _("Write at least the improvement plan."))
    if follow_up_date is not None and session_date is not None and follow_up_date < session_date:
        problems.add("follow_up_date", _("The follow-up check cannot be before the session."))
    items = _clean_items(action_items, problems)
    problems.raise_if_any()
    previous = last_session(user=SYSTEM, person=person, before=session_date)
    carried = list(open_coaching_items(user=SYSTEM, person=person))
    session = CoachingSession.objects.create(
        person=person,
        coach=person_of(actor),
        session_date=session_date,
        strengths=strengths,
        weaknesses=weaknesses,
        context=context,
        improvement_plan=improvement_plan,
        follow_up_date=follow_up_date,
        previous=previous,
        indicators=session_snapshot(user=actor, person=person, on=session_date),
    )
    session.carried_items.set(carried)
    for item in items:
        action_item_create(
            title=item["title"],
            detail=item["detail"],
            owner=person,
            due_date=item["due_date"],
            origin=ActionOrigin.COACHING,
            source=session,
            actor=actor,
        )
    return session


@transaction.atomic
def coaching_follow_up_check(
    *, session: CoachingSession, actor: User, note: str = ""
) -> CoachingSession:
    """Mark the session's follow-up check as done, with what the coach found."""
    problems = Problems()
    if not can_coach(actor, session.person):
        problems.add("follow_up_note", _("You may not check this session."))
    if session.follow_up_checked_at is not None:
        problems.add("follow_up_note", _("The follow-up check is already done."))
    problems.raise_if_any()
    session.follow_up_checked_at = timezone.now()
    session.follow_up_note = note
    session.save(update_fields=["follow_up_checked_at", "follow_up_note"])
    return session
