"""Writes of PDCA cycles (S8) and the standards library (标准/制度).

A PDCA plan is for one unit (a person, team, region or the company) and a period, with
an objective and measures (what, metric, target value, due date). Its stage moves
plan → do → check → act → closed, one step at a time. A check records the results against
the plan: for each measure with a metric the actual value is pulled from the indicator
engine for the plan's unit over the plan's period up to the check date. Problems found
carry a cause (category and text); action items come from problems
(`action_item_create(origin=PDCA, source=problem)`). Closing a cycle needs its lesson.

Who writes a plan: whoever leads its unit — the person themself and their team manager or
region head for a person's plan, the team's manager or the region head for a team plan,
the region head for a region plan — and director/admin for any plan (company plans only
them); see `targets.permissions`.

Standards: director and admin write the library (new standards, new versions) and approve
versions. A team manager or region head may propose: promote the lesson of a closed cycle
they may write into a draft version (of a new or an existing standard), which only the
proposer, director and admin see until director or admin approves it with an effective
date; approval publishes the standard.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from salesorg.core.problems import Problems
from salesorg.core.roles import person_of
from salesorg.core.scoping import SYSTEM
from salesorg.org.models import Person, Region, Team
from salesorg.targets.choices import ActionOrigin, Metric, OwnerType
from salesorg.targets.models import (
    ActionItem,
    CauseCategory,
    PdcaCheck,
    PdcaMeasure,
    PdcaPlan,
    PdcaProblem,
    PdcaStatus,
    Standard,
    StandardCategory,
    StandardVersion,
)
from salesorg.targets.permissions import (
    can_propose_standard,
    can_write_library,
    can_write_pdca_unit,
    can_write_plan,
)
from salesorg.targets.selectors.pdca import check_results
from salesorg.work.actions import action_item_create

STAGES = list(PdcaStatus.values)


# ---------------------------------------------------------------- plans


UNIT_MODELS: dict[str, type[Person] | type[Team] | type[Region]] = {
    OwnerType.PERSON: Person,
    OwnerType.TEAM: Team,
    OwnerType.REGION: Region,
}


@transaction.atomic
def pdca_plan_create(
    *,
    title: str,
    unit_type: str,
    unit: Person | Team | Region | None,
    owner: Person | None,
    period_start: date | None,
    period_end: date | None,
    objective: str,
    actor: User,
) -> PdcaPlan:
    """Start a PDCA cycle at the plan stage for a unit the actor leads."""
    problems = Problems()
    if not (title or "").strip():
        problems.add("title", _("This field is required."))
    if not (objective or "").strip():
        problems.add("objective", _("This field is required."))
    if unit_type not in OwnerType.values:
        problems.add("unit_type", _("Choose a unit type."))
    elif unit_type != OwnerType.COMPANY and unit is None:
        problems.add("unit", _("Choose the person, team or region the plan is for."))
    elif unit_type != OwnerType.COMPANY and not isinstance(unit, UNIT_MODELS[unit_type]):
        problems.add("unit", _("The unit does not match the unit type."))
    elif not can_write_pdca_unit(actor, unit_type=unit_type, unit=unit):
        problems.add("unit", _("You may not plan for this unit."))
    if owner is None:
        problems.add("owner", _("This field is required."))
    if period_start is None:
        problems.add("period_start", _("This field is required."))
    if period_end is None:
        problems.add("period_end", _("This field is required."))
    elif period_start is not None and period_end < period_start:
        problems.add("period_end", _("The end date cannot be before the start date."))
    problems.raise_if_any()
    assert period_start is not None and period_end is not None  # refused above
    plan = PdcaPlan(
        title=title.strip(),
        unit_type=unit_type,
        owner=owner,
        period_start=period_start,
        period_end=period_end,
        objective=objective.strip(),
        created_by=person_of(actor),
    )
    if unit_type != OwnerType.COMPANY:
        setattr(plan, unit_type, unit)
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def pdca_plan_advance(*, plan: PdcaPlan, actor: User, lesson: str = "") -> PdcaPlan:
    """Move the cycle to its next stage; closing it needs the lesson learned."""
    problems = Problems()
    if plan.status == PdcaStatus.CLOSED:
        problems.add("status", _("This cycle is closed."))
    elif not can_write_plan(actor, plan):
        problems.add("status", _("You may not change this plan."))
    problems.raise_if_any()
    next_status = STAGES[STAGES.index(plan.status) + 1]
    if next_status == PdcaStatus.DO and not plan.measures.exists():
        problems.add("status", _("Add at least one measure before starting the cycle."))
    if next_status == PdcaStatus.ACT and not plan.checks.exists():
        problems.add("status", _("Record a check before acting on it."))
    if lesson.strip():
        plan.lesson = lesson.strip()
    if next_status == PdcaStatus.CLOSED and not plan.lesson.strip():
        problems.add("lesson", _("Write down the lesson learned before closing the cycle."))
    problems.raise_if_any()
    plan.status = next_status
    if next_status == PdcaStatus.CLOSED:
        plan.closed_at = timezone.now()
    plan.save()
    return plan


def _check_writable(problems: Problems, *, plan: PdcaPlan, actor: User) -> None:
    if not can_write_plan(actor, plan):
        problems.add("plan", _("You may not change this plan."))


@transaction.atomic
def pdca_measure_add(
    *,
    plan: PdcaPlan,
    what: str,
    due_date: date | None,
    actor: User,
    metric: str = "",
    target_value: Decimal | None = None,
    owner: Person | None = None,
) -> PdcaMeasure:
    """Add a measure to the plan (what, towards which metric and value, by when)."""
    problems = Problems()
    _check_writable(problems, plan=plan, actor=actor)
    if not (what or "").strip():
        problems.add("what", _("This field is required."))
    if due_date is None:
        problems.add("due_date", _("This field is required."))
    if metric and metric not in Metric.values:
        problems.add("metric", _("Unknown metric: %(metric)s.") % {"metric": metric})
    if metric and target_value is None:
        problems.add("target_value", _("Give the target value of the metric."))
    if target_value is not None and target_value < 0:
        problems.add("target_value", _("The value cannot be negative."))
    problems.raise_if_any()
    assert due_date is not None  # refused above
    return PdcaMeasure.objects.create(
        plan=plan,
        what=what.strip(),
        metric=metric or "",
        target_value=target_value,
        due_date=due_date,
        owner=owner,
    )


@transaction.atomic
def pdca_check_record(
    *, plan: PdcaPlan, actor: User, summary: str = "", checked_on: date | None = None
) -> PdcaCheck:
    """Record a check: the results against the plan, actuals pulled from the indicators."""
    problems = Problems()
    _check_writable(problems, plan=plan, actor=actor)
    if plan.status == PdcaStatus.PLAN:
        problems.add("plan", _("Start the cycle (do) before checking it."))
    problems.raise_if_any()
    checked_on = checked_on or timezone.localdate()
    check = PdcaCheck.objects.create(
        plan=plan,
        checked_on=checked_on,
        checked_by=person_of(actor),
        summary=(summary or "").strip(),
        results=check_results(plan=plan, as_of=checked_on, user=SYSTEM),
    )
    if plan.status == PdcaStatus.DO:
        plan.status = PdcaStatus.CHECK
        plan.save(update_fields=["status"])
    return check


@transaction.atomic
def pdca_problem_add(
    *,
    plan: PdcaPlan,
    description: str,
    cause_category: str,
    cause: str,
    actor: User,
    check: PdcaCheck | None = None,
) -> PdcaProblem:
    """Record a problem found, with its cause."""
    problems = Problems()
    _check_writable(problems, plan=plan, actor=actor)
    if not (description or "").strip():
        problems.add("description", _("This field is required."))
    if cause_category not in CauseCategory.values:
        problems.add("cause_category", _("Choose a cause category."))
    if not (cause or "").strip():
        problems.add("cause", _("This field is required."))
    if check is not None and check.plan_id != plan.pk:
        problems.add("check", _("The check belongs to another plan."))
    problems.raise_if_any()
    return PdcaProblem.objects.create(
        plan=plan,
        check_record=check,
        description=description.strip(),
        cause_category=cause_category,
        cause=cause.strip(),
        created_by=person_of(actor),
    )


@transaction.atomic
def pdca_action_add(
    *,
    problem: PdcaProblem,
    title: str,
    owner: Person,
    due_date: date | None,
    actor: User,
    detail: str = "",
) -> ActionItem:
    """Give someone an action item against a problem (origin PDCA, source the problem)."""
    problems = Problems()
    _check_writable(problems, plan=problem.plan, actor=actor)
    problems.raise_if_any()
    return action_item_create(
        title=title,
        owner=owner,
        due_date=due_date,  # type: ignore[arg-type]  # None is refused there
        origin=ActionOrigin.PDCA,
        source=problem,
        detail=detail,
        actor=actor,
    )


# ---------------------------------------------------------------- standards


def _next_number(standard: Standard) -> int:
    return (standard.versions.aggregate(top=Max("number"))["top"] or 0) + 1


@transaction.atomic
def standard_create(
    *,
    code: str,
    title: str,
    category: str,
    body: str,
    actor: User,
    lesson_plan: PdcaPlan | None = None,
) -> StandardVersion:
    """Create a standard with its first (draft) version; see the module docstring for rights."""
    problems = Problems()
    if lesson_plan is not None:
        if not can_propose_standard(actor, lesson_plan):
            problems.add("plan", _("Only a closed cycle's lesson can be promoted, by its leaders."))
    elif not can_write_library(actor):
        problems.add("code", _("Only the director or an admin writes standards."))
    if not (code or "").strip():
        problems.add("code", _("This field is required."))
    elif Standard.objects.filter(code=code.strip()).exists():
        problems.add("code", _("A standard with this code exists already."))
    if not (title or "").strip():
        problems.add("title", _("This field is required."))
    if category not in StandardCategory.values:
        problems.add("category", _("Choose a category."))
    if not (body or "").strip():
        problems.add("body", _("This field is required."))
    problems.raise_if_any()
    standard = Standard.objects.create(
        code=code.strip(), title=title.strip(), category=category, proposed_by=person_of(actor)
    )
    return StandardVersion.objects.create(
        standard=standard,
        number=1,
        body=body.strip(),
        proposed_by=person_of(actor),
        lesson_plan=lesson_plan,
    )


@transaction.atomic
def standard_version_add(
    *, standard: Standard, body: str, actor: User, lesson_plan: PdcaPlan | None = None
) -> StandardVersion:
    """Draft the next version of a standard (library writers, or a cycle's leaders)."""
    problems = Problems()
    if lesson_plan is not None:
        if not can_propose_standard(actor, lesson_plan):
            problems.add("plan", _("Only a closed cycle's lesson can be promoted, by its leaders."))
    elif not can_write_library(actor):
        problems.add("body", _("Only the director or an admin writes standards."))
    if not (body or "").strip():
        problems.add("body", _("This field is required."))
    problems.raise_if_any()
    Standard.objects.select_for_update().filter(pk=standard.pk).first()
    return StandardVersion.objects.create(
        standard=standard,
        number=_next_number(standard),
        body=body.strip(),
        proposed_by=person_of(actor),
        lesson_plan=lesson_plan,
    )


@transaction.atomic
def standard_version_approve(
    *, version: StandardVersion, actor: User, effective_date: date | None
) -> StandardVersion:
    """Approve a draft version from a date on; the standard is then published."""
    problems = Problems()
    if not can_write_library(actor):
        problems.add("effective_date", _("Only the director or an admin approves standards."))
    if version.is_approved:
        problems.add("effective_date", _("This version is approved already."))
    if effective_date is None:
        problems.add("effective_date", _("This field is required."))
    problems.raise_if_any()
    version.effective_date = effective_date
    version.approved_by = person_of(actor)
    version.approved_at = timezone.now()
    version.save()
    standard = version.standard
    if not standard.is_published:
        standard.is_published = True
        standard.save(update_fields=["is_published"])
    return version


@transaction.atomic
def standard_promote_lesson(
    *,
    plan: PdcaPlan,
    actor: User,
    standard: Standard | None = None,
    code: str = "",
    title: str = "",
    category: str = StandardCategory.OTHER,
    body: str = "",
) -> StandardVersion:
    """Turn a closed cycle's lesson into a draft version of a new or an existing standard."""
    body = body or plan.lesson
    if standard is not None:
        return standard_version_add(standard=standard, body=body, actor=actor, lesson_plan=plan)
    return standard_create(
        code=code, title=title, category=category, body=body, actor=actor, lesson_plan=plan
    )
