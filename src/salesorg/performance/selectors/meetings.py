"""Sales meetings (S13): agenda from the period's misses, causes, countermeasures, minutes.

The agenda holds, per rep of the team, every indicator that has a target for the period
(the metrics of targets.choices.Metric): a miss is a figure below its target, or above it
for the expense budget, which is a ceiling. A target beaten is never a miss, whatever the
month before; an indicator without a target is not on the agenda. A period still running
when the agenda is drawn up is judged against the part of each target due by that day
(pro-rated by working days elapsed, `PeriodProgress.prorate`; a count to a whole number).
A countermeasure becomes an action item (origin "meeting", source the agenda item). The
next meeting of the team shows the last meeting's action items that are still open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import cast

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone

from salesorg.core.roles import COMPANY_WIDE, Role, role_of
from salesorg.core.scoping import SYSTEM, Domain, SystemActor, scope_for
from salesorg.org.models import Membership, Person, Team
from salesorg.performance.choices import Level, ValueKind
from salesorg.performance.kpi.attribution import PERSON, org_snapshot
from salesorg.performance.kpi.columns import money
from salesorg.performance.kpi.exports import KIND_BY_FIELD
from salesorg.performance.kpi.exports import value_text as canonical_text
from salesorg.performance.kpi.indicators import indicator_table
from salesorg.performance.kpi.periods import Period, PeriodProgress, period_progress
from salesorg.performance.kpi.targets import period_targets
from salesorg.performance.models import MeetingItem, MissReason, SalesMeeting
from salesorg.performance.permissions import MEETING_ROLES
from salesorg.targets.choices import ActionStatus, Metric
from salesorg.targets.models import ActionItem

# Each target metric and the indicator (KPI.md) that measures it, in agenda order.
AGENDA_METRICS: tuple[tuple[str, str], ...] = (
    (Metric.SALES, "sales"),
    (Metric.GROSS_MARGIN, "gross_margin"),
    (Metric.COLLECTIONS, "collected"),
    (Metric.VISITS, "visits"),
    (Metric.NEW_CUSTOMERS, "new_customers"),
    (Metric.PROSPECTS_ADDED, "prospects_added"),
    (Metric.EXPENSE_BUDGET, "expenses"),
)
# Targets not to exceed: spending above the budget is the miss.
CEILINGS = frozenset({Metric.EXPENSE_BUDGET})


@dataclass(frozen=True)
class Miss:
    """One person's indicator below its target (or over its budget)."""

    person_id: int
    indicator: str
    reason: str
    value: str
    reference: str


def team_rep_ids(*, team: Team, period: Period) -> set[int]:
    """The reps who were members of the team at some time in the period (one query)."""
    return set(
        Membership.objects.filter(team=team, start_date__lte=period.end, person__role=Role.REP)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=period.start))
        .values_list("person_id", flat=True)
    )


def agenda_as_of(*, meeting: SalesMeeting) -> date | None:
    """The day the agenda was drawn up if the meeting's period had not ended then, else None."""
    drawn_up = timezone.localdate(meeting.created_at)
    return drawn_up if meeting.period_start <= drawn_up < meeting.period_end else None


def agenda_has_targets(*, meeting: SalesMeeting) -> bool:
    """Can the meeting's period have targets (whole months: targets are set per month)?"""
    return Period(start=meeting.period_start, end=meeting.period_end).covers_whole_months


def agenda_period_progress(*, meeting: SalesMeeting) -> PeriodProgress | None:
    """How far the period had run when a provisional agenda was drawn up (one query), or
    None when it was drawn up after the period: its targets are then the whole ones."""
    drawn_up = agenda_as_of(meeting=meeting)
    if drawn_up is None:
        return None
    period = Period(start=meeting.period_start, end=meeting.period_end)
    return period_progress(period, today=drawn_up)


def target_due(*, target: Decimal, metric: str, progress: PeriodProgress) -> Decimal:
    """The part of a period's target due by `progress.today`: all of it once the period has
    ended; a count (visits, customers) to a whole number."""
    due = cast(Decimal, progress.prorate(target))
    if KIND_BY_FIELD.get(dict(AGENDA_METRICS)[metric]) == ValueKind.COUNT:
        return due.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return due


