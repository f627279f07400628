"""Home-page cards of follow-ups (跟进): the person's own that are overdue, due today or whose
reminder day has come, and a leader's people's open ones, overdue first (a few queries)."""

from __future__ import annotations

from datetime import date

from salesorg.core.roles import SALES_FORCE, UNIT_LEADERS
from salesorg.work.selectors import follow_ups_due, team_follow_ups


def home_context(*, user, person, role: str | None, today: date, reminders=()) -> dict:
    """`follow_ups` for everyone in the sales force, `team_follow_ups` for unit leaders."""
    if person is None or role not in SALES_FORCE:
        return {}
    context = {"today": today, "follow_ups": follow_ups_due(user=user, person=person, today=today)}
    if role in UNIT_LEADERS:
        context["team_follow_ups"] = team_follow_ups(user=user, person=person, today=today)
    return context
