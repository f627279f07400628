"""Quarterly target reviews (S10): figures, services and selectors.

A review belongs to one rep and one calendar quarter (the quarter reviewed, "this
quarter"). The system pre-fills its figures from the indicator engine: the year-end
sales target and the gap to it after the quarter, the quarter's achievement against the
realistic and ideal target, the monthly run-rate the rest of the year now needs (and
whether it is above the best month so far), and, per target metric, whether the quarter's
target was met and whether a met one grew over the quarter before (the seed's "of last
quarter's achieved targets, which were progressive?": at review time the quarter just
ended is "last quarter"). The figures are stored on the review when it is created and
again, as a snapshot, when it is filed.

Flow: the rep drafts and files; a leader of the rep (their superior `Person.manager`, the
manager of their current team, the head of that team's region, or director/admin) comments
and signs off, or returns it to the rep, who edits and files again. Reads go through
`QuarterlyReview.objects.visible_to` (personnel domain): a rep sees only their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from salesorg.core.money import quantize_cents
from salesorg.core.problems import Problems
from salesorg.core.roles import Role, person_of, role_of
from salesorg.org.models import Membership, Person
from salesorg.performance.attribution import PERSON, org_snapshot
from salesorg.performance.choices import Level
from salesorg.performance.indicators import indicator_table
from salesorg.performance.periods import Period, month_end
from salesorg.performance.targets import period_targets
from salesorg.targets.choices import Metric
from salesorg.targets.models import REVIEW_QUESTIONS, QuarterlyReview, ReviewStatus

ALL_REVIEWS_ROLES = frozenset({Role.DIRECTOR, Role.ADMIN})
ANSWER_FIELDS = tuple(name for name, _question in REVIEW_QUESTIONS)
# Target metric → the indicator column holding its actual (KPI.md).
METRIC_ACTUALS = {
    Metric.SALES: "sales",
    Metric.GROSS_MARGIN: "gross_margin",
    Metric.COLLECTIONS: "collected",
    Metric.NEW_CUSTOMERS: "new_customers",
    Metric.PROSPECTS_ADDED: "prospects_added",
    Metric.VISITS: "visits",
    Metric.EXPENSE_BUDGET: "expenses",
}
SUBMIT_DAYS = 14  # a review is due by the end of the new quarter's second week


# ---------------------------------------------------------------- quarters


def quarter_period(*, year: int, quarter: int) -> Period:
    """The calendar quarter as a period."""
    first = 3 * (quarter - 1) + 1
    return Period(start=date(year, first, 1), end=month_end(year=year, month=first + 2))


def quarter_before(*, year: int, quarter: int) -> tuple[int, int]:
    """The (year, quarter) before this one."""
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


def last_finished_quarter(*, today: date) -> tuple[int, int]:
    """The (year, quarter) that ended most recently before `today`."""
    return quarter_before(year=today.year, quarter=(today.month - 1) // 3 + 1)


def review_due_date(*, year: int, quarter: int) -> date:
    """The last day a review of (year, quarter) may be filed: end of the next quarter's week 2."""
    next_start = quarter_period(year=year, quarter=quarter).end + timedelta(days=1)
    return next_start + timedelta(days=SUBMIT_DAYS - 1)


# ---------------------------------------------------------------- figures


def _text(value) -> str | None:
    return None if value is None else str(value)


def review_figures(*, rep: Person, year: int, quarter: int) -> dict:
    """The pre-filled figures of one rep's review (see `review_figures_for`)."""
    return review_figures_for(reps=[rep], year=year, quarter=quarter)[rep.pk]


def _rows_by_code(*, start: date, end: date) -> dict:
    table = indicator_table(start=start, end=end, level=Level.PERSON)
    return {row.code: row for row in table.rows}


def review_figures_for(*, reps, year: int, quarter: int) -> dict[int, dict]:
    """The pre-filled figures of reviews of many reps, all from the indicator engine.

    JSON-ready: amounts are decimal strings; None means "no target" (KPI.md: no target is
    not 0). The engine runs once per period whatever the number of reps.
    """
    period = quarter_period(year=year, quarter=quarter)
    year_period = Period(start=date(year, 1, 1), end=date(year, 12, 31))
    prev_year, prev_quarter = quarter_before(year=year, quarter=quarter)
    previous = quarter_period(year=prev_year, quarter=prev_quarter)
    org = org_snapshot()
    tables = {
        "year_targets": period_targets(org=org, period=year_period, metrics=(Metric.SALES,)),
        "quarter_targets": period_targets(org=org, period=period, metrics=tuple(METRIC_ACTUALS)),
        "this": _rows_by_code(start=period.start, end=period.end),
        "previous": _rows_by_code(start=previous.start, end=previous.end),
        "ytd": _rows_by_code(start=year_period.start, end=period.end),
        "months": [
            (f"{y}-{m:02d}", _rows_by_code(start=date(y, m, 1), end=month_end(year=y, month=m)))
            for y, m in Period(start=year_period.start, end=period.end).months()
        ],
    }
    return {rep.pk: _figures(rep=rep, year=year, quarter=quarter, tables=tables) for rep in reps}


