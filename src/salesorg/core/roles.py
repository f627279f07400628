"""What a logged-in user is in the organization: their person, role and rights."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesorg.core.registry import person_resolver


class Role(models.TextChoices):
    """A person's role in the sales organization (people.csv `role`)."""

    REP = "rep", _("Sales rep")
    MANAGER = "manager", _("Team manager")
    REGION_HEAD = "region_head", _("Region head")
    DIRECTOR = "director", _("Sales director")
    FINANCE = "finance", _("Finance")
    TRAINER = "trainer", _("Trainer / HR")
    ADMIN = "admin", _("Administrator")


# Who leads a unit (a team's manager, a region's head) ...
UNIT_LEADERS = frozenset({Role.MANAGER, Role.REGION_HEAD})
# Who acts for the whole company: sees every record and may change what any leader may.
COMPANY_WIDE = frozenset({Role.DIRECTOR, Role.ADMIN})
# ... and everyone who leads people: unit leaders, the director and the admin.
LEADERS = UNIT_LEADERS | COMPANY_WIDE
# Who sells or leads those who sell: reps and every leader.
SALES_FORCE = LEADERS | {Role.REP}
# Every login: any role, or none (no person, or someone who has left).
EVERYONE: frozenset[str | None] = frozenset([*Role, None])

HOME_TEMPLATES: dict[str | None, str] = {
    Role.REP: "home/rep.html",
    Role.MANAGER: "home/manager.html",
    Role.REGION_HEAD: "home/manager.html",
    Role.DIRECTOR: "home/director.html",
    Role.ADMIN: "home/director.html",
    Role.FINANCE: "home/finance.html",
    Role.TRAINER: "home/trainer.html",
}


def person_of(user):
    """The Person linked to a user (found by the resolver org registers), or None; cached on
    the user object."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_salesorg_person"):
        if user.pk is None:
            return None  # the SYSTEM actor of batch work has no person
        resolver = person_resolver()
        user._salesorg_person = resolver(user) if resolver is not None else None
    return user._salesorg_person


def has_left(user) -> bool:
    """Has the person behind this login left the company (their leave date is past)?"""
    person = person_of(user)
    return bool(person and person.leave_date and person.leave_date < timezone.localdate())


def role_of(user) -> str | None:
    """The role of a user's person (none once they have left); a superuser without a
    person counts as admin."""
    person = person_of(user)
    if person is not None:
        return None if has_left(user) else person.role
    if getattr(user, "is_superuser", False):
        return Role.ADMIN
    return None


def role_among(roles: Iterable[str | None]) -> Callable[[Any], bool]:
    """A rule for menus and home parts: does the user's role belong to `roles`?"""
    allowed = frozenset(roles)

    def has_allowed_role(user) -> bool:
        return role_of(user) in allowed

    return has_allowed_role


def can_manage_org(user) -> bool:
    """May the user create, change and delete regions, teams, people and memberships?"""
    return bool(getattr(user, "is_superuser", False)) or role_of(user) == Role.ADMIN


def home_template_for(user) -> str:
    return HOME_TEMPLATES.get(role_of(user), "home/none.html")
