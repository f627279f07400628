"""Sales meeting writes: create a meeting with its agenda, record items, save minutes."""

from __future__ import annotations

from datetime import date
from typing import cast

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from salesorg.core.problems import Problems
from salesorg.core.roles import person_of
from salesorg.org.models import Person, Team
from salesorg.performance.kpi.periods import Period, period_length_problem
from salesorg.performance.models import CauseCategory, MeetingItem, SalesMeeting
from salesorg.performance.models.meetings import DEFAULT_TITLE
from salesorg.performance.permissions import can_run_meeting
from salesorg.performance.selectors.meetings import agenda_misses
from salesorg.targets.choices import ActionOrigin
from salesorg.targets.models import ActionItem
from salesorg.work.actions import action_item_create, action_items_revise


@transaction.atomic
def meeting_create(
    *,
    actor: User | None,
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
    elif period_start and period_end:
        # The agenda is read from the period's indicators, which refuse a longer period.
        too_long = period_length_problem(start=period_start, end=period_end)
        if too_long is not None:
            problems.add("period_end", too_long)
    problems.raise_if_any()
    # The checks above leave every value given.
    assert team is not None and period_start and period_end and held_on is not None
    period = Period(start=period_start, end=period_end)
    meeting = SalesMeeting(
        team=team,
        period_start=period_start,
        period_end=period_end,
        held_on=held_on,
        title=(title or "").strip()
        or DEFAULT_TITLE % {"team": team.name, "start": period_start, "end": period_end},
        chaired_by=person_of(actor) if actor is not None else team.manager,
    )
    # The columns' own limits (a title longer than its column was a 500 on PostgreSQL).
    meeting.full_clean()
    meeting.save()
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
    actor: User | None,
    item: MeetingItem,
    cause_category: str,
    cause: str,
    countermeasure: str = "",
    owner: Person | None = None,
    due_date: date | None = None,
) -> MeetingItem:
    """Record an item's real cause and countermeasure; the countermeasure becomes an
    action item (once) for `owner` (default: the person of the item) due on `due_date`, and
    an edit of it is carried to that item while it is open."""
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
    if countermeasure and has_action:
        action_items_revise(
            source=item,
            title=countermeasure.splitlines()[0],
            detail=countermeasure,
            due_date=due_date,
            owner=owner,
            actor=actor,
        )
    elif countermeasure:
        action_item_create(
            title=countermeasure.splitlines()[0][:200],
            detail=countermeasure,
            owner=owner or item.person,
            due_date=cast(date, due_date),  # required above for a new countermeasure
            origin=ActionOrigin.MEETING,
            source=item,
            actor=actor,
        )
    return item


@transaction.atomic
def meeting_minutes_save(
    *, actor: User | None, meeting: SalesMeeting, minutes: str
) -> SalesMeeting:
    """Keep the minutes of a meeting (visible to the team)."""
    problems = Problems()
    if actor is not None and not can_run_meeting(actor, meeting.team):
        problems.add("minutes", _("You may not hold meetings of this team."))
    problems.raise_if_any()
    meeting.minutes = minutes or ""
    meeting.save(update_fields=["minutes"])
    return meeting
