"""Quarterly target reviews over the API: filed by each unit's leader, signed off or returned
by the next level, through the same services as the pages."""

from __future__ import annotations

from datetime import date, datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from salesorg.api.crud import ApiPagination, scoped_model
from salesorg.api.errors import Forbidden
from salesorg.api.types import Quarter, RecordId, Year, optional_query
from salesorg.core.hygiene import EARLIEST_DAY, LATEST_DAY
from salesorg.core.roles import person_of, role_of
from salesorg.targets.models import (
    QuarterlyReview,
    ReviewStatus,
)
from salesorg.targets.permissions import can_sign_off_review
from salesorg.targets.selectors.reviews import review_list
from salesorg.targets.services.reviews import (
    review_create,
    review_file,
    review_return,
    review_save_answers,
    review_sign_off,
)

router = Router(tags=["targets"])


# ---------------------------------------------------------------- quarterly reviews


class ReviewOut(Schema):
    id: int
    rep_id: RecordId
    rep_code: str = Field(..., alias="rep.code")
    year: int
    quarter: int
    status: str
    year_end_result: str
    obstacles: str
    territory_strengths_weaknesses: str
    miss_effect: str
    progressive_targets: str
    how_progress: str
    make_up_plan: str
    figures: dict
    figures_computed_at: datetime | None
    quarter_running: bool = Field(
        ..., description="The quarter has not ended: a draft that cannot be filed yet."
    )
    figures_as_of: date | None = Field(
        ..., description="The last day the figures count (today's date while running)."
    )
    filed_at: datetime | None
    manager_comment: str
    reviewed_by_id: RecordId | None
    signed_off_at: datetime | None

    @staticmethod
    def resolve_quarter_running(obj: QuarterlyReview) -> bool:
        return not obj.quarter_has_ended(timezone.localdate())

    @staticmethod
    def resolve_figures_as_of(obj: QuarterlyReview) -> date | None:
        return obj.figures_as_of


class ReviewCreateIn(Schema):
    year: Year
    quarter: Quarter


class ReviewAnswersIn(Schema):
    year_end_result: str | None = None
    obstacles: str | None = None
    territory_strengths_weaknesses: str | None = None
    miss_effect: str | None = None
    progressive_targets: str | None = None
    how_progress: str | None = None
    make_up_plan: str | None = None


class ReviewDecisionIn(Schema):
    comment: str


REVIEW = scoped_model("targets.QuarterlyReview")


def _review(request, review_id: int) -> QuarterlyReview:
    return get_object_or_404(
        QuarterlyReview.objects.visible_to(request.user).select_related("rep"), pk=review_id
    )


@router.get("/reviews", response=list[ReviewOut], openapi_extra=REVIEW, operation_id="review_list")
@paginate(ApiPagination)
def reviews_list(
    request,
    year: int | None = optional_query(ge=EARLIEST_DAY.year, le=LATEST_DAY.year),
    quarter: int | None = optional_query(ge=1, le=4),
    status: str = "",
):
    """Quarterly reviews the caller may see (a rep their own, a leader their team's)."""
    return review_list(user=request.user, year=year, quarter=quarter, status=status)


@router.get("/reviews/{pk}", response=ReviewOut, openapi_extra=REVIEW, operation_id="review_get")
def reviews_get(request, pk: RecordId):
    """One quarterly review with its figures."""
    return _review(request, pk)


@router.post(
    "/reviews", response={201: ReviewOut}, openapi_extra=REVIEW, operation_id="review_create"
)
def reviews_create(request, payload: ReviewCreateIn):
    """Open the caller's own draft review of a quarter, with the figures pre-filled.

    The running quarter opens as a draft marked `quarter_running` (figures to date) that
    can be filed once the quarter has ended; a future quarter is refused (400, quarter).
    """
    rep = person_of(request.user)
    if rep is None or role_of(request.user) is None:
        raise Forbidden
    return 201, review_create(
        rep=rep, year=payload.year, quarter=payload.quarter, actor=request.user
    )


def _answers(payload: ReviewAnswersIn) -> dict:
    return {name: value for name, value in payload.dict().items() if value is not None}


@router.post(
    "/reviews/{review_id}/answers",
    response=ReviewOut,
    openapi_extra=REVIEW,
    operation_id="review_save_answers",
)
def reviews_save_answers(request, review_id: RecordId, payload: ReviewAnswersIn):
    """Save the rep's answers to the seven questions (draft or returned reviews)."""
    review = _review(request, review_id)
    if review.rep_id != _person_id(request):
        raise Forbidden
    return review_save_answers(review=review, answers=_answers(payload), actor=request.user)


@router.post(
    "/reviews/{review_id}/file",
    response=ReviewOut,
    openapi_extra=REVIEW,
    operation_id="review_file",
)
def reviews_file(request, review_id: RecordId, payload: ReviewAnswersIn):
    """File the review for sign-off (answers given here are saved first); refused with a
    400 naming `quarter` while the quarter is still running."""
    review = _review(request, review_id)
    if review.rep_id != _person_id(request):
        raise Forbidden
    return review_file(review=review, actor=request.user, answers=_answers(payload))


def _person_id(request) -> int | None:
    person = person_of(request.user)
    return person.pk if person else None


def _decide(request, review_id: int, payload: ReviewDecisionIn, service):
    review = _review(request, review_id)
    if review.status == ReviewStatus.FILED and not can_sign_off_review(request.user, review):
        raise Forbidden
    return service(review=review, actor=request.user, comment=payload.comment)


@router.post(
    "/reviews/{review_id}/sign-off",
    response=ReviewOut,
    openapi_extra=REVIEW,
    operation_id="review_sign_off",
)
def reviews_sign_off(request, review_id: RecordId, payload: ReviewDecisionIn):
    """The rep's manager comments and signs the filed review off."""
    return _decide(request, review_id, payload, review_sign_off)


@router.post(
    "/reviews/{review_id}/return",
    response=ReviewOut,
    openapi_extra=REVIEW,
    operation_id="review_return",
)
def reviews_return(request, review_id: RecordId, payload: ReviewDecisionIn):
    """The rep's manager returns the filed review with a comment."""
    return _decide(request, review_id, payload, review_return)
