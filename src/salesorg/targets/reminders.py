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
            text=_("Overdue: %(title)s") % {"title": item.title} if overdue else item.title,
            url=item.get_absolute_url(),
            due=item.due_date,
            overdue=overdue,
        )
