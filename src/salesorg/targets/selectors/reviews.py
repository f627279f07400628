"""Reads of quarterly target reviews (S10): the pre-filled figures, the reviews a user may
see, the reps a leader leads and the home-page reminders.

The system pre-fills a review's figures from the indicator engine: the year-end sales
target and the gap to it after the quarter, the quarter's achievement against the
realistic and ideal target, the monthly run-rate the rest of the year now needs (and
whether it is above the best month so far), and, per target metric, whether the quarter's
target was met and whether a met one grew over the quarter before (the seed's "of last
quarter's achieved targets, which were progressive?": at review time the quarter just
ended is "last quarter"). Reads go through `QuarterlyReview.objects.visible_to`
(personnel domain): a rep sees only their own.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from salesorg.core.money import quantize_cents
from salesorg.core.reminders import Reminder
from salesorg.core.roles import Role, person_of, role_of
from salesorg.core.scoping import SystemActor
from salesorg.org.models import Membership, Person
from salesorg.performance.choices import Level
from salesorg.performance.kpi.attribution import PERSON, org_snapshot
from salesorg.performance.kpi.indicators import indicator_table
from salesorg.performance.kpi.periods import (
    Period,
    PeriodProgress,
    month_end,
    period_heading,
    period_progress,
)
from salesorg.performance.kpi.targets import period_targets
from salesorg.performance.kpi.to_date import to_date
from salesorg.targets.choices import Metric
from salesorg.targets.models import QuarterlyReview, ReviewStatus
from salesorg.targets.quarters import (
    last_finished_quarter,
    quarter_before,
    quarter_ended,
    quarter_of,
    quarter_period,
    review_due_date,
    same_day_quarter_before,
)
from salesorg.targets.selectors.actuals import ACTUAL_COLUMN
from salesorg.targets.selectors.review_territory import territory_figures_for

# ---------------------------------------------------------------- figures


def _text(value) -> str | None:
    return None if value is None else str(value)


def review_figures(
    *, rep: Person, year: int, quarter: int, user: User | SystemActor, today: date | None = None
) -> dict:
    """The pre-filled figures of one rep's review (see `review_figures_for`)."""
    return review_figures_for(reps=[rep], year=year, quarter=quarter, user=user, today=today)[
        rep.pk
    ]


def _rows_by_code(*, start: date, end: date, user: User | SystemActor) -> dict:
    table = indicator_table(start=start, end=end, level=Level.PERSON, user=user)
    return {row.code: row for row in table.rows}


def review_figures_for(
    *,
    reps: list[Person],
    year: int,
    quarter: int,
    user: User | SystemActor,
    today: date | None = None,
) -> dict[int, dict]:
    """The pre-filled figures of reviews of many reps, all from the indicator engine.

    JSON-ready: amounts are decimal strings; None means "no target" (KPI.md: no target is
    not 0). The engine runs once per period whatever the number of reps. A quarter that
    has not ended on `today` is running: its figures go to `as_of` (today), its targets
    and achievements are also given due to date (pro-rated by working days, like every
    running period), and it is compared with the same span of the quarter before.
    """
    today = today or timezone.localdate()
    period = quarter_period(year=year, quarter=quarter)
    progress = period_progress(period, today=today)
    running = not quarter_ended(year=year, quarter=quarter, today=today)
    as_of = progress.as_of
    year_period = Period(start=date(year, 1, 1), end=date(year, 12, 31))
    before_year, before_quarter = quarter_before(year=year, quarter=quarter)
    previous = quarter_period(year=before_year, quarter=before_quarter)
    if running:
        previous = Period(start=previous.start, end=same_day_quarter_before(as_of))
    org = org_snapshot()
    rows = {
        "this": _rows_by_code(start=period.start, end=period.end, user=user),
        "previous": _rows_by_code(start=previous.start, end=previous.end, user=user),
    }
    tables = {
        "year_targets": period_targets(org=org, period=year_period, metrics=(Metric.SALES,)),
        "quarter_targets": period_targets(org=org, period=period, metrics=tuple(ACTUAL_COLUMN)),
        **rows,
        "ytd": _rows_by_code(start=year_period.start, end=period.end, user=user),
        "months": [
            (
                f"{y}-{m:02d}",
                _rows_by_code(start=date(y, m, 1), end=month_end(year=y, month=m), user=user),
            )
            for y, m in Period(start=year_period.start, end=as_of).months()
        ],
        "progress": progress if running else None,
        "remaining_months": 12 - as_of.month + 1 if running else 12 - 3 * quarter,
    }
    territory = territory_figures_for(
        reps=reps,
        spans={"this": Period(start=period.start, end=as_of), "previous": previous},
        rows=rows,
        org=org,
        user=user,
    )
    span = {
        "running": running,
        "as_of": as_of.isoformat(),
        "previous_start": previous.start.isoformat(),
        "previous_end": previous.end.isoformat(),
    }
    return {
        rep.pk: {
            **_figures(rep=rep, year=year, quarter=quarter, tables=tables),
            **span,
            "territory": territory[rep.pk],
        }
        for rep in reps
    }


