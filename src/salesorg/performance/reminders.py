"""Home-page reminders of scorecards and sales meetings (bounded queries)."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext as _

from salesorg.core.reminders import Reminder, reminder_provider
from salesorg.core.roles import Role
from salesorg.org.models import Team
from salesorg.performance.kpi.periods import this_month
from salesorg.performance.models import SalesMeeting, ScorecardPeriod

MEETING_DUE_DAYS = 10


@reminder_provider
def last_month_meetings(*, user, person, today):
    """Team leaders: last month's sales meeting not held yet (two queries)."""
    if person.role not in (Role.MANAGER, Role.REGION_HEAD):
        return
    last = this_month(today=today.replace(day=1) - timedelta(days=1))
    teams = list(Team.objects.filter(manager=person).order_by("code"))
    if not teams:
        return
    held = set(
        SalesMeeting.objects.filter(
            team__in=teams, period_start__lte=last.end, period_end__gte=last.start
        ).values_list("team_id", flat=True)
    )
    due = today.replace(day=1) + timedelta(days=MEETING_DUE_DAYS - 1)
    for team in teams:
        if team.pk not in held:
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
    if person.role not in (Role.DIRECTOR, Role.ADMIN):
        return
    last = this_month(today=today.replace(day=1) - timedelta(days=1))
    scored = ScorecardPeriod.objects.filter(kind="month", start=last.start).first()
    if scored is not None and scored.is_closed:
        return
    yield Reminder(
        kind="scorecards_close",
        text=_("Compute and close the scorecards of %(month)s") % {"month": f"{last.start:%Y-%m}"},
        url=scored.get_absolute_url() if scored else reverse("performance:scorecards"),
        due=None,
        overdue=False,
    )