def agenda_misses(*, team: Team, period: Period, today: date | None = None) -> list[Miss]:
    """Every miss of the team's reps in the period, by person code then metric order.

    Targets are set per month, so a period of part of a month has none and no agenda.
    """
    rep_ids = team_rep_ids(team=team, period=period)
    if not rep_ids or not period.covers_whole_months:
        return []
    progress = period_progress(period, today=today or timezone.localdate())
    org = org_snapshot()
    metrics = tuple(metric for metric, _indicator in AGENDA_METRICS)
    targets = period_targets(org=org, period=period, metrics=metrics, people=rep_ids)
    if not targets:
        return []
    ids = {org.people[rep_id].code: rep_id for rep_id in rep_ids if rep_id in org.people}
    table = indicator_table(
        user=SYSTEM,
        start=period.start,
        end=period.end,
        level=Level.PERSON,
        org=org,
        only=[(PERSON, rep_id) for rep_id in rep_ids],
    )
    misses = []
    for row in sorted(table.rows, key=lambda row: row.code):
        person_id = ids.get(row.code)
        for metric, indicator in AGENDA_METRICS:
            found = targets.get(((PERSON, person_id), metric)) if person_id else None
            figure = row.value(indicator)
            if found is None or figure is None:
                continue
            value = Decimal(figure)  # a count or an amount: every agenda indicator is a number
            target = target_due(
                target=money(cents=found.realistic), metric=metric, progress=progress
            )
            if metric in CEILINGS:
                reason = MissReason.OVER_BUDGET if value > target else None
            else:
                reason = MissReason.BELOW_TARGET if value < target else None
            if reason is None:
                continue
            kind = KIND_BY_FIELD.get(indicator)
            misses.append(
                Miss(
                    person_id=cast(int, person_id),
                    indicator=indicator,
                    reason=reason,
                    value=canonical_text(value=value, kind=kind) or "",
                    reference=canonical_text(value=target, kind=kind) or "",
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


def report_meeting_items(*, meeting: SalesMeeting, user: User) -> list[MeetingItem]:
    """The agenda as the team period report shows it to `user`: the items of the people whose
    records the user sees (a rep their own). Only the meeting page itself shows a rep the
    teammates' figures, which the meeting discusses (README, scoping; #21 F13)."""
    items = meeting_items(meeting=meeting)
    scope = scope_for(user)
    if scope.sees_all(Domain.SALES):
        return items
    return [item for item in items if item.person_id in scope.person_ids]


@dataclass(frozen=True)
class AgendaState:
    """How far a meeting has come, and which item's form the page opens (None: no form)."""

    analysed: int
    total: int
    editing: MeetingItem | None


def agenda_state(*, items: list[MeetingItem], wanted: str | None = None) -> AgendaState:
    """Count the analysed items; open the item asked for (`wanted`, an id of one of them),
    else the first one not yet analysed."""
    by_id = {str(item.pk): item for item in items}
    editing = by_id.get(wanted or "") or next(
        (item for item in items if not item.is_analysed), None
    )
    analysed = sum(1 for item in items if item.is_analysed)
    return AgendaState(analysed=analysed, total=len(items), editing=editing)


def next_to_analyse(*, meeting: SalesMeeting) -> MeetingItem | None:
    """The first item of the agenda still without a cause or countermeasure (one query)."""
    blank = Q(cause="") | Q(countermeasure="")
    return meeting.items.filter(blank).order_by("position", "id").first()


def item_open_action(item: MeetingItem) -> ActionItem | None:
    """The open action item of an item from `meeting_items` (its countermeasure's), if any."""
    actions = getattr(item, "actions", [])
    return next((action for action in actions if action.status == ActionStatus.OPEN), None)


def _actions_of(*, item_ids: list[int]) -> dict[int, list[ActionItem]]:
    if not item_ids:
        return {}
    items = ActionItem.objects.filter(
        source_type=ContentType.objects.get_for_model(MeetingItem), source_id__in=item_ids
    ).select_related("owner")
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
    return actions_carried_from(last=previous_meeting(meeting=meeting))


def actions_carried_from(*, last: SalesMeeting | None) -> list[ActionItem]:
    """The open action items of a meeting's countermeasures, soonest due first (one query)."""
    if last is None:
        return []
    return list(
        ActionItem.objects.filter(
            source_type=ContentType.objects.get_for_model(MeetingItem),
            source_id__in=last.items.values("id"),
            status=ActionStatus.OPEN,
        )
        .select_related("owner")
        .order_by("due_date", "id")
    )


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
