"""Home-page reminders of the development app: overdue training (the person's own, and
their people's for a manager) and recent recognition posts about the person's team."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from salesorg.core.notifications import notify_reminder_kinds
from salesorg.core.reminders import Reminder, reminder_provider
from salesorg.core.roles import LEADERS, Role
from salesorg.development.selectors.coaching import follow_ups_due
from salesorg.development.selectors.culture import recent_team_recognitions
from salesorg.development.selectors.handover import leavers_holding
from salesorg.development.selectors.personnel import reviews_awaiting
from salesorg.development.selectors.training import (
    overdue_assignments,
    overdue_training_by_person,
)

MAX_LISTED = 10
# Who follows other people's training: the leaders and trainers.
TRAINING_FOLLOWERS = LEADERS | {Role.TRAINER}


@reminder_provider
def overdue_own_training(*, user, person, today):
    """The person's own overdue assignments: one query."""
    overdue = overdue_assignments(user=user, person=person, today=today)
    for assignment in overdue[:MAX_LISTED]:
        yield Reminder(
            kind="training_overdue",
            text=_("Overdue training: %(title)s") % {"title": assignment.material.title},
            url=assignment.get_absolute_url(),
            due=assignment.due_date,
            overdue=True,
        )


@reminder_provider
def overdue_team_training(*, user, person, today):
    """Overdue assignments of the people a manager leads, one line per person: one query."""
    if person.role not in TRAINING_FOLLOWERS:
        return
    rows = overdue_training_by_person(user=user, follower=person, today=today)
    url = reverse("development:team_training")
    for row in rows[:MAX_LISTED]:
        yield Reminder(
            kind="team_training_overdue",
            text=ngettext(
                "%(name)s: %(count)d overdue training",
                "%(name)s: %(count)d overdue trainings",
                row["count"],
            )
            % {"name": row["person__name"], "count": row["count"]},
            url=url,
            due=row["oldest"],
            overdue=True,
        )


@reminder_provider
def team_recognitions(*, user, person, today):
    """Recent recognition posts about the person's team: one query."""
    for post in recent_team_recognitions(user=user, person=person, today=today):
        yield Reminder(
            kind="recognition",
            text=_("Praised: %(name)s — %(title)s")
            % {"name": post.person.name, "title": post.title},
            url=reverse("development:culture") + f"#recognition-{post.pk}",
        )


# --- coaching (one-on-ones, personnel reviews, targeted training) -------------------------


@reminder_provider
def coaching_follow_ups_due(*, user, person, today):
    """The coach's follow-up checks that are due: one query."""
    due = follow_ups_due(user=user, coach=person, today=today)
    for session in due.order_by("follow_up_date")[:MAX_LISTED]:
        yield Reminder(
            kind="coaching_follow_up",
            text=_("Follow-up check: %(name)s") % {"name": session.person.name},
            url=session.get_absolute_url(),
            due=session.follow_up_date,
            overdue=session.follow_up_date < today,
        )


@reminder_provider
def personnel_reviews_to_decide(*, user, person, today):
    """Personnel reviews awaiting the person's approval: one query."""
    for review in reviews_awaiting(user=user).order_by("filed_at")[:MAX_LISTED]:
        yield Reminder(
            kind="personnel_review",
            text=_("Approve the personnel review of %(name)s") % {"name": review.person.name},
            url=review.get_absolute_url(),
        )


# --- leavers ------------------------------------------------------------------------------


@reminder_provider
def handovers_to_do(*, user, person, today):
    """Leavers in the leader's scope who still hold records: one query."""
    if person.role not in LEADERS:
        return
    for row in leavers_holding(user=user, today=today)[:MAX_LISTED]:
        yield Reminder(
            kind="handover",
            text=ngettext(
                "Hand over the records of %(name)s (%(count)d record)",
                "Hand over the records of %(name)s (%(count)d records)",
                row.total,
            )
            % {"name": row.person.name, "count": row.total},
            url=row.handover_url,
            due=row.person.leave_date,
            overdue=row.has_left,
        )


# What of these the notification centre and the digest carry (core.notifications); onboarding
# is training assigned to a new hire, so it comes as overdue training.
notify_reminder_kinds("training", reminder_kinds=["training_overdue", "team_training_overdue"])
notify_reminder_kinds("follow_ups", reminder_kinds=["coaching_follow_up"])
notify_reminder_kinds("approvals", reminder_kinds=["personnel_review"])
notify_reminder_kinds("other", reminder_kinds=["handover"])
