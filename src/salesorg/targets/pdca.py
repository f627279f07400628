"""PDCA cycles (S8) and the standards library (标准/制度): services and selectors.

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
them). Everyone who sees the unit (as for targets) reads the plan.

Standards: every logged-in person reads the published standards and their approved
versions. Director and admin write the library (new standards, new versions) and approve
versions. A team manager or region head may propose: promote the lesson of a closed cycle
they may write into a draft version (of a new or an existing standard), which only the
proposer, director and admin see until director or admin approves it with an effective
date; approval publishes the standard.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from salesorg.core.money import quantize_cents
from salesorg.core.problems import Problems
from salesorg.core.roles import UNIT_LEADERS, Role, person_of, role_of
from salesorg.core.scoping import scope_for
from salesorg.org.models import Person, Region, Team
from salesorg.performance.choices import Level
from salesorg.performance.indicators import indicator_table
from salesorg.performance.periods import Period, period_progress
from salesorg.targets.choices import ActionOrigin, Metric, OwnerType
from salesorg.targets.models import (
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
from salesorg.targets.reviews import METRIC_ACTUALS
from salesorg.work.actions import action_item_create, action_items_for_source

LIBRARY_ROLES = frozenset({Role.DIRECTOR, Role.ADMIN})
STAGES = list(PdcaStatus.values)
LEVEL_OF_UNIT = {
    OwnerType.PERSON: Level.PERSON,
    OwnerType.TEAM: Level.TEAM,
    OwnerType.REGION: Level.REGION,
    OwnerType.COMPANY: Level.COMPANY,
}


# ---------------------------------------------------------------- permissions


def can_write_unit(user, *, unit_type: str, unit) -> bool:
    """May the user write PDCA plans for this unit (see the module docstring)?"""
    role = role_of(user)
    if role in LIBRARY_ROLES:
        return True
    if role is None or role in (Role.FINANCE, Role.TRAINER) or unit is None:
        return False
    scope = scope_for(user)
    if unit_type == OwnerType.PERSON:
        return unit.pk == scope.person_id or (role in UNIT_LEADERS and unit.pk in scope.person_ids)
    if unit_type == OwnerType.TEAM:
        return unit.pk in scope.led_team_ids
    if unit_type == OwnerType.REGION:
        return unit.pk in scope.led_region_ids
    return False


def can_write_plan(user, plan: PdcaPlan) -> bool:
    """May the user change this plan, its measures, checks and problems?"""
    if plan.status == PdcaStatus.CLOSED:
        return False
    return can_write_unit(user, unit_type=plan.unit_type, unit=plan.unit)


def can_write_library(user) -> bool:
    """Director and admin write and approve standards."""
    return role_of(user) in LIBRARY_ROLES


def can_propose_standard(user, plan: PdcaPlan) -> bool:
    """Library writers and the plan's leaders may promote a closed cycle's lesson."""
    if plan.status != PdcaStatus.CLOSED or not plan.lesson.strip():
        return False
    if can_write_library(user):
        return True
    return role_of(user) in UNIT_LEADERS and can_write_unit(
        user, unit_type=plan.unit_type, unit=plan.unit
    )


# ---------------------------------------------------------------- plans


UNIT_MODELS = {OwnerType.PERSON: Person, OwnerType.TEAM: Team, OwnerType.REGION: Region}


@transaction.atomic
def pdca_plan_create(
    *,
    title: str,
    unit_type: str,
    unit,
    owner: Person | None,
    period_start: date | None,
    period_end: date | None,
    objective: str,
    actor,
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
    elif not can_write_unit(actor, unit_type=unit_type, unit=unit):
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
def pdca_plan_advance(*, plan: PdcaPlan, actor, lesson: str = "") -> PdcaPlan:
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


def _check_writable(problems: Problems, *, plan: PdcaPlan, actor) -> None:
    if not can_write_plan(actor, plan):
        problems.add("plan", _("You may not change this plan."))


@transaction.atomic
def pdca_measure_add(
    *,
    plan: PdcaPlan,
    what: str,
    due_date: date | None,
    actor,
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
    return PdcaMeasure.objects.create(
        plan=plan,
        what=what.strip(),
        metric=metric or "",
        target_value=target_value,
        due_date=due_date,
        owner=owner,
    )


def plan_actuals(*, plan: PdcaPlan, as_of: date) -> dict[str, Decimal | int]:
    """The plan's unit's actual per metric over its period up to `as_of` (indicator engine)."""
    end = min(plan.period_end, max(as_of, plan.period_start))
    table = indicator_table(start=plan.period_start, end=end, level=LEVEL_OF_UNIT[plan.unit_type])
    if plan.unit_type == OwnerType.COMPANY:
        row = table.rows[0] if table.rows else None
    else:
        row = next((r for r in table.rows if r.code == plan.unit.code), None)
    if row is None:
        return {}
    return {metric: row.value(column) for metric, column in METRIC_ACTUALS.items()}


def check_results(*, plan: PdcaPlan, as_of: date) -> list[dict]:
    """Each measure with its target and, for a measure with a metric, the actual and whether
    it is met (expenses: within the value); JSON-ready. Checked before the plan's period
    ends, a measure is judged against the part of its target due by then (pro-rated by
    working days elapsed), given as `target_to_date`."""
    actuals = plan_actuals(plan=plan, as_of=as_of)
    progress = period_progress(Period(start=plan.period_start, end=plan.period_end), today=as_of)
    results = []
    for measure in plan.measures.all():
        actual = actuals.get(measure.metric) if measure.metric else None
        met = None
        due = progress.prorate(measure.target_value)
        if actual is not None and due is not None:
            within = measure.metric == Metric.EXPENSE_BUDGET  # a budget is met when not exceeded
            met = actual <= due if within else actual >= due
        results.append(
            {
                "measure": measure.pk,
                "what": measure.what,
                "metric": measure.metric,
                "target": None
                if measure.target_value is None
                else str(quantize_cents(measure.target_value)),
                "actual": None if actual is None else str(actual),
                "met": met,
                "target_to_date": str(due) if progress.running and due is not None else None,
                "as_of": progress.as_of.isoformat() if progress.running else None,
            }
        )
    return results


@transaction.atomic
def pdca_check_record(
    *, plan: PdcaPlan, actor, summary: str = "", checked_on: date | None = None
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
        results=check_results(plan=plan, as_of=checked_on),
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
    actor,
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
    *, problem: PdcaProblem, title: str, owner: Person, due_date: date | None, actor, detail=""
):
    """Give someone an action item against a problem (origin PDCA, source the problem)."""
    problems = Problems()
    _check_writable(problems, plan=problem.plan, actor=actor)
    problems.raise_if_any()
    return action_item_create(
        title=title,
        owner=owner,
        due_date=due_date,
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
    *, code: str, title: str, category: str, body: str, actor, lesson_plan: PdcaPlan | None = None
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
    *, standard: Standard, body: str, actor, lesson_plan: PdcaPlan | None = None
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
    *, version: StandardVersion, actor, effective_date: date | None
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
    actor,
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


# ---------------------------------------------------------------- selectors


def pdca_plan_list(*, user, status: str = "", search: str = ""):
    """Plans the user may see, newest period first."""
    plans = PdcaPlan.objects.visible_to(user).select_related("owner", "person", "team", "region")
    if status in PdcaStatus.values:
        plans = plans.filter(status=status)
    if search:
        plans = plans.filter(title__icontains=search)
    return plans


def pdca_plan_detail(*, plan: PdcaPlan, user) -> dict:
    """A plan's measures, checks, problems and their action items (five queries)."""
    from django.contrib.contenttypes.models import ContentType

    from salesorg.targets.models import ActionItem

    problems = list(plan.problems.select_related("check_record"))
    items = ActionItem.objects.filter(
        source_type=ContentType.objects.get_for_model(PdcaProblem),
        source_id__in=[problem.pk for problem in problems],
    ).select_related("owner")
    by_problem: dict[int, list] = {}
    for item in items:
        by_problem.setdefault(item.source_id, []).append(item)
    return {
        "measures": list(plan.measures.select_related("owner")),
        "checks": list(plan.checks.select_related("checked_by")),
        "problems": [(problem, by_problem.get(problem.pk, [])) for problem in problems],
        "versions": list(
            StandardVersion.objects.visible_to(user)
            .filter(lesson_plan=plan)
            .select_related("standard")
        ),
    }


