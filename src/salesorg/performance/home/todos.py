"""A leader's to-dos grouped by kind, with counts: each thing to do is listed once.

The reminders of every app and the open action items of the leader's people that are
due soon are sorted into groups (coaching, sales-meeting countermeasures, root causes,
quarterly reviews, …). An action item is grouped by its origin, so a meeting's
countermeasure is never shown as a coaching action.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesorg.core.reminders import Reminder
from salesorg.targets.choices import ActionOrigin
from salesorg.targets.models import ActionItem

ACTIONS_AHEAD = timedelta(days=14)
SHOWN_PER_GROUP = 3
TEAM_ACTIONS_READ = 60  # the soonest of the team's action items read to list per group

# Reminders the team's action items replace (the same items, without their origin).
REPLACED_KINDS = frozenset({"team_action_item_overdue"})


@dataclass(frozen=True)
class GroupDef:
    """A kind of to-do: its label, the reminder kinds and action origins it gathers."""

    key: str
    label: object
    kinds: frozenset[str] = frozenset()
    origins: frozenset[str] = frozenset()
    url_name: str = ""


GROUPS = (
    GroupDef(
        "coaching",
        gettext_lazy("Coaching"),
        frozenset({"coaching_follow_up"}),
        frozenset({ActionOrigin.COACHING}),
        "development:coaching",
    ),
    GroupDef(
        "meeting",
        gettext_lazy("Sales meeting countermeasures"),
        frozenset({"sales_meeting"}),
        frozenset({ActionOrigin.MEETING}),
        "performance:meetings",
    ),
    GroupDef(
        "pdca",
        gettext_lazy("PDCA measures"),
        origins=frozenset({ActionOrigin.PDCA}),
        url_name="targets:action_items",
    ),
    GroupDef(
        "follow_up",
        gettext_lazy("Customer follow-ups"),
        origins=frozenset({ActionOrigin.STAKEHOLDER, ActionOrigin.CUSTOMER, ActionOrigin.OTHER}),
        url_name="targets:action_items",
    ),
    GroupDef(
        "root_cause",
        gettext_lazy("Root causes of downgrades"),
        frozenset({"root_cause_review", "root_cause_complete", "root_cause_not_recovered"}),
        url_name="customers:root_causes",
    ),
    GroupDef(
        "review",
        gettext_lazy("Quarterly reviews"),
        frozenset({"review_due", "review_unfiled", "review_sign_off"}),
        url_name="targets:reviews",
    ),
    GroupDef(
        "training",
        gettext_lazy("Training"),
        frozenset({"team_training_overdue", "training_overdue"}),
        url_name="development:team_training",
    ),
    GroupDef(
        "decision",
        gettext_lazy("Decisions awaiting you"),
        frozenset({"credit_approval", "proposal_decision", "personnel_review", "target_revision"}),
    ),
    GroupDef(
        "targets",
        gettext_lazy("Targets and scorecards"),
        frozenset({"targets_not_decomposed", "scorecards_close"}),
    ),
    GroupDef(
        "mine",
        gettext_lazy("My own action items"),
        frozenset({"action_item", "action_item_overdue"}),
        url_name="targets:action_items",
    ),
)
OTHER = GroupDef("other", gettext_lazy("Other"))


@dataclass(frozen=True)
class TodoGroup:
    """One kind of to-do: how many, how many overdue, the most urgent few, and where all are."""

    key: str
    label: str
    count: int
    overdue: int
    items: list[Reminder]
    url: str

    @property
    def more(self) -> int:
        """How many are not listed here."""
        return max(0, self.count - len(self.items))


def _urgency(reminder: Reminder):
    return (not reminder.overdue, reminder.due or date.max, reminder.text)


def team_action_items(*, user, person, today: date) -> tuple[dict[str, tuple[int, int]], list]:
    """Open action items of the people the user sees, not their own, due within two weeks
    or overdue: (count and overdue count per origin, the soonest as reminders); 2 queries.
    Follow-ups are left out: the team's follow-ups card lists them (`customers.home`)."""
    items = (
        ActionItem.objects.visible_to(user)
        .open()
        .exclude(owner=person)
        .exclude(origin=ActionOrigin.FOLLOW_UP)
        .filter(due_date__lte=today + ACTIONS_AHEAD)
    )
    counts = {
        row["origin"]: (row["count"], row["overdue"])
        for row in items.order_by()
        .values("origin")
        .annotate(count=Count("id"), overdue=Count("id", filter=Q(due_date__lt=today)))
    }
    soonest = items.select_related("owner").order_by("due_date", "pk")[:TEAM_ACTIONS_READ]
    reminders = [
        (
            item.origin,
            Reminder(
                kind=f"team_action_{item.origin}",
                text=_("%(name)s: %(title)s")
                % {"name": item.owner.name, "title": item.display_title},
                url=item.get_absolute_url(),
                due=item.due_date,
                overdue=item.due_date < today,
            ),
        )
        for item in soonest
    ]
    return counts, reminders


def todo_groups(
    *, reminders: Iterable[Reminder], team_counts: dict, team_items: list
) -> list[TodoGroup]:
    """The to-dos by kind, groups with overdue items first, empty groups left out."""
    by_kind = {kind: group for group in GROUPS for kind in group.kinds}
    by_origin = {origin: group for group in GROUPS for origin in group.origins}
    listed: dict[str, list[Reminder]] = {}
    counts: dict[str, list[int]] = {}
    for reminder in reminders:
        if reminder.kind in REPLACED_KINDS:
            continue
        key = by_kind.get(reminder.kind, OTHER).key
        listed.setdefault(key, []).append(reminder)
        tally = counts.setdefault(key, [0, 0])
        tally[0] += 1
        tally[1] += reminder.overdue
    for origin, (count, overdue) in team_counts.items():
        tally = counts.setdefault(by_origin.get(origin, OTHER).key, [0, 0])
        tally[0] += count
        tally[1] += overdue
    for origin, reminder in team_items:
        listed.setdefault(by_origin.get(origin, OTHER).key, []).append(reminder)
    groups = []
    for group in (*GROUPS, OTHER):
        if group.key not in counts:
            continue
        count, overdue = counts[group.key]
        items = sorted(listed.get(group.key, []), key=_urgency)[:SHOWN_PER_GROUP]
        url = reverse(group.url_name) if group.url_name else ""
        groups.append(TodoGroup(group.key, str(group.label), count, overdue, items, url))
    return sorted(groups, key=lambda g: not g.overdue)  # stable: the order above otherwise
