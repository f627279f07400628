"""Reads of joint visits (联合拜访, S7): rubrics, reviews and a rep's rubric history.

A joint visit is a `sales.Visit` of kind `joint` with a coach. After it the coach scores
the rep on a rubric (1–5 per criterion), writes strengths and points to improve; the rep
sees it, and the next joint visit with the same coach shows the previous points to improve.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.db.models import Avg, Q, QuerySet
from django.utils.translation import gettext as _

from salesorg.core.scoping import SystemActor
from salesorg.development.models import JointVisitReview, Rubric, RubricCriterion, RubricScore
from salesorg.development.models.coaching import DEFAULT_CRITERION_NAMES, criterion_name_label
from salesorg.org.models import Person
from salesorg.sales.choices import VisitKind
from salesorg.sales.models import Visit
from salesorg.targets.models import ActionItem
from salesorg.work.actions import action_items_for_source

# A point's leading number or bullet ("1.", "2、", "(3)", "-", "•") is not part of its text.
_BULLET = re.compile(r"^\s*(?:[(（]?\d+[.、)）:：]|[-*•·●])\s*")
# An action item's title holds at most this much of a point.
POINT_TITLE_LENGTH = 200


@dataclass(frozen=True)
class ReviewPoint:
    """One point to improve of a review, and the action item made of it (if any)."""

    number: int
    text: str
    item: ActionItem | None


def improvement_points(text: str) -> list[str]:
    """The points to improve: the non-empty lines of the text, without their bullets."""
    points = (_BULLET.sub("", line, count=1).strip() for line in (text or "").splitlines())
    return [point for point in points if point]


def review_points(*, user: User | SystemActor, review: JointVisitReview) -> list[ReviewPoint]:
    """The review's points to improve (the user sees the review), each with its action item."""
    if not JointVisitReview.objects.visible_to(user).filter(pk=review.pk).exists():
        return []
    items = {item.title: item for item in action_items_for_source(review)}
    return [
        ReviewPoint(number, text, items.get(text[:POINT_TITLE_LENGTH]))
        for number, text in enumerate(improvement_points(review.improvements), start=1)
    ]


def default_rubric() -> Rubric | None:
    """The rubric new reviews use: the default one, else the first active one."""
    return Rubric.objects.filter(active=True).order_by("-is_default", "code").first()


def rubric_criteria(*, rubric: Rubric) -> list[RubricCriterion]:
    """The criteria of a rubric in order."""
    return list(rubric.criteria.order_by("position", "id"))


def criterion_label(code: str) -> str:
    """A rubric criterion's name by its code, in the reader's language (never the code)."""
    if code in DEFAULT_CRITERION_NAMES:
        return criterion_name_label(code, DEFAULT_CRITERION_NAMES[code])
    rubric = default_rubric()
    criterion = rubric.criteria.filter(code=code).first() if rubric else None
    if criterion is None:
        criterion = RubricCriterion.objects.filter(code=code).order_by("rubric_id").first()
    return criterion.label if criterion is not None else code


def previous_review(*, user: User | SystemActor, visit: Visit) -> JointVisitReview | None:
    """The review of the rep's last joint visit with the same coach before this one."""
    return (
        JointVisitReview.objects.visible_to(user)
        .filter(visit__rep_id=visit.rep_id, visit__coach_id=visit.coach_id)
        .exclude(visit_id=visit.pk)
        .filter(
            Q(visit__visit_date__lt=visit.visit_date)
            | Q(visit__visit_date=visit.visit_date, visit_id__lt=visit.pk)
        )
        .select_related("visit")
        .order_by("-visit__visit_date", "-visit_id")
        .first()
    )


def visit_review(*, user: User | SystemActor, visit: Visit) -> JointVisitReview | None:
    """The review of a joint visit, if it has one the user may see."""
    return JointVisitReview.objects.visible_to(user).filter(visit=visit).first()


def joint_visits_for(*, user: User | SystemActor) -> QuerySet:
    """Joint visits the user may see, with their review if any (newest first)."""
    return (
        Visit.objects.visible_to(user)
        .filter(kind=VisitKind.JOINT)
        .select_related("rep", "coach", "customer", "joint_review")
        .order_by("-visit_date", "-id")
    )


def joint_visit_reps(*, user: User | SystemActor) -> QuerySet:
    """The people the user sees who have been on a joint visit, by code."""
    return (
        Person.objects.visible_to(user)
        .filter(visits__kind=VisitKind.JOINT)
        .distinct()
        .order_by("code")
    )


def reviews_for(*, user: User | SystemActor, person: Person | None = None) -> QuerySet:
    """Joint-visit reviews the user may see, optionally of one rep, newest first."""
    reviews = JointVisitReview.objects.visible_to(user).select_related(
        "visit", "visit__rep", "visit__coach", "visit__customer", "rubric"
    )
    if person is not None:
        reviews = reviews.filter(visit__rep=person)
    return reviews.order_by("-visit__visit_date", "-id")


@dataclass(frozen=True)
class RubricHistory:
    """A rep's rubric scores over time: criteria (columns) and one row per review."""

    criteria: list[tuple[str, str]]
    rows: list[dict]

    def chart_data(self) -> dict:
        return {
            "dates": [row["date"] for row in self.rows],
            "series": [
                {"name": label, "data": [row["scores"].get(code) for row in self.rows]}
                for code, label in self.criteria
            ]
            + [{"name": _("Average"), "data": [row["average"] for row in self.rows]}],
        }


def rubric_history(*, user: User | SystemActor, person: Person) -> RubricHistory:
    """The rep's reviews visible to `user`, oldest first, with each criterion's score."""
    reviews = list(
        JointVisitReview.objects.visible_to(user)
        .filter(visit__rep=person)
        .select_related("visit", "visit__coach")
        .order_by("visit__visit_date", "id")
    )
    scores = (
        RubricScore.objects.filter(review__in=[review.pk for review in reviews])
        .select_related("criterion")
        .order_by("criterion__position", "criterion_id")
    )
    criteria: dict[str, str] = {}
    by_review: dict[int, dict[str, int]] = {}
    for score in scores:
        criteria.setdefault(score.criterion.code, score.criterion.label)
        by_review.setdefault(score.review_id, {})[score.criterion.code] = score.score
    rows = [
        {
            "date": review.visit.visit_date.isoformat(),
            "visit": review.visit.code,
            "coach": str(review.visit.coach),
            "review_id": review.pk,
            "average": float(review.average_score),
            "scores": by_review.get(review.pk, {}),
        }
        for review in reviews
    ]
    return RubricHistory(criteria=list(criteria.items()), rows=rows)


def rubric_averages(*, person_ids, start: date, end: date) -> dict[tuple[int, str], Decimal]:
    """Average score per (rep, criterion code) of joint visits dated in [start, end] (1 query)."""
    rows = (
        RubricScore.objects.filter(
            review__visit__rep_id__in=list(person_ids),
            review__visit__visit_date__range=(start, end),
        )
        .values("review__visit__rep_id", "criterion__code")
        .annotate(average=Avg("score"))
        .order_by()
    )
    return {
        (row["review__visit__rep_id"], row["criterion__code"]): Decimal(str(row["average"]))
        for row in rows
    }