def _figures(*, rep: Person, year: int, quarter: int, tables: dict) -> dict:
    unit = (PERSON, rep.pk)
    this_row = tables["this"].get(rep.code)
    ytd_row = tables["ytd"].get(rep.code)
    monthly = []
    for label, rows in tables["months"]:
        row = rows.get(rep.code)
        monthly.append({"month": label, "sales": row.sales if row else None})

    ytd_sales = ytd_row.sales if ytd_row else Decimal("0.00")
    remaining_months = tables["remaining_months"]
    best = max(
        (entry for entry in monthly if entry["sales"] is not None),
        key=lambda entry: entry["sales"],
        default=None,
    )
    year_target = tables["year_targets"].get((unit, Metric.SALES))
    goals = {
        kind: _goal(
            target=None if year_target is None else Decimal(getattr(year_target, kind)) / 100,
            ytd_sales=ytd_sales,
            remaining_months=remaining_months,
            best=best,
        )
        for kind in ("realistic", "ideal")
    }
    progress = tables["progress"]
    due = to_date(row=this_row, progress=progress) if this_row and progress else None
    return {
        "year": year,
        "quarter": quarter,
        "ytd_sales": _text(ytd_sales),
        "realistic": goals["realistic"],
        "ideal": goals["ideal"],
        "remaining_months": remaining_months,
        "quarter_sales": _text(this_row.sales if this_row else None),
        "quarter_target": _text(this_row.sales_target if this_row else None),
        "quarter_target_ideal": _text(this_row.sales_target_ideal if this_row else None),
        "quarter_target_to_date": _text(due.sales_target if due else None),
        "quarter_target_ideal_to_date": _text(due.sales_target_ideal if due else None),
        "quarter_achievement": _text((due or this_row).sales_achievement if this_row else None),
        "quarter_achievement_ideal": _text(
            (due or this_row).sales_achievement_ideal if this_row else None
        ),
        "monthly_sales": [
            {"month": entry["month"], "sales": _text(entry["sales"])} for entry in monthly
        ],
        "best_month": None
        if best is None
        else {"month": best["month"], "sales": str(best["sales"])},
        "metrics": _metric_figures(
            unit=unit,
            targets=tables["quarter_targets"],
            this_row=this_row,
            prev_row=tables["previous"].get(rep.code),
            progress=progress,
        ),
    }


def _goal(
    *, target: Decimal | None, ytd_sales: Decimal, remaining_months: int, best: dict | None
) -> dict:
    """The year-end target, the gap to it and the monthly run-rate the rest of the year needs."""
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


def _metric_figures(
    *, unit, targets: dict, this_row, prev_row, progress: PeriodProgress | None
) -> list[dict]:
    """Per target metric: the quarter's target and actual, whether it was met and grew.

    In a running quarter (`progress`) a target is judged by the part of it due to date.
    """
    metrics = []
    for metric, column in ACTUAL_COLUMN.items():
        target = targets.get((unit, metric))
        actual = this_row.value(column) if this_row else None
        before = prev_row.value(column) if prev_row else None
        realistic = None if target is None else Decimal(target.realistic) / 100
        due = realistic if progress is None else progress.prorate(realistic)
        met = None
        grew = None
        if due is not None and actual is not None:
            if metric == Metric.EXPENSE_BUDGET:
                met = actual <= due  # a budget is met by staying within it
            else:
                met = actual >= due
                grew = bool(met and before is not None and actual > before)
        metrics.append(
            {
                "metric": str(metric),
                "target": _text(None if realistic is None else quantize_cents(realistic)),
                "target_to_date": _text(None if progress is None or due is None else due),
                "actual": _text(actual),
                "previous": _text(before),
                "met": met,
                "grew": grew,
            }
        )
    return metrics


# ---------------------------------------------------------------- lists


def review_list(
    *,
    user: User | SystemActor,
    year: int | None = None,
    quarter: int | None = None,
    status: str = "",
) -> QuerySet[QuarterlyReview]:
    """Reviews the user may see, newest quarter first, optionally filtered."""
    reviews = QuarterlyReview.objects.visible_to(user).select_related("rep", "reviewed_by")
    if year:
        reviews = reviews.filter(year=year)
    if quarter:
        reviews = reviews.filter(quarter=quarter)
    if status in ReviewStatus.values:
        reviews = reviews.filter(status=status)
    return reviews.order_by("-year", "-quarter", "rep__code")


