"""Reads of one-on-one coaching (一对一辅导, S6): sessions, what the next one opens with.

A session records strengths, weaknesses, the market/customer context and an improvement
plan, ends in action items, and may schedule a follow-up check. The next session with the
same person opens with the still-open coaching items and the person's indicator changes
between ENDED months: the last complete month against the one before it (never a whole
month against a month to date), both snapshotted on the session when it is saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.db.models import QuerySet

from salesorg.core.roles import person_of, role_of
from salesorg.core.scoping import SystemActor
from salesorg.development.models import CoachingSession
from salesorg.development.permissions import COACHES
from salesorg.org.models import Person
from salesorg.performance.choices import COLUMN_BY_NAME, Level
from salesorg.performance.kpi.indicators import indicator_table
from salesorg.performance.kpi.periods import Period, period_heading, this_month
from salesorg.targets.choices import ActionOrigin
from salesorg.targets.models import ActionItem

# The indicators a session compares, then (last session) vs now (KPI.md names).
SESSION_INDICATORS = (
    "sales_achievement",
    "gm_achievement",
    "collection_rate",
    "visits_per_workday",
    "sales",
    "visits",
    "new_customers",
)


def coachable_people(*, user: User | SystemActor) -> QuerySet:
    """The people the user may coach (their team, region, or everyone for the director)."""
    actor = person_of(user)
    if actor is None or role_of(user) not in COACHES:
        return Person.objects.none()
    return (
        Person.objects.visible_to(user)
        .exclude(pk=actor.pk)
        .filter(leave_date__isnull=True)
        .order_by("code")
    )


def person_indicators(*, user: User | SystemActor, person: Person, on: date) -> dict:
    """The person's indicators for the month of `on`, from the indicator engine (as strings)."""
    return month_indicators(user=user, person=person, period=this_month(today=on))


def last_ended_month(*, on: date) -> Period:
    """The last calendar month that has ended by `on` (November on 6 December)."""
    return this_month(today=on.replace(day=1) - timedelta(days=1))


def session_snapshot(*, user: User | SystemActor, person: Person, on: date) -> dict:
    """What a session on `on` compares: the last ended month, and (`before`) the one before."""
    latest = last_ended_month(on=on)
    before = last_ended_month(on=latest.start)
    return {
        **month_indicators(user=user, person=person, period=latest),
        "before": month_indicators(user=user, person=person, period=before),
    }


def month_indicators(*, user: User | SystemActor, person: Person, period: Period) -> dict:
    """The person's indicators for a period, from the indicator engine (as strings)."""
    table = indicator_table(start=period.start, end=period.end, level=Level.PERSON, user=user)
    row = next((row for row in table.rows if row.code == person.code), None)
    values = {}
    for name in SESSION_INDICATORS:
        value = row.value(name) if row is not None else None
        values[name] = None if value is None else str(value)
    return {"start": period.start.isoformat(), "end": period.end.isoformat(), "values": values}


@dataclass(frozen=True)
class IndicatorChange:
    """One indicator then (last session) and now, with the change."""

    name: str
    label: str
    kind: str
    then: Decimal | None
    now: Decimal | None

    @property
    def change(self) -> Decimal | None:
        if self.then is None or self.now is None:
            return None
        return self.now - self.then

    @property
    def direction(self) -> str:
        change = self.change
        if change is None or change == 0:
            return "same"
        return "up" if change > 0 else "down"


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(value)


@dataclass(frozen=True)
class MonthComparison:
    """Two snapshots compared: each labelled with its month, marked if it had not ended."""

    then_label: str
    now_label: str
    changes: list[IndicatorChange]


def snapshot_label(snapshot: dict | None, *, as_of: date | None) -> str:
    """A snapshot's month, "2026年11月", or "2026年12月（截至6日）" if taken before it ended."""
    if not snapshot or "start" not in snapshot:
        return ""
    period = Period(
        start=date.fromisoformat(snapshot["start"]), end=date.fromisoformat(snapshot["end"])
    )
    return period_heading(period, today=as_of or period.end)


