"""Notifications: what is due to each person, kept in their notification centre (with an unread
count in the top bar) and mailed in a daily digest (core.digest).

The items come from the home-page reminder providers (core.reminders) and from providers
registered here with `@notification_provider` (items with a home card of their own, such as
follow-ups): the rules of what is due live once, in the apps. Each reminder kind belongs to a
notification kind through `notify_reminder_kinds()` (an app maps its own reminder kinds; a
reminder's `topic` can decide instead, e.g. an action item from a stakeholder change); a
reminder of no mapped kind is not notified.

`notifications_refresh` turns a person's current items into rows, one per stable key (the
reminder's kind and link), so running it again (the scheduled job, opening the centre) never
duplicates one. A row whose item is no longer reported is kept as "no longer due". A
provider writes its sentence in the active language, so the refresh runs the providers once
per language of settings.LANGUAGES and keeps each sentence: every reader sees their own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from salesorg.core.models import Notification, NotificationPreference
from salesorg.core.reminders import Reminder, reminder_providers
from salesorg.core.roles import has_left, person_of

# Rows that are read and no longer due are forgotten after this long.
KEEP_DONE = timedelta(days=90)


@dataclass(frozen=True)
class NotificationKind:
    """A kind of notification a person can turn off: its key and label."""

    key: str
    label: str | Promise


# The kinds, in the order the preference page lists them.
KINDS: tuple[NotificationKind, ...] = (
    NotificationKind("action_items", _("Overdue action items")),
    NotificationKind("follow_ups", pgettext_lazy("notification kind", "Follow-ups due")),
    NotificationKind("approvals", _("Approvals waiting for you")),
    NotificationKind("training", _("Training and onboarding due")),
    NotificationKind("stakeholders", _("Key stakeholder changes")),
    NotificationKind("root_causes", _("Downgrades and their root causes")),
    NotificationKind("other", _("Other reminders")),
)
KIND_KEYS = frozenset(kind.key for kind in KINDS)

_BY_REMINDER_KIND: dict[str, str] = {}
_BY_TOPIC: dict[str, str] = {}
_PROVIDERS: list[Callable[..., Iterable[Reminder]]] = []


def notify_reminder_kinds(
    kind: str, *, reminder_kinds: Iterable[str] = (), topics: Iterable[str] = ()
) -> None:
    """Notify reminders of these kinds (or about these topics, which win) as `kind`."""
    if kind not in KIND_KEYS:
        raise ValueError(f"Unknown notification kind {kind!r}")
    _BY_REMINDER_KIND.update(dict.fromkeys(reminder_kinds, kind))
    _BY_TOPIC.update(dict.fromkeys(topics, kind))


def notification_provider(func):
    """Register `func(*, user, person, today)` as a source of notifications only (its items
    have their own place on the home page); it returns Reminders, like a reminder provider."""
    if func not in _PROVIDERS:
        _PROVIDERS.append(func)
    return func


def kind_label(key: str) -> str:
    """A kind's label in the active language (its key if it is unknown)."""
    return next((str(kind.label) for kind in KINDS if kind.key == key), key)


def notification_kind_of(reminder: Reminder) -> str | None:
    """The notification kind of a reminder, or None when it is not notified."""
    if reminder.topic and reminder.topic in _BY_TOPIC:
        return _BY_TOPIC[reminder.topic]
    return _BY_REMINDER_KIND.get(reminder.kind)


# --- preferences --------------------------------------------------------------------------


def notification_preference_of(user) -> NotificationPreference:
    """The user's preferences (the defaults, unsaved, when they have chosen nothing yet)."""
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference or NotificationPreference(user=user)


@transaction.atomic
def notification_preference_save(
    *,
    user,
    language: str,
    digest: bool,
    digest_time,
    kinds_off: Iterable[str],
    digest_kinds_off: Iterable[str],
) -> NotificationPreference:
    """Save the user's choices; the notifications of kinds now turned off leave the centre."""
    preference = notification_preference_of(user)
    preference.language = language
    preference.digest = digest
    preference.digest_time = digest_time
    preference.kinds_off = sorted(set(kinds_off) & KIND_KEYS)
    preference.digest_kinds_off = sorted(set(digest_kinds_off) & KIND_KEYS)
    preference.save()
    Notification.objects.filter(recipient=user, kind__in=preference.kinds_off).delete()
    return preference


def notification_language_set(*, user, language: str) -> None:
    """The language the person chose in the menu is their digest's language too."""
    if language not in dict(settings.LANGUAGES):
        return
    preference = notification_preference_of(user)
    if preference.language != language:
        preference.language = language
        preference.save()


