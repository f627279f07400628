"""Stakeholder (S18) rules every write of a contact goes through: the field checks, and the
follow-up the customer's owner gets when the decision chain changes.

A key stakeholder is the decision maker or a contact of influence 4 or more (`Contact.is_key`).
The owner gets one follow-up action item, due in FOLLOW_UP_DAYS, for each saved change that
matters: a key stakeholder leaves or is replaced; a key stakeholder's (before or after the
change) role, attitude or influence changes; a new decision maker arrives (a contact created
as, or changed into, the decision maker). Other changes (a phone number, needs, a minor
contact's role) give none. The texts are stored as keys with parameters (the changes as
[field, old, new] codes) and read in the reader's language.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, pgettext
from django.utils.translation import gettext as _

from salesorg.core.problems import Problems
from salesorg.core.stored_text import stored_message
from salesorg.customers.choices import Attitude, ContactRole, ContactStatus
from salesorg.customers.models import Contact, Customer
from salesorg.targets.choices import ActionOrigin
from salesorg.targets.models import ActionItem
from salesorg.work.actions import action_item_create

FOLLOW_UP_DAYS = 7
CHAIN_FIELDS = ("role", "attitude", "influence")  # what a change of the decision chain is


def _role_text(code: str) -> str:
    """A stakeholder's buying role by its label; "key stakeholder" when none is recorded."""
    return str(ContactRole(code).label) if code else gettext("key stakeholder")


def chain_field_label(field: str) -> str:
    """The label of a decision-chain field, in the active language."""
    labels = {"role": _("Buying role"), "attitude": _("Attitude"), "influence": _("Influence")}
    return labels[field]


def chain_value_text(field: str, value, *, empty: str | None = None) -> str:
    """A stored role, attitude or influence as a reader sees it (its label, or the number)."""
    if value in (None, ""):
        return gettext("not recorded") if empty is None else empty
    if field == "role":
        return str(ContactRole(value).label)
    if field == "attitude":
        return str(Attitude(value).label)
    return str(value)


def _changes_text(changes) -> str:
    """The stored [field, old, new] changes as "Attitude: Supporter → Opponent; …"."""
    parts = [
        gettext("%(field)s: %(old)s → %(new)s")
        % {
            "field": chain_field_label(field),
            "old": chain_value_text(field, old),
            "new": chain_value_text(field, new),
        }
        for field, old, new in changes
    ]
    return pgettext("list separator", "; ").join(parts)


# The follow-up's title and detail, stored as keys and shown in the reader's language.
_ROLE_FORMAT = {"role": _role_text}
STAKEHOLDER_LEFT_TITLE = stored_message(
    "customers.stakeholder_left.title",
    gettext_lazy("Follow up: key stakeholder %(name)s left %(customer)s"),
)
STAKEHOLDER_LEFT_DETAIL = stored_message(
    "customers.stakeholder_left.detail",
    gettext_lazy(
        "%(name)s (%(role)s) left on %(date)s. Find out who takes over the decision and "
        "secure the relationship."
    ),
    formats=_ROLE_FORMAT,
)
STAKEHOLDER_REPLACED_DETAIL = stored_message(
    "customers.stakeholder_replaced.detail",
    gettext_lazy(
        "%(name)s (%(role)s) was replaced by %(successor)s on %(date)s. Meet the new "
        "stakeholder, learn their needs and agree our response."
    ),
    formats=_ROLE_FORMAT,
)
STAKEHOLDER_CHANGED_TITLE = stored_message(
    "customers.stakeholder_changed.title",
    gettext_lazy("Follow up: key stakeholder %(name)s at %(customer)s changed"),
)
STAKEHOLDER_NEW_TITLE = stored_message(
    "customers.stakeholder_new.title",
    gettext_lazy("Follow up: new decision maker %(name)s at %(customer)s"),
)
STAKEHOLDER_CHANGED_DETAIL = stored_message(
    "customers.stakeholder_changed.detail",
    gettext_lazy(
        "%(name)s changed: %(changes)s. Find out why, and agree the next step that keeps "
        "the decision on our side."
    ),
    formats={"changes": _changes_text},
)
STAKEHOLDER_NEW_DETAIL = stored_message(
    "customers.stakeholder_new.detail",
    gettext_lazy(
        "%(name)s is a new decision maker at %(customer)s. Meet them, learn their needs and "
        "agree our response."
    ),
)


