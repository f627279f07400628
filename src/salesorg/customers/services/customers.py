"""Writes of customers, their lifecycle stage and their contacts (stakeholders, S18).

Every write of a contact goes through `contact_save`, which applies the stakeholder rules of
services/stakeholders.py: the field checks and the owner's follow-up when the decision chain
changes (a key stakeholder leaves, is replaced or changes role, attitude or influence; a new
decision maker arrives).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from salesorg.core.problems import Problems, not_negative_check, reference_check
from salesorg.core.record_codes import record_code_new
from salesorg.core.versioning import version_check
from salesorg.customers.choices import ContactStatus, LifecycleStage
from salesorg.customers.lifecycle import Thresholds, lifecycle_stage
from salesorg.customers.models import Contact, Customer
from salesorg.customers.services.root_causes import root_cause_owner_follow
from salesorg.customers.services.stakeholders import stakeholder_check, stakeholder_follow_up
from salesorg.org.models import Person, Region
from salesorg.sales.choices import OrderStatus
from salesorg.sales.permissions import can_create, can_write


@transaction.atomic
def customer_save(
    *, instance: Customer, actor: User, expected_version: int | None = None, system: bool = False
) -> Customer:
    """Validate and save a customer: a known owner and region, a credit limit not negative;
    a stored customer only with the `expected_version` read and not changed since (or as the
    system's own change, `system=True`; core/versioning.py)."""
    problems = Problems()
    if not instance.code:
        instance.code = record_code_new(Customer)
    reference_check(problems, field="owner", model=Person, pk=instance.owner_id, actor=actor)
    reference_check(
        problems, field="region", model=Region, pk=instance.region_id, actor=actor, required=False
    )
    not_negative_check(problems, field="credit_limit", value=instance.credit_limit)
    problems.raise_if_any()
    version_check(instance=instance, expected_version=expected_version, system=system)
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
def customer_locate(
    *,
    customer: Customer,
    latitude: Decimal | None,
    longitude: Decimal | None,
    actor: User,
    expected_version: int | None,
) -> Customer:
    """Set (or, with neither, forget) where the customer is, by hand; visits checked in
    there are measured from it from then on."""
    if not can_write(actor, customer):
        raise PermissionDenied
    customer.latitude, customer.longitude = latitude, longitude
    return customer_save(instance=customer, actor=actor, expected_version=expected_version)


@transaction.atomic
def contact_save(
    *, instance: Contact, actor: User, expected_version: int | None = None, system: bool = False
) -> Contact:
    """Validate and save a contact (stakeholder) of a customer in the writer's scope; a change
    of the decision chain that matters (a key stakeholder leaves, is replaced or changes role,
    attitude or influence; a new decision maker) gives the owner a follow-up action item;
    a stored contact only with the `expected_version` read and not changed since (or as the
    system's own change, `system=True`; core/versioning.py)."""
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
    version_check(instance=instance, expected_version=expected_version, system=system)
    instance.full_clean()
    instance.save()
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

    One query reads every customer's first and last confirmed order; the customers whose
    stage changed are written by one plain UPDATE per new stage and start date (batches of
    UPDATE_BATCH ids), as a CASE arm per customer makes SQLite's work grow with the square.
    """
    as_of = as_of or timezone.localdate()
    thresholds = thresholds or Thresholds.current()
    queryset = customers if customers is not None else Customer.objects.all()
    rows = _with_order_dates(queryset.order_by(), as_of).values_list(
        "pk", "created_date", "lifecycle_stage", "lifecycle_since", "first_order", "last_order"
    )
    changed: dict[tuple[str, date | None], list[int]] = defaultdict(list)
    counts: dict[str, int] = {stage: 0 for stage in LifecycleStage.values}
    for pk, created, stage, since, first, last in rows.iterator(chunk_size=2000):
        new_stage, new_since = lifecycle_stage(
            created=created, first_order=first, last_order=last, as_of=as_of, thresholds=thresholds
        )
        counts[new_stage] += 1
        if (new_stage, new_since) != (stage, since):
            changed[new_stage, new_since].append(pk)
    for (new_stage, new_since), pks in changed.items():
        for start in range(0, len(pks), UPDATE_BATCH):
            Customer.objects.filter(pk__in=pks[start : start + UPDATE_BATCH]).update(
                lifecycle_stage=new_stage, lifecycle_since=new_since
            )
    counts["changed"] = sum(len(pks) for pks in changed.values())
    return counts


def customer_lifecycle_recompute(*, customer: Customer, as_of: date | None = None) -> str:
    """Recompute one customer's stage (after a new order); return the stage."""
    customers_lifecycle_recompute(as_of=as_of, customers=Customer.objects.filter(pk=customer.pk))
    customer.refresh_from_db(fields=["lifecycle_stage", "lifecycle_since"])
    return customer.lifecycle_stage


# --- stakeholders -------------------------------------------------------------------------------


@transaction.atomic
def contact_leave(
    *,
    contact: Contact,
    left_on: date | None,
    replaced_by: Contact | None = None,
    actor: User,
    expected_version: int | None,
) -> Contact:
    """Record that a contact left (or was replaced by another contact of the customer), as
    of the contact's `expected_version` the writer read."""
    if not can_write(actor, contact):
        raise_problem = Problems()
        raise_problem.add("status", _("You may not change this contact."))
        raise_problem.raise_if_any()
    contact.status = ContactStatus.REPLACED if replaced_by else ContactStatus.LEFT
    contact.left_on = left_on
    contact.replaced_by = replaced_by
    return contact_save(instance=contact, actor=actor, expected_version=expected_version)
