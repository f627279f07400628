"""Training library, quizzes and assignments: who may do what, the writes and the reads.

Rights: trainers (HR), the director and admins write materials and assign anything to
anyone employed; team managers and region heads assign materials to the people they
lead; the assignee completes their own assignment (reading, or passing the quiz).
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesorg.core.problems import Problems
from salesorg.core.roles import Role, person_of, role_of
from salesorg.core.scoping import scope_for
from salesorg.core.stored_text import StoredMessage, stored_params
from salesorg.development.models import (
    Assignment,
    AssignmentStatus,
    Material,
    QuizOption,
    QuizQuestion,
)
from salesorg.org.models import Person

LIBRARY_WRITERS = frozenset({Role.TRAINER, Role.DIRECTOR, Role.ADMIN})
TEAM_LEADERS = frozenset({Role.MANAGER, Role.REGION_HEAD})


# --- rights -------------------------------------------------------------------------------


def can_edit_library(user) -> bool:
    """May the user create and change training materials and quizzes?"""
    return role_of(user) in LIBRARY_WRITERS


def can_assign_training(user, person: Person | None = None) -> bool:
    """May the user assign training (to `person`, when given)?"""
    role = role_of(user)
    if role in LIBRARY_WRITERS:
        return True
    if role not in TEAM_LEADERS:
        return False
    if person is None:
        return True
    scope = scope_for(user)
    return person.pk != scope.person_id and person.pk in scope.person_ids


def can_complete_assignment(user, assignment: Assignment) -> bool:
    """Only the assignee completes an assignment (reads it or takes its quiz)."""
    scope = scope_for(user)
    return scope.person_id is not None and assignment.person_id == scope.person_id


def person_of_actor(actor) -> Person | None:
    """The Person behind a user (None for the system or a superuser without a person)."""
    return person_of(actor) if actor is not None else None


# --- assignments --------------------------------------------------------------------------


@transaction.atomic
def assignment_create(
    *,
    person: Person,
    material: Material,
    due_date: date,
    actor=None,
    reason: str = "",
    reason_message: StoredMessage | None = None,
    reason_params: dict | None = None,
) -> Assignment:
    """Assign `material` to `person` by `due_date`; refuse a second open assignment of it.

    `actor` is the user assigning (checked); None means the system (onboarding on hire).
    A reason the system writes comes as `reason_message` with `reason_params`, stored as a
    key so it reads in each reader's language.
    """
    reason_params = stored_params(reason_params)
    if reason_message is not None:
        reason = reason_message.render(reason_params)
    problems = Problems()
    if person is None:
        problems.add("person", _("This field is required."))
    if material is None:
        problems.add("material", _("This field is required."))
    if due_date is None:
        problems.add("due_date", _("This field is required."))
    if problems.errors:
        problems.raise_if_any()
    if actor is not None and not can_assign_training(actor, person):
        problems.add("person", _("You may not assign training to this person."))
    if not material.is_published:
        problems.add("material", _("This material is not published."))
    if person.leave_date is not None and person.leave_date < timezone.localdate():
        problems.add("person", _("This person has left the company."))
    if Assignment.objects.filter(
        person=person, material=material, status=AssignmentStatus.ASSIGNED
    ).exists():
        problems.add("material", _("This person already has an open assignment of this material."))
    problems.raise_if_any()
    return Assignment.objects.create(
        person=person,
        material=material,
        due_date=due_date,
        assigned_by=person_of_actor(actor),
        reason=(reason or "").strip(),
        reason_key=reason_message.key if reason_message else "",
        reason_params=reason_params,
    )


@transaction.atomic
def assignment_complete(
    *, assignment: Assignment, actor, answers: dict[int, list[int]] | None = None
) -> Assignment:
    """Complete an assignment: mark reading done, or score its quiz (done when passed).

    `answers` maps question ids to the chosen option ids; a material with a quiz is only
    completed by passing it, and every attempt records its score and result.
    """
    problems = Problems()
    if not can_complete_assignment(actor, assignment):
        problems.add("person", _("Only the assigned person can complete this training."))
    elif not assignment.is_open:
        problems.add("status", _("This assignment is already completed."))
    problems.raise_if_any()
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    questions = quiz_questions(material=assignment.material)
    if questions:
        result = quiz_score(questions=questions, answers=answers or {})
        assignment.quiz_score = result.score
        assignment.passed = result.passed
        if result.passed:
            assignment.status = AssignmentStatus.COMPLETED
            assignment.completed_at = timezone.now()
    else:
        assignment.status = AssignmentStatus.COMPLETED
        assignment.completed_at = timezone.now()
    assignment.save()
    return assignment


# --- quizzes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuizResult:
    """The outcome of one quiz attempt: questions right, score in whole percent, pass."""

    correct: int
    total: int
    score: int
    passed: bool


def quiz_questions(*, material: Material) -> list[QuizQuestion]:
    """The questions of a material's quiz with their options (two queries)."""
    return list(
        QuizQuestion.objects.filter(material=material)
        .select_related("material")
        .prefetch_related(Prefetch("options", queryset=QuizOption.objects.order_by("id")))
        .order_by("number", "id")
    )


