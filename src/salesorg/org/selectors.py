"""Reads of the organization, always scoped to the user."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from salesorg.core.roles import Role
from salesorg.org.models import Membership, Person, Position, Region, Team

PERSON_SORTS = {
    "code": "code",
    "-code": "-code",
    "name": "name",
    "-name": "-name",
    "role": "role",
    "-role": "-role",
    "hire_date": "hire_date",
    "-hire_date": "-hire_date",
}


def person_list(
    *, user, search: str = "", role: str = "", sort: str = "code", active_only: bool = False
) -> QuerySet[Person]:
    """People the user may see, filtered by a search term and role, sorted."""
    people = Person.objects.visible_to(user).select_related("manager", "position")
    if search:
        people = people.filter(
            Q(code__icontains=search) | Q(name__icontains=search) | Q(email__icontains=search)
        )
    if role:
        people = people.filter(role=role)
    if active_only:
        people = people.employed_on(timezone.localdate())
    return people.order_by(PERSON_SORTS.get(sort, "code"), "code")


def person_current_team(*, person: Person, on: date | None = None) -> Team | None:
    """The team a person belongs to on a day (today by default), if any."""
    on = on or timezone.localdate()
    membership = (
        Membership.objects.current(on).filter(person=person).select_related("team__region").first()
    )
    return membership.team if membership else None


def person_memberships(*, person: Person) -> QuerySet[Membership]:
    """A person's membership history, newest first."""
    return person.memberships.select_related("team__region").order_by("-start_date")


def person_reports(*, user, person: Person) -> QuerySet[Person]:
    """A person's direct reports that the user may see."""
    return Person.objects.visible_to(user).filter(manager=person).order_by("code")


def team_members(*, user, team: Team, on: date | None = None) -> QuerySet[Person]:
    """People in a team on a day (today by default) that the user may see."""
    on = on or timezone.localdate()
    member_ids = Membership.objects.current(on).filter(team=team).values("person_id")
    return Person.objects.visible_to(user).filter(id__in=member_ids).order_by("role", "code")


def team_memberships(*, user, team: Team) -> QuerySet[Membership]:
    """The membership history of a team, restricted to people the user may see."""
    return (
        Membership.objects.visible_to(user)
        .filter(team=team)
        .select_related("person")
        .order_by("-start_date", "person__code")
    )


@dataclass
class TeamNode:
    team: Team
    members: list[Person]


@dataclass
class RegionNode:
    region: Region
    teams: list[TeamNode]


def org_tree(*, user, on: date | None = None) -> list[RegionNode]:
    """Regions → teams → current members, as far as the user may see (three queries)."""
    on = on or timezone.localdate()
    regions = list(Region.objects.visible_to(user).select_related("head").order_by("code"))
    teams = list(
        Team.objects.visible_to(user)
        .filter(region__in=regions)
        .select_related("manager")
        .order_by("code")
    )
    memberships = (
        Membership.objects.current(on)
        .filter(team__in=teams, person__in=Person.objects.visible_to(user))
        .select_related("person")
        .order_by("person__role", "person__code")
    )
    members_by_team: dict[int, list[Person]] = {}
    for membership in memberships:
        members_by_team.setdefault(membership.team_id, []).append(membership.person)
    teams_by_region: dict[int, list[TeamNode]] = {}
    for team in teams:
        node = TeamNode(team=team, members=members_by_team.get(team.id, []))
        teams_by_region.setdefault(team.region_id, []).append(node)
    return [RegionNode(region=r, teams=teams_by_region.get(r.id, [])) for r in regions]


def org_summary(*, user) -> dict[str, int]:
    """Counts for the home page: regions, teams, people and reps employed today."""
    today = timezone.localdate()
    people = Person.objects.visible_to(user).employed_on(today)
    counts = people.aggregate(people=Count("id"), reps=Count("id", filter=Q(role=Role.REP)))
    return {
        "regions": Region.objects.visible_to(user).count(),
        "teams": Team.objects.visible_to(user).count(),
        **counts,
    }


def region_teams(*, user, region: Region) -> QuerySet[Team]:
    """A region's teams the user may see, with their current head count."""
    today = timezone.localdate()
    current = Q(memberships__start_date__lte=today) & (
        Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gte=today)
    )
    return (
        Team.objects.visible_to(user)
        .filter(region=region)
        .select_related("manager")
        .annotate(head_count=Count("memberships", filter=current))
        .order_by("code")
    )


def position_catalogue() -> QuerySet[Position]:
    """Every position of the company: a catalogue everyone may pick from (no scope)."""
    return Position.objects.all()