def _figures(*, rep: Person, year: int, quarter: int, tables: dict) -> dict:
    unit = (PERSON, rep.pk)
    year_target = tables["year_targets"].get((unit, Metric.SALES))
    quarter_targets = tables["quarter_targets"]
    this_row = tables["this"].get(rep.code)
    prev_row = tables["previous"].get(rep.code)
    ytd_row = tables["ytd"].get(rep.code)
    monthly = []
    for label, rows in tables["months"]:
        row = rows.get(rep.code)
        monthly.append({"month": label, "sales": row.sales if row else None})

    ytd_sales = ytd_row.sales if ytd_row else Decimal("0.00")
    remaining_months = 12 - 3 * quarter
    best = max(
        (entry for entry in monthly if entry["sales"] is not None),
        key=lambda entry: entry["sales"],
        default=None,
    )

    def goal(kind: str) -> dict:
        target = None if year_target is None else Decimal(getattr(year_target, kind)) / 100
        gap = None if target is None else quantize_cents(target - ytd_sales)
        run_rate = None
        if gap is not None and remaining_months:
            run_rate = quantize_cents(max(gap, Decimal("0")) / remaining_months)
        above_best = None
        if run_rate is not None and best is not None:
            above_best = run_rate > best["sales"]
        return {
            "target": _text(None if target is None else quantize_cents(target)),
            "gap": _text(gap),
            "run_rate": _text(run_rate),
            "run_rate_above_best": above_best,
        }

    metrics = []
    for metric, column in METRIC_ACTUALS.items():
        target = quarter_targets.get((unit, metric))
        actual = this_row.value(column) if this_row else None
        before = prev_row.value(column) if prev_row else None
        realistic = None if target is None else Decimal(target.realistic) / 100
        met = None
        grew = None
        if realistic is not None and actual is not None:
            if metric == Metric.EXPENSE_BUDGET:
                met = actual <= realistic  # a budget is met by staying within it
            else:
                met = actual >= realistic
                grew = bool(met and before is not None and actual > before)
        metrics.append(
            {
                "metric": str(metric),
                "target": _text(None if realistic is None else quantize_cents(realistic)),
                "actual": _text(actual),
                "previous": _text(before),
                "met": met,
                "grew": grew,
            }
        )

    return {
        "year": year,
        "quarter": quarter,
        "ytd_sales": _text(ytd_sales),
        "realistic": goal("realistic"),
        "ideal": goal("ideal"),
        "remaining_months": remaining_months,
        "quarter_sales": _text(this_row.sales if this_row else None),
        "quarter_target": _text(this_row.sales_target if this_row else None),
        "quarter_target_ideal": _text(this_row.sales_target_ideal if this_row else None),
        "quarter_achievement": _text(this_row.sales_achievement if this_row else None),
        "quarter_achievement_ideal": _text(this_row.sales_achievement_ideal if this_row else None),
        "monthly_sales": [
            {"month": entry["month"], "sales": _text(entry["sales"])} for entry in monthly
        ],
        "best_month": None
        if best is None
        else {"month": best["month"], "sales": str(best["sales"])},
        "metrics": metrics,
    }


# ---------------------------------------------------------------- permissions


def review_leader_ids(rep: Person, *, today: date | None = None) -> set[int]:
    """People who may sign off a rep's review: superior, team manager, region head (3 queries)."""
    today = today or timezone.localdate()
    leaders = {rep.manager_id} if rep.manager_id else set()
    for manager_id, head_id in (
        Membership.objects.current(today)
        .filter(person=rep)
        .values_list("team__manager_id", "team__region__head_id")
    ):
        leaders.update(pk for pk in (manager_id, head_id) if pk)
    leaders.discard(rep.pk)
    return leaders