def stakeholder_check(problems: Problems, contact: Contact) -> None:
    """Field rules of a stakeholder: influence 1–5, a leaving date, a successor at the same
    customer."""
    if contact.influence is not None and not 1 <= contact.influence <= 5:
        problems.add("influence", _("Give an influence from 1 to 5."))
    if contact.status == ContactStatus.ACTIVE:
        if contact.replaced_by_id is not None:
            problems.add("replaced_by", _("Only a contact who left can be replaced."))
        return
    if contact.left_on is None:
        problems.add("left_on", _("Say when the contact left."))
    if contact.status == ContactStatus.REPLACED and contact.replaced_by_id is None:
        problems.add("replaced_by", _("Say who replaced the contact."))
    if contact.replaced_by_id is not None:
        if contact.pk and contact.replaced_by_id == contact.pk:
            problems.add("replaced_by", _("A contact cannot replace themselves."))
        elif not Contact.objects.filter(
            pk=contact.replaced_by_id, customer_id=contact.customer_id
        ).exists():
            problems.add("replaced_by", _("The successor must be a contact of the same customer."))


def chain_changes(*, previous: Contact, contact: Contact) -> list[list]:
    """The changes of role, attitude and influence as [field, old, new] (stored codes)."""
    changes = []
    for field in CHAIN_FIELDS:
        old, new = getattr(previous, field), getattr(contact, field)
        if (old or None) != (new or None):
            changes.append([field, old, new])
    return changes


def stakeholder_follow_up(
    *, contact: Contact, previous: Contact | None, today: date | None = None
) -> ActionItem | None:
    """Give the owner one follow-up when a saved change of a contact matters (see the module's
    docstring); `previous` is the stored contact before the change, None for a new one."""
    if previous is None:
        if contact.status != ContactStatus.ACTIVE or contact.role != ContactRole.DECISION_MAKER:
            return None
        return _follow_up_create(contact, title=STAKEHOLDER_NEW_TITLE, today=today)
    if previous.status != ContactStatus.ACTIVE:
        return None
    if contact.status != ContactStatus.ACTIVE:
        return _left_follow_up(contact, previous=previous, today=today)
    changes = chain_changes(previous=previous, contact=contact)
    if not changes or not (previous.is_key or contact.is_key):
        return None
    became_decision_maker = (
        contact.role == ContactRole.DECISION_MAKER and previous.role != ContactRole.DECISION_MAKER
    )
    return _follow_up_create(
        contact,
        title=STAKEHOLDER_NEW_TITLE if became_decision_maker else STAKEHOLDER_CHANGED_TITLE,
        changes=changes,
        today=today,
    )


def stakeholders_follow_up(
    *, previous_roles: Mapping[str, str | None], today: date | None = None
) -> int:
    """The same follow-ups for contacts written in bulk (the import), which change only the
    buying role: `previous_roles` maps a contact's code to its role before the write, None
    for a contact the write created. Returns how many follow-ups were created."""
    created = 0
    for contact in Contact.objects.filter(code__in=list(previous_roles)).order_by("pk"):
        old_role = previous_roles[contact.code]
        previous = None
        if old_role is not None:
            previous = copy.copy(contact)
            previous.role = old_role
        if stakeholder_follow_up(contact=contact, previous=previous, today=today):
            created += 1
    return created


def _left_follow_up(
    contact: Contact, *, previous: Contact, today: date | None
) -> ActionItem | None:
    if not (previous.is_key or contact.is_key):
        return None
    params = {"role": contact.role, "date": contact.left_on}
    if contact.replaced_by_id:
        params["successor"] = Contact.objects.get(pk=contact.replaced_by_id).name
    return _follow_up_create(
        contact,
        title=STAKEHOLDER_LEFT_TITLE,
        detail=STAKEHOLDER_REPLACED_DETAIL if contact.replaced_by_id else STAKEHOLDER_LEFT_DETAIL,
        params=params,
        today=today,
    )


def _follow_up_create(
    contact: Contact,
    *,
    title,
    detail=None,
    params: dict | None = None,
    changes: list | None = None,
    today: date | None,
) -> ActionItem:
    today = today or timezone.localdate()
    customer = Customer.objects.select_related("owner").get(pk=contact.customer_id)
    text_params = {"name": contact.name, "customer": customer.name, **(params or {})}
    if detail is None:
        detail = STAKEHOLDER_CHANGED_DETAIL if changes else STAKEHOLDER_NEW_DETAIL
    if changes:
        text_params["changes"] = changes
    return action_item_create(
        title_message=title,
        detail_message=detail,
        text_params=text_params,
        owner=customer.owner,
        due_date=today + timedelta(days=FOLLOW_UP_DAYS),
        origin=ActionOrigin.STAKEHOLDER,
        source=contact,
        customer=customer,
    )
