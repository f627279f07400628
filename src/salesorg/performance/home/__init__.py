"""Home-page figures by role, all from the indicator engine (a bounded number of queries).

One module per role: `rep`, `manager` (team managers and region heads), `director`
(directors and admins) and `finance`; `running` compares figures of a running period
with the target due by today; `todos` groups a leader's to-dos by kind. The trainer's and
a new hire's cards come from the development app (`salesorg.development.home`).
"""

from __future__ import annotations

from datetime import date

from salesorg.core.reminders import Reminder
from salesorg.core.roles import Role
from salesorg.performance.home.director import director_home
from salesorg.performance.home.finance import finance_home
from salesorg.performance.home.manager import manager_home
from salesorg.performance.home.rep import rep_home, rep_month, run_rate

__all__ = ["home_context", "rep_month", "run_rate"]


def home_context(
    *, user, person, role: str | None, today: date, reminders: list[Reminder] = ()
) -> dict:
    """The performance part of the home page of the user's role (empty for other roles)."""
    if person is None:
        return {}
    if role == Role.REP:
        return rep_home(user=user, person=person, today=today)
    if role in (Role.MANAGER, Role.REGION_HEAD):
        return manager_home(user=user, person=person, today=today, reminders=list(reminders))
    if role in (Role.DIRECTOR, Role.ADMIN):
        return director_home(user=user, today=today, reminders=list(reminders))
    if role == Role.FINANCE:
        return finance_home(user=user, today=today)
    return {}
