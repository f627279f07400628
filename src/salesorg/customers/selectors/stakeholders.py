"""Reads of a customer's decision chain (S18), scoped to the user: its active stakeholders by
role (decision makers, influencers) and then by attitude (supporters, opponents, others), each
with the history of their role, attitude and influence, and the chain's warnings."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db.models import F
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from salesorg.core.scoping import SystemActor
from salesorg.customers.choices import Attitude, ContactRole, ContactStatus
from salesorg.customers.models import Contact, Customer
from salesorg.customers.services.stakeholders import (
    CHAIN_FIELDS,
    chain_field_label,
    chain_value_text,
)

SUPPORTING = (Attitude.CHAMPION, Attitude.SUPPORTER)
OPPOSING = (Attitude.SKEPTIC, Attitude.OPPONENT)
GROUPS = (  # key, heading; each active stakeholder is in the first group that takes them
    ("decision_makers", _("Decision makers")),
    ("influencers", _("Influencers")),
    ("supporters", _("Supporters")),
    ("opponents", _("Opponents")),
    ("others", _("Neutral or not recorded")),
)


@dataclass
class ChainMember:
    """One stakeholder of the chain and the history of their place in it, newest first."""

    contact: Contact
    history: list[dict] = field(default_factory=list)


@dataclass
class ChainGroup:
    """Stakeholders of one part of the chain (decision makers, influencers, supporters …)."""

    key: str
    label: str
    members: list[ChainMember]


@dataclass
class DecisionChain:
    """A customer's decision chain: its groups (empty ones left out) and its warnings."""

    groups: list[ChainGroup]
    decision_makers: list[Contact]
    opposing_decision_makers: list[Contact]
    attitude_counts: dict[str, int]

    @property
    def has_decision_maker(self) -> bool:
        return bool(self.decision_makers)


def _group_key(contact: Contact) -> str:
    if contact.role == ContactRole.DECISION_MAKER:
        return "decision_makers"
    if contact.role == ContactRole.INFLUENCER:
        return "influencers"
    if contact.attitude in SUPPORTING:
        return "supporters"
    if contact.attitude in OPPOSING:
        return "opponents"
    return "others"


def chain_of(
    contacts: list[Contact], histories: dict[int, list[dict]] | None = None
) -> DecisionChain:
    """The decision chain of the given contacts (those who left are not in it); no query."""
    active = [contact for contact in contacts if contact.status == ContactStatus.ACTIVE]
    members: dict[str, list[ChainMember]] = {key: [] for key, _label in GROUPS}
    for contact in active:
        history = (histories or {}).get(contact.pk, [])
        members[_group_key(contact)].append(ChainMember(contact=contact, history=history))
    decision_makers = [m.contact for m in members["decision_makers"]]
    return DecisionChain(
        groups=[
            ChainGroup(key=key, label=str(label), members=members[key])
            for key, label in GROUPS
            if members[key]
        ],
        decision_makers=decision_makers,
        opposing_decision_makers=[c for c in decision_makers if c.attitude == Attitude.OPPONENT],
        attitude_counts={
            "supporting": sum(1 for c in active if c.attitude in SUPPORTING),
            "neutral": sum(1 for c in active if c.attitude not in (*SUPPORTING, *OPPOSING)),
            "opposing": sum(1 for c in active if c.attitude in OPPOSING),
        },
    )


def decision_chain(*, user: User | SystemActor, customer: Customer) -> DecisionChain:
    """The customer's decision chain as the user may see it, with each stakeholder's history
    of role, attitude and influence (newest first), in two queries."""
    contacts = list(
        Contact.objects.visible_to(user)
        .filter(customer=customer, status=ContactStatus.ACTIVE)
        .order_by(F("influence").desc(nulls_last=True), "name", "pk")
    )
    return chain_of(contacts, chain_histories(contacts))


def chain_histories(contacts: list[Contact]) -> dict[int, list[dict]]:
    """Per contact, the saved changes of role, attitude or influence, newest first: when, who,
    and each change (field, old, new as shown); the first record shows the values it began
    with. One query for all the contacts."""
    records = (
        Contact.history.filter(id__in=[contact.pk for contact in contacts])
        .select_related("history_user__person")
        .order_by("id", "history_id")
    )
    histories: dict[int, list[dict]] = {contact.pk: [] for contact in contacts}
    previous = None
    for record in records:
        older = previous if previous is not None and previous.id == record.id else None
        before = {name: getattr(older, name, None) for name in CHAIN_FIELDS}
        changes = [
            _change(name, before[name], getattr(record, name))
            for name in CHAIN_FIELDS
            if older is None or (getattr(record, name) or None) != (before[name] or None)
        ]
        if older is None:  # the first record: the values it began with
            changes = [change for change in changes if change["new"] != "—"]
        if changes:
            histories[record.id].insert(
                0,
                {
                    "when": record.history_date,
                    "who": _changed_by(record.history_user),
                    "created": older is None,
                    "changes": changes,
                },
            )
        previous = record
    return histories


def _change(name: str, old, new) -> dict:
    change = {
        "name": name,
        "old_value": old if old not in ("", None) else None,
        "new_value": new if new not in ("", None) else None,
        "field": chain_field_label(name),
        "old": chain_value_text(name, old, empty="—"),
        "new": chain_value_text(name, new, empty="—"),
    }
    change["text"] = gettext("%(field)s: %(old)s → %(new)s") % change
    return change


def _changed_by(user: User | None) -> str:
    if user is None:
        return ""
    person = getattr(user, "person", None)
    return person.name if person is not None else user.get_username()
