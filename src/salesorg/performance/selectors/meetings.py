"""Sales meetings (S13): agenda from the period's misses, causes, countermeasures, minutes.

A miss is one person's indicator that is below target (where the indicator has a target
in the period) or below the previous period of the same length; the agenda lists every
miss of the team's reps and nothing else. A period still running when the agenda is
drawn up is judged like for like: against its targets due to date (pro-rated by working
days elapsed) and against as many working days at the start of the previous period.
A countermeasure becomes an action item (origin "meeting", source the agenda item). The
next meeting of the team shows the last meeting's action items that are still open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone

from salesorg.core.calendar import workday_set
from salesorg.core.roles import COMPANY_WIDE, Role, role_of
from salesorg.core.scoping import SYSTEM, SystemActor, scope_for
from salesorg.org.models import Membership, Person, Team
from salesorg.performance.choices import Level
from salesorg.performance.kpi.exports import KIND_BY_FIELD
from salesorg.performance.kpi.exports import value_text as canonical_text
from salesorg.performance.kpi.indicators import indicator_table
from salesorg.performance.kpi.periods import Period, PeriodProgress, month_end, period_progress
from salesorg.performance.models import MeetingItem, MissReason, SalesMeeting
from salesorg.performance.permissions import MEETING_ROLES
from salesorg.targets.choices import ActionStatus
from salesorg.targets.models import ActionItem

# Indicator column → the column of its target (None: compared with the last period only).
AGENDA_INDICATORS: tuple[tuple[str, str | None], ...] = (
    ("sales", "sales_target"),
    ("gross_margin", "gm_target"),
    ("collection_rate", None),
    ("visits_per_workday", None),
    ("new_customers", None),
    ("customers", None),
    ("industries", None),
    ("focus_share", None),
)


@dataclass(frozen=True)
class Miss:
    """One person's indicator below target or below the previous period."""

    person_id: int
    indicator: str
    reason: str
    value: str
    reference: str


def previous_period(*, period: Period) -> Period:
    """The period just before: as many whole months before, or as many days before."""
    if period.covers_whole_months:
        count = len(period.months())
        year, month = period.start.year, period.start.month - count
        while month < 1:
            year, month = year - 1, month + 12
        start = date(year, month, 1)
        last_year, last_month = period.start.year, period.start.month - 1
        if last_month < 1:
            last_year, last_month = last_year - 1, 12
        return Period(start=start, end=month_end(year=last_year, month=last_month))
    length = period.end - period.start
    end = date.fromordinal(period.start.toordinal() - 1)
    return Period(start=end - length, end=end)


def team_rep_ids(*, team: Team, period: Period) -> set[int]:
    """The reps who were members of the team at some time in the period (one query)."""
    return set(
        Membership.objects.filter(team=team, start_date__lte=period.end, person__role=Role.REP)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=period.start))
        .values_list("person_id", flat=True)
    )


def same_workdays_before(*, period: Period, progress: PeriodProgress) -> Period:
    """The previous period cut to as many working days as `period` has had so far."""
    before = previous_period(period=period)
    if not progress.running:
        return before
    days = sorted(workday_set(before.start, before.end))[: progress.workdays_elapsed]
    return Period(start=before.start, end=days[-1]) if days else Period(before.start, before.start)


def agenda_as_of(*, meeting: SalesMeeting) -> date | None:
    """The day the agenda was drawn up if the meeting's period had not ended then, else None."""
    drawn_up = timezone.localdate(meeting.created_at)
    return drawn_up if meeting.period_start <= drawn_up < meeting.period_end else None


