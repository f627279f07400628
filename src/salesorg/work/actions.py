"""Action items (行动项): the one place they are created and moved through their states.

PDCA problems, sales-meeting countermeasures, coaching sessions and stakeholder changes
all end in action items owned by one person with a due date; the owner's home page
shows the open ones until they are done. A follow-up (跟进) is one the sales force sets
itself on a customer, a visit or a contact, with a day to be reminded.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from salesorg.core.problems import Problems
from salesorg.core.roles import person_of
from salesorg.core.stored_text import StoredMessage, stored_params
from salesorg.customers.models import Contact, Customer
from salesorg.org.models import Person
from salesorg.sales.models import Visit
from salesorg.targets.choices import ActionOrigin, ActionStatus
from salesorg.targets.models import ActionItem
from salesorg.work.permissions import (
    can_assign_action_item,
    can_change_action_item,
    can_follow_up,
)


@transaction.atomic
def action_item_create(
    *,
    title: str = "",
    owner: Person,
    due_date: date,
    origin: str = ActionOrigin.OTHER,
    source: Model | None = None,
    customer=None,
    detail: str = "",
    actor=None,
    title_message: StoredMessage | None = None,
    detail_message: StoredMessage | None = None,
    text_params: dict | None = None,
    remind_on: date | None = None,
) -> ActionItem:
    """Create an open action item; `actor` (a user) is recorded as its creator.

    Services that create items on the system's behalf (a stakeholder who left) pass no
    actor; the item is then created without a permission check. They also pass their
    title (and detail) as a stored message with `text_params`, never as a sentence, so the
    item reads in its reader's language.
    """
    text_params = stored_params(text_params)
    if title_message is not None:
        title = title_message.render(text_params)[:200]
    if detail_message is not None:
        detail = detail_message.render(text_params)
    problems = _item_problems(title=title, due_date=due_date, remind_on=remind_on)
    if origin not in ActionOrigin.values:
        problems.add("origin", _("Unknown origin: %(origin)s.") % {"origin": origin})
    _owner_check(problems, actor=actor, owner=owner)
    problems.raise_if_any()
    item = ActionItem(
        title=title.strip(),
        detail=detail,
        title_key=title_message.key if title_message else "",
        detail_key=detail_message.key if detail_message else "",
        text_params=text_params,
        owner=owner,
        due_date=due_date,
        remind_on=remind_on,
        origin=origin,
        customer=customer,
        created_by=person_of(actor) if actor is not None else None,
    )
    if source is not None:
        item.source_type = ContentType.objects.get_for_model(source)
        item.source_id = source.pk
    item.full_clean()
    item.save()
    return item


def _item_problems(*, title: str, due_date: date | None, remind_on: date | None) -> Problems:
    """A title and a due date are needed; a reminder comes on the due date at the latest."""
    problems = Problems()
    if not (title or "").strip():
        problems.add("title", _("This field is required."))
    if due_date is None:
        problems.add("due_date", _("This field is required."))
    elif remind_on is not None and remind_on > due_date:
        problems.add("remind_on", _("The reminder cannot come after the due date."))
    return problems


def _customer_of(source: Model) -> Customer | None:
    """The customer a follow-up's record concerns (None for a record that is none of these)."""
    if isinstance(source, Customer):
        return source
    if isinstance(source, Visit | Contact):
        return source.customer
    return None


@transaction.atomic
def follow_up_create(
    *,
    actor: User,
    source: Model,
    title: str,
    due_date: date | None,
    remind_on: date | None = None,
    owner: Person | None = None,
    detail: str = "",
    today: date | None = None,
) -> ActionItem:
    """Set a dated follow-up (跟进) on a customer, a visit or a contact, with a reminder.

    The owner is the actor unless a leader gives it to one of their people; the due date is
    not in the past (`today`, the day it is set) and the reminder comes by the due date.
    """
    today = today or timezone.localdate()
    problems = _item_problems(title=title, due_date=due_date, remind_on=remind_on)
    if due_date is not None and due_date < today:
        problems.add("due_date", _("The due date cannot be in the past."))
    if not can_follow_up(actor):
        problems.add("owner", _("Only the sales force sets follow-ups."))
    customer = _customer_of(source)
    if customer is None:
        problems.add("source", _("A follow-up is set on a customer, a visit or a contact."))
    owner = owner or person_of(actor)
    if owner is None:
        problems.add("owner", _("This field is required."))
    _owner_check(problems, actor=actor, owner=owner)
    problems.raise_if_any()
    assert owner is not None and due_date is not None  # checked above
    return action_item_create(
        title=title.strip()[:200],
        owner=owner,
        due_date=due_date,
        remind_on=remind_on,
        origin=ActionOrigin.FOLLOW_UP,
        source=source,
        customer=customer,
        detail=detail,
        actor=actor,
    )


@transaction.atomic
def action_item_set_status(*, item: ActionItem, status: str, actor, result: str = "") -> ActionItem:
    """Mark an item done, cancelled or open again; only people who may change it."""
    problems = Problems()
    if status not in ActionStatus.values:
        problems.add("status", _("Unknown status: %(status)s.") % {"status": status})
    if not can_change_action_item(actor, item):
        problems.add("status", _("You may not change this action item."))
    problems.raise_if_any()
    item.status = status
    item.completed_at = timezone.now() if status != ActionStatus.OPEN else None
    if result:
        item.result = result
    item.save(update_fields=["status", "completed_at", "result"])
    return item


@transaction.atomic
def action_items_revise(
    *,
    source: Model,
    title: str,
    detail: str,
    due_date: date | None,
    owner: Person | None,
    actor: User | None,
) -> list[ActionItem]:
    """Carry an edited source (a countermeasure's text, due date, owner) to its open action
    items; done and cancelled ones are history and stay as they were."""
    problems = Problems()
    _owner_check(problems, actor=actor, owner=owner)
    problems.raise_if_any()
    items = list(action_items_for_source(source).filter(status=ActionStatus.OPEN))
    for item in items:
        item.title, item.detail = title.strip()[:200], detail
        item.due_date = due_date or item.due_date
        if item.remind_on is not None and item.remind_on > item.due_date:
            item.remind_on = item.due_date  # a reminder never comes after the due date
        item.owner = owner or item.owner
        item.save(update_fields=["title", "detail", "due_date", "remind_on", "owner"])
    return items


def _owner_check(problems: Problems, *, actor, owner: Person | None) -> None:
    """Refuse an owner the actor may not give action items to (the system acting may)."""
    if actor is not None and owner is not None and not can_assign_action_item(actor, owner):
        problems.add("owner", _("You may not give this person an action item."))


def action_items_for_source(source: Model):
    """The action items created from one record (a problem, meeting item, session)."""
    return ActionItem.objects.filter(
        source_type=ContentType.objects.get_for_model(source), source_id=source.pk
    ).select_related("owner")
