"""One-on-one coaching (一对一辅导, S6): services and selectors of coaching sessions.

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

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from salesorg.core.problems import Problems
from salesorg.core.roles import Role, person_of, role_of
from salesorg.development.models import CoachingSession
from salesorg.org.models import Person
from salesorg.performance.choices import Level
from salesorg.performance.indicators import COLUMN_BY_NAME, indicator_table
from salesorg.performance.periods import Period, period_heading, this_month
from salesorg.targets.actions import action_item_create
from salesorg.targets.choices import ActionOrigin
from salesorg.targets.models import ActionItem

COACH_ROLES = frozenset({Role.MANAGER, Role.REGION_HEAD, Role.DIRECTOR})
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


def can_coach(user, person: Person) -> bool:
    """The person's manager, or a region head or director above them (never oneself)."""
    actor = person_of(user)
    if actor is None or actor.pk == person.pk or role_of(user) not in COACH_ROLES:
        return False
    return Person.objects.visible_to(user).filter(pk=person.pk).exists()


def coachable_people(*, user):
    """The people the user may coach (their team, region, or everyone for the director)."""
    actor = person_of(user)
    if actor is None or role_of(user) not in COACH_ROLES:
        return Person.objects.none()
    return (
        Person.objects.visible_to(user)
        .exclude(pk=actor.pk)
        .filter(leave_date__isnull=True)
        .order_by("code")
    )


def person_indicators(*, person: Person, on: date) -> dict:
    """The person's indicators for the month of `on`, from the indicator engine (as strings)."""
    return month_indicators(person=person, period=this_month(today=on))


def last_ended_month(*, on: date) -> Period:
    """The last calendar month that has ended by `on` (November on 6 December)."""
    return this_month(today=on.replace(day=1) - timedelta(days=1))


def session_snapshot(*, person: Person, on: date) -> dict:
    """What a session on `on` compares: the last ended month, and (`before`) the one before."""
    latest = last_ended_month(on=on)
    before = last_ended_month(on=latest.start)
    return {
        **month_indicators(person=person, period=latest),
        "before": month_indicators(person=person, period=before),
    }


def month_indicators(*, person: Person, period: Period) -> dict:
    """The person's indicators for a period, from the indicator engine (as strings)."""
    table = indicator_table(start=period.start, end=period.end, level=Level.PERSON)
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


def open_coaching_items(*, person: Person):
    """The person's coaching action items that are still open (carried to the next session)."""
    return (
        ActionItem.objects.open()
        .filter(owner=person, origin=ActionOrigin.COACHING)
        .order_by("due_date", "id")
    )


def last_session(*, person: Person, user=None, before: date | None = None):
    """The person's most recent coaching session (visible to `user` if given)."""
    sessions = CoachingSession.objects.filter(person=person)
    if user is not None:
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


def session_start(*, person: Person, user, today: date) -> SessionStart:
    """The opening of the next session with `person`: carried items and indicator changes.

    The changes compare ended months only: the last complete month against the one before.
    """
    previous = last_session(person=person, user=user)
    now = session_snapshot(person=person, on=today)
    return SessionStart(
        previous=previous,
        open_items=list(open_coaching_items(person=person)),
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


def _clean_items(action_items, problems: Problems) -> list[dict]:
    items = []
    for number, item in enumerate(action_items or (), start=1):
        title = (item.get("title") or "").strip()
        due_date = item.get("due_date")
        if not title and not due_date:
            continue
        if not title:
            problems.add(f"items-{number}-title", _("Give the action item a title."))
        if not due_date:
            problems.add(f"items-{number}-due_date", _("Give the action item a due date."))
        items.append({"title": title, "due_date": due_date, "detail": item.get("detail", "")})
    return items


@transaction.atomic
def coaching_session_create(
    *,
    person: Person,
    actor,
    session_date: date,
    strengths: str = "",
    weaknesses: str = "",
    context: str = "",
    improvement_plan: str = "",
    follow_up_date: date | None = None,
    action_items: list[dict] | tuple = (),
) -> CoachingSession:
    """Record a session, create its action items (owned by the person) and carry open items."""
    problems = Problems()
    if person is None:
        problems.add("person", _("This field is required."))
    elif not can_coach(actor, person):
        problems.add("person", _("You may not coach this person."))
    if session_date is None:
        problems.add("session_date", _("This field is required."))
    if not any(text.strip() for text in (strengths, weaknesses, context, improvement_plan)):
        problems.add("improvement_plan", _("Write at least the improvement plan."))
    if follow_up_date is not None and session_date is not None and follow_up_date < session_date:
        problems.add("follow_up_date", _("The follow-up check cannot be before the session."))
    items = _clean_items(action_items, problems)
    problems.raise_if_any()
    previous = last_session(person=person, before=session_date)
    carried = list(open_coaching_items(person=person))
    session = CoachingSession.objects.create(
        person=person,
        coach=person_of(actor),
        session_date=session_date,
        strengths=strengths,
        weaknesses=weaknesses,
        context=context,
        improvement_plan=improvement_plan,
        follow_up_date=follow_up_date,
        previous=previous,
        indicators=session_snapshot(person=person, on=session_date),
    )
    session.carried_items.set(carried)
    for item in items:
        action_item_create(
            title=item["title"],
            detail=item["detail"],
            owner=person,
            due_date=item["due_date"],
            origin=ActionOrigin.COACHING,
            source=session,
            actor=actor,
        )
    return session


@transaction.atomic
def coaching_follow_up_check(*, session: CoachingSession, actor, note: str = "") -> CoachingSession:
    """Mark the session's follow-up check as done, with what the coach found."""
    problems = Problems()
    if not can_coach(actor, session.person):
        problems.add("follow_up_note", _("You may not check this session."))
    if session.follow_up_checked_at is not None:
        problems.add("follow_up_note", _("The follow-up check is already done."))
    problems.raise_if_any()
    session.follow_up_checked_at = timezone.now()
    session.follow_up_note = note
    session.save(update_fields=["follow_up_checked_at", "follow_up_note"])
    return session


def sessions_for(*, user, person: Person | None = None):
    """Coaching sessions the user may see (optionally of one person), newest first."""
    sessions = CoachingSession.objects.visible_to(user).select_related("person", "coach")
    if person is not None:
        sessions = sessions.filter(person=person)
    return sessions.order_by("-session_date", "-id")


def follow_ups_due(*, coach: Person, today: date):
    """The coach's sessions whose follow-up check is due and not done."""
    return CoachingSession.objects.filter(
        coach=coach, follow_up_date__lte=today, follow_up_checked_at__isnull=True
    ).select_related("person")
