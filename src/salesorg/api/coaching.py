"""Coaching endpoints: one-on-one sessions, rubrics, joint-visit reviews, targeted-training
proposals (evaluate, accept, dismiss) and personnel reviews (file, approve, reject).

Reads are scoped by `visible_to`; writes go through the same services as the pages.
Decisions are posted as their own resources (`/training-proposal-decisions`,
`/personnel-review-decisions`) naming the record in the body. Records are never deleted.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from salesorg.api.crud import ApiPagination, renamed_errors, scoped_model
from salesorg.api.types import Day, RecordId, optional_query
from salesorg.development.models import (
    CoachingSession,
    JointVisitReview,
    PersonnelReview,
    Rubric,
    TrainingProposal,
)
from salesorg.development.selectors import personnel as personnel_selectors
from salesorg.development.selectors.coaching_plan import plan_comments
from salesorg.development.services import coaching, joint_visits, personnel, targeted
from salesorg.org.models import Person, Position
from salesorg.org.selectors import position_catalogue
from salesorg.sales.models import Visit
from salesorg.work.actions import action_items_for_source

router = Router(tags=["coaching"])

API_FIELD_NAMES = {
    "person": "person_id",
    "visit": "visit_id",
    "new_position": "new_position_id",
    "rubric": "rubric_id",
    "point": "number",
}


def _scoped(label: str, suffix: str) -> dict:
    name = label.split(".")[1].lower()
    return {"openapi_extra": scoped_model(label), "operation_id": f"{name}_{suffix}"}


def _api_errors(error: ValidationError) -> ValidationError:
    """Name fields as the API does (`person_id`, not `person`)."""
    return renamed_errors(error, API_FIELD_NAMES)


def _reference(model, pk: int | None, *, field: str, user, queryset=None):
    """The referenced object in the caller's scope, or a 400 naming the field."""
    objects = queryset if queryset is not None else model.objects.visible_to(user)
    found = objects.filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise ValidationError(
            {
                field: [
                    _("Unknown %(model)s: %(pk)s.") % {"model": model._meta.verbose_name, "pk": pk}
                ]
            }
        )
    return found


# --- coaching sessions -------------------------------------------------------------------


class CoachingActionOut(Schema):
    id: int
    title: str
    owner_id: RecordId
    due_date: date
    status: str

    @staticmethod
    def resolve_title(item) -> str:
        return item["title"] if isinstance(item, dict) else item.display_title


class CoachingSessionOut(Schema):
    id: int
    person_id: RecordId
    coach_id: RecordId
    session_date: date
    strengths: str
    weaknesses: str
    context: str
    improvement_plan: str
    follow_up_date: date | None
    follow_up_checked_at: datetime | None
    previous_id: RecordId | None
    indicators: dict
    plan_agreed_at: datetime | None = Field(
        description="When the coached person agreed to the plan; cleared when it changes."
    )


class PlanCommentOut(Schema):
    id: int
    author_id: RecordId
    created_at: datetime
    text: str


class CoachingSessionDetailOut(CoachingSessionOut):
    action_items: list[CoachingActionOut]
    carried_items: list[CoachingActionOut]
    comments: list[PlanCommentOut]


class CoachingActionIn(Schema):
    title: str
    due_date: Day


class CoachingSessionIn(Schema):
    person_id: RecordId
    session_date: Day
    strengths: str = ""
    weaknesses: str = ""
    context: str = ""
    improvement_plan: str = ""
    follow_up_date: Day | None = None
    action_items: list[CoachingActionIn] = Field(default_factory=list)


def _session_detail(session: CoachingSession, user) -> dict:
    data = CoachingSessionOut.from_orm(session).dict()
    data["action_items"] = list(action_items_for_source(session))
    data["carried_items"] = list(session.carried_items.all())
    data["comments"] = list(plan_comments(user=user, session=session))
    return data


@router.get(
    "/coaching-sessions",
    response=list[CoachingSessionOut],
    **_scoped("development.CoachingSession", "list"),
)
@paginate(ApiPagination)
def session_list(request, person_id: int | None = optional_query()):
    """Coaching sessions the caller may see (a rep: their own), newest first."""
    sessions = CoachingSession.objects.visible_to(request.user)
    if person_id is not None:
        sessions = sessions.filter(person_id=person_id)
    return sessions.order_by("-session_date", "-id")


@router.get(
    "/coaching-sessions/{pk}",
    response=CoachingSessionDetailOut,
    **_scoped("development.CoachingSession", "get"),
)
def session_get(request, pk: RecordId):
    """One session with its action items and the open items it carried over."""
    session = get_object_or_404(CoachingSession.objects.visible_to(request.user), pk=pk)
    return _session_detail(session, request.user)