def standard_list(*, user, category: str = "", search: str = ""):
    """Standards the user may read with their approved versions (two queries)."""
    standards = Standard.objects.visible_to(user)
    if category in StandardCategory.values:
        standards = standards.filter(category=category)
    if search:
        standards = standards.filter(title__icontains=search) | standards.filter(
            code__icontains=search
        )
    return standards.prefetch_related(
        Prefetch(
            "versions",
            queryset=StandardVersion.objects.visible_to(user).select_related("approved_by"),
            to_attr="visible_versions",
        )
    )


def standard_current_version(
    versions: list[StandardVersion], *, today: date
) -> StandardVersion | None:
    """The approved version in force today: the highest number already effective."""
    in_force = [
        v for v in versions if v.is_approved and v.effective_date and v.effective_date <= today
    ]
    return max(in_force, key=lambda v: v.number, default=None)


__all__ = [
    "action_items_for_source",
    "can_propose_standard",
    "can_write_library",
    "can_write_plan",
    "check_results",
    "pdca_action_add",
    "pdca_check_record",
    "pdca_measure_add",
    "pdca_plan_advance",
    "pdca_plan_create",
    "pdca_plan_detail",
    "pdca_plan_list",
    "pdca_problem_add",
    "plan_actuals",
    "standard_create",
    "standard_current_version",
    "standard_list",
    "standard_promote_lesson",
    "standard_version_add",
    "standard_version_approve",
]
