"""Home-page reminders of the targets app."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from salesorg.core.notifications import notify_reminder_kinds
from salesorg.core.reminders import Reminder, reminder_provider
from salesorg.core.roles import LEADERS, UNIT_LEADERS, role_of
from salesorg.core.scoping import scope_for
from salesorg.targets.selectors.action_items import open_action_items_of, overdue_action_items_of
from salesorg.targets.selectors.plans import units_not_decomposed
from salesorg.targets.selectors.reviews import review_reminders
from salesorg.targets.selectors.revisions import revisions_to_decide

MAX_LISTED = 20


@reminder_provider
def open_action_items(*, user, person, today):
    """The person's own open action items (overdue ones flagged): one query."""
    for item in open_action_items_of(person=person, limit=MAX_LISTED):
        overdue = item.is_overdue(today)
        yield Reminder(
            kind="action_item_overdue" if overdue else "action_item",
            text=_("Overdue: %(title)s") % {"title": item.display_title}
            if overdue
            else item.display_title,
            url=item.get_absolute_url(),
            due=item.due_date,
            overdue=overdue,
            topic=item.origin,
        )


@reminder_provider
def quarterly_reviews(*, user, person, today):
    """A rep's unfiled review; a leader's unfiled and unsigned team reviews (three queries)."""
    yield from review_reminders(user=user, person=person, today=today, limit=MAX_LISTED)


@reminder_provider
def team_overdue_action_items(*, user, person, today):
    """A leader's people's overdue action items (the owner's own show above): one query."""
    if role_of(user) not in UNIT_LEADERS:
        return
    people = scope_for(user).person_ids - {person.pk}
    if not people:
        return
    for item in overdue_action_items_of(people=people, today=today, limit=MAX_LISTED):
        yield Reminder(
            kind="team_action_item_overdue",
            text=_("Overdue for %(name)s: %(title)s")
            % {"name": item.owner.name, "title": item.display_title},
            url=item.get_absolute_url(),
            due=item.due_date,
            overdue=True,
        )


@reminder_provider
def targets_not_decomposed(*, user, person, today):
    """Units the person leads whose targets in this or next year's plan are not decomposed
    (months or units below missing or not adding up): at most six queries."""
    if person.role not in LEADERS:
        return
    for plan, unit, label, metric in units_not_decomposed(person=person, today=today)[:MAX_LISTED]:
        query = urlencode({"metric": metric, "unit": unit.key})
        url = reverse("targets:plan_grid", args=[plan.pk]) + "?" + query
        yield Reminder(
            kind="targets_not_decomposed",
            text=_("Decompose the %(year)s targets of %(unit)s: they do not add up yet.")
            % {"year": plan.year, "unit": label},
            url=url,
        )


@reminder_provider
def target_revisions_to_decide(*, user, person, today):
    """Revisions of a published plan awaiting the person's approval (one query)."""
    if person.role not in LEADERS:
        return
    for revision in revisions_to_decide(user=user, limit=MAX_LISTED):
        yield Reminder(
            kind="target_revision",
            text=_("Approve or return revision %(number)s of %(plan)s by %(name)s.")
            % {
                "number": revision.number,
                "plan": revision.plan.title,
                "name": revision.proposed_by.name,
            },
            url=reverse("targets:plan", args=[revision.plan_id]) + "#revisions",
        )


# What of these the notification centre and the digest carry (core.notifications).
notify_reminder_kinds(
    "action_items", reminder_kinds=["action_item_overdue", "team_action_item_overdue"]
)
notify_reminder_kinds("approvals", reminder_kinds=["target_revision", "review_sign_off"])
notify_reminder_kinds(
    "other", reminder_kinds=["review_due", "review_unfiled", "targets_not_decomposed"]
)
