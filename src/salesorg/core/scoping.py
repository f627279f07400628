"""Who may see what: one scope per user, one queryset method for every read.

Every read of business data goes through `Model.objects.visible_to(user)`. A user's
scope is computed once per user object from the org tree (SPEC §1):

- someone who has left the company sees nothing;
- a rep sees themselves and their current team;
- a team manager sees the current members of the teams they manage;
- a region head sees everyone currently in their regions' teams, managers included;
- director and admin see everything; finance sees everything needed for receivables;
  trainers (HR) see all people.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q
from django.utils import timezone

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
    """Return (and cache on the user object) the scope of `user`."""
    if user is SYSTEM:
        return EVERYTHING
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    cached = getattr(user, "_salesorg_scope", None)
    if cached is None:
        cached = _compute_scope(user)
        user._salesorg_scope = cached
    return cached


def _compute_scope(user) -> Scope:
    from salesorg.core.roles import person_of
    from salesorg.org.models import Membership, Region, Team

    if user.is_superuser:
        return EVERYTHING
    person = person_of(user)
    today = timezone.localdate()
    if person is None or (person.leave_date is not None and person.leave_date < today):
        return NOTHING  # no person, or someone who has left: whatever login they still hold
    own_team_ids = set(
        Membership.objects.current(today).filter(person=person).values_list("team_id", flat=True)
    )
    led_teams = Team.objects.filter(Q(manager=person) | Q(region__head=person))
    led_team_ids = set(led_teams.values_list("id", flat=True))
    member_ids = set(
        Membership.objects.current(today)
        .filter(team_id__in=led_team_ids)
        .values_list("person_id", flat=True)
    )
    team_manager_ids = set(
        Team.objects.filter(region__head=person, manager__isnull=False).values_list(
            "manager_id", flat=True
        )
    )
    team_ids = own_team_ids | led_team_ids
    region_ids = set(Team.objects.filter(id__in=team_ids).values_list("region_id", flat=True))
    return Scope(
        person_id=person.id,
        full_domains=FULL_VIEW_BY_ROLE.get(person.role, frozenset()),
        person_ids=frozenset({person.id} | member_ids | team_manager_ids),
        team_ids=frozenset(team_ids),
        region_ids=frozenset(region_ids),
        led_team_ids=frozenset(led_team_ids),
        led_region_ids=frozenset(Region.objects.filter(head=person).values_list("id", flat=True)),
    )


class ScopedQuerySet(models.QuerySet):
    """A queryset whose `visible_to(user)` restricts rows to the user's scope.

    Subclasses say which domain they belong to and how a scope filters them by
    overriding `scope_q`; views and API endpoints only ever call `visible_to`.
    """

    domain: str = Domain.ORG
    person_field: str = "person"

    def visible_to(self, user) -> ScopedQuerySet:
        scope = scope_for(user)
        if scope.sees_all(self.domain):
            return self.all()
        if scope is NOTHING:
            return self.none()
        return self.filter(self.scope_q(scope))

    def scope_q(self, scope: Scope) -> Q:
        """Rows of a person in scope (the default for records that belong to a person)."""
        return Q(**{f"{self.person_field}_id__in": scope.person_ids})
