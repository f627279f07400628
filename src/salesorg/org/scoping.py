"""The scope of a login computed from the org tree (SPEC §1), and the person behind a login:
registered with core at start-up, so that core.scoping and core.roles never import org."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import Q
from django.utils import timezone

from salesorg.core.roles import person_of
from salesorg.core.scoping import EVERYTHING, FULL_VIEW_BY_ROLE, NOTHING, Scope
from salesorg.org.models import Membership, Person, Region, Team


def person_of_login(user: User) -> Person | None:
    """The Person linked to a login, or None."""
    return Person.objects.filter(user=user).first()


def scope_of_login(user: User) -> Scope:
    """What an active login may see: everything for a superuser, nothing for someone without
    a person or who has left, else their own, their teams' and their regions' people."""
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
