"""Writes of customers and their contacts."""

from __future__ import annotations

from django.db import transaction

from salesorg.core.problems import Problems, not_negative_check, reference_check
from salesorg.core.record_codes import record_code_new
from salesorg.core.versioning import version_check
from salesorg.customers.models import Contact, Customer
from salesorg.customers.stakeholders import stakeholder_check, stakeholder_follow_up
from salesorg.org.models import Person, Region


@transaction.atomic
def customer_save(*, instance: Customer, actor, expected_version: int | None = None) -> Customer:
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
    instance.save()
    return instance


@transaction.atomic
def contact_save(*, instance: Contact, actor, expected_version: int | None = None) -> Contact:
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
