"""Home-page reminders of the targets app."""

from __future__ import annotations

from django.utils.translation import gettext as _

from salesorg.core.reminders import Reminder, reminder_provider
from salesorg.targets.models import ActionItem

MAX_LISTED = 20


@reminder_provider
def open_action_items(*, user, person, today):
    """The person's own open action items (overdue ones flagged): one query."""
    items = ActionItem.objects.open().filter(owner=person).order_by("due_date", "id")
    for item in items[:MAX_LISTED]:
        overdue = item.is_overdue(today)
        yield Reminder(
            kind="action_item_overdue" if overdue else "action_item",
            text=_("Overdue: %(title)s") % {"title": item.display_title}
            if overdue
            else item.display_title,
            url=item.get_absolute_url(),
            due=item.due_date,
            overdue=overdue,
        )


@reminder_provider
def quarterly_reviews(*, user, person, today):
    """A rep's unfiled review; a leader's unfiled and unsigned team reviews (three queries)."""
    from salesorg.targets.reviews import review_reminders

    yield from review_reminders(user=user, person=person, today=today, limit=MAX_LISTED)


@reminder_provider
def team_overdue_action_items(*, user, person, today):
    """A leader's people's overdue action items (the owner's own show above): one query."""
    from salesorg.core.roles import Role, role_of
    from salesorg.core.scoping import scope_for

    if role_of(user) not in (Role.MANAGER, Role.REGION_HEAD):
        return
    people = scope_for(user).person_ids - {person.pk}
    if not people:
        return
    items = (
        ActionItem.objects.overdue(today)
        .filter(owner_id__in=people)
        .select_related("owner")
        .order_by("due_date", "id")
    )
    for item in items[:MAX_LISTED]:
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
    from django.urls import reverse
    from django.utils.http import urlencode

    from salesorg.core.roles import Role
    from salesorg.targets.selectors import units_not_decomposed

    if person.role not in (Role.MANAGER, Role.REGION_HEAD, Role.DIRECTOR, Role.ADMIN):
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