def quiz_score(*, questions: list[QuizQuestion], answers: dict[int, list[int]]) -> QuizResult:
    """Score answers server-side: a question counts when exactly its correct options are
    chosen; the quiz is passed when the share right reaches the material's pass mark."""
    total = len(questions)
    if total == 0:
        return QuizResult(correct=0, total=0, score=100, passed=True)
    correct = 0
    for question in questions:
        expected = {option.id for option in question.options.all() if option.is_correct}
        chosen = {int(option_id) for option_id in answers.get(question.id, []) or []}
        if chosen == expected:
            correct += 1
    pass_mark = questions[0].material.pass_mark
    # Compare in whole numbers so that 4 of 5 at an 80 % mark passes exactly.
    return QuizResult(
        correct=correct,
        total=total,
        score=correct * 100 // total,
        passed=correct * 100 >= pass_mark * total,
    )


QUIZ_HELP = gettext_lazy(
    "One question per block: a line starting with '?' is the question, '*' a correct "
    "option, '-' a wrong one."
)


def quiz_parse(text: str) -> list[dict]:
    """Read the quiz text format into [{"text": ..., "options": [{"text", "is_correct"}]}]."""
    questions: list[dict] = []
    problems = Problems()
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        marker, content = line[0], line[1:].strip()
        if marker == "?" and content:
            questions.append({"text": content, "options": []})
        elif marker in "*-" and content and questions:
            questions[-1]["options"].append({"text": content, "is_correct": marker == "*"})
        else:
            problems.add(
                "quiz",
                _("Line %(number)d: start with '?', '*' or '-' (a question first).")
                % {"number": number},
            )
    problems.raise_if_any()
    return questions


def quiz_as_text(*, questions: list[QuizQuestion]) -> str:
    """The quiz in the text format of `quiz_parse` (for the edit form)."""
    lines: list[str] = []
    for question in questions:
        lines.append(f"? {question.text}")
        lines += [f"{'*' if o.is_correct else '-'} {o.text}" for o in question.options.all()]
        lines.append("")
    return "\n".join(lines).strip()


def quiz_check(problems: Problems, questions: list[dict]) -> None:
    """Each question needs a text, at least two options and at least one correct one."""
    for number, question in enumerate(questions, start=1):
        options = question.get("options") or []
        if not (question.get("text") or "").strip():
            problems.add("questions", _("Question %(number)d has no text.") % {"number": number})
        if len(options) < 2:
            problems.add(
                "questions",
                _("Question %(number)d needs at least two options.") % {"number": number},
            )
        if not any(option.get("is_correct") for option in options):
            problems.add(
                "questions",
                _("Question %(number)d needs at least one correct option.") % {"number": number},
            )


