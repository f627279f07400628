"""Reads of the training library: materials, quizzes, assignments and a team's status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import User
from django.db.models import Count, Min, Prefetch, Q, QuerySet

from salesorg.core.roles import UNIT_LEADERS, Role, role_of
from salesorg.core.scoping import SystemActor, scope_for
from salesorg.development.models import Assignment, Material, QuizOption, QuizQuestion
from salesorg.org.models import Membership, Person, Team


def quiz_questions(*, material: Material) -> list[QuizQuestion]:
    """The questions of a material's quiz with their options (two queries)."""
    return list(
        QuizQuestion.objects.filter(material=material)
        .select_related("material")
        .prefetch_related(Prefetch("options", queryset=QuizOption.objects.order_by("id")))
        .order_by("number", "id")
    )


def material_list(
    *, user: User | SystemActor, search: str = "", topic: str = "", level: str = ""
) -> QuerySet:
    """Materials the user may see, filtered, with their number of quiz questions."""
    materials = Material.objects.visible_to(user)
    if search:
        materials = materials.filter(
            Q(title__icontains=search) | Q(body__icontains=search) | Q(code__icontains=search)
        )
    if topic:
        materials = materials.filter(topic=topic)
    if level:
        materials = materials.filter(level=level)
    return materials.annotate(question_count=Count("questions")).order_by(
        "-is_onboarding", "onboarding_order", "topic", "title", "id"
    )


def training_followed_people(
    *, user: User | SystemActor, team: Team | None, today: date
) -> QuerySet:
    """The employed people whose training the user follows (never themselves): one team's
    current members when `team` is given, else a leader's people (reps and managers for
    the company-wide roles and trainers)."""
    people = (
        Person.objects.employed_on(today).visible_to(user).exclude(pk=scope_for(user).person_id)
    )
    if team is not None:
        member_ids = Membership.objects.current(today).filter(team=team).values("person_id")
        people = people.filter(pk__in=member_ids)
    elif role_of(user) not in UNIT_LEADERS:
        people = people.filter(role__in=(Role.REP, Role.MANAGER))
    return people.order_by("code")


def assignable_people(*, user: User | SystemActor, today: date) -> QuerySet:
    """The employed reps, managers and region heads the user sees, other than themselves:
    whom the assign page offers (the service checks each one)."""
    return (
        Person.objects.employed_on(today)
        .visible_to(user)
        .exclude(pk=scope_for(user).person_id)
        .filter(role__in=(Role.REP, Role.MANAGER, Role.REGION_HEAD))
        .order_by("code")
    )


def published_materials(*, user: User | SystemActor) -> QuerySet:
    """The published materials the user sees, by title."""
    return Material.objects.published().visible_to(user).order_by("title")


def my_assignments(*, user: User | SystemActor) -> QuerySet:
    """The logged-in person's own assignments, open ones first."""
    person_id = scope_for(user).person_id
    if person_id is None:  # no person behind the login (SYSTEM, a superuser): none of their own
        return Assignment.objects.none()
    return (
        Assignment.objects.visible_to(user)
        .filter(person_id=person_id)
        .select_related("material", "assigned_by")
        .order_by("status", "due_date", "id")
    )


@dataclass
class TrainingRow:
    """One person's line of the team training status: their assignments by material."""

    person: Person
    cells: dict[int, Assignment]
    completed: int
    total: int
    overdue: int


def team_training_status(
    *, user: User | SystemActor, people: list[Person], today: date
) -> tuple[list, list]:
    """Completion per person per material for the given (visible) people: (materials, rows).

    Two queries whatever the number of people: the assignments, and their materials.
    """
    assignments = list(
        Assignment.objects.visible_to(user)
        .filter(person__in=people)
        .select_related("material")
        .order_by("material__onboarding_order", "material__title", "-created_at")
    )
    materials: dict[int, Material] = {}
    by_person: dict[int, dict[int, Assignment]] = {}
    for assignment in assignments:
        materials.setdefault(assignment.material_id, assignment.material)
        by_person.setdefault(assignment.person_id, {}).setdefault(
            assignment.material_id, assignment
        )
    rows = []
    for person in people:
        cells = by_person.get(person.id, {})
        rows.append(
            TrainingRow(
                person=person,
                cells=cells,
                completed=sum(1 for a in cells.values() if not a.is_open),
                total=len(cells),
                overdue=sum(1 for a in cells.values() if a.is_overdue(today)),
            )
        )
    ordered = sorted(
        materials.values(), key=lambda m: (not m.is_onboarding, m.onboarding_order, m.title)
    )
    return ordered, rows


def overdue_assignments(*, user: User | SystemActor, person: Person, today: date) -> QuerySet:
    """The person's own overdue assignments, the oldest due first (one query)."""
    return (
        Assignment.objects.overdue(today)
        .visible_to(user)
        .filter(person=person)
        .select_related("material")
        .order_by("due_date", "id")
    )


def overdue_training_by_person(
    *, user: User | SystemActor, follower: Person, today: date
) -> QuerySet:
    """Overdue assignments of the employed people `user` sees other than the follower, one
    row per person (person_id, person__name, count, oldest), oldest first (one query)."""
    return (
        Assignment.objects.overdue(today)
        .visible_to(user)
        .exclude(person=follower)
        .filter(person__leave_date__isnull=True)
        .values("person_id", "person__name")
        .annotate(count=Count("id"), oldest=Min("due_date"))
        .order_by("oldest", "person__name")
    )
