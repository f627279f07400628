"""Writes of customers, their lifecycle stage and their contacts (stakeholders, S18).

When a key stakeholder (the decision maker, or influence 4 or more) leaves or is
replaced, the customer's owner gets a follow-up action item due in 7 days, created once
per change (the change from active to left or replaced).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _

from salesorg.core.problems import Problems, not_negative_check, reference_check
from salesorg.core.record_codes import record_code_new
from salesorg.core.stored_text import stored_message
from salesorg.core.versioning import version_check
from salesorg.customers.choices import ContactRole, ContactStatus, LifecycleStage
from salesorg.customers.lifecycle import Thresholds, lifecycle_stage
from salesorg.customers.models import Contact, Customer
from salesorg.customers.services.root_causes import root_cause_owner_follow
from salesorg.org.models import Person, Region
from salesorg.sales.choices import OrderStatus
from salesorg.sales.permissions import can_create, can_write
from salesorg.targets.choices import ActionOrigin
from salesorg.targets.models import ActionItem
from salesorg.work.actions import action_item_create

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


@transaction.atomic
def customer_save(
    *, instance: Customer, actor: User, expected_version: int | None = None
) -> Customer:
    """Validate and save a customer: a known owner and region, a credit limit not negative;
    refuse it if the stored customer changed since `expected_version` was read."""
    problems = Problems()
    if not instance.code:
        instance.code = record_code_new(Customer)
    reference_check(problems, field="owner", model=Person, pk=instance.owner_id, actor=actor)
    reference_check(
        problems, field="region", model=Region, pk=instance.region_id, actor=actor, required=False
    )
    not_negative_check(problems, field="credit_limit", value=instance.credit_limit)
    problems.raise_if_any()
    version_check(instance=instance, expected_version=expected_version)
    instance.full_clean()
    stored_owner = (
        Customer.objects.filter(pk=instance.pk).values_list("owner_id", flat=True).first()
        if instance.pk
        else None
    )
    instance.save()
    if stored_owner is not None and stored_owner != instance.owner_id:
        # open downgrade root causes always belong to the customer's current owner
        root_cause_owner_follow(customer=instance)
    return instance


@transaction.atomic
def contact_save(*, instance: Contact, actor: User, expected_version: int | None = None) -> Contact:
    """Validate and save a contact (stakeholder) of a customer in the writer's scope; a key
    stakeholder who leaves or is replaced gives the owner a follow-up action item; refuse it
    if the stored contact changed since `expected_version` was read."""
    problems = Problems()
    if not instance.code:
        instance.code = record_code_new(Contact)
    reference_check(
        problems, field="customer", model=Customer, pk=instance.customer_id, actor=actor
    )
    stakeholder_check(problems, instance)
    problems.raise_if_any()
    previous = None
    if instance.pk:  # locked, so that one change gives exactly one follow-up
        previous = Contact.objects.select_for_update().filter(pk=instance.pk).first()
    version_check(instance=instance, expected_version=expected_version)
    instance.full_clean()
    instance.save()
    if previous is not None:
        stakeholder_follow_up(contact=instance, previous=previous)
    return instance


@transaction.atomic
def customer_delete(*, customer: Customer, actor: User) -> None:
    """Delete a customer, by whoever may write it (its owner's leaders, director, admin)."""
    if not (can_create(actor, Customer) and can_write(actor, customer)):
        raise PermissionDenied
    customer.delete()


@transaction.atomic
def contact_delete(*, contact: Contact, actor: User) -> None:
    """Delete a contact, by whoever may write the customer's contacts."""
    if not (can_create(actor, Contact) and can_write(actor, contact)):
        raise PermissionDenied
    contact.delete()


# --- lifecycle ----------------------------------------------------------------------------------

UPDATE_BATCH = 1000


def _with_order_dates(customers: QuerySet[Customer], as_of: date) -> QuerySet[Any]:
    counted = Q(orders__status=OrderStatus.CONFIRMED, orders__order_date__lte=as_of)
    return customers.annotate(
        first_order=Min("orders__order_date", filter=counted),
        last_order=Max("orders__order_date", filter=counted),
    )


@transaction.atomic
def customers_lifecycle_recompute(
    *,
    as_of: date | None = None,
    customers: QuerySet[Customer] | None = None,
    thresholds: Thresholds | None = None,
) -> dict[str, int]:
    """Recompute the stage of all (or the given) customers set-based; count changes by stage.

    One query reads every customer's first and last confirmed order; changed rows are
    written in batches of UPDATE_BATCH.
    """
    as_of = as_of or timezone.localdate()
    thresholds = thresholds or Thresholds.current()
    queryset = customers if customers is not None else Customer.objects.all()
    rows = _with_order_dates(queryset.order_by(), as_of).values_list(
        "pk", "created_date", "lifecycle_stage", "lifecycle_since", "first_order", "last_order"
    )
    changed: list[Customer] = []
    counts: dict[str, int] = {stage: 0 for stage in LifecycleStage.values}
    for pk, created, stage, since, first, last in rows.iterator(chunk_size=2000):
        new_stage, new_since = lifecycle_stage(
            created=created, first_order=first, last_order=last, as_of=as_of, thresholds=thresholds
        )
        counts[new_stage] += 1
        if (new_stage, new_since) != (stage, since):
            changed.append(Customer(pk=pk, lifecycle_stage=new_stage, lifecycle_since=new_since))
    Customer.objects.bulk_update(
        changed, ["lifecycle_stage", "lifecycle_since"], batch_size=UPDATE_BATCH
    )
    counts["changed"] = len(changed)
    return counts


def customer_lifecycle_recompute(*, customer: Customer, as_of: date | None = None) -> str:
    """Recompute one customer's stage (after a new order); return the stage."""
    customers_lifecycle_recompute(as_of=as_of, customers=Customer.objects.filter(pk=customer.pk))
    customer.refresh_from_db(fields=["lifecycle_stage", "lifecycle_since"])
    return customer.lifecycle_stage


# --- stakeholders -------------------------------------------------------------------------------


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
    actor: User,
) -> Contact:
    """Record that a contact left (or was replaced by another contact of the customer)."""
    if not can_write(actor, contact):
        raise_problem = Problems()
        raise_problem.add("status", _("You may not change this contact."))
        raise_problem.raise_if_any()
    contact.status = ContactStatus.REPLACED if replaced_by else ContactStatus.LEFT
    contact.left_on = left_on
    contact.replaced_by = replaced_by
    return contact_save(instance=contact, actor=actor)
