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

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from salesorg.core.calendar import workday_set
from salesorg.core.problems import Problems
from salesorg.core.roles import Role, person_of, role_of
from salesorg.core.scoping import scope_for
from salesorg.org.models import Membership, Person, Team
from salesorg.performance.choices import Level
from salesorg.performance.exports import KIND_BY_FIELD
from salesorg.performance.exports import value_text as canonical_text
from salesorg.performance.indicators import indicator_table
from salesorg.performance.models import CauseCategory, MeetingItem, MissReason, SalesMeeting
from salesorg.performance.models.meetings import DEFAULT_TITLE
from salesorg.performance.periods import Period, PeriodProgress, month_end, period_progress
from salesorg.targets.actions import action_item_create
from salesorg.targets.choices import ActionOrigin, ActionStatus
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
MEETING_ROLES = frozenset({Role.MANAGER, Role.REGION_HEAD, Role.DIRECTOR, Role.ADMIN})


@dataclass(frozen=True)
class Miss:
    """One person's indicator below target or below the previous period."""

    person_id: int
    indicator: str
    reason: str
    value: str
    reference: str


def can_run_meeting(user, team: Team) -> bool:
    """Managers and region heads for the teams they lead; director and admin for all."""
    role = role_of(user)
    if role in (Role.DIRECTOR, Role.ADMIN):
        return True
    return role in MEETING_ROLES and team.pk in scope_for(user).led_team_ids


def previous_period(period: Period) -> Period:
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
    before = previous_period(period)
    if not progress.running:
        return before
    days = sorted(workday_set(before.start, before.end))[: progress.workdays_elapsed]
    return Period(start=before.start, end=days[-1]) if days else Period(before.start, before.start)


def agenda_as_of(meeting: SalesMeeting) -> date | None:
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
        for row in indicator_table(start=period.start, end=period.end, level=Level.PERSON).rows
        if row.code in codes
    }
    before_period = same_workdays_before(period=period, progress=progress)
    before = {
        row.code: row
        for row in indicator_table(
            start=before_period.start, end=before_period.end, level=Level.PERSON
        ).rows
        if row.code in codes
    }
    misses = []
    for code in sorted(now):
        row, last = now[code], before.get(code)
        for indicator, target_column in AGENDA_INDICATORS:
            value = row.value(indicator)
            if value is None:
                continue
            kind = KIND_BY_FIELD.get(indicator)
            target = progress.prorate(row.value(target_column)) if target_column else None
            previous = last.value(indicator) if last is not None else None
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


@transaction.atomic
def meeting_create(
    *,
    actor,
    team: Team | None,
    period_start: date | None,
    period_end: date | None,
    held_on: date | None,
    title: str = "",
) -> SalesMeeting:
    """Create a team's meeting about a period with its agenda of misses."""
    problems = Problems()
    if team is None:
        problems.add("team", _("This field is required."))
    elif actor is not None and not can_run_meeting(actor, team):
        problems.add("team", _("You may not hold meetings of this team."))
    for field, value in (
        ("period_start", period_start),
        ("period_end", period_end),
        ("held_on", held_on),
    ):
        if value is None:
            problems.add(field, _("This field is required."))
    if period_start and period_end and period_end < period_start:
        problems.add("period_end", _("The end date cannot be before the start date."))
    problems.raise_if_any()
    period = Period(start=period_start, end=period_end)
    meeting = SalesMeeting.objects.create(
        team=team,
        period_start=period_start,
        period_end=period_end,
        held_on=held_on,
        title=(title or "").strip()
        or DEFAULT_TITLE % {"team": team.name, "start": period_start, "end": period_end},
        chaired_by=person_of(actor) if actor is not None else team.manager,
    )
    MeetingItem.objects.bulk_create(
        MeetingItem(
            meeting=meeting,
            person_id=miss.person_id,
            indicator=miss.indicator,
            reason=miss.reason,
            value=miss.value,
            reference=miss.reference,
            position=position,
        )
        for position, miss in enumerate(
            agenda_misses(team=team, period=period, today=timezone.localdate())
        )
    )
    return meeting


