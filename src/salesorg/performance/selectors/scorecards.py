"""Scorecard reads: period bounds, a person's or a period's scorecards, their lines."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from salesorg.core.scoping import SystemActor
from salesorg.performance.kpi.periods import Period, month_end
from salesorg.performance.models import (
    PeriodKind,
    Scorecard,
    ScorecardLine,
    ScorecardPeriod,
)


def period_bounds(*, kind: str, start: date) -> Period:
    """The month, quarter or year that starts on `start` (its first day is required)."""
    if kind == PeriodKind.MONTH:
        return Period(start=start, end=month_end(year=start.year, month=start.month))
    if kind == PeriodKind.QUARTER:
        last = start.month + 2
        return Period(start=start, end=month_end(year=start.year, month=last))
    return Period(start=start, end=date(start.year, 12, 31))


def period_start_problem(*, kind: str, start: date | None) -> str | None:
    """Why `start` cannot begin a period of `kind`, or None."""
    if start is None:
        return _("This field is required.")
    if kind not in PeriodKind.values:
        return _("Unknown period kind: %(kind)s.") % {"kind": kind}
    if start.day != 1:
        return _("A period starts on the 1st of a month.")
    if kind == PeriodKind.QUARTER and start.month not in (1, 4, 7, 10):
        return _("A quarter starts in January, April, July or October.")
    if kind == PeriodKind.YEAR and start.month != 1:
        return _("A year starts on 1 January.")
    return None


def provisional_as_of(*, scored: ScorecardPeriod) -> date | None:
    """The day a period's scorecards were computed while it had not ended (暂定), else None.

    Such scorecards score achievement against the targets due by that day (pro-rated
    by working days elapsed), so a rep is never ranked on a share of a whole target.
    """
    if scored.computed_at is None:
        return None
    computed = timezone.localdate(scored.computed_at)
    return computed if scored.start <= computed < scored.end else None


def person_scorecards(*, person, limit: int = 4) -> list[Scorecard]:
    """A person's latest scorecards, newest period first (one query)."""
    return list(
        Scorecard.objects.filter(person=person)
        .select_related("period", "period__policy", "team")
        .order_by("-period__end", "period__kind")[:limit]
    )


def period_scorecards(
    *, period: ScorecardPeriod, user: User | SystemActor, team_id: int | None = None
) -> QuerySet[Scorecard]:
    """The scorecards of a period the user may see, best first (one query)."""
    cards = (
        Scorecard.objects.visible_to(user)
        .filter(period=period)
        .select_related("person", "team")
        .order_by("rank_company", "person__code")
    )
    if team_id is not None:
        cards = cards.filter(team_id=team_id)
    return cards


def scorecard_lines(*, scorecard: Scorecard) -> list[ScorecardLine]:
    """The stored lines of one scorecard in policy order (one query)."""
    return list(ScorecardLine.objects.filter(scorecard=scorecard).order_by("position", "id"))


def month_scorecard_period(*, start: date) -> ScorecardPeriod | None:
    """The scorecard period of the month starting on `start`, if it was ever computed."""
    return ScorecardPeriod.objects.filter(kind="month", start=start).first()
