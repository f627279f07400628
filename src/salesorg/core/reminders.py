"""Reminders on the home page: what the logged-in person must act on now.

Each app registers providers with `@reminder_provider`, in a `reminders` module that its
AppConfig.ready() names with `reminder_modules()`: it is imported when reminders are first
asked for (a home page, the notification centre), not at start-up, so a command from the
shell does not load the selectors behind them. A provider takes the user, their person and
today's date and returns reminders; it runs a bounded number of queries (the home page
asserts a count), never a query per item. `reminders_for` gathers them, most urgent first."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from importlib import import_module

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
_MODULES: list[str] = []  # modules that register providers when imported


def reminder_modules(*names: str) -> None:
    """Name modules ("salesorg.customers.reminders") whose providers (and what of them the
    notification centre carries) register on import; they are imported before providers are
    first read."""
    _MODULES.extend(name for name in names if name not in _MODULES)


def _import_modules() -> None:
    for name in tuple(_MODULES):
        import_module(name)  # once: later calls find it among the imported modules


def reminder_provider(func: Provider) -> Provider:
    """Register `func(*, user, person, today)` as a source of home-page reminders."""
    if func not in _PROVIDERS:
        _PROVIDERS.append(func)
    return func


def reminder_providers() -> tuple[Provider, ...]:
    """The registered providers (the notification centre reads them too)."""
    _import_modules()
    return tuple(_PROVIDERS)


def reminders_for(user, *, today: date | None = None) -> list[Reminder]:
    """Every registered provider's reminders for `user`: overdue first, then by due date."""
    person = person_of(user)
    if person is None or has_left(user):
        return []
    today = today or timezone.localdate()
    reminders = [
        reminder
        for provider in reminder_providers()
        for reminder in provider(user=user, person=person, today=today)
    ]
    return sorted(reminders, key=lambda r: (not r.overdue, r.due or date.max, r.text))