@transaction.atomic
def meeting_item_record(
    *,
    actor,
    item: MeetingItem,
    cause_category: str,
    cause: str,
    countermeasure: str = "",
    owner: Person | None = None,
    due_date: date | None = None,
) -> MeetingItem:
    """Record an item's real cause and countermeasure; the countermeasure becomes an
    action item (once) for `owner` (default: the person of the item) due on `due_date`."""
    problems = Problems()
    if actor is not None and not can_run_meeting(actor, item.meeting.team):
        problems.add("cause", _("You may not hold meetings of this team."))
        problems.raise_if_any()
    if cause_category not in CauseCategory.values:
        problems.add("cause_category", _("Choose a cause category."))
    if not (cause or "").strip():
        problems.add("cause", _("Describe the real cause."))
    has_action = ActionItem.objects.filter(
        source_type=ContentType.objects.get_for_model(MeetingItem), source_id=item.pk
    ).exists()
    countermeasure = (countermeasure or "").strip()
    if countermeasure and not has_action and due_date is None:
        problems.add("due_date", _("Give the countermeasure a due date."))
    problems.raise_if_any()
    item.cause_category = cause_category
    item.cause = cause.strip()
    item.countermeasure = countermeasure
    item.save(update_fields=["cause_category", "cause", "countermeasure"])
    if countermeasure and not has_action:
        action_item_create(
            title=countermeasure.splitlines()[0][:200],
            detail=countermeasure,
            owner=owner or item.person,
            due_date=due_date,
            origin=ActionOrigin.MEETING,
            source=item,
            actor=actor,
        )
    return item


@transaction.atomic
def meeting_minutes_save(*, actor, meeting: SalesMeeting, minutes: str) -> SalesMeeting:
    """Keep the minutes of a meeting (visible to the team)."""
    problems = Problems()
    if actor is not None and not can_run_meeting(actor, meeting.team):
        problems.add("minutes", _("You may not hold meetings of this team."))
    problems.raise_if_any()
    meeting.minutes = minutes or ""
    meeting.save(update_fields=["minutes"])
    return meeting


def meeting_items(meeting: SalesMeeting) -> list[MeetingItem]:
    """The agenda with each item's action items attached as `.actions` (two queries)."""
    items = list(meeting.items.select_related("person").order_by("position", "id"))
    actions = _actions_of(item_ids=[item.pk for item in items])
    for item in items:
        item.actions = actions.get(item.pk, [])
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
        grouped.setdefault(action.source_id, []).append(action)
    return grouped


def previous_meeting(meeting: SalesMeeting) -> SalesMeeting | None:
    """The team's meeting held just before this one."""
    return (
        SalesMeeting.objects.filter(team_id=meeting.team_id)
        .filter(Q(held_on__lt=meeting.held_on) | Q(held_on=meeting.held_on, id__lt=meeting.pk))
        .order_by("-held_on", "-id")
        .first()
    )


def carried_actions(meeting: SalesMeeting) -> list[ActionItem]:
    """The last meeting's action items still open: the next meeting opens with them."""
    last = previous_meeting(meeting)
    if last is None:
        return []
    item_ids = list(last.items.values_list("id", flat=True))
    grouped = _actions_of(item_ids=item_ids, status=ActionStatus.OPEN)
    return [action for actions in grouped.values() for action in actions]


def meetable_teams(user):
    """The teams whose meetings the user may hold."""
    role = role_of(user)
    if role in (Role.DIRECTOR, Role.ADMIN):
        return Team.objects.order_by("code")
    if role not in MEETING_ROLES:
        return Team.objects.none()
    return Team.objects.filter(id__in=scope_for(user).led_team_ids).order_by("code")
