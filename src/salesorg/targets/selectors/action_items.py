"""Reads of action items for the targets pages and the home-page reminders."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.db.models import QuerySet

from salesorg.core.scoping import Domain, SystemActor, scope_for
from salesorg.org.models import Person
from salesorg.targets.choices import ActionOrigin, ActionStatus
from salesorg.targets.models import ActionItem


def action_item_list(*, user: User | SystemActor, status: str) -> QuerySet[ActionItem]:
    """Action items of the people in the user's scope in a status (any status if unknown), by
    due date. A teammate's meeting countermeasure opens from the meeting, but is not listed:
    the list is the user's (and their people's) work."""
    items = ActionItem.objects.visible_to(user).select_related("owner", "customer")
    scope = scope_for(user)
    if not scope.sees_all(Domain.SALES):
        items = items.filter(owner_id__in=scope.person_ids)
    if status in ActionStatus.values:
        items = items.filter(status=status)
    return items.order_by("due_date", "id")


def open_action_items_of(*, person: Person, limit: int) -> list[ActionItem]:
    """The person's own open action items, soonest due first; not their follow-ups, which
    have their own home card from their reminder day on (`work.selectors.follow_ups_due`)."""
    items = (
        ActionItem.objects.open()
        .filter(owner=person)
        .exclude(origin=ActionOrigin.FOLLOW_UP)
        .order_by("due_date", "id")
    )
    return list(items[:limit])


def overdue_action_items_of(*, people: set[int], today: date, limit: int) -> list[ActionItem]:
    """The overdue action items of these people, soonest due first, with their owners."""
    items = (
        ActionItem.objects.overdue(today)
        .filter(owner_id__in=people)
        .select_related("owner")
        .order_by("due_date", "id")
    )
    return list(items[:limit])