# --- the refresh ----------------------------------------------------------------------------


@dataclass
class _Item:
    kind: str
    url: str
    due: date | None
    overdue: bool
    texts: dict[str, str]


def _reminders(*, user, person, today: date) -> Iterable[Reminder]:
    for provider in (*reminder_providers(), *_PROVIDERS):
        yield from provider(user=user, person=person, today=today)


def _current_items(*, user, person, today: date, kinds_off: Iterable[str]) -> dict[str, _Item]:
    """The person's items now, by key, each with its sentence in every language."""
    off = set(kinds_off)
    items: dict[str, _Item] = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for reminder in _reminders(user=user, person=person, today=today):
                kind = notification_kind_of(reminder)
                if kind is None or kind in off:
                    continue
                key = f"{reminder.kind}|{reminder.url}"[:255]
                item = items.setdefault(
                    key, _Item(kind, reminder.url, reminder.due, reminder.overdue, {})
                )
                item.texts.setdefault(language, reminder.text)
    return items


@transaction.atomic
def notifications_refresh(
    *, user, today: date | None = None, now: datetime | None = None
) -> dict[str, int]:
    """Bring the user's notifications up to date: a row for each new item, the sentence of
    one that changed (a count), "no longer due" on one no longer reported. Returns counts."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    person = person_of(user)
    current: dict[str, _Item] = {}
    if person is not None and not has_left(user) and user.is_active:
        preference = notification_preference_of(user)
        current = _current_items(
            user=user, person=person, today=today, kinds_off=preference.kinds_off
        )
    known = {
        row.key: row
        for row in Notification.objects.filter(recipient=user).filter(
            Q(resolved_at__isnull=True) | Q(key__in=list(current))
        )
    }
    new = [
        Notification(
            recipient=user,
            kind=item.kind,
            key=key,
            texts=item.texts,
            url=item.url[:500],
            due=item.due,
            overdue=item.overdue,
            created_at=now,
        )
        for key, item in current.items()
        if key not in known
    ]
    # A concurrent refresh (the job and the page at once) may insert the same key first.
    Notification.objects.bulk_create(new, ignore_conflicts=True)
    changed = []
    for key, row in known.items():
        item = current.get(key)
        if item is None:
            if row.resolved_at is None:
                row.resolved_at = now
                changed.append(row)
            continue
        fields = (item.kind, item.texts, item.due, item.overdue, None)
        if (row.kind, row.texts, row.due, row.overdue, row.resolved_at) != fields:
            row.kind, row.texts, row.due, row.overdue, row.resolved_at = fields
            changed.append(row)
    Notification.objects.bulk_update(
        changed, ["kind", "texts", "due", "overdue", "resolved_at"], batch_size=500
    )
    resolved = sum(1 for row in changed if row.resolved_at is not None)
    return {"new": len(new), "updated": len(changed) - resolved, "resolved": resolved}


def notifications_refresh_all(*, today: date | None = None) -> dict[str, Any]:
    """Refresh every active login's notifications (the scheduled job) and forget the rows
    read and no longer due for KEEP_DONE; returns the counts."""
    now = timezone.now()
    totals = {"people": 0, "new": 0, "resolved": 0}
    for user in get_user_model().objects.filter(is_active=True).order_by("pk").iterator():
        counts = notifications_refresh(user=user, today=today, now=now)
        totals["people"] += 1
        totals["new"] += counts["new"]
        totals["resolved"] += counts["resolved"]
    Notification.objects.filter(read_at__isnull=False, resolved_at__lt=now - KEEP_DONE).delete()
    return totals


# --- reads and marks --------------------------------------------------------------------------


def notification_list(*, user) -> QuerySet[Notification]:
    """The user's own notifications, newest first (nobody sees another's)."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def notification_unread_count(*, user) -> int:
    """How many of the user's notifications are unread and still due: one count query."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(
        recipient=user, read_at__isnull=True, resolved_at__isnull=True
    ).count()


def notification_mark_read(*, notification: Notification, now: datetime | None = None) -> None:
    """Mark one of the user's notifications read (again: nothing changes)."""
    if notification.read_at is None:
        notification.read_at = now or timezone.now()
        notification.save(update_fields=["read_at"])


def notifications_mark_all_read(*, user, now: datetime | None = None) -> int:
    """Mark all the user's unread notifications read; returns how many."""
    return (
        notification_list(user=user)
        .filter(read_at__isnull=True)
        .update(read_at=now or timezone.now())
    )
