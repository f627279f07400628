"""The daily e-mail digest of each person's notifications, through Django's mail settings.

Mail is off until SALESORG_SMTP_HOST is set (settings.SALESORG_MAIL_ENABLED). The scheduled
job runs every few minutes and mails those whose chosen time of day has come and who have no
digest of today yet. A digest is claimed by inserting its DigestSend row (unique user + day)
in a transaction of its own before the mail goes out, so with several machines it is sent
once; a send that fails gives its claim back, and the next run tries again.

The digest lists the notifications still due, in the reader's language (their preference),
each with an absolute link (settings.SALESORG_BASE_URL).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import ngettext

from salesorg.core.models import DigestSend, Notification, NotificationPreference
from salesorg.core.notifications import (
    KINDS,
    notification_list,
    notification_preference_of,
    notifications_refresh,
)
from salesorg.core.roles import has_left, person_of

logger = logging.getLogger("salesorg.digest")

DIGEST_ITEMS = 50  # the most one mail lists; the centre has them all


def mail_enabled() -> bool:
    """Is outgoing mail configured (SALESORG_SMTP_HOST set)?"""
    return bool(getattr(settings, "SALESORG_MAIL_ENABLED", False))


def absolute_url(path: str) -> str:
    """A link of the site as a reader of a mail opens it (settings.SALESORG_BASE_URL)."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.SALESORG_BASE_URL.rstrip("/") + "/" + path.lstrip("/")


@dataclass(frozen=True)
class DigestItem:
    """One notification as the mail shows it, with its absolute link."""

    text: str
    link: str
    due: date | None
    overdue: bool


@dataclass(frozen=True)
class DigestSection:
    """The digest's notifications of one kind."""

    label: str
    items: list[DigestItem]


def digest_sections(*, user, preference: NotificationPreference) -> list[DigestSection]:
    """The user's notifications still due, of the kinds kept in their digest, by kind in the
    order of the preference page, overdue and soonest due first (in the active language)."""
    off = set(preference.kinds_off) | set(preference.digest_kinds_off)
    rows = list(
        notification_list(user=user)
        .filter(resolved_at__isnull=True)
        .exclude(kind__in=off)
        .order_by("-overdue", "due", "-created_at", "-pk")[:DIGEST_ITEMS]
    )
    return [
        DigestSection(label=str(kind.label), items=items)
        for kind in KINDS
        if (items := [_digest_item(row) for row in rows if row.kind == kind.key])
    ]


def _digest_item(row: Notification) -> DigestItem:
    return DigestItem(text=row.text, link=absolute_url(row.url), due=row.due, overdue=row.overdue)


def digest_message(
    *, user, preference: NotificationPreference, today: date
) -> tuple[EmailMultiAlternatives, int] | None:
    """The digest mail of the user and how many items it lists (None when nothing is due),
    in their language."""
    with translation.override(preference.language):
        sections = digest_sections(user=user, preference=preference)
        if not sections:
            return None
        context = {
            "user": user,
            "sections": sections,
            "today": today,
            "count": sum(len(section.items) for section in sections),
            "centre_url": absolute_url("/notifications/"),
            "preferences_url": absolute_url("/notifications/preferences/"),
        }
        subject = ngettext(
            "SalesOrg: %(count)d item due (%(date)s)",
            "SalesOrg: %(count)d items due (%(date)s)",
            context["count"],
        ) % {
            "count": context["count"],
            "date": today.isoformat(),
        }
        text = render_to_string("notifications/digest.txt", context)
        html = render_to_string("notifications/digest.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[digest_address(user)],
        headers={"Content-Language": preference.language},
    )
    message.attach_alternative(html, "text/html")
    return message, context["count"]


def _claim(*, user, today: date) -> DigestSend | None:
    """Insert the user's digest of today; None when another process already did."""
    try:
        with transaction.atomic():
            return DigestSend.objects.create(user=user, day=today)
    except IntegrityError:
        return None


def digest_send(*, user, today: date, now: datetime | None = None) -> str:
    """Send the user's digest of today unless it was: "sent", "empty" (nothing due), "taken"
    (another process has it) or "failed" (claim given back)."""
    claim = _claim(user=user, today=today)
    if claim is None:
        return "taken"
    try:
        notifications_refresh(user=user, today=today, now=now)
        preference = notification_preference_of(user)
        digest = digest_message(user=user, preference=preference, today=today)
        if digest is None:
            return "empty"
        message, count = digest
        message.send()
    except Exception:
        claim.delete()
        raise
    claim.sent_at = timezone.now()
    claim.items = count
    claim.save(update_fields=["sent_at", "items"])
    return "sent"


def digest_address(user) -> str:
    """Where the user's digest goes: their login's e-mail, else their person's."""
    return user.email or getattr(person_of(user), "email", "") or ""


def digest_recipients(*, now: datetime) -> list:
    """Active logins with an e-mail address (theirs or their person's) whose digest time of
    today has come and who have no digest of today yet (the default time if they chose none)."""
    local = timezone.localtime(now)
    default_time = NotificationPreference._meta.get_field("digest_time").default
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(digest_sends__day=local.date())
        .select_related("notification_preference")
        .order_by("pk")
    )
    due = []
    for user in users:
        preference = getattr(user, "notification_preference", None)
        wanted = preference.digest_time if preference else default_time
        wants = preference is None or preference.digest
        if wants and wanted <= local.time() and not has_left(user) and digest_address(user):
            due.append(user)
    return due


def digests_send_due(*, now: datetime | None = None) -> dict[str, Any]:
    """Mail the digests whose time has come (the scheduled job); counts by outcome."""
    now = now or timezone.now()
    counts = {"sent": 0, "empty": 0, "failed": 0}
    if not mail_enabled():
        return counts
    today = timezone.localdate(now)
    for user in digest_recipients(now=now):
        try:
            outcome = digest_send(user=user, today=today, now=now)
        except Exception:  # one bad address or a mail server hiccup stops no one else's
            logger.exception("digest of %s not sent", user.get_username())
            counts["failed"] += 1
            continue
        if outcome in counts:
            counts[outcome] += 1
    return counts
