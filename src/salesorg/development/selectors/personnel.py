"""Reads of personnel reviews (人事评定, S15): the evidence a review carries, the reviews a
user may see and those awaiting their decision.

Evidence comes from ended periods only: the scorecards of periods that have ended and the
indicators of the last ended month, never the running one. It also states the person's
training and coaching stage (first to last coaching session or completed training before
the filing day) against the dismissal policy: a dismissal needs such a stage of at least
`SALESORG_DISMISSAL_STAGE_MONTHS` months (setting; default 3), or a reason for deciding
without one that the approver sees.
"""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Avg, Count, Max, Min, Q, QuerySet
from django.utils import timezone

from salesorg.core.roles import Role, person_of, role_of
from salesorg.core.scoping import SystemActor
from salesorg.customers.lifecycle import add_months
from salesorg.development.models import (
    Assignment,
    AssignmentStatus,
    CoachingSession,
    PersonnelReview,
    PositionChange,
    ReviewStatus,
    RubricScore,
)
from salesorg.development.selectors.coaching import last_ended_month, month_indicators
from salesorg.org.models import Person
from salesorg.performance.models import Scorecard
from salesorg.targets.choices import ActionOrigin, ActionStatus
from salesorg.targets.models import ActionItem

LAST_SCORECARDS = 3
LAST_SESSIONS = 5
DEFAULT_DISMISSAL_STAGE_MONTHS = 3


def dismissal_stage_months() -> int:
    """The policy: how many months of training or coaching a dismissal needs behind it."""
    return int(getattr(settings, "SALESORG_DISMISSAL_STAGE_MONTHS", DEFAULT_DISMISSAL_STAGE_MONTHS))


def _scorecards(person: Person, today: date) -> list[dict]:
    """The person's last scorecards of ended periods (their page's evidence: the person is in
    the reader's scope); a running period's score is not yet a result."""
    cards = (
        Scorecard.objects.filter(person=person, period__end__lt=today)
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


def _local_day(moment: datetime | None) -> date | None:
    return timezone.localtime(moment).date() if moment is not None else None


def training_stage(person: Person, today: date) -> dict:
    """The person's ended training and coaching stage: from the first coaching session or
    training assignment to the last session or completed training before `today`."""
    sessions = CoachingSession.objects.filter(person=person, session_date__lt=today).aggregate(
        first=Min("session_date"), last=Max("session_date"), count=Count("id")
    )
    trainings = Assignment.objects.filter(
        person=person,
        status=AssignmentStatus.COMPLETED,
        completed_at__date__lt=today,
    ).aggregate(first=Min("created_at"), last=Max("completed_at"), count=Count("id"))
    starts = [d for d in (sessions["first"], _local_day(trainings["first"])) if d]
    ends = [d for d in (sessions["last"], _local_day(trainings["last"])) if d]
    start, end = (min(starts), max(ends)) if starts and ends else (None, None)
    months = dismissal_stage_months()
    return {
        "start": start.isoformat() if start else None,
        "end": end.isoformat() if end else None,
        "sessions": sessions["count"],
        "trainings": trainings["count"],
        "policy_months": months,
        "meets_policy": bool(start and end and end >= add_months(start, months)),
    }


def evidence_snapshot(*, user: User | SystemActor, person: Person, today: date) -> dict:
    """The evidence a review carries, as it stands today (a JSON-ready dict), from ended
    periods only.

    It is the whole record of a person `user` may see (checked by the caller), the
    indicators (of the last ended month) as `user` sees them.
    """
    return {
        "as_of": today.isoformat(),
        "stage": training_stage(person, today),
        "scorecards": _scorecards(person, today),
        "coaching": _coaching(person),
        "training": _training(person),
        "rubric": _rubric(person),
        "indicators": month_indicators(user=user, person=person, period=last_ended_month(on=today)),
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
