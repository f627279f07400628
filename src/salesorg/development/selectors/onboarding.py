"""Reads of onboarding training (入职基本培训, seed S5): the curriculum, who is a new hire,
and the live content its pages show (the org tree, duties, targets, plans, the policy)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.models import User
from django.db.models import Count, Q
from django.utils import timezone

from salesorg.core.roles import Role
from salesorg.core.scoping import NOTHING, SystemActor, scope_for
from salesorg.development.models import Material, Topic
from salesorg.org.models import Person, Region, Team
from salesorg.performance.models import IncentivePolicy, PolicyStatus
from salesorg.targets.models import SalesPlan, Target

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


def onboarding_live_content(
    *, user: User | SystemActor, material: Material, person: Person | None
) -> dict:
    """What the system knows for this material's topic, as the user may see it.

    Keys: "org_tree", "duties", "position", "targets", "plans", "policy" — only those
    relevant to the topic are filled; each page shows an empty state when one is missing.
    """
    today = timezone.localdate()
    topic = material.topic
    content: dict = {"topic": topic}
    if topic == Topic.ORG_STRUCTURE:
        content["structure"] = company_structure(user=user, on=today)
    elif topic == Topic.POSITION_DUTIES:
        content["position"] = person.position if person else None
        content["duties"] = person.position.duties if person and person.position else ""
    elif topic in (Topic.GOALS, Topic.SALES_PLAN, Topic.SALES_TARGETS):
        content["plans"] = current_plans(user=user, year=today.year)
        content["targets"] = person_targets(user=user, person=person, year=today.year)
    elif topic in (Topic.REWARDS_PENALTIES, Topic.PAY_BENEFITS):
        content["policy"] = published_incentive_policy(user=user, today=today)
    return content


@dataclass(frozen=True)
class StructureTeam:
    """A team as the org-structure lesson shows it: name, manager, head count."""

    name: str
    manager_name: str
    member_count: int
    is_mine: bool
    url: str | None  # only for a team the reader may open


@dataclass(frozen=True)
class StructureRegion:
    """A region as the org-structure lesson shows it: name, head and teams."""

    name: str
    head_name: str
    teams: list[StructureTeam] = field(default_factory=list)


def company_structure(*, user: User | SystemActor, on: date | None = None) -> list[StructureRegion]:
    """The whole company's structure for the org-structure lesson (S5): every region with its
    head, every team with its manager and current head count.

    A documented, read-only exception to scoping, for this lesson only: a new hire learns
    how the whole company is organized, not just their own team. It reads names and roles
    (region and team names, their leaders' names) and head counts, never figures or the
    members' names, and links only the teams the reader may open. Someone outside the
    company (no scope) sees nothing. Three queries.
    """
    scope = scope_for(user)
    if scope is NOTHING:
        return []
    on = on or timezone.localdate()
    current = Q(memberships__start_date__lte=on) & (
        Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gte=on)
    )
    teams = (
        Team.objects.select_related("manager")
        .annotate(member_count=Count("memberships", filter=current))
        .order_by("code")
    )
    visible = set(Team.objects.visible_to(user).values_list("pk", flat=True))
    own = set(
        Team.objects.filter(current, memberships__person_id=scope.person_id).values_list(
            "pk", flat=True
        )
        if scope.person_id
        else []
    )
    by_region: dict[int, list[StructureTeam]] = {}
    for team in teams:
        by_region.setdefault(team.region_id, []).append(
            StructureTeam(
                name=team.name,
                manager_name=team.manager.name if team.manager else "",
                member_count=team.member_count,
                is_mine=team.pk in own,
                url=team.get_absolute_url() if team.pk in visible else None,
            )
        )
    return [
        StructureRegion(
            name=region.name,
            head_name=region.head.name if region.head else "",
            teams=by_region.get(region.pk, []),
        )
        for region in Region.objects.select_related("head").order_by("code")
    ]


def current_plans(*, user: User | SystemActor, year: int) -> list[SalesPlan]:
    """The sales plans of `year` the user may see."""
    return list(SalesPlan.objects.visible_to(user).filter(year=year)[:5])


def person_targets(*, user: User | SystemActor, person: Person | None, year: int) -> list:
    """The person's own monthly targets of `year`, as far as the user may see them."""
    if person is None:
        return []
    return list(
        Target.objects.visible_to(user)
        .filter(owner_type="person", person=person, year=year)
        .order_by("month", "metric")
    )


def published_incentive_policy(*, user: User | SystemActor, today: date) -> IncentivePolicy | None:
    """The incentive policy in force (published, effective by today) that the user may see."""
    return (
        IncentivePolicy.objects.visible_to(user)
        .filter(status=PolicyStatus.PUBLISHED, effective_from__lte=today)
        .order_by("-effective_from", "-version")
        .first()
    )
