"""Home-page cards of the development app: the trainer's onboarding and training status by
person, and a new hire's own onboarding path. Each is one query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils.translation import pgettext_lazy

from salesorg.core.roles import Role
from salesorg.development.models import Assignment, AssignmentStatus
from salesorg.development.selectors.onboarding import is_new_hire
from salesorg.org.models import Person

PEOPLE_SHOWN = 12

# A person's training status, most urgent first.
OVERDUE, IN_PROGRESS, ASSIGNED, DONE = "overdue", "in_progress", "assigned", "done"
STATUS_LABELS = {
    OVERDUE: pgettext_lazy("training status of a person", "Overdue"),
    IN_PROGRESS: pgettext_lazy("training status of a person", "In progress"),
    ASSIGNED: pgettext_lazy("training status of a person", "Not started"),
    DONE: pgettext_lazy("training status of a person", "Done"),
}
STATUS_ORDER = (OVERDUE, IN_PROGRESS, ASSIGNED, DONE)


@dataclass(frozen=True)
class PersonTraining:
    """One person's assignments: how many, done, overdue, their onboarding and next due date."""

    person_id: int
    code: str
    name: str
    total: int
    done: int
    overdue: int
    onboarding_total: int
    onboarding_done: int
    next_due: date | None

    @property
    def status(self) -> str:
        if self.overdue:
            return OVERDUE
        if self.done == self.total:
            return DONE
        return IN_PROGRESS if self.done else ASSIGNED

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def url(self) -> str:
        return reverse("org:person", args=[self.person_id])


@dataclass(frozen=True)
class TrainingStatus:
    """The people with assignments by status: counts of each, and the most urgent listed."""

    counts: list[tuple[str, str, int]]  # (status, label, number of people)
    people: list[PersonTraining]
    total_people: int


def training_status_by_person(*, user, today: date, shown: int = PEOPLE_SHOWN) -> TrainingStatus:
    """Every employed person's training assignments the user sees, grouped by person:
    overdue first (oldest next due date first), then in progress, not started, done."""
    open_ = Q(status=AssignmentStatus.ASSIGNED)
    completed = Q(status=AssignmentStatus.COMPLETED)
    onboarding = Q(material__is_onboarding=True)
    rows = (
        Assignment.objects.visible_to(user)
        .filter(Q(person__leave_date__isnull=True) | Q(person__leave_date__gte=today))
        .order_by()
        .values("person_id", "person__code", "person__name")
        .annotate(
            total=Count("id"),
            done=Count("id", filter=completed),
            overdue=Count("id", filter=open_ & Q(due_date__lt=today)),
            onboarding_total=Count("id", filter=onboarding),
            onboarding_done=Count("id", filter=onboarding & completed),
            next_due=Min("due_date", filter=open_),
        )
    )
    people = [
        PersonTraining(
            person_id=row["person_id"],
            code=row["person__code"],
            name=row["person__name"],
            total=row["total"],
            done=row["done"],
            overdue=row["overdue"],
            onboarding_total=row["onboarding_total"],
            onboarding_done=row["onboarding_done"],
            next_due=row["next_due"],
        )
        for row in rows
    ]
    people.sort(
        key=lambda p: (STATUS_ORDER.index(p.status), p.next_due or date.max, -p.overdue, p.code)
    )
    counts = [
        (status, str(STATUS_LABELS[status]), sum(1 for p in people if p.status == status))
        for status in STATUS_ORDER
    ]
    return TrainingStatus(counts=counts, people=people[:shown], total_people=len(people))


@dataclass(frozen=True)
class OnboardingStep:
    """One material of a new hire's onboarding path and where it stands."""

    assignment: Assignment
    number: int
    overdue: bool

    @property
    def done(self) -> bool:
        return not self.assignment.is_open


@dataclass(frozen=True)
class OnboardingPath:
    """A person's onboarding curriculum in order: steps done of all, and the next one."""

    steps: list[OnboardingStep]

    @property
    def done(self) -> int:
        return sum(1 for step in self.steps if step.done)

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def share(self) -> int:
        """Whole percent of the steps done, for the progress bar."""
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def next_step(self) -> OnboardingStep | None:
        return next((step for step in self.steps if not step.done), None)

    @property
    def overdue(self) -> int:
        return sum(1 for step in self.steps if step.overdue)

    @property
    def last_due(self) -> date | None:
        return max((step.assignment.due_date for step in self.steps), default=None)


def onboarding_path(*, user, person: Person, today: date) -> OnboardingPath | None:
    """The person's onboarding assignments in curriculum order (one query); None when they
    have none, or have finished it and are no longer a new hire."""
    assignments = list(
        Assignment.objects.visible_to(user)
        .filter(person=person, material__is_onboarding=True)
        .select_related("material")
        .order_by("material__onboarding_order", "due_date", "id")
    )
    if not assignments:
        return None
    steps = [
        OnboardingStep(assignment=a, number=i, overdue=a.is_overdue(today))
        for i, a in enumerate(assignments, start=1)
    ]
    path = OnboardingPath(steps=steps)
    if path.next_step is None and not is_new_hire(person, today=today):
        return None
    return path


# The trainer's status card lists these reminders' people already, with more detail.
SHOWN_IN_TRAINER_CARD = frozenset({"team_training_overdue"})


def home_context(
    *, user, person: Person | None, role: str | None, today: date, reminders=()
) -> dict:
    """The development cards of the home page: the trainer's status by person (their to-do
    list then leaves out what the card shows); anyone's own onboarding path while in it."""
    if person is None:
        return {}
    if role == Role.TRAINER:
        return {
            "training_status": training_status_by_person(user=user, today=today),
            "reminders": [r for r in reminders if r.kind not in SHOWN_IN_TRAINER_CARD],
        }
    path = onboarding_path(user=user, person=person, today=today)
    return {"onboarding": path} if path else {}
