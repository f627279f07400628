"""The scheduled jobs of notifications: bring everyone's notifications up to date, and mail
the daily digests whose time has come (both run by `salesorg scheduler`)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from salesorg.core.digest import digests_send_due
from salesorg.core.notifications import notifications_refresh_all
from salesorg.core.scheduler import ScheduledJob, register_job

REFRESH_MINUTES = 30
DIGEST_MINUTES = 15  # a digest leaves at most this long after the time its reader chose


def notifications_job() -> dict[str, Any]:
    """Refresh every person's notifications."""
    return notifications_refresh_all()


def digest_job() -> dict[str, Any]:
    """Mail the digests due now."""
    return digests_send_due()


def jobs_register() -> None:
    """Notifications every half hour; digests every few minutes, each at its reader's time."""
    register_job(
        ScheduledJob(
            name="notifications",
            label=_("Notifications"),
            run=notifications_job,
            summary=_("%(people)s people, %(new)s new notifications, %(resolved)s no longer due"),
            hour=0,
            every_minutes=REFRESH_MINUTES,
            atomic=False,
        )
    )
    register_job(
        ScheduledJob(
            name="notification-digest",
            label=_("Daily e-mail digest"),
            run=digest_job,
            summary=_("%(sent)s digests sent, %(empty)s with nothing due, %(failed)s failed"),
            hour=0,
            every_minutes=DIGEST_MINUTES,
            atomic=False,
        )
    )
