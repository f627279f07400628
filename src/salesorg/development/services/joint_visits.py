"""Writes of joint visits (联合拜访, S7): the coach's rubric review of a joint visit.

After a joint visit the coach scores the rep on a rubric (1–5 per criterion) and writes
strengths and points to improve; the rep sees it.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from salesorg.core.problems import Problems
from salesorg.core.roles import person_of
from salesorg.development.models import JointVisitReview, Rubric, RubricScore
from salesorg.development.permissions import can_plan_review_points, can_review
from salesorg.development.selectors.joint_visits import (
    POINT_TITLE_LENGTH,
    default_rubric,
    improvement_points,
    rubric_criteria,
)
from salesorg.sales.choices import VisitKind
from salesorg.sales.models import Visit
from salesorg.targets.choices import ActionOrigin
from salesorg.targets.models import ActionItem
from salesorg.work.actions import action_item_create, action_items_for_source

SCORE_RANGE = range(1, 6)


def _average(scores: list[int]) -> Decimal:
    return (Decimal(sum(scores)) / Decimal(len(scores))).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


@transaction.atomic
def joint_visit_review_create(
    *,
    visit: Visit,
    actor: User,
    scores: dict[str, int | str | None],
    strengths: str = "",
    improvements: str = "",
    rubric: Rubric | None = None,
) -> JointVisitReview:
    """Record the coach's review of a joint visit; `scores` maps criterion codes to 1–5."""
    problems = Problems()
    rubric = rubric or default_rubric()
    if visit.kind != VisitKind.JOINT or visit.coach_id is None:
        problems.add("visit", _("Only a joint visit with a coach can be reviewed."))
    elif not can_review(actor, visit):
        problems.add("visit", _("Only the coach of this joint visit may review it."))
    elif JointVisitReview.objects.filter(visit=visit).exists():
        problems.add("visit", _("This joint visit already has a review."))
    if rubric is None:
        problems.add("rubric", _("There is no active rubric."))
        raise ValidationError(problems.errors)
    criteria = rubric_criteria(rubric=rubric)
    values: dict[int, int] = {}
    for criterion in criteria:
        raw = scores.get(criterion.code)
        try:
            value = int(raw) if raw not in (None, "") else None
        except (TypeError, ValueError):
            value = None
        if value is None or value not in SCORE_RANGE:
            problems.add(
                f"score_{criterion.code}",
                _("Score %(criterion)s from 1 to 5.") % {"criterion": criterion.label},
            )
        else:
            values[criterion.pk] = value
    if not improvements.strip():
        problems.add("improvements", _("Write at least one point to improve."))
    problems.raise_if_any()
    review = JointVisitReview.objects.create(
        visit=visit,
        rubric=rubric,
        reviewer=person_of(actor),
        strengths=strengths,
        improvements=improvements,
        average_score=_average(list(values.values())),
    )
    RubricScore.objects.bulk_create(
        RubricScore(review=review, criterion_id=criterion_id, score=score)
        for criterion_id, score in values.items()
    )
    return review


@transaction.atomic
def joint_review_point_to_action(
    *, review: JointVisitReview, number: int, due_date: date | None, actor: User
) -> ActionItem:
    """Make point `number` (from 1) of the review's points to improve an action item of the
    rep, due on `due_date`, with the review as its source; once per point."""
    problems = Problems()
    points = improvement_points(review.improvements)
    if not can_plan_review_points(actor, review):
        problems.add("point", _("Only the rep's coach turns these points into action items."))
    elif not 1 <= number <= len(points):
        problems.add("point", _("The review has no point %(number)s.") % {"number": number})
    if due_date is None:
        problems.add("due_date", _("Give the action item a due date."))
    problems.raise_if_any()
    title = points[number - 1][:POINT_TITLE_LENGTH]
    if any(item.title == title for item in action_items_for_source(review)):
        problems.add("point", _("This point is already an action item."))
    problems.raise_if_any()
    assert due_date is not None  # refused above
    return action_item_create(
        title=title,
        owner=review.visit.rep,
        due_date=due_date,
        origin=ActionOrigin.COACHING,
        source=review,
        customer=review.visit.customer,
        actor=actor,
    )
