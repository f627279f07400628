"""Reads of action items that every layer above may need."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import User
from django.db.models import Count, Q, QuerySet

from salesorg.core.roles import LEADERS, SALES_FORCE, role_of
from salesorg.core.scoping import SystemActor, scope_for
from salesorg.org.models import Person
from salesorg.targets.choices import ActionOrigin
from salesorg.targets.models import ActionItem


def action_items_openable(*, user: User | SystemActor, ids: Iterable[int]) -> set[int]:
    """Which of these action items the user may open (their page answers 404 to the rest)."""
    visible = ActionItem.objects.visible_to(user).filter(id__in=list(ids))
    return set(visible.values_list("id", flat=True))


FOLLOW_UPS_LISTED = 30  # the most a home card lists; the action item list shows them all


def follow_up_owners(*, user: User, today: date) -> QuerySet[Person]:
    """Whom the user may give a follow-up: themselves; a leader also the people of the sales
    force they see who are still employed (director and admin anyone's)."""
    people = Person.objects.visible_to(user).filter(
        Q(leave_date__isnull=True) | Q(leave_date__gte=today), role__in=SALES_FORCE
    )
    if role_of(user) not in LEADERS:
        person_id = scope_for(user).person_id
        people = people.filter(pk=person_id) if person_id is not None else people.none()
    return people.order_by("name", "pk")


def _follow_ups(user: User) -> QuerySet[ActionItem]:
    """Open follow-ups the user sees, with their owner, customer and the record they came
    from (one query for the items and one per kind of record)."""
    return (
        ActionItem.objects.visible_to(user)
        .open()
        .filter(origin=ActionOrigin.FOLLOW_UP)
        .select_related("owner", "customer", "source_type")
        .prefetch_related("source")
        .order_by("due_date", "id")
    )


@dataclass
class FollowUpsDue:
    """A person's open follow-ups to act on today, in three groups."""

    overdue: list[ActionItem] = field(default_factory=list)
    due_today: list[ActionItem] = field(default_factory=list)
    reminded: list[ActionItem] = field(default_factory=list)  # reminder day come, not yet due

    def __bool__(self) -> bool:
        return bool(self.overdue or self.due_today or self.reminded)


def follow_ups_due(*, user: User, person: Person, today: date) -> FollowUpsDue:
    """The person's own open follow-ups that are overdue, due today or whose reminder day
    has come, soonest due first."""
    items = (
        _follow_ups(user)
        .filter(owner=person)
        .filter(Q(due_date__lte=today) | Q(remind_on__lte=today))
    )
    due = FollowUpsDue()
    for item in items[:FOLLOW_UPS_LISTED]:
        if item.due_date < today:
            due.overdue.append(item)
        elif item.due_date == today:
            due.due_today.append(item)
        else:
            due.reminded.append(item)
    return due


@dataclass(frozen=True)
class TeamFollowUps:
    """The open follow-ups of a leader's people: how many, how many overdue, the soonest."""

    count: int
    overdue: int
    items: list[ActionItem]


def team_follow_ups(*, user: User, person: Person, today: date) -> TeamFollowUps:
    """The open follow-ups of the people the user sees, not their own: overdue first (by
    due date), with counts."""
    items = _follow_ups(user).exclude(owner=person)
    counts = items.order_by().aggregate(
        count=Count("id"), overdue=Count("id", filter=Q(due_date__lt=today))
    )
    return TeamFollowUps(counts["count"], counts["overdue"], list(items[:FOLLOW_UPS_LISTED]))
