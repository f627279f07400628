"""Writes of visit purposes and their checklists (S2), by the managers of the standards.

A change to a purpose's checklist raises its version; the visits that answered an earlier
version keep the steps as they were asked (`VisitStep.text`), and a step they answered is
never deleted: taken off the checklist, it stays inactive.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from salesorg.core.problems import Problems
from salesorg.sales.models import ChecklistStep, VisitPurpose, VisitStep
from salesorg.sales.permissions import can_manage_purposes

STEP_LENGTH = 200


@dataclass(frozen=True)
class StepData:
    """One step of a checklist as entered, in order; `step_id` keeps an existing step."""

    text: str
    text_en: str = ""
    required: bool = True
    step_id: int | None = None


def _refuse_non_manager(actor: User) -> None:
    if not can_manage_purposes(actor):
        raise PermissionDenied


def _steps_check(problems: Problems, purpose: VisitPurpose, steps: list[StepData]) -> None:
    """Refuse empty, too long or repeated steps and steps of another purpose."""
    own = set(purpose.steps.values_list("pk", flat=True)) if purpose.pk else set()
    seen: set[str] = set()
    for number, step in enumerate(steps, start=1):
        text = step.text.strip()
        if not text:
            problems.add("steps", _("Step %(no)s: write what the rep does.") % {"no": number})
        elif text in seen:
            problems.add(
                "steps", _("Step %(no)s repeats “%(text)s”.") % {"no": number, "text": text}
            )
        seen.add(text)
        if len(text) > STEP_LENGTH or len(step.text_en.strip()) > STEP_LENGTH:
            problems.add(
                "steps",
                _("Step %(no)s: at most %(max)s characters.") % {"no": number, "max": STEP_LENGTH},
            )
        if step.step_id is not None and step.step_id not in own:
            problems.add(
                "steps",
                _("Step %(no)s: %(id)s is not a step of this purpose.")
                % {"no": number, "id": step.step_id},
            )


def _checklist_of(purpose: VisitPurpose) -> list[tuple]:
    """The active checklist as comparable rows (id, text, English text, required), in order."""
    return [
        (s.pk, s.text, s.text_en, s.required)
        for s in purpose.steps.filter(active=True).order_by("position", "id")
    ]


def _steps_replace(purpose: VisitPurpose, steps: list[StepData]) -> None:
    """Make `steps` the active checklist: keep, edit, add; delete a step no visit answered and
    deactivate one that was answered."""
    kept: set[int] = set()
    for position, data in enumerate(steps, start=1):
        step = ChecklistStep(purpose=purpose)
        if data.step_id is not None:
            step = purpose.steps.get(pk=data.step_id)
        step.position = position
        step.text = data.text.strip()
        step.text_en = data.text_en.strip()
        step.required = data.required
        step.active = True
        step.full_clean()
        step.save()
        kept.add(step.pk)
    answered = set(
        VisitStep.objects.filter(step__purpose=purpose).values_list("step_id", flat=True)
    )
    for step in purpose.steps.filter(active=True).exclude(pk__in=kept):
        if step.pk in answered:
            step.active = False
            step.save()
        else:
            step.delete()


@transaction.atomic
def purpose_save(
    *, purpose: VisitPurpose, actor: User, steps: list[StepData] | None = None
) -> VisitPurpose:
    """Validate and save a visit purpose and, when given, its checklist in order; a changed
    checklist of a saved purpose raises its version."""
    _refuse_non_manager(actor)
    problems = Problems()
    if purpose.pk:
        VisitPurpose.objects.select_for_update().filter(pk=purpose.pk).first()
    if steps is not None:
        _steps_check(problems, purpose, steps)
    for field in ("code", "name"):
        if not str(getattr(purpose, field) or "").strip():
            problems.add(field, _("This field is required."))
    problems.raise_if_any()
    before = _checklist_of(purpose) if purpose.pk else None
    purpose.full_clean()
    purpose.save()
    if steps is not None:
        _steps_replace(purpose, steps)
        if before is not None and _checklist_of(purpose) != before:
            purpose.version += 1
            purpose.save(update_fields=["version"])
    return purpose


@transaction.atomic
def purpose_set_active(*, purpose: VisitPurpose, active: bool, actor: User) -> VisitPurpose:
    """Offer a purpose on new visits again, or no more (its visits keep it)."""
    _refuse_non_manager(actor)
    purpose.active = active
    purpose.save(update_fields=["active"])
    return purpose


@transaction.atomic
def purpose_delete(*, visit_purpose: VisitPurpose, actor: User) -> None:
    """Delete a purpose no visit uses; one in use is deactivated instead, never deleted."""
    _refuse_non_manager(actor)
    used = visit_purpose.visits.count()
    if used:
        raise ValidationError(
            {
                "active": [
                    _("%(count)s visits use this purpose: deactivate it instead.") % {"count": used}
                ]
            }
        )
    visit_purpose.steps.all().delete()
    visit_purpose.delete()
