"""The development app's daily jobs (run by `salesorg scheduler`)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesorg.core.scheduler import ScheduledJob, register_job
from salesorg.core.scoping import SYSTEM
from salesorg.development.selectors.handover import leavers_holding
from salesorg.development.services.personnel import position_changes_apply
from salesorg.org.services import leaver_logins_end


def position_changes_job() -> dict[str, Any]:
    """Apply the approved position changes whose effective date is today or earlier."""
    return {"applied": position_changes_apply(today=timezone.localdate())}


def leaver_check_job() -> dict[str, Any]:
    """End leavers' logins; count the leavers who still hold records (the leaver check page
    and their leaders' home pages list them)."""
    today = timezone.localdate()
    ended = leaver_logins_end(today=today)
    return {"ended": ended, "holding": len(leavers_holding(user=SYSTEM, today=today))}


def jobs_register() -> None:
    """Position changes just after midnight, so a promotion holds from its first day; then
    the leavers check."""
    register_job(
        ScheduledJob(
            name="apply-position-changes",
            label=_("Position changes"),
            run=position_changes_job,
            summary=_("%(applied)s position changes applied"),
            hour=0,
            minute=5,
        )
    )
    register_job(
        ScheduledJob(
            name="leaver-check",
            label=_("Leaver check"),
            run=leaver_check_job,
            summary=_("%(ended)s logins of leavers ended, %(holding)s leavers still hold records"),
            hour=0,
            minute=15,
        )
    )