def can_edit_review(user, review: QuarterlyReview) -> bool:
    """Only the rep edits and files their own review, while it is a draft or returned."""
    person = person_of(user)
    return (
        role_of(user) is not None
        and person is not None
        and person.pk == review.rep_id
        and review.is_editable()
    )


def can_sign_off_review(user, review: QuarterlyReview) -> bool:
    """A leader of the rep (or director/admin) signs off or returns a filed review."""
    if review.status != ReviewStatus.FILED:
        return False
    role = role_of(user)
    if role in ALL_REVIEWS_ROLES:
        return True
    person = person_of(user)
    if role is None or person is None:
        return False
    return person.pk in review_leader_ids(review.rep)


# ---------------------------------------------------------------- services


def _check_quarter(problems: Problems, *, year, quarter, today: date) -> None:
    if quarter not in (1, 2, 3, 4):
        problems.add("quarter", _("The quarter must be 1, 2, 3 or 4."))
        return
    if year is None or not 2000 <= int(year) <= 2100:
        problems.add("year", _("Enter a year between 2000 and 2100."))
        return
    if quarter_period(year=year, quarter=quarter).start > today:
        problems.add("quarter", _("A quarter can only be reviewed once it has begun."))


@transaction.atomic
def review_create(*, rep: Person, year: int, quarter: int, actor, today: date | None = None):
    """Open the rep's draft review of a quarter with its figures pre-filled (the rep only)."""
    today = today or timezone.localdate()
    problems = Problems()
    actor_person = person_of(actor)
    if role_of(actor) is None or actor_person is None or actor_person.pk != rep.pk:
        problems.add("rep", _("Only the rep writes their own quarterly review."))
    _check_quarter(problems, year=year, quarter=quarter, today=today)
    if (
        not problems.errors
        and QuarterlyReview.objects.filter(rep=rep, year=year, quarter=quarter).exists()
    ):
        problems.add("quarter", _("There is already a review of this quarter."))
    problems.raise_if_any()
    return QuarterlyReview.objects.create(
        rep=rep,
        year=year,
        quarter=quarter,
        figures=review_figures(rep=rep, year=year, quarter=quarter),
        figures_computed_at=timezone.now(),
    )


def review_get_or_create(*, rep: Person, year: int, quarter: int, actor) -> QuarterlyReview:
    """The rep's review of a quarter, opened as a draft if there is none yet."""
    review = QuarterlyReview.objects.filter(rep=rep, year=year, quarter=quarter).first()
    return review or review_create(rep=rep, year=year, quarter=quarter, actor=actor)


@transaction.atomic
def review_save_answers(*, review: QuarterlyReview, answers: dict, actor) -> QuarterlyReview:
    """Save the rep's answers to the seven questions (draft or returned reviews only)."""
    problems = Problems()
    if not can_edit_review(actor, review):
        problems.add("status", _("You may not change this review."))
    problems.raise_if_any()
    for name in ANSWER_FIELDS:
        if name in answers:
            setattr(review, name, (answers[name] or "").strip())
    review.save()
    return review


@transaction.atomic
def review_file(*, review: QuarterlyReview, actor, answers: dict | None = None) -> QuarterlyReview:
    """File the review for sign-off: every question answered, figures snapshotted now."""
    problems = Problems()
    if not can_edit_review(actor, review):
        problems.add("status", _("You may not file this review."))
        problems.raise_if_any()
    for name in ANSWER_FIELDS:
        if answers and name in answers:
            setattr(review, name, (answers[name] or "").strip())
        if not getattr(review, name).strip():
            problems.add(name, _("Answer this question before filing."))
    problems.raise_if_any()
    review.figures = review_figures(rep=review.rep, year=review.year, quarter=review.quarter)
    review.figures_computed_at = review.filed_at = timezone.now()
    review.status = ReviewStatus.FILED
    review.save()
    return review


@transaction.atomic
def review_sign_off(*, review: QuarterlyReview, actor, comment: str) -> QuarterlyReview:
    """The rep's leader comments and signs the filed review off."""
    return _review_decide(
        review=review, actor=actor, comment=comment, status=ReviewStatus.SIGNED_OFF
    )


@transaction.atomic
def review_return(*, review: QuarterlyReview, actor, comment: str) -> QuarterlyReview:
    """The rep's leader sends the filed review back with a comment saying what to change."""
    return _review_decide(review=review, actor=actor, comment=comment, status=ReviewStatus.RETURNED)


def _review_decide(*, review: QuarterlyReview, actor, comment: str, status: str):
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


# ---------------------------------------------------------------- selectors


