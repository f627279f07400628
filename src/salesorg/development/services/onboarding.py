"""Onboarding training (入职基本培训, seed S5): its assignment to every new hire.

The curriculum is the published materials marked `is_onboarding`, in `onboarding_order`.
A new rep or team manager (hire date within NEW_HIRE_DAYS of today) is given all of them
once, due one after another on successive working days from the hire date. The hook is
a post_save signal on Person (pages, API, services) plus one call from the importer,
which creates people in bulk without signals.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from salesorg.core.calendar import workday_set
from salesorg.development.models import Assignment
from salesorg.development.models.training import ONBOARDING_REASON
from salesorg.development.selectors.onboarding import is_new_hire, onboarding_materials
from salesorg.org.models import Person


@transaction.atomic
def onboarding_assign(*, person: Person, start: date | None = None) -> list[Assignment]:
    """Give `person` the onboarding curriculum, once: nothing if they ever had any of it.

    The i-th material is due on the i-th working day after `start` (the hire date).
    """
    materials = onboarding_materials()
    if not materials:
        return []
    Person.objects.select_for_update().filter(pk=person.pk).first()  # one assigner at a time
    if Assignment.objects.filter(person=person, material__is_onboarding=True).exists():
        return []
    start = start or person.hire_date
    due_dates = _due_dates(start, len(materials))
    return Assignment.objects.bulk_create(
        Assignment(
            person=person,
            material=material,
            due_date=due,
            reason=ONBOARDING_REASON,
        )
        for material, due in zip(materials, due_dates, strict=True)
    )


def _due_dates(start: date, count: int) -> list[date]:
    workdays = sorted(workday_set(start + timedelta(1), start + timedelta(count * 2 + 21)))
    return [
        workdays[index] if index < len(workdays) else start + timedelta(index + 1)
        for index in range(count)
    ]


def onboarding_assign_new_hires(*, people: list[Person], today: date | None = None) -> int:
    """Onboard those of `people` who are new hires (the importer's hook); returns how many."""
    onboarded = 0
    for person in people:
        if person.pk and is_new_hire(person, today=today) and onboarding_assign(person=person):
            onboarded += 1
    return onboarded


@receiver(post_save, sender=Person, dispatch_uid="development_onboard_new_hire")
def _onboard_new_hire(sender, instance: Person, created: bool, raw: bool = False, **kwargs):
    """A person created as a new rep or manager is given the onboarding curriculum."""
    if created and not raw and is_new_hire(instance):
        onboarding_assign(person=instance)
