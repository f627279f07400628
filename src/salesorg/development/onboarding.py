"""Onboarding training (入职基本培训, seed S5): the curriculum, its live content, and its
assignment to every new hire.

The curriculum is the published materials marked `is_onboarding`, in `onboarding_order`.
A new rep or team manager (hire date within NEW_HIRE_DAYS of today) is given all of them
once, due one after another on successive working days from the hire date. The hook is
a post_save signal on Person (pages, API, services) plus one call from the importer,
which creates people in bulk without signals.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import FieldError
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import NoReverseMatch
from django.utils import timezone

from salesorg.core.calendar import workday_set
from salesorg.core.roles import Role
from salesorg.development.models import Assignment, Material, Topic
from salesorg.development.models.training import ONBOARDING_REASON
from salesorg.org.models import Person

NEW_HIRE_ROLES = frozenset({Role.REP, Role.MANAGER})
NEW_HIRE_DAYS = 60  # people imported or entered with an older hire date are not new hires

# The seed's onboarding list, in its order (S5).
ONBOARDING_TOPICS = (
    Topic.ORG_STRUCTURE,
    Topic.POSITION_DUTIES,
    Topic.MARKET_OUTLINE,
    Topic.GOALS,
    Topic.SALES_PLAN,
    Topic.SALES_TARGETS,
    Topic.SELLING_SKILLS,
    Topic.COMMUNICATION,
    Topic.PROBLEM_HANDLING,
    Topic.REWARDS_PENALTIES,
    Topic.PAY_BENEFITS,
)


def onboarding_materials() -> list[Material]:
    """The published onboarding curriculum in order."""
    return list(
        Material.objects.filter(is_onboarding=True, is_published=True).order_by(
            "onboarding_order", "id"
        )
    )


def is_new_hire(person: Person, *, today: date | None = None) -> bool:
    """A rep or manager hired within NEW_HIRE_DAYS (or later) who has not left."""
    today = today or timezone.localdate()
    return (
        person.role in NEW_HIRE_ROLES
        and person.hire_date is not None
        and person.hire_date >= today - timedelta(NEW_HIRE_DAYS)
        and (person.leave_date is None or person.leave_date >= today)
    )


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


# --- live content -------------------------------------------------------------------------


def onboarding_live_content(*, user, material: Material, person: Person | None) -> dict:
    """What the system knows for this material's topic, as the user may see it.

    Keys: "org_tree", "duties", "position", "targets", "plans", "policy" — only those
    relevant to the topic are filled; each page shows an empty state when one is missing.
    """
    today = timezone.localdate()
    topic = material.topic
    content: dict = {"topic": topic}
    if topic == Topic.ORG_STRUCTURE:
        from salesorg.org.selectors import org_tree

        content["org_tree"] = org_tree(user=user, on=today)
    elif topic == Topic.POSITION_DUTIES:
        content["position"] = person.position if person else None
        content["duties"] = person.position.duties if person and person.position else ""
    elif topic in (Topic.GOALS, Topic.SALES_PLAN, Topic.SALES_TARGETS):
        content["plans"] = current_plans(user=user, year=today.year)
        content["targets"] = person_targets(user=user, person=person, year=today.year)
    elif topic in (Topic.REWARDS_PENALTIES, Topic.PAY_BENEFITS):
        content["policy"] = published_incentive_policy(user=user, today=today)
    return content


def current_plans(*, user, year: int) -> list:
    """The sales plans of `year` the user may see, if the plans feature is installed."""
    from django.apps import apps

    try:
        model = apps.get_model("targets", "SalesPlan")
        plans = model.objects.all()
        if hasattr(plans, "visible_to"):
            plans = plans.visible_to(user)
        field_names = {field.name for field in model._meta.get_fields()}
        if "year" in field_names:
            plans = plans.filter(year=year)
        return list(plans[:5])
    except (LookupError, FieldError):  # the plans feature is optional
        return []


def person_targets(*, user, person: Person | None, year: int) -> list:
    """The person's own monthly targets of `year`, as far as the user may see them."""
    if person is None:
        return []
    from salesorg.targets.models import Target

    return list(
        Target.objects.visible_to(user)
        .filter(owner_type="person", person=person, year=year)
        .order_by("month", "metric")
    )


def published_incentive_policy(*, user, today: date):
    """The incentive policy in force (published, effective by today), if the feature exists."""
    from django.apps import apps

    try:
        model = apps.get_model("performance", "IncentivePolicy")
        policies = model.objects.visible_to(user).filter(status="published")
        policy = (
            policies.filter(effective_from__lte=today)
            .order_by("-effective_from", "-version")
            .first()
        )
        if policy is not None:
            try:
                policy.url = policy.get_absolute_url()
            except NoReverseMatch:  # the policy pages may not be wired yet
                policy.url = ""
        return policy
    except (LookupError, FieldError):  # the incentive feature is optional
        return None