def review_list(*, user, year: int | None = None, quarter: int | None = None, status: str = ""):
    """Reviews the user may see, newest quarter first, optionally filtered."""
    reviews = QuarterlyReview.objects.visible_to(user).select_related("rep", "reviewed_by")
    if year:
        reviews = reviews.filter(year=year)
    if quarter:
        reviews = reviews.filter(quarter=quarter)
    if status in ReviewStatus.values:
        reviews = reviews.filter(status=status)
    return reviews.order_by("-year", "-quarter", "rep__code")


@dataclass(frozen=True)
class TeamReviewRow:
    """A rep the user leads and the state of their review of one quarter (None: not begun)."""

    rep: Person
    review: QuarterlyReview | None


def led_reps(*, user, today: date) -> list[Person]:
    """Current reps the user leads (by membership in their teams or as superior): one query."""
    person = person_of(user)
    if person is None or role_of(user) is None:
        return []

    team_q = Q(team__manager=person) | Q(team__region__head=person)
    member_ids = Membership.objects.current(today).filter(team_q).values("person_id")
    return list(
        Person.objects.filter(Q(pk__in=member_ids) | Q(manager=person), role=Role.REP)
        .exclude(pk=person.pk)
        .filter(Q(leave_date__isnull=True) | Q(leave_date__gte=today))
        .order_by("code")
    )


def team_review_rows(*, user, year: int, quarter: int, today: date) -> list[TeamReviewRow]:
    """Each rep the user leads with their review of the quarter (two queries)."""
    reps = led_reps(user=user, today=today)
    reviews = {
        review.rep_id: review
        for review in QuarterlyReview.objects.visible_to(user).filter(
            rep__in=reps, year=year, quarter=quarter
        )
    }
    return [TeamReviewRow(rep=rep, review=reviews.get(rep.pk)) for rep in reps]


# ---------------------------------------------------------------- reminders


def review_reminders(*, user, person: Person, today: date, limit: int = 20):
    """Home-page reminders about the last finished quarter's reviews (at most two queries).

    A rep: their own review, until it is filed (overdue after the new quarter's second
    week). A leader: each rep of theirs still without a filed review once that date is
    past, and every filed review waiting for their sign-off.
    """
    from django.urls import reverse

    from salesorg.core.reminders import Reminder

    role = role_of(user)
    year, quarter = last_finished_quarter(today=today)
    due = review_due_date(year=year, quarter=quarter)
    quarter_end = quarter_period(year=year, quarter=quarter).end
    label = f"{year} Q{quarter}"
    if role == Role.REP and person.hire_date <= quarter_end:
        review = QuarterlyReview.objects.filter(rep=person, year=year, quarter=quarter).first()
        if review is None or review.is_editable():
            yield Reminder(
                kind="review_due",
                text=_("File your quarterly review of %(quarter)s") % {"quarter": label},
                url=review.get_absolute_url() if review else reverse("targets:reviews"),
                due=due,
                overdue=today > due,
            )
    if role not in (Role.MANAGER, Role.REGION_HEAD):
        return
    reps = [rep for rep in led_reps(user=user, today=today) if rep.hire_date <= quarter_end]
    reviews = (
        QuarterlyReview.objects.visible_to(user)
        .filter(rep__in=reps)
        .filter(Q(status=ReviewStatus.FILED) | Q(year=year, quarter=quarter))
        .select_related("rep")
    )
    waiting = []
    filed_reps = set()
    for review in reviews.order_by("year", "quarter", "rep__code"):
        if review.status == ReviewStatus.FILED:
            waiting.append(review)
        if (review.year, review.quarter) == (year, quarter) and not review.is_editable():
            filed_reps.add(review.rep_id)
    count = 0
    if today > due:
        for rep in reps:
            if rep.pk in filed_reps or count >= limit:
                continue
            count += 1
            yield Reminder(
                kind="review_unfiled",
                text=_("%(name)s has not filed the quarterly review of %(quarter)s")
                % {"name": rep.name, "quarter": label},
                url=reverse("targets:reviews"),
                due=due,
                overdue=True,
            )
    for review in waiting[: max(limit - count, 0)]:
        review_due = review_due_date(year=review.year, quarter=review.quarter)
        yield Reminder(
            kind="review_sign_off",
            text=_("Sign off the quarterly review of %(name)s (%(quarter)s)")
            % {"name": review.rep.name, "quarter": review.label},
            url=review.get_absolute_url(),
            due=review_due,
            overdue=today > review_due,
        )