@router.post(
    "/coaching-sessions",
    response={201: CoachingSessionDetailOut},
    **_scoped("development.CoachingSession", "create"),
)
def session_create(request, payload: CoachingSessionIn):
    """Record a session (the coach is the caller) with its action items."""
    person = _reference(Person, payload.person_id, field="person_id", user=request.user)
    try:
        session = coaching.coaching_session_create(
            person=person,
            actor=request.user,
            session_date=payload.session_date,
            strengths=payload.strengths,
            weaknesses=payload.weaknesses,
            context=payload.context,
            improvement_plan=payload.improvement_plan,
            follow_up_date=payload.follow_up_date,
            action_items=[item.dict() for item in payload.action_items],
        )
    except ValidationError as error:
        raise _api_errors(error) from error
    return 201, _session_detail(session, request.user)


# --- rubrics and joint-visit reviews -----------------------------------------------------


class CriterionOut(Schema):
    id: int
    code: str
    name: str
    label: str = Field(description="The name in the requester's language.")
    position: int


class RubricOut(Schema):
    id: int
    code: str
    name: str
    label: str = Field(description="The name in the requester's language.")
    is_default: bool
    active: bool
    criteria: list[CriterionOut]


@router.get("/rubrics", response=list[RubricOut], **_scoped("development.Rubric", "list"))
@paginate(ApiPagination)
def rubric_list(request):
    """The joint-visit rubrics with their criteria."""
    return Rubric.objects.visible_to(request.user).prefetch_related("criteria").order_by("code")


@router.get("/rubrics/{pk}", response=RubricOut, **_scoped("development.Rubric", "get"))
def rubric_get(request, pk: RecordId):
    """One rubric with its criteria."""
    return get_object_or_404(
        Rubric.objects.visible_to(request.user).prefetch_related("criteria"), pk=pk
    )


class ScoreOut(Schema):
    criterion: str = Field(..., alias="criterion.code")
    score: int


class JointVisitReviewOut(Schema):
    id: int
    visit_id: RecordId
    rep_id: RecordId = Field(..., alias="visit.rep_id")
    coach_id: RecordId | None = Field(..., alias="visit.coach_id")
    visit_date: date = Field(..., alias="visit.visit_date")
    rubric_id: RecordId
    reviewer_id: RecordId
    strengths: str
    improvements: str
    average_score: Decimal
    scores: list[ScoreOut]


class JointVisitReviewIn(Schema):
    visit_id: RecordId
    scores: dict[str, int]
    strengths: str = ""
    improvements: str = ""


def _reviews(request):
    return (
        JointVisitReview.objects.visible_to(request.user)
        .select_related("visit")
        .prefetch_related("scores__criterion")
    )


@router.get(
    "/joint-visit-reviews",
    response=list[JointVisitReviewOut],
    **_scoped("development.JointVisitReview", "list"),
)
@paginate(ApiPagination)
def joint_review_list(request, rep_id: int | None = optional_query()):
    """Joint-visit reviews the caller may see, newest first."""
    reviews = _reviews(request)
    if rep_id is not None:
        reviews = reviews.filter(visit__rep_id=rep_id)
    return reviews.order_by("-visit__visit_date", "-id")


@router.get(
    "/joint-visit-reviews/{pk}",
    response=JointVisitReviewOut,
    **_scoped("development.JointVisitReview", "get"),
)
def joint_review_get(request, pk: RecordId):
    """One joint-visit review with its rubric scores."""
    return get_object_or_404(_reviews(request), pk=pk)


@router.post(
    "/joint-visit-reviews",
    response={201: JointVisitReviewOut},
    **_scoped("development.JointVisitReview", "create"),
)
def joint_review_create(request, payload: JointVisitReviewIn):
    """The coach reviews a joint visit: `scores` maps criterion codes to 1–5."""
    visit = _reference(Visit, payload.visit_id, field="visit_id", user=request.user)
    try:
        review = joint_visits.joint_visit_review_create(
            visit=visit,
            actor=request.user,
            scores=payload.scores,
            strengths=payload.strengths,
            improvements=payload.improvements,
        )
    except ValidationError as error:
        raise _api_errors(error) from error
    return 201, get_object_or_404(_reviews(request), pk=review.pk)


# --- targeted training -------------------------------------------------------------------


class TrainingProposalOut(Schema):
    id: int
    person_id: RecordId
    rule_id: RecordId
    rule: str = Field(..., alias="rule.name")
    material_id: RecordId
    period_start: date
    period_end: date
    value: Decimal
    status: str
    decided_by_id: RecordId | None
    assignment_id: RecordId | None


class EvaluateIn(Schema):
    start: Day
    end: Day


class ProposalDecisionIn(Schema):
    proposal_id: RecordId
    decision: Literal["accept", "dismiss"]
    due_date: Day | None = None


def _proposals(request):
    return TrainingProposal.objects.visible_to(request.user).select_related("rule")


@router.get(
    "/training-proposals",
    response=list[TrainingProposalOut],
    **_scoped("development.TrainingProposal", "list"),
)
@paginate(ApiPagination)
def proposal_list(request, status: str = ""):
    """Targeted-training proposals the caller may see."""
    proposals = _proposals(request)
    if status:
        proposals = proposals.filter(status=status)
    return proposals.order_by("status", "-period_end", "id")