def agenda_misses(*, team: Team, period: Period, today: date | None = None) -> list[Miss]:
    """Every miss of the team's reps in the period, by person code then indicator order.

    While the period runs on `today`, a target is the part due by today and the previous
    period counts only as many working days as this one has had.
    """
    rep_ids = team_rep_ids(team=team, period=period)
    if not rep_ids:
        return []
    progress = period_progress(period, today=today or timezone.localdate())
    codes = dict(Person.objects.filter(id__in=rep_ids).values_list("code", "id"))
    now = {
        row.code: row
        for row in indicator_table(
            user=SYSTEM, start=period.start, end=period.end, level=Level.PERSON
        ).rows
        if row.code in codes
    }
    before_period = same_workdays_before(period=period, progress=progress)
    before = {
        row.code: row
        for row in indicator_table(
            user=SYSTEM, start=before_period.start, end=before_period.end, level=Level.PERSON
        ).rows
        if row.code in codes
    }
    misses = []
    for code in sorted(now):
        row, last = now[code], before.get(code)
        for indicator, target_column in AGENDA_INDICATORS:
            value: Any = row.value(indicator)
            if value is None:
                continue
            kind = KIND_BY_FIELD.get(indicator)
            target_value: Any = row.value(target_column) if target_column else None
            target = progress.prorate(target_value) if target_column else None
            previous: Any = last.value(indicator) if last is not None else None
            if target is not None and value < target:
                reason, reference = MissReason.BELOW_TARGET, target
            elif previous is not None and value < previous:
                reason, reference = MissReason.BELOW_LAST_PERIOD, previous
            else:
                continue
            misses.append(
                Miss(
                    person_id=codes[code],
                    indicator=indicator,
                    reason=reason,
                    value=canonical_text(value=value, kind=kind) or "",
                    reference=canonical_text(value=reference, kind=kind) or "",
                )
            )
    return misses


def meeting_items(*, meeting: SalesMeeting) -> list[MeetingItem]:
    """The agenda with each item's action items attached as `.actions` (two queries)."""
    items = list(meeting.items.select_related("person").order_by("position", "id"))
    actions = _actions_of(item_ids=[item.pk for item in items])
    for item in items:
        item.actions = actions.get(item.pk, [])  # type: ignore[attr-defined]
    return items


def _actions_of(*, item_ids: list[int], status: str | None = None) -> dict[int, list[ActionItem]]:
    if not item_ids:
        return {}
    items = ActionItem.objects.filter(
        source_type=ContentType.objects.get_for_model(MeetingItem), source_id__in=item_ids
    ).select_related("owner")
    if status is not None:
        items = items.filter(status=status)
    grouped: dict[int, list[ActionItem]] = {}
    for action in items.order_by("due_date", "id"):
        grouped.setdefault(cast(int, action.source_id), []).append(action)
    return grouped


def previous_meeting(*, meeting: SalesMeeting) -> SalesMeeting | None:
    """The team's meeting held just before this one."""
    return (
        SalesMeeting.objects.filter(team_id=meeting.team_id)
        .filter(Q(held_on__lt=meeting.held_on) | Q(held_on=meeting.held_on, id__lt=meeting.pk))
        .order_by("-held_on", "-id")
        .first()
    )


def carried_actions(*, meeting: SalesMeeting) -> list[ActionItem]:
    """The last meeting's action items still open: the next meeting opens with them."""
    last = previous_meeting(meeting=meeting)
    if last is None:
        return []
    item_ids = list(last.items.values_list("id", flat=True))
    grouped = _actions_of(item_ids=item_ids, status=ActionStatus.OPEN)
    return [action for actions in grouped.values() for action in actions]


def meetable_teams(*, user: User | SystemActor) -> QuerySet[Team]:
    """The teams whose meetings the user may hold."""
    role = role_of(user)
    if role in COMPANY_WIDE:
        return Team.objects.order_by("code")
    if role not in MEETING_ROLES:
        return Team.objects.none()
    return Team.objects.filter(id__in=scope_for(user).led_team_ids).order_by("code")


def meeting_owners(*, meeting: SalesMeeting) -> QuerySet[Person]:
    """Who can own a countermeasure of a meeting: whoever was in the team during the meeting's
    period and has not left the company (a membership elsewhere does not count against them)."""
    members = Membership.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=meeting.period_start),
        team_id=meeting.team_id,
        start_date__lte=meeting.period_end,
    )
    return (
        Person.objects.filter(id__in=members.values("person_id"))
        .filter(Q(leave_date__isnull=True) | Q(leave_date__gte=timezone.localdate()))
        .order_by("code")
    )


def teams_without_meeting(*, manager: Person, period: Period) -> list[Team]:
    """The teams `manager` manages whose sales meeting about `period` is not held (two queries)."""
    teams = list(Team.objects.filter(manager=manager).order_by("code"))
    if not teams:
        return []
    held = set(
        SalesMeeting.objects.filter(
            team__in=teams, period_start__lte=period.end, period_end__gte=period.start
        ).values_list("team_id", flat=True)
    )
    return [team for team in teams if team.pk not in held]