def snapshot_comparison(*, snapshot: dict, as_of: date | None = None) -> MonthComparison:
    """A `session_snapshot`'s last ended month against the month before it."""
    before = snapshot.get("before")
    return MonthComparison(
        then_label=snapshot_label(before, as_of=as_of),
        now_label=snapshot_label(snapshot, as_of=as_of),
        changes=indicator_changes(then=before, now=snapshot),
    )


def indicator_changes(*, then: dict | None, now: dict) -> list[IndicatorChange]:
    """Compare two indicator snapshots (`person_indicators` results) column by column."""
    then_values = (then or {}).get("values", {})
    return [
        IndicatorChange(
            name=name,
            label=str(COLUMN_BY_NAME[name].label),
            kind=COLUMN_BY_NAME[name].kind,
            then=_decimal(then_values.get(name)),
            now=_decimal(now.get("values", {}).get(name)),
        )
        for name in SESSION_INDICATORS
    ]


def open_coaching_items(*, user: User | SystemActor, person: Person) -> QuerySet:
    """The person's coaching action items that are still open (carried to the next session)."""
    return (
        ActionItem.objects.open()
        .visible_to(user)
        .filter(owner=person, origin=ActionOrigin.COACHING)
        .order_by("due_date", "id")
    )


def last_session(
    *, user: User | SystemActor, person: Person, before: date | None = None
) -> CoachingSession | None:
    """The person's most recent coaching session that `user` may see."""
    sessions = CoachingSession.objects.visible_to(user).filter(person=person)
    if before is not None:
        sessions = sessions.filter(session_date__lte=before)
    return sessions.select_related("coach").order_by("-session_date", "-id").first()


@dataclass(frozen=True)
class SessionStart:
    """What a new session opens with: the last session, its open items, indicator changes."""

    previous: CoachingSession | None
    open_items: list
    indicators: dict
    comparison: MonthComparison

    @property
    def changes(self) -> list[IndicatorChange]:
        return self.comparison.changes


def session_start(*, user: User | SystemActor, person: Person, today: date) -> SessionStart:
    """The opening of the next session with `person`: carried items and indicator changes.

    The changes compare ended months only: the last complete month against the one before.
    """
    previous = last_session(person=person, user=user)
    now = session_snapshot(user=user, person=person, on=today)
    return SessionStart(
        previous=previous,
        open_items=list(open_coaching_items(user=user, person=person)),
        indicators=now,
        comparison=snapshot_comparison(snapshot=now, as_of=today),
    )


def session_changes(*, session: CoachingSession) -> MonthComparison:
    """A saved session's indicator changes, each side labelled with its month.

    A session's snapshot holds its last ended month and the one before. Sessions saved
    before that rule held one month (possibly still running on the session's day): they
    compare with the previous session's, and a month that had not ended is marked so.
    """
    snapshot = session.indicators or {}
    if "before" in snapshot:
        return snapshot_comparison(snapshot=snapshot, as_of=session.session_date)
    previous = session.previous
    then = previous.indicators if previous else None
    return MonthComparison(
        then_label=snapshot_label(then, as_of=previous.session_date if previous else None),
        now_label=snapshot_label(snapshot, as_of=session.session_date),
        changes=indicator_changes(then=then, now=snapshot),
    )


def sessions_for(*, user: User | SystemActor, person: Person | None = None) -> QuerySet:
    """Coaching sessions the user may see (optionally of one person), newest first."""
    sessions = CoachingSession.objects.visible_to(user).select_related("person", "coach")
    if person is not None:
        sessions = sessions.filter(person=person)
    return sessions.order_by("-session_date", "-id")


def follow_ups_due(*, user: User | SystemActor, coach: Person, today: date) -> QuerySet:
    """The coach's sessions whose follow-up check is due and not done."""
    return (
        CoachingSession.objects.visible_to(user)
        .filter(coach=coach, follow_up_date__lte=today, follow_up_checked_at__isnull=True)
        .select_related("person")
    )
