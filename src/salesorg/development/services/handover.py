"""Writes of handovers (交接, S15): a leaver's records moved to the successors their manager
confirms, all or none, and the daily end of leavers' logins.

Each kind (customers, open pipeline items, open proposals, open action items, unfinished root
causes) goes to one successor from the sales force in post in the actor's scope. Every moved
record keeps its history row (who moved it, when); the handover keeps which records went to
whom; each successor gets an action item listing what they received, stored as a message so
it reads in their language.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import cast

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesorg.core.problems import Problems
from salesorg.core.roles import person_of
from salesorg.core.stored_text import stored_message
from salesorg.development.models import (
    Handover,
    HandoverKind,
    PersonnelReview,
    ReviewOutcome,
    ReviewStatus,
)
from salesorg.development.permissions import can_hand_over
from salesorg.development.selectors.handover import (
    HELD,
    held_records,
    successor_candidates,
)
from salesorg.development.services.personnel import HANDOVER_DUE_TITLE, history_by
from salesorg.org.models import Person
from salesorg.targets.choices import ActionOrigin, ActionStatus
from salesorg.targets.models import ActionItem
from salesorg.work.actions import action_item_create

# The successor's item: due a week after the handover, to go through what they received.
SUCCESSOR_DAYS = 7

HANDOVER_RECEIVED_TITLE = stored_message(
    "development.handover_received",
    gettext_lazy("Take over the records of %(name)s"),
)
HANDOVER_RECEIVED_DETAIL = stored_message(
    "development.handover_received_detail",
    gettext_lazy(
        "Handed over to you from %(name)s (last day employed %(date)s): %(customers)s "
        "customers, %(pipeline)s open pipeline items, %(proposals)s open development "
        "proposals, %(action_items)s open action items, %(root_causes)s unfinished root "
        "causes. Contact each customer and check each open item."
    ),
)


def _successors_checked(
    problems: Problems,
    *,
    person: Person,
    actor: User,
    successors: dict[str, Person | None],
    today: date,
) -> dict[str, Person]:
    """Each kind the person still holds needs a successor from the allowed candidates."""
    allowed = set(
        successor_candidates(user=actor, person=person, today=today).values_list("pk", flat=True)
    )
    chosen: dict[str, Person] = {}
    for kind in HELD:
        successor = successors.get(kind)
        held = held_records(kind, person).exists()
        if successor is None:
            if held:
                problems.add(kind, _("Choose who takes these over."))
            continue
        if successor.pk not in allowed:
            problems.add(kind, _("Choose someone in post in your scope (not the leaver)."))
        elif held:
            chosen[kind] = successor
    return chosen


def _move(kind: str, *, person: Person, successor: Person, actor: User) -> list[int]:
    """Move the person's records of `kind` to the successor, each with its history row."""
    field = HELD[kind].field
    records = list(held_records(kind, person).select_for_update().order_by("pk"))
    for record in records:  # one write per record, so that each keeps its history row
        setattr(record, f"{field}_id", successor.pk)
        fields = [field]
        if hasattr(record, "version"):
            record.version += 1
            fields.append("version")
        history_by(record, actor)
        record.save(update_fields=fields)
    return [record.pk for record in records]


@transaction.atomic
def handover_apply(
    *,
    person: Person,
    actor: User,
    successors: dict[str, Person | None],
    today: date | None = None,
) -> Handover:
    """Hand the leaver's records over to one successor per kind, all or none; each successor
    gets an action item listing what they received."""
    today = today or timezone.localdate()
    if not can_hand_over(actor, person):
        raise PermissionDenied
    problems = Problems()
    if person.leave_date is None:
        problems.add("person", _("This person has no leave date: set it or approve a dismissal."))
    problems.raise_if_any()
    chosen = _successors_checked(
        problems, person=person, actor=actor, successors=successors, today=today
    )
    if not chosen and not problems.errors:
        problems.add("person", _("This person holds nothing to hand over."))
    problems.raise_if_any()
    moved = {
        kind: {
            "successor_id": successor.pk,
            "ids": _move(kind, person=person, successor=successor, actor=actor),
        }
        for kind, successor in chosen.items()
    }
    handover = Handover.objects.create(
        person=person,
        review=_dismissal_of(person),
        leave_date=cast(date, person.leave_date),  # checked above
        moved=moved,
        done_by=person_of(actor),
    )
    _notify_successors(handover, person=person, chosen=chosen, today=today)
    if handover.review is not None:
        _handover_due_close(handover.review, actor=actor)
    return handover


def _handover_due_close(review: PersonnelReview, *, actor: User) -> None:
    """The filer's "hand over before the leave date" item is done with the handover."""
    items = ActionItem.objects.filter(
        source_type=ContentType.objects.get_for_model(PersonnelReview),
        source_id=review.pk,
        title_key=HANDOVER_DUE_TITLE.key,
        status=ActionStatus.OPEN,
    )
    for item in items:  # one per approved dismissal
        item.status = ActionStatus.DONE
        item.completed_at = timezone.now()
        history_by(item, actor)
        item.save(update_fields=["status", "completed_at"])


def _dismissal_of(person: Person) -> PersonnelReview | None:
    """The approved dismissal that set the person's leave, if any."""
    return (
        PersonnelReview.objects.filter(
            person=person, outcome=ReviewOutcome.DISMISS, status=ReviewStatus.APPROVED
        )
        .order_by("-decided_at", "-id")
        .first()
    )


def _notify_successors(
    handover: Handover, *, person: Person, chosen: dict[str, Person], today: date
) -> None:
    """One action item per successor listing, per kind, how many records they received."""
    by_successor: dict[int, dict[str, int]] = {}
    people = {successor.pk: successor for successor in chosen.values()}
    for kind, entry in handover.moved.items():
        counts = by_successor.setdefault(
            entry["successor_id"], dict.fromkeys(HandoverKind.values, 0)
        )
        counts[kind] = len(entry["ids"])
    for successor_id, counts in by_successor.items():
        action_item_create(
            owner=people[successor_id],
            due_date=today + timedelta(days=SUCCESSOR_DAYS),
            origin=ActionOrigin.OTHER,
            source=handover,
            title_message=HANDOVER_RECEIVED_TITLE,
            detail_message=HANDOVER_RECEIVED_DETAIL,
            text_params={"name": person.name, "date": handover.leave_date, **counts},
        )