def own_review(*, user: User | SystemActor, year: int, quarter: int) -> QuarterlyReview | None:
    """The user's own review of a quarter, if they have begun it."""
    person = person_of(user)
    if person is None or role_of(user) is None:
        return None
    return QuarterlyReview.objects.filter(rep=person, year=year, quarter=quarter).first()


@dataclass(frozen=True)
class OwnQuarter:
    """A quarter the user reviews themself: the last finished one, or the running one."""

    year: int
    quarter: int
    running: bool
    heading: str
    due: date | None
    review: QuarterlyReview | None


def own_review_quarters(*, user: User | SystemActor, today: date) -> list[OwnQuarter]:
    """The user's own reviews to write (one query): the last finished quarter if they were
    in post during it, then a draft of the running quarter, which is filed once it ends."""
    person = person_of(user)
    if person is None or role_of(user) is None:
        return []
    last = last_finished_quarter(today=today)
    running = quarter_of(today)
    reviews = {
        (review.year, review.quarter): review
        for review in QuarterlyReview.objects.filter(rep=person).filter(
            Q(year=last[0], quarter=last[1]) | Q(year=running[0], quarter=running[1])
        )
    }
    quarters = []
    for (year, quarter), is_running in ((last, False), (running, True)):
        period = quarter_period(year=year, quarter=quarter)
        if person.hire_date > period.end or (
            person.leave_date and person.leave_date < period.start
        ):
            continue
        quarters.append(
            OwnQuarter(
                year=year,
                quarter=quarter,
                running=is_running,
                heading=period_heading(period, today=today),
                due=None if is_running else review_due_date(year=year, quarter=quarter),
                review=reviews.get((year, quarter)),
            )
        )
    return quarters


@dataclass(frozen=True)
class TeamReviewRow:
    """A rep the user leads and the state of their review of one quarter (None: not begun)."""

    rep: Person
    review: QuarterlyReview | None


def led_reps(*, user: User | SystemActor, start: date, end: date) -> list[Person]:
    """Reps the user leads who were in post during [start, end] (one query).

    In post: hired on or before `end` and not left before `start`; led: a member of a team
    the user manages or whose region they head at some time in the span, or their
    superior (`Person.manager`).
    """
    person = person_of(user)
    if person is None or role_of(user) is None:
        return []

    team_q = Q(team__manager=person) | Q(team__region__head=person)
    member_ids = (
        Membership.objects.filter(team_q, start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .values("person_id")
    )
    return list(
        Person.objects.filter(Q(pk__in=member_ids) | Q(manager=person), role=Role.REP)
        .exclude(pk=person.pk)
        .filter(hire_date__lte=end)
        .filter(Q(leave_date__isnull=True) | Q(leave_date__gte=start))
        .order_by("code")
    )


def team_review_rows(
    *, user: User | SystemActor, year: int, quarter: int, today: date
) -> list[TeamReviewRow]:
    """Each rep the user led during the quarter with their review of it (two queries; none
    for a quarter that has not begun)."""
    period = quarter_period(year=year, quarter=quarter)
    if period.start > today:
        return []
    reps = led_reps(user=user, start=period.start, end=period.end)
    reviews = {
        review.rep_id: review
        for review in QuarterlyReview.objects.visible_to(user).filter(
            rep__in=reps, year=year, quarter=quarter
        )
    }
    return [TeamReviewRow(rep=rep, review=reviews.get(rep.pk)) for rep in reps]


# ---------------------------------------------------------------- reminders


def review_reminders(
    *, user: User | SystemActor, person: Person, today: date, limit: int = 20
) -> Iterator[Reminder]:
    """Home-page reminders about the last finished quarter's reviews (at most two queries).

    A rep: their own review, until it is filed (overdue after the new quarter's second
    week). A leader: each rep of theirs still without a filed review once that date is
    past, and every filed review waiting for their sign-off.
    """
    role = role_of(user)
    year, quarter = last_finished_quarter(today=today)
    due = review_due_date(year=year, quarter=quarter)
    period = quarter_period(year=year, quarter=quarter)
    label = f"{year} Q{quarter}"
    if role == Role.REP and person.hire_date <= period.end:
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
    # those in post during the quarter who are still with the company
    reps = [
        rep
        for rep in led_reps(user=user, start=period.start, end=period.end)
        if rep.leave_date is None or rep.leave_date >= today
    ]
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
