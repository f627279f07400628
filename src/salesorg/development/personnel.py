"""Personnel reviews (人事评定, S15): promote, continue developing or dismiss, with evidence.

The manager files a review at the end of a training stage; the evidence (last scorecards,
coaching history, training completion, joint-visit rubric averages, current indicators)
is snapshotted when filed. The next level approves: the filer's own manager, or the
director when the filer has none. An approved promotion becomes a dated position change,
applied on its effective date (at once when that date has come, else by the
`apply-position-changes` command). Reviews are never deleted.
"""

from __future__ import annotations

from datetime import date

from django.apps import apps
from django.db import transaction
from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from salesorg.core.problems import Problems
from salesorg.core.roles import Role, person_of, role_of
from salesorg.development.coaching import person_indicators
from salesorg.development.models import (
    Assignment,
    AssignmentStatus,
    CoachingSession,
    PersonnelReview,
    PositionChange,
    ReviewOutcome,
    ReviewStatus,
    RubricScore,
)
from salesorg.org.models import Person, Position
from salesorg.targets.choices import ActionOrigin, ActionStatus
from salesorg.targets.models import ActionItem

FILER_ROLES = frozenset({Role.MANAGER, Role.REGION_HEAD, Role.DIRECTOR})
LAST_SCORECARDS = 3
LAST_SESSIONS = 5


def can_file_review(user, person: Person) -> bool:
    """The person's leaders (in their scope, not themselves) file reviews about them."""
    actor = person_of(user)
    if actor is None or actor.pk == person.pk or role_of(user) not in FILER_ROLES:
        return False
    return Person.objects.visible_to(user).filter(pk=person.pk).exists()


def can_decide_review(user, review: PersonnelReview) -> bool:
    """The review's approver decides; with no approver, the director does."""
    actor = person_of(user)
    if actor is None or actor.pk == review.filed_by_id:
        return False
    if review.approver_id is not None:
        return actor.pk == review.approver_id
    return role_of(user) == Role.DIRECTOR


def _scorecards(person: Person) -> list[dict]:
    """The person's last scorecards, if the scorecards feature is installed (else none)."""
    try:
        scorecard_model = apps.get_model("performance", "Scorecard")
    except LookupError:
        return []
    cards = (
        scorecard_model.objects.filter(person=person)
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


def evidence_snapshot(*, person: Person, today: date) -> dict:
    """The evidence a review carries, as it stands today (a JSON-ready dict)."""
    return {
        "as_of": today.isoformat(),
        "scorecards": _scorecards(person),
        "coaching": _coaching(person),
        "training": _training(person),
        "rubric": _rubric(person),
        "indicators": person_indicators(person=person, on=today),
    }


@transaction.atomic
def personnel_review_file(
    *,
    person: Person,
    actor,
    stage: str,
    outcome: str,
    summary: str = "",
    new_position: Position | None = None,
    effective_date: date | None = None,
    today: date | None = None,
) -> PersonnelReview:
    """File a review; it waits for the next level's approval (the filer's manager)."""
    today = today or timezone.localdate()
    problems = Problems()
    if person is None:
        problems.add("person", _("This field is required."))
    elif not can_file_review(actor, person):
        problems.add("person", _("You may not review this person."))
    if not (stage or "").strip():
        problems.add("stage", _("This field is required."))
    if outcome not in ReviewOutcome.values:
        problems.add("outcome", _("Choose an outcome."))
    if outcome == ReviewOutcome.PROMOTE:
        if new_position is None:
            problems.add("new_position", _("A promotion needs the new position."))
        elif person is not None and new_position.pk == person.position_id:
            problems.add("new_position", _("This is the person's current position."))
        if effective_date is None:
            problems.add("effective_date", _("A promotion needs an effective date."))
    problems.raise_if_any()
    filer = person_of(actor)
    review = PersonnelReview.objects.create(
        person=person,
        filed_by=filer,
        stage=stage.strip(),
        outcome=outcome,
        summary=summary,
        new_position=new_position if outcome == ReviewOutcome.PROMOTE else None,
        effective_date=effective_date,
        evidence=evidence_snapshot(person=person, today=today),
        approver=filer.manager,
    )
    return review


def _check_decision(problems: Problems, *, review: PersonnelReview, actor) -> None:
    if not can_decide_review(actor, review):
        problems.add("decision", _("You may not decide on this review."))
    elif review.status != ReviewStatus.PENDING:
        problems.add("decision", _("This review is already decided."))


@transaction.atomic
def personnel_review_approve(
    *, review: PersonnelReview, actor, comment: str = "", today: date | None = None
) -> PersonnelReview:
    """Approve a review; an approved promotion schedules (or applies) the position change."""
    today = today or timezone.localdate()
    problems = Problems()
    _check_decision(problems, review=review, actor=actor)
    problems.raise_if_any()
    review.status = ReviewStatus.APPROVED
    review.decided_by = person_of(actor)
    review.decided_at = timezone.now()
    review.decision_comment = comment
    review.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
    if review.outcome == ReviewOutcome.PROMOTE:
        change = PositionChange.objects.create(
            person=review.person,
            review=review,
            old_position=review.person.position,
            new_position=review.new_position,
            effective_date=review.effective_date,
        )
        if change.effective_date <= today:
            position_changes_apply(today=today, changes=[change])
    return review


@transaction.atomic
def personnel_review_reject(
    *, review: PersonnelReview, actor, comment: str = ""
) -> PersonnelReview:
    """Reject a review; the comment says why (required)."""
    problems = Problems()
    _check_decision(problems, review=review, actor=actor)
    if not comment.strip():
        problems.add("comment", _("Say why the review is rejected."))
    problems.raise_if_any()
    review.status = ReviewStatus.REJECTED
    review.decided_by = person_of(actor)
    review.decided_at = timezone.now()
    review.decision_comment = comment
    review.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
    return review


@transaction.atomic
def position_changes_apply(*, today: date, changes=None) -> int:
    """Apply the approved position changes whose date has come; returns how many."""
    if changes is None:
        changes = PositionChange.objects.filter(
            applied_at__isnull=True, effective_date__lte=today
        ).select_related("person")
    applied = 0
    for change in changes:  # a handful a day: each is one person's record
        person = change.person
        person.position_id = change.new_position_id
        person.save(update_fields=["position"])
        change.applied_at = timezone.now()
        change.save(update_fields=["applied_at"])
        applied += 1
    return applied


def reviews_for(*, user, person: Person | None = None, status: str | None = None):
    """Personnel reviews the user may see (as the person's leader, approver or the person)."""
    reviews = PersonnelReview.objects.visible_to(user).select_related(
        "person", "filed_by", "approver", "decided_by", "new_position"
    )
    if person is not None:
        reviews = reviews.filter(person=person)
    if status:
        reviews = reviews.filter(status=status)
    return reviews.order_by("-filed_at", "-id")


def reviews_awaiting(*, user):
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