@router.get(
    "/training-proposals/{pk}",
    response=TrainingProposalOut,
    **_scoped("development.TrainingProposal", "get"),
)
def proposal_get(request, pk: RecordId):
    """One proposal."""
    return get_object_or_404(_proposals(request), pk=pk)


@router.post(
    "/training-proposal-evaluations",
    response=list[TrainingProposalOut],
    **_scoped("development.TrainingProposal", "evaluate"),
)
def proposal_evaluate(request, payload: EvaluateIn):
    """Run the rules for the caller's team over [start, end]; the proposals awaiting decision."""
    return targeted.proposals_evaluate(user=request.user, start=payload.start, end=payload.end)


@router.post(
    "/training-proposal-decisions",
    response=TrainingProposalOut,
    **_scoped("development.TrainingProposal", "decide"),
)
def proposal_decide(request, payload: ProposalDecisionIn):
    """Accept (assigns the material) or dismiss a proposal."""
    proposal = _reference(
        TrainingProposal, payload.proposal_id, field="proposal_id", user=request.user
    )
    if payload.decision == "accept":
        targeted.proposal_accept(proposal=proposal, actor=request.user, due_date=payload.due_date)
    else:
        targeted.proposal_dismiss(proposal=proposal, actor=request.user)
    return get_object_or_404(_proposals(request), pk=proposal.pk)


# --- personnel reviews -------------------------------------------------------------------


class PersonnelReviewOut(Schema):
    id: int
    person_id: RecordId
    filed_by_id: RecordId
    stage: str
    outcome: str
    summary: str
    new_position_id: RecordId | None
    effective_date: date | None
    evidence: dict
    override_reason: str
    status: str
    approver_id: RecordId | None
    decided_by_id: RecordId | None
    decided_at: datetime | None
    decision_comment: str
    filed_at: datetime


class PersonnelReviewIn(Schema):
    person_id: RecordId
    stage: str
    outcome: Literal["promote", "continue", "dismiss"]
    summary: str = ""
    new_position_id: RecordId | None = None
    # A promotion's effective date; a dismissal's last day employed.
    effective_date: Day | None = None
    override_reason: str = ""


class PersonnelDecisionIn(Schema):
    review_id: RecordId
    decision: Literal["approve", "reject"]
    comment: str = ""


@router.get(
    "/personnel-reviews",
    response=list[PersonnelReviewOut],
    **_scoped("development.PersonnelReview", "list"),
)
@paginate(ApiPagination)
def personnel_review_list(request, person_id: int | None = optional_query(), status: str = ""):
    """Personnel reviews the caller may see (as leader, approver or the person)."""
    return personnel_selectors.reviews_for(
        user=request.user,
        person=Person(pk=person_id) if person_id is not None else None,
        status=status or None,
    )


@router.get(
    "/personnel-reviews/{pk}",
    response=PersonnelReviewOut,
    **_scoped("development.PersonnelReview", "get"),
)
def personnel_review_get(request, pk: RecordId):
    """One personnel review with its evidence snapshot."""
    return get_object_or_404(PersonnelReview.objects.visible_to(request.user), pk=pk)


@router.post(
    "/personnel-reviews",
    response={201: PersonnelReviewOut},
    **_scoped("development.PersonnelReview", "create"),
)
def personnel_review_create(request, payload: PersonnelReviewIn):
    """File a review; it waits for the next level's approval."""
    person = _reference(Person, payload.person_id, field="person_id", user=request.user)
    position = None
    if payload.new_position_id is not None:
        position = _reference(
            Position,
            payload.new_position_id,
            field="new_position_id",
            user=request.user,
            queryset=position_catalogue(),
        )
    try:
        review = personnel.personnel_review_file(
            person=person,
            actor=request.user,
            stage=payload.stage,
            outcome=payload.outcome,
            summary=payload.summary,
            new_position=position,
            effective_date=payload.effective_date,
            override_reason=payload.override_reason,
        )
    except ValidationError as error:
        raise _api_errors(error) from error
    return 201, review


@router.post(
    "/personnel-review-decisions",
    response=PersonnelReviewOut,
    **_scoped("development.PersonnelReview", "decide"),
)
def personnel_review_decide(request, payload: PersonnelDecisionIn):
    """The approver approves (an approved promotion changes the position) or rejects."""
    review = _reference(PersonnelReview, payload.review_id, field="review_id", user=request.user)
    try:
        if payload.decision == "approve":
            personnel.personnel_review_approve(
                review=review, actor=request.user, comment=payload.comment
            )
        else:
            personnel.personnel_review_reject(
                review=review, actor=request.user, comment=payload.comment
            )
    except ValidationError as error:
        raise _api_errors(error) from error
    review.refresh_from_db()
    return review
