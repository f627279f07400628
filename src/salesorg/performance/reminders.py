"""Home-page reminders of scorecards and sales meetings (bounded queries)."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext as _

from salesorg.core.notifications import notify_reminder_kinds
from salesorg.core.reminders import Reminder, reminder_provider
from salesorg.core.roles import COMPANY_WIDE, UNIT_LEADERS
from salesorg.performance.kpi.periods import this_month
from salesorg.performance.selectors.meetings import teams_without_meeting
from salesorg.performance.selectors.scorecards import month_scorecard_period

MEETING_DUE_DAYS = 10


@reminder_provider
def last_month_meetings(*, user, person, today):
    """Team leaders: last month's sales meeting not held yet (two queries)."""
    if person.role not in UNIT_LEADERS:
        return
    last = this_month(today=today.replace(day=1) - timedelta(days=1))
    due = today.replace(day=1) + timedelta(days=MEETING_DUE_DAYS - 1)
    for team in teams_without_meeting(manager=person, period=last):
        yield Reminder(
            kind="sales_meeting",
            text=_("Hold the sales meeting of %(team)s about %(month)s")
            % {"team": team.name, "month": f"{last.start:%Y-%m}"},
            url=reverse("performance:meeting_create"),
            due=due,
            overdue=today > due,
        )


@reminder_provider
def last_month_scorecards(*, user, person, today):
    """Director and admin: last month's scorecards not closed yet (one query)."""
    if person.role not in COMPANY_WIDE:
        return
    last = this_month(today=today.replace(day=1) - timedelta(days=1))
    scored = month_scorecard_period(start=last.start)
    if scored is not None and scored.is_closed:
        return
    yield Reminder(
        kind="scorecards_close",
        text=_("Compute and close the scorecards of %(month)s") % {"month": f"{last.start:%Y-%m}"},
        url=scored.get_absolute_url() if scored else reverse("performance:scorecards"),
        due=None,
        overdue=False,
    )


# What of these the notification centre and the digest carry (core.notifications).
notify_reminder_kinds("other", reminder_kinds=["sales_meeting", "scorecards_close"])
