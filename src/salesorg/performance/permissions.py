"""Who may write in the performance app: incentive policies, scorecards, sales meetings."""

from __future__ import annotations

from salesorg.core.roles import COMPANY_WIDE, LEADERS, role_of
from salesorg.core.scoping import scope_for
from salesorg.org.models import Team

# Who writes incentive policies and computes, closes and reopens scorecards.
POLICY_WRITERS = COMPANY_WIDE
SCORECARD_WRITERS = COMPANY_WIDE
# Who may hold a team's sales meeting: its leaders, and the company-wide roles for every team.
MEETING_ROLES = LEADERS


def can_write_policy(user) -> bool:
    """Director and admin create and publish incentive policies."""
    return role_of(user) in POLICY_WRITERS


def can_manage_scorecards(user) -> bool:
    """Director and admin compute, close and reopen scorecards."""
    return role_of(user) in SCORECARD_WRITERS


def can_run_meeting(user, team: Team) -> bool:
    """Managers and region heads for the teams they lead; director and admin for all."""
    role = role_of(user)
    if role in COMPANY_WIDE:
        return True
    return role in MEETING_ROLES and team.pk in scope_for(user).led_team_ids
