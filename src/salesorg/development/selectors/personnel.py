"""Reads of personnel reviews (人事评定, S15): the evidence a review carries, the reviews a
user may see and those awaiting their decision."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.db.models import Avg, Count, Q, QuerySet

from salesorg.core.roles import Role, person_of, role_of
from salesorg.core.scoping import SystemActor
from salesorg.development.models import (
    Assignment,
    AssignmentStatus,
    CoachingSession,
    PersonnelReview,
    PositionChange,
    ReviewStatus,
    RubricScore,
)
from salesorg.development.selectors.coaching import person_indicators
from salesorg.org.models import Person
from salesorg.performance.models import Scorecard
from salesorg.targets.choices import ActionOrigin, ActionStatus
from salesorg.targets.models import ActionItem

LAST_SCORECARDS = 3
LAST_SESSIONS = 5


def _scorecards(person: Person) -> list[dict]:
    """The person's last scorecards (their page's evidence: the person is in the reader's scope)."""
    cards = (
        Scorecard.objects.filter(person=person)
        .select_related("period")
        .order_by("-period__end")[:LAST_SCORECARDS]
    )
    return [
        {
            "period": f"{card.period.start.isoformat()} – {card.period.end.isoformat()}",
            "total_score": str(card.total_score),
            "rank_company": card.rank_company,
            "company_size": card.company_size,
        }
        for card in cards
    ]


def _coaching(person: Person) -> dict:
    sessions = list(
        CoachingSession.objects.filter(person=person)
        .select_related("coach")
        .order_by("-session_date", "-id")[:LAST_SESSIONS]
    )
    items = ActionItem.objects.filter(owner=person, origin=ActionOrigin.COACHING).aggregate(
        total=Count("id"), done=Count("id", filter=Q(status=ActionStatus.DONE))
    )
    return {
        "sessions": CoachingSession.objects.filter(person=person).count(),
        "recent": [
            {
                "date": session.session_date.isoformat(),
                "coach": str(session.coach),
                "improvement_plan": session.improvement_plan[:300],
            }
            for session in sessions
        ],
        "action_items": items["total"],
        "action_items_done": items["done"],
    }


def _training(person: Person) -> dict:
    counts = Assignment.objects.filter(person=person).aggregate(
        total=Count("id"),
        completed=Count("id", filter=Q(status=AssignmentStatus.COMPLETED)),
        passed=Count("id", filter=Q(passed=True)),
    )
    return {
        "assigned": counts["total"],
        "completed": counts["completed"],
        "passed": counts["passed"],
    }


def _rubric(person: Person) -> dict:
    rows = (
        RubricScore.objects.filter(review__visit__rep=person)
        .values("criterion__code", "criterion__name")
        .annotate(average=Avg("score"), reviews=Count("review", distinct=True))
        .order_by("criterion__code")
    )
    return {
        row["criterion__code"]: {
            "name": row["criterion__name"],
            "average": f"{row['average']:.2f}",
            "reviews": row["reviews"],
        }
        for row in rows
    }


def evidence_snapshot(*, user: User | SystemActor, person: Person, today: date) -> dict:
    """The evidence a review carries, as it stands today (a JSON-ready dict).

    It is the whole record of a person `user` may see (checked by the caller), the
    indicators as `user` sees them.
    """
    return {
        "as_of": today.isoformat(),
        "scorecards": _scorecards(person),
        "coaching": _coaching(person),
        "training": _training(person),
        "rubric": _rubric(person),
        "indicators": person_indicators(user=user, person=person, on=today),
    }


def reviews_for(
    *, user: User | SystemActor, person: Person | None = None, status: str | None = None
) -> QuerySet:
    """Personnel reviews the user may see (as the person's leader, approver or the person)."""
    reviews = PersonnelReview.objects.visible_to(user).select_related(
        "person", "filed_by", "approver", "decided_by", "new_position"
    )
    if person is not None:
        reviews = reviews.filter(person=person)
    if status:
        reviews = reviews.filter(status=status)
    return reviews.order_by("-filed_at", "-id")


def position_changes_of(*, user: User | SystemActor, person: Person) -> QuerySet:
    """The person's position changes (promotions) that the user may see."""
    return (
        PositionChange.objects.visible_to(user)
        .filter(person=person)
        .select_related("new_position", "old_position")
    )


def reviews_awaiting(*, user: User | SystemActor) -> QuerySet:
    """Pending reviews the user must decide on."""
    actor = person_of(user)
    if actor is None:
        return PersonnelReview.objects.none()
    query = Q(approver=actor)
    if role_of(user) == Role.DIRECTOR:
        query |= Q(approver__isnull=True)
    return (
        PersonnelReview.objects.filter(query, status=ReviewStatus.PENDING)
        .exclude(filed_by=actor)
        .select_related("person", "filed_by")
    )
