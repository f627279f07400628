"""Org's part of the home page: the person's current team and the counts of what they see."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User

from salesorg.core.reminders import Reminder
from salesorg.org.models import Person
from salesorg.org.selectors import org_summary, person_current_team


def home_context(
    *,
    user: User,
    person: Person | None,
    role: str | None,
    today: date,
    reminders: list[Reminder],
) -> dict:
    """The team card and the organization summary of anyone's home page."""
    return {
        "team": person_current_team(person=person) if person else None,
        "summary": org_summary(user=user),
    }
