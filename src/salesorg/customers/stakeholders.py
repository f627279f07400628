"""Stakeholders (S18): contacts with buying role, influence, attitude, needs and our response.

When a key stakeholder (the decision maker, or influence 4 or more) leaves or is
replaced, the customer's owner gets a follow-up action item due in 7 days, created once
per change (the change from active to left or replaced).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _

from salesorg.core.problems import Problems, reference_check
from salesorg.core.stored_text import stored_message
from salesorg.customers.choices import ContactRole, ContactStatus
from salesorg.customers.models import Contact, Customer
from salesorg.sales.permissions import can_write
from salesorg.targets.actions import action_item_create
from salesorg.targets.choices import ActionOrigin
from salesorg.targets.models import ActionItem

FOLLOW_UP_DAYS = 7


def _role_text(code: str) -> str:
    """A stakeholder's buying role by its label; "key stakeholder" when none is recorded."""
    return str(ContactRole(code).label) if code else gettext("key stakeholder")


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
HISTORY_FIELDS = (
    "name",
    "title",
    "role",
    "phone",
    "email",
    "influence",
    "attitude",
    "needs",
    "response",
    "status",
    "left_on",
    "replaced_by",
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


def stakeholder_follow_up(
    *, contact: Contact, previous: Contact, today: date | None = None
) -> ActionItem | None:
    """Give the owner a follow-up when a key stakeholder stops being active (once)."""
    left_now = previous.status == ContactStatus.ACTIVE and contact.status != ContactStatus.ACTIVE
    if not left_now or not (previous.is_key or contact.is_key):
        return None
    today = today or timezone.localdate()
    customer = Customer.objects.select_related("owner").get(pk=contact.customer_id)
    params = {
        "name": contact.name,
        "customer": customer.name,
        "role": contact.role,
        "date": contact.left_on,
    }
    if contact.replaced_by_id:
        params["successor"] = Contact.objects.get(pk=contact.replaced_by_id).name
    return action_item_create(
        title_message=STAKEHOLDER_LEFT_TITLE,
        detail_message=STAKEHOLDER_REPLACED_DETAIL
        if contact.replaced_by_id
        else STAKEHOLDER_LEFT_DETAIL,
        text_params=params,
        owner=customer.owner,
        due_date=today + timedelta(days=FOLLOW_UP_DAYS),
        origin=ActionOrigin.STAKEHOLDER,
        source=contact,
        customer=customer,
    )


@transaction.atomic
def contact_leave(
    *,
    contact: Contact,
    left_on: date | None,
    replaced_by: Contact | None = None,
    actor,
) -> Contact:
    """Record that a contact left (or was replaced by another contact of the customer)."""
    from salesorg.customers.services import contact_save

    if not can_write(actor, contact):
        raise_problem = Problems()
        raise_problem.add("status", _("You may not change this contact."))
        raise_problem.raise_if_any()
    contact.status = ContactStatus.REPLACED if replaced_by else ContactStatus.LEFT
    contact.left_on = left_on
    contact.replaced_by = replaced_by
    return contact_save(instance=contact, actor=actor)


def contact_history(*, contact: Contact) -> list[dict]:
    """The contact's change history, newest first: who, when, and each field changed."""
    records = list(contact.history.select_related("history_user__person").order_by("-history_id"))
    labels = {name: Contact._meta.get_field(name).verbose_name for name in HISTORY_FIELDS}
    successor_ids = {r.replaced_by_id for r in records if r.replaced_by_id}
    names = dict(Contact.objects.filter(pk__in=successor_ids).values_list("pk", "name"))
    entries = []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        changes = []
        if older is not None:
            for name in HISTORY_FIELDS:
                before = _display(older, name, names)
                after = _display(newer, name, names)
                if before != after:
                    changes.append({"field": labels[name], "old": before, "new": after})
        entries.append(
            {
                "when": newer.history_date,
                "who": _who(newer.history_user),
                "kind": newer.get_history_type_display(),
                "created": older is None,
                "changes": changes,
            }
        )
    return entries


def _who(user) -> str:
    if user is None:
        return ""
    person = getattr(user, "person", None)
    return person.name if person is not None else user.get_username()


def _display(record, name: str, names: dict[int, str]) -> str:
    if name == "replaced_by":
        return names.get(record.replaced_by_id, "") if record.replaced_by_id else ""
    value = getattr(record, name)
    display = getattr(record, f"get_{name}_display", None)
    if display is not None and value:
        return str(display())
    return "" if value is None else str(value)


def contact_reference_check(problems: Problems, contact: Contact, actor) -> None:
    """The contact's customer must be a customer the writer may see."""
    reference_check(problems, field="customer", model=Customer, pk=contact.customer_id, actor=actor)
