"""Writes of quarterly target reviews (S10): open, answer, file, sign off or return.

A review belongs to one rep and one calendar quarter (the quarter reviewed), in which the
rep was in post. Its figures are stored when it is created and again, as a snapshot, when
it is filed; the territory question starts pre-filled with the quarter's customer figures.
The running quarter may be drafted (its figures to date, brought up to date on each save)
but is filed only once it has ended; a future quarter cannot be reviewed. The rep drafts
and files; a leader of the rep (their superior `Person.manager`, the manager of their
current team, the head of that team's region, or director/admin) comments and signs off,
or returns it to the rep, who edits and files again.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from salesorg.core.problems import Problems
from salesorg.core.roles import person_of, role_of
from salesorg.core.scoping import SYSTEM
from salesorg.org.models import Person
from salesorg.targets.models import REVIEW_QUESTIONS, QuarterlyReview, ReviewStatus
from salesorg.targets.permissions import can_edit_review, can_sign_off_review
from salesorg.targets.quarters import quarter_ended, quarter_period
from salesorg.targets.selectors.review_territory import territory_summary
from salesorg.targets.selectors.reviews import review_figures

ANSWER_FIELDS = tuple(name for name, _question in REVIEW_QUESTIONS)


def _check_quarter(problems: Problems, *, rep: Person, year, quarter, today: date) -> None:
    if quarter not in (1, 2, 3, 4):
        problems.add("quarter", _("The quarter must be 1, 2, 3 or 4."))
        return
    if year is None or not 2000 <= int(year) <= 2100:
        problems.add("year", _("Enter a year between 2000 and 2100."))
        return
    period = quarter_period(year=year, quarter=quarter)
    if period.start > today:
        problems.add("quarter", _("A quarter can only be reviewed once it has begun."))
    elif rep.hire_date > period.end or (rep.leave_date and rep.leave_date < period.start):
        problems.add("quarter", _("You were not in post during this quarter."))


def _check_ended(problems: Problems, *, review: QuarterlyReview, today: date) -> None:
    """A review is filed only once its quarter has ended (its last day included)."""
    if not quarter_ended(year=review.year, quarter=review.quarter, today=today):
        end = quarter_period(year=review.year, quarter=review.quarter).end
        problems.add(
            "quarter",
            _(
                "%(quarter)s is still running: save the draft now and file it once the "
                "quarter has ended, after %(end)s."
            )
            % {"quarter": review.label, "end": end.isoformat()},
        )


def _territory_text(figures: dict) -> str:
    """The territory answer pre-filled from these figures (in the reader's language)."""
    return territory_summary(
        territory=figures["territory"],
        running=figures["running"],
        as_of=date.fromisoformat(figures["as_of"]),
    )


def _figures_retake(review: QuarterlyReview, *, today: date) -> None:
    """Take the figures anew; a territory answer still as it was pre-filled follows them."""
    old = review.figures or {}
    figures = review_figures(
        rep=review.rep, year=review.year, quarter=review.quarter, user=SYSTEM, today=today
    )
    answer = review.territory_strengths_weaknesses.replace("\r\n", "\n").strip()
    if "territory" in old and "as_of" in old and answer == _territory_text(old).strip():
        review.territory_strengths_weaknesses = _territory_text(figures)
    review.figures = figures
    review.figures_computed_at = timezone.now()


def _refresh_running(review: QuarterlyReview, *, today: date) -> None:
    """Bring the figures of a draft taken while its quarter ran up to `today`."""
    if (review.figures or {}).get("running"):
        _figures_retake(review, today=today)


@transaction.atomic
def review_create(
    *, rep: Person, year: int, quarter: int, actor: User, today: date | None = None
) -> QuarterlyReview:
    """Open the rep's draft review of a quarter with its figures pre-filled (the rep only)."""
    today = today or timezone.localdate()
    problems = Problems()
    actor_person = person_of(actor)
    if role_of(actor) is None or actor_person is None or actor_person.pk != rep.pk:
        problems.add("rep", _("Only the rep writes their own quarterly review."))
    _check_quarter(problems, rep=rep, year=year, quarter=quarter, today=today)
    if (
        not problems.errors
        and QuarterlyReview.objects.filter(rep=rep, year=year, quarter=quarter).exists()
    ):
        problems.add("quarter", _("There is already a review of this quarter."))
    problems.raise_if_any()
    figures = review_figures(rep=rep, year=year, quarter=quarter, user=SYSTEM, today=today)
    return QuarterlyReview.objects.create(
        rep=rep,
        year=year,
        quarter=quarter,
        figures=figures,
        figures_computed_at=timezone.now(),
        territory_strengths_weaknesses=_territory_text(figures),
    )


def review_get_or_create(
    *, rep: Person, year: int, quarter: int, actor: User, today: date | None = None
) -> QuarterlyReview:
    """The rep's review of a quarter, opened as a draft if there is none yet."""
    review = QuarterlyReview.objects.filter(rep=rep, year=year, quarter=quarter).first()
    return review or review_create(rep=rep, year=year, quarter=quarter, actor=actor, today=today)


@transaction.atomic
def review_save_answers(
    *, review: QuarterlyReview, answers: dict, actor: User, today: date | None = None
) -> QuarterlyReview:
    """Save the rep's answers to the seven questions (draft or returned reviews only)."""
    problems = Problems()
    if not can_edit_review(actor, review):
        problems.add("status", _("You may not change this review."))
    problems.raise_if_any()
    for name in ANSWER_FIELDS:
        if name in answers:
            setattr(review, name, (answers[name] or "").strip())
    _refresh_running(review, today=today or timezone.localdate())
    review.save()
    return review


@transaction.atomic
def review_file(
    *,
    review: QuarterlyReview,
    actor: User,
    answers: dict | None = None,
    today: date | None = None,
) -> QuarterlyReview:
    """File the review for sign-off once its quarter has ended: every question answered,
    figures snapshotted now."""
    today = today or timezone.localdate()
    problems = Problems()
    if not can_edit_review(actor, review):
        problems.add("status", _("You may not file this review."))
        problems.raise_if_any()
    _check_ended(problems, review=review, today=today)
    for name in ANSWER_FIELDS:
        if answers and name in answers:
            setattr(review, name, (answers[name] or "").strip())
        if not getattr(review, name).strip():
            problems.add(name, _("Answer this question before filing."))
    problems.raise_if_any()
    _figures_retake(review, today=today)
    review.filed_at = review.figures_computed_at
    review.status = ReviewStatus.FILED
    review.save()
    return review


@transaction.atomic
def review_sign_off(*, review: QuarterlyReview, actor: User, comment: str) -> QuarterlyReview:
    """The rep's leader comments and signs the filed review off."""
    return _review_decide(
        review=review, actor=actor, comment=comment, status=ReviewStatus.SIGNED_OFF
    )


@transaction.atomic
def review_return(*, review: QuarterlyReview, actor: User, comment: str) -> QuarterlyReview:
    """The rep's leader sends the filed review back with a comment saying what to change."""
    return _review_decide(review=review, actor=actor, comment=comment, status=ReviewStatus.RETURNED)


def _review_decide(
    *, review: QuarterlyReview, actor: User, comment: str, status: str
) -> QuarterlyReview:
    problems = Problems()
    if review.status != ReviewStatus.FILED:
        problems.add("status", _("Only a filed review can be signed off or returned."))
    elif not can_sign_off_review(actor, review):
        problems.add("status", _("Only the rep's manager can sign off or return this review."))
    if not (comment or "").strip():
        problems.add("manager_comment", _("Write a comment for the rep."))
    problems.raise_if_any()
    review.manager_comment = comment.strip()
    review.reviewed_by = person_of(actor)
    review.status = status
    review.signed_off_at = timezone.now() if status == ReviewStatus.SIGNED_OFF else None
    review.save()
    return review
