"""Writes of personnel reviews (人事评定, S15): promote, keep developing or dismiss, with evidence.

The manager files a review at the end of a training stage; the evidence (last scorecards,
coaching history, training completion, joint-visit rubric averages, current indicators)
is snapshotted when filed. The next level approves: the filer's own manager, or the
director when the filer has none. An approved promotion becomes a dated position change,
applied on its effective date (at once when that date has come, else by the
`apply-position-changes` command). Reviews are never deleted.

A dismissal is filed with the leave date (the last day employed, today or later) and needs an
ended training or coaching stage of the policy's length in its evidence, or a reason for
deciding without one. Approved, it schedules the leave: the person's leave date is set (the
login and tokens end after it) and the filer gets an action item to hand the person's
records over before that date (services.handover).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, cast

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesorg.core.problems import Problems
from salesorg.core.roles import person_of
from salesorg.core.stored_text import stored_message
from salesorg.development.models import (
    PersonnelReview,
    PositionChange,
    ReviewOutcome,
    ReviewStatus,
)
from salesorg.development.permissions import can_decide_review, can_file_review
from salesorg.development.selectors.personnel import evidence_snapshot
from salesorg.org.models import Membership, Person, Position
from salesorg.targets.choices import ActionOrigin
from salesorg.work.actions import action_item_create

HANDOVER_DUE_TITLE = stored_message(
    "development.handover_due",
    gettext_lazy("Hand over the records of %(name)s before %(date)s"),
)
HANDOVER_DUE_DETAIL = stored_message(
    "development.handover_due_detail",
    gettext_lazy(
        "The dismissal of %(name)s is approved; the last day employed is %(date)s. Assign "
        "their customers, open pipeline items, proposals, action items and root causes to "
        "successors on the handover page."
    ),
)


def _dismissal_problems(
    problems: Problems,
    *,
    evidence: dict,
    effective_date: date | None,
    override_reason: str,
    today: date,
) -> None:
    """A dismissal names a leave date not in the past and an ended stage of the policy's
    length (or the reason for deciding without one)."""
    if effective_date is None:
        problems.add("effective_date", _("A dismissal needs the leave date."))
    elif effective_date < today:
        problems.add("effective_date", _("The leave date cannot be in the past."))
    stage = evidence.get("stage") or {}
    if not stage.get("meets_policy") and not override_reason.strip():
        problems.add(
            "override_reason",
            _(
                "There is no ended training or coaching stage of at least %(months)d months "
                "behind this dismissal: give the reason for deciding without one."
            )
            % {"months": stage.get("policy_months", 0)},
        )


@transaction.atomic
def personnel_review_file(
    *,
    person: Person,
    actor: User,
    stage: str,
    outcome: str,
    summary: str = "",
    new_position: Position | None = None,
    effective_date: date | None = None,
    override_reason: str = "",
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
    evidence = evidence_snapshot(user=actor, person=person, today=today)
    if outcome == ReviewOutcome.DISMISS:
        _dismissal_problems(
            problems,
            evidence=evidence,
            effective_date=effective_date,
            override_reason=override_reason or "",
            today=today,
        )
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
        evidence=evidence,
        override_reason=(override_reason or "").strip() if outcome == ReviewOutcome.DISMISS else "",
        approver=filer.manager,
    )
    return review


def _check_decision(problems: Problems, *, review: PersonnelReview, actor: User) -> None:
    if not can_decide_review(actor, review):
        problems.add("decision", _("You may not decide on this review."))
    elif review.status != ReviewStatus.PENDING:
        problems.add("decision", _("This review is already decided."))


@transaction.atomic
def personnel_review_approve(
    *, review: PersonnelReview, actor: User, comment: str = "", today: date | None = None
) -> PersonnelReview:
    """Approve a review; an approved promotion schedules (or applies) the position change."""
    today = today or timezone.localdate()
    problems = Problems()
    _check_decision(problems, review=review, actor=actor)
    if not problems.errors and review.outcome == ReviewOutcome.DISMISS:
        _dismissal_approvable(problems, review=review, today=today)
    problems.raise_if_any()
    review.status = ReviewStatus.APPROVED
    review.decided_by = person_of(actor)
    review.decided_at = timezone.now()
    review.decision_comment = comment
    review.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
    if review.outcome == ReviewOutcome.PROMOTE:
        # A promotion is filed with its new position and date (personnel_review_file).
        change = PositionChange.objects.create(
            person=review.person,
            review=review,
            old_position=review.person.position,
            new_position=cast(Position, review.new_position),
            effective_date=cast(date, review.effective_date),
        )
        if change.effective_date <= today:
            position_changes_apply(today=today, changes=[change])
    elif review.outcome == ReviewOutcome.DISMISS:
        _leave_schedule(review=review, actor=actor)
    return review


def _dismissal_approvable(problems: Problems, *, review: PersonnelReview, today: date) -> None:
    """A dismissal filed without the stage or the reason (before the policy), or whose last
    day has passed, is not approved: it is rejected and filed again."""
    stage = (review.evidence or {}).get("stage") or {}
    if not stage.get("meets_policy") and not review.override_reason.strip():
        problems.add(
            "decision",
            _(
                "This dismissal has neither an ended training or coaching stage of the "
                "policy's length nor a reason for deciding without one: reject it and file "
                "it again."
            ),
        )
    if review.effective_date is None or review.effective_date < today:
        problems.add(
            "decision",
            _("The last day employed of this dismissal has passed: reject it and file it again."),
        )


def history_by(record: Any, actor: User) -> None:
    """Name the actor on the history row the record's next save writes (outside a web request
    too, where the request middleware does not)."""
    record._history_user = actor


def _leave_schedule(*, review: PersonnelReview, actor: User) -> None:
    """Set the dismissed person's leave date, end their team memberships on it and ask the
    filer to hand their records over before it."""
    person = review.person
    leave_date = cast(date, review.effective_date)  # a dismissal is filed with it
    person.leave_date = leave_date
    history_by(person, actor)
    person.full_clean()
    person.save(update_fields=["leave_date"])
    for membership in Membership.objects.filter(person=person, start_date__lte=leave_date).exclude(
        end_date__lte=leave_date
    ):
        membership.end_date = leave_date
        history_by(membership, actor)
        membership.save(update_fields=["end_date"])
    action_item_create(
        owner=review.filed_by,
        due_date=leave_date,
        origin=ActionOrigin.OTHER,
        source=review,
        title_message=HANDOVER_DUE_TITLE,
        detail_message=HANDOVER_DUE_DETAIL,
        text_params={"name": person.name, "date": leave_date},
    )


@transaction.atomic
def personnel_review_reject(
    *, review: PersonnelReview, actor: User, comment: str = ""
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
def position_changes_apply(*, today: date, changes: Iterable[PositionChange] | None = None) -> int:
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
