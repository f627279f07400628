"""Writes of the training library: materials with their quiz, assignments and their
completion (reading, or passing the quiz). The rights are in development.permissions."""

from __future__ import annotations

import secrets
from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from salesorg.core.problems import Problems
from salesorg.core.roles import person_of
from salesorg.core.stored_text import StoredMessage, stored_params
from salesorg.development.attachments import attachment_check
from salesorg.development.models import (
    Assignment,
    AssignmentStatus,
    Material,
    QuizOption,
    QuizQuestion,
)
from salesorg.development.permissions import (
    can_assign_training,
    can_complete_assignment,
    can_edit_library,
)
from salesorg.development.quizzes import quiz_check, quiz_score
from salesorg.development.selectors.training import quiz_questions
from salesorg.org.models import Person


@transaction.atomic
def assignment_create(
    *,
    person: Person,
    material: Material,
    due_date: date,
    actor: User | None = None,
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
        assigned_by=person_of(actor) if actor is not None else None,
        reason=(reason or "").strip(),
        reason_key=reason_message.key if reason_message else "",
        reason_params=reason_params,
    )


@transaction.atomic
def assignment_complete(
    *, assignment: Assignment, actor: User, answers: dict[int, list[int]] | None = None
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


@transaction.atomic
def material_save(
    *,
    instance: Material,
    actor: User,
    questions: list[dict] | None = None,
    upload: UploadedFile | None = None,
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
        instance.attachment.save(upload.name or "", upload, save=False)
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


@transaction.atomic
def material_delete(*, material: Material, actor: User) -> None:
    """Delete a material and its quiz (library writers); one that was assigned is kept."""
    if not can_edit_library(actor):
        raise PermissionDenied
    material.delete()
