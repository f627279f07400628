"""Reminders on the home page: what the logged-in person must act on now.

Each app registers providers with `@reminder_provider`, in a `reminders` module that its
AppConfig.ready() imports. A provider takes the user, their person and today's date and
returns reminders; it runs a bounded number of queries (the home page asserts a count),
never a query per item. `reminders_for` gathers them, most urgent first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from salesorg.core.roles import has_left, person_of


@dataclass(frozen=True)
class Reminder:
    """One thing to do: a short text, where to do it, and when it is due."""

    kind: str  # a stable key per provider, e.g. "action_item" (for tests and styling)
    text: str
    url: str
    due: date | None = None
    overdue: bool = False
    topic: str = ""  # what the item is about when its kind does not say (an action item's origin)


Provider = Callable[..., Iterable[Reminder]]
_PROVIDERS: list[Provider] = []


def reminder_provider(func: Provider) -> Provider:
    """Register `func(*, user, person, today)` as a source of home-page reminders."""
    if func not in _PROVIDERS:
        _PROVIDERS.append(func)
    return func


def reminder_providers() -> tuple[Provider, ...]:
    """The registered providers (the notification centre reads them too)."""
    return tuple(_PROVIDERS)


def reminders_for(user, *, today: date | None = None) -> list[Reminder]:
    """Every registered provider's reminders for `user`: overdue first, then by due date."""
    person = person_of(user)
    if person is None or has_left(user):
        return []
    today = today or timezone.localdate()
    reminders = [
        reminder
        for provider in _PROVIDERS
        for reminder in provider(user=user, person=person, today=today)
    ]
    return sorted(reminders, key=lambda r: (not r.overdue, r.due or date.max, r.text))
