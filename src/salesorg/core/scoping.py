"""Who may see what: one scope per user, one queryset method for every read.

Every read of business data goes through `Model.objects.visible_to(user)`. A user's
scope is computed once per user object from the org tree (SPEC §1), by the scope builder
that org registers (`salesorg.org.scoping`):

- someone who has left the company sees nothing;
- a rep sees themselves and their current team;
- a team manager sees the current members of the teams they manage;
- a region head sees everyone currently in their regions' teams, managers included;
- director and admin see everything; finance sees everything needed for receivables;
  trainers (HR) see all people.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Self

from django.db import models
from django.db.models import Q

from salesorg.core.registry import scope_builder
from salesorg.core.roles import Role


class Domain(models.TextChoices):
    """Families of records that a role may see in full."""

    ORG = "org"
    SALES = "sales"
    CUSTOMERS = "customers"
    RECEIVABLES = "receivables"
    PERSONNEL = "personnel"
    TRAINING = "training"  # training materials and assignments: trainers see them all


ALL_DOMAINS = frozenset(Domain)

FULL_VIEW_BY_ROLE: dict[str, frozenset[str]] = {
    Role.DIRECTOR: ALL_DOMAINS,
    Role.ADMIN: ALL_DOMAINS,
    Role.FINANCE: frozenset({Domain.ORG, Domain.SALES, Domain.CUSTOMERS, Domain.RECEIVABLES}),
    Role.TRAINER: frozenset({Domain.ORG, Domain.TRAINING}),
}


@dataclass(frozen=True)
class Scope:
    """The part of the organization one user may see."""

    person_id: int | None = None
    full_domains: frozenset[str] = frozenset()
    person_ids: frozenset[int] = field(default_factory=frozenset)
    team_ids: frozenset[int] = field(default_factory=frozenset)
    region_ids: frozenset[int] = field(default_factory=frozenset)
    led_team_ids: frozenset[int] = field(default_factory=frozenset)
    led_region_ids: frozenset[int] = field(default_factory=frozenset)

    def sees_all(self, domain: str) -> bool:
        return domain in self.full_domains


NOTHING = Scope()
EVERYTHING = Scope(full_domains=ALL_DOMAINS)


class SystemActor:
    """The actor of batch work (management commands, rollups, imports, the demo): it sees
    every record. Passed explicitly, so that "all records" is never the default of a read."""

    is_authenticated = True
    is_active = True
    is_superuser = True
    is_staff = False
    pk = id = None

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = SystemActor()


def scope_for(user) -> Scope:
    """Return (and cache on the user object) the scope of `user`, as the scope builder that
    org registers computes it; with none registered, nothing."""
    if user is SYSTEM:
        return EVERYTHING
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    cached = getattr(user, "_salesorg_scope", None)
    if cached is None:
        builder = scope_builder()
        cached = builder(user) if builder is not None else NOTHING
        user._salesorg_scope = cached
    return cached


class ScopedQuerySet(models.QuerySet):
    """A queryset whose `visible_to(user)` restricts rows to the user's scope.

    Subclasses say which domain they belong to and how a scope filters them by
    overriding `scope_q`; views and API endpoints only ever call `visible_to`.
    """

    domain: str = Domain.ORG
    person_field: str = "person"

    def visible_to(self, user) -> Self:
        scope = scope_for(user)
        if scope.sees_all(self.domain):
            return self.all()
        if scope is NOTHING:
            return self.none()
        return self.filter(self.scope_q(scope))

    def scope_q(self, scope: Scope) -> Q:
        """Rows of a person in scope (the default for records that belong to a person)."""
        return Q(**{f"{self.person_field}_id__in": scope.person_ids})