def _quiz_write(*, material: Material, questions: list[dict]) -> None:
    material.questions.all().delete()
    for number, question in enumerate(questions, start=1):
        saved = QuizQuestion.objects.create(
            material=material, number=number, text=question["text"].strip()[:500]
        )
        QuizOption.objects.bulk_create(
            QuizOption(
                question=saved,
                text=option["text"].strip()[:300],
                is_correct=bool(option.get("is_correct")),
            )
            for option in question["options"]
        )


# --- materials ----------------------------------------------------------------------------

ATTACHMENT_TYPES = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".txt": (),
    ".md": (),
}


def attachment_max_bytes() -> int:
    """The largest attachment accepted (setting SALESORG_TRAINING_MAX_UPLOAD_MB, default 20)."""
    from django.conf import settings

    return int(getattr(settings, "SALESORG_TRAINING_MAX_UPLOAD_MB", 20)) * 1024 * 1024


def attachment_check(problems: Problems, upload) -> None:
    """Refuse an attachment of another type than the listed ones, or too large, or whose
    content does not match its extension."""
    name = os.path.basename(upload.name or "")
    extension = os.path.splitext(name)[1].lower()
    if extension not in ATTACHMENT_TYPES:
        problems.add(
            "attachment",
            _("Allowed file types: %(types)s.") % {"types": ", ".join(sorted(ATTACHMENT_TYPES))},
        )
        return
    if (upload.size or 0) > attachment_max_bytes():
        problems.add(
            "attachment",
            _("The file is larger than %(mb)d MB.") % {"mb": attachment_max_bytes() // 1048576},
        )
        return
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    signatures = ATTACHMENT_TYPES[extension]
    if signatures and not any(head.startswith(signature) for signature in signatures):
        problems.add("attachment", _("The file's content does not match its type."))
    if not signatures:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            if len(head) < 2048:  # a multi-byte character cut at the end is fine
                problems.add("attachment", _("A text file must be UTF-8 text."))


@transaction.atomic
def material_save(
    *,
    instance: Material,
    actor,
    questions: list[dict] | None = None,
    upload=None,
) -> Material:
    """Validate and save a material; `questions` (when given) replace its quiz and
    `upload` its attachment."""
    problems = Problems()
    if not can_edit_library(actor):
        raise PermissionDenied
    if upload is not None:
        attachment_check(problems, upload)
    if questions is not None:
        quiz_check(problems, questions)
    if not instance.code:
        instance.code = material_code_new()
    try:
        instance.full_clean(exclude=["attachment"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            for message in messages:
                problems.add(field, message)
    problems.raise_if_any()
    if upload is not None:
        instance.attachment.save(upload.name, upload, save=False)
    instance.save()
    if questions is not None:
        _quiz_write(material=instance, questions=questions)
    return instance


def material_code_new() -> str:
    """The code the system gives a new material: MAT- and eight random hex digits."""
    while True:
        code = f"MAT-{secrets.token_hex(4).upper()}"
        if not Material.objects.filter(code=code).exists():
            return code


# --- reads --------------------------------------------------------------------------------


def material_list(*, user, search: str = "", topic: str = "", level: str = "") -> QuerySet:
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


def assignment_list(
    *, user, person: Person | None = None, status: str = "", overdue_on: date | None = None
) -> QuerySet:
    """Assignments the user may see, optionally of one person, one status, or overdue."""
    assignments = Assignment.objects.visible_to(user).select_related(
        "person", "material", "assigned_by"
    )
    if person is not None:
        assignments = assignments.filter(person=person)
    if status:
        assignments = assignments.filter(status=status)
    if overdue_on is not None:
        assignments = assignments.overdue(overdue_on)
    return assignments.order_by("status", "due_date", "id")


def my_assignments(*, user) -> QuerySet:
    """The logged-in person's own assignments, open ones first."""
    person_id = scope_for(user).person_id
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


def team_training_status(*, user, people: list[Person], today: date) -> tuple[list, list]:
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
