"""Endpoints of what follows a coaching record: the discussion and agreement of a one-on-one's
improvement plan, and a joint-visit review's points to improve made action items.

Reads are scoped by `visible_to`; writes go through the same services as the pages.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from salesorg.api.coaching import (
    CoachingActionOut,
    CoachingSessionDetailOut,
    PlanCommentOut,
    _api_errors,
    _reviews,
    _scoped,
    _session_detail,
)
from salesorg.api.types import Day, RecordId
from salesorg.development.models import CoachingSession
from salesorg.development.selectors.joint_visits import review_points
from salesorg.development.services import coaching_plan, joint_visits

router = Router(tags=["coaching"])


class PlanChangeIn(Schema):
    improvement_plan: str


class PlanCommentIn(Schema):
    text: str


@router.post(
    "/coaching-sessions/{session_id}/comments",
    response={201: PlanCommentOut},
    **_scoped("development.CoachingSession", "comment"),
)
def session_comment(request, session_id: RecordId, payload: PlanCommentIn):
    """Comment on the session's improvement plan (the coached person or their coach)."""
    session = get_object_or_404(CoachingSession.objects.visible_to(request.user), pk=session_id)
    comment = coaching_plan.coaching_plan_comment(
        session=session, actor=request.user, text=payload.text
    )
    return 201, comment


@router.post(
    "/coaching-sessions/{session_id}/agreement",
    response=CoachingSessionDetailOut,
    **_scoped("development.CoachingSession", "agree"),
)
def session_agree(request, session_id: RecordId):
    """The coached person agrees to the improvement plan as it stands."""
    session = get_object_or_404(CoachingSession.objects.visible_to(request.user), pk=session_id)
    coaching_plan.coaching_plan_agree(session=session, actor=request.user)
    return _session_detail(session, request.user)


@router.post(
    "/coaching-sessions/{session_id}/plan",
    response=CoachingSessionDetailOut,
    **_scoped("development.CoachingSession", "plan_change"),
)
def session_plan_change(request, session_id: RecordId, payload: PlanChangeIn):
    """The coach changes the improvement plan; an earlier agreement is cleared and the coached
    person gets an action item to read the new plan."""
    session = get_object_or_404(CoachingSession.objects.visible_to(request.user), pk=session_id)
    coaching_plan.coaching_plan_change(
        session=session, actor=request.user, improvement_plan=payload.improvement_plan
    )
    return _session_detail(session, request.user)


class ReviewPointOut(Schema):
    number: int
    text: str
    action_item_id: RecordId | None
    action_item_status: str | None
    action_item_due_date: date | None


class ReviewPointIn(Schema):
    number: int = Field(..., ge=1, le=1000)
    due_date: Day


@router.get(
    "/joint-visit-reviews/{pk}/points",
    response=list[ReviewPointOut],
    **_scoped("development.JointVisitReview", "points"),
)
def joint_review_points(request, pk: RecordId):
    """The review's points to improve, each with the action item made of it (if any)."""
    review = get_object_or_404(_reviews(request), pk=pk)
    return [
        {
            "number": point.number,
            "text": point.text,
            "action_item_id": point.item.pk if point.item else None,
            "action_item_status": point.item.status if point.item else None,
            "action_item_due_date": point.item.due_date if point.item else None,
        }
        for point in review_points(user=request.user, review=review)
    ]


@router.post(
    "/joint-visit-reviews/{review_id}/point-actions",
    response={201: CoachingActionOut},
    **_scoped("development.JointVisitReview", "point_to_action"),
)
def joint_review_point_to_action(request, review_id: RecordId, payload: ReviewPointIn):
    """Make one point to improve an action item of the rep (once per point)."""
    review = get_object_or_404(_reviews(request), pk=review_id)
    try:
        item = joint_visits.joint_review_point_to_action(
            review=review, number=payload.number, due_date=payload.due_date, actor=request.user
        )
    except ValidationError as error:
        raise _api_errors(error) from error
    return 201, item
