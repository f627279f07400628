"""Writes of PDCA cycles (S8) and the standards library (标准/制度).

A PDCA plan is for one unit (a person, team, region or the company) and a period, with
an objective and measures (what, metric, target value, due date). Its stage moves
plan → do → check → act → closed, one step at a time. A check records the results against
the plan: for each measure with a metric the actual value is pulled from the indicator
engine for the plan's unit over the plan's period up to the check date. Problems found
carry a cause (category and text); action items come from problems
(`action_item_create(origin=PDCA, source=problem)`). Closing a cycle needs its lesson and
each open action item of its problems done, cancelled or carried over with a note (it then
stays open; the closed plan records what was carried and why).

Who writes a plan: whoever leads its unit — the person themself and their team manager or
region head for a person's plan, the team's manager or the region head for a team plan,
the region head for a region plan — and director/admin for any plan (company plans only
them); see `targets.permissions`.

Standards: director and admin write the library (new standards, new versions) and approve
versions. A team manager or region head may propose: promote the lesson of a closed cycle
they may write into a draft version (of a new or an existing standard), which only the
proposer, director and admin see and edit until director or admin approves it with an
effective date; approval publishes the standard. A standard changes by revision: a draft of
an existing standard starts from its latest approved text (a promoted lesson is appended as
a marked paragraph), each author has at most one open draft per standard (promoting again
adds to it), and a draft gets its version number when approved, so the highest approved
number effective by a date is the text in force; older versions stay readable.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from salesorg.core.problems import Problems
from salesorg.core.roles import person_of
from salesorg.core.scoping import SYSTEM
from salesorg.org.models import Person, Region, Team
from salesorg.targets.choices import ActionOrigin, ActionStatus, Metric, OwnerType
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
    can_edit_standard_draft,
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
def pdca_plan_advance(
    *,
    plan: PdcaPlan,
    actor: User,
    lesson: str = "",
    carry_over: dict[int, str] | None = None,
) -> PdcaPlan:
    """Move the cycle to its next stage. Closing it needs the lesson learned, and each open
    action item of its problems done, cancelled or carried over (`carry_over`: item id →
    note); the carried items stay open and the plan records them."""
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
    carried: list[dict] = []
    if next_status == PdcaStatus.CLOSED:
        if not plan.lesson.strip():
            problems.add("lesson", _("Write down the lesson learned before closing the cycle."))
        carried = _carried_over(problems, plan=plan, carry_over=carry_over or {})
    problems.raise_if_any()
    plan.status = next_status
    if next_status == PdcaStatus.CLOSED:
        plan.closed_at = timezone.now()
        plan.carried_over = carried
    plan.save()
    return plan


def _item_label(item: ActionItem) -> str:
    return pgettext("an open action item in a list", "%(title)s (%(owner)s, due %(due)s)") % {
        "title": item.display_title,
        "owner": item.owner.name,
        "due": item.due_date.isoformat(),
    }


def _carried_over(problems: Problems, *, plan: PdcaPlan, carry_over: dict[int, str]) -> list[dict]:
    """Check that every open action item of the plan's problems is carried over with a note;
    the records of what is carried, in the items' order."""
    open_items = list(
        ActionItem.objects.filter(
            source_type=ContentType.objects.get_for_model(PdcaProblem),
            source_id__in=plan.problems.values("pk"),
            status=ActionStatus.OPEN,
        )
        .select_related("owner")
        .order_by("due_date", "id")
    )
    separator = pgettext("between items of a list", ", ")
    left = [item for item in open_items if item.pk not in carry_over]
    if left:
        problems.add(
            "carry_over",
            _(
                "These action items are still open: %(items)s. Mark them done, or carry them "
                "over to the next cycle with a note."
            )
            % {"items": separator.join(_item_label(item) for item in left)},
        )
    no_note = [i for i in open_items if i.pk in carry_over and not carry_over[i.pk].strip()]
    if no_note:
        problems.add(
            "carry_over",
            _("Say why or where each item is carried over: %(items)s.")
            % {"items": separator.join(_item_label(item) for item in no_note)},
        )
    if set(carry_over) - {item.pk for item in open_items}:
        problems.add("carry_over", _("Only open action items of this plan can be carried over."))
    return [
        {"action_item_id": item.pk, "note": carry_over[item.pk].strip()}
        for item in open_items
        if item.pk in carry_over
    ]


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


def _latest_approved(standard: Standard) -> StandardVersion | None:
    return (
        StandardVersion.objects.filter(standard=standard, approved_by__isnull=False)
        .order_by("-number")
        .first()
    )


def _open_draft_of(standard: Standard, actor: User) -> StandardVersion | None:
    person = person_of(actor)
    if person is None:
        return None
    return StandardVersion.objects.filter(
        standard=standard, proposed_by=person, approved_by__isnull=True
    ).first()


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
        standard=standard, body=body.strip(), proposed_by=person_of(actor), lesson_plan=lesson_plan
    )


@transaction.atomic
def standard_version_add(
    *, standard: Standard, body: str, actor: User, lesson_plan: PdcaPlan | None = None
) -> StandardVersion:
    """Draft the next version of a standard (library writers, or a cycle's leaders); one open
    draft per author and standard, based on the latest approved version."""
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
    if _open_draft_of(standard, actor) is not None:
        problems.add(
            "body", _("You have a draft of this standard already; edit it or have it approved.")
        )
        problems.raise_if_any()
    return StandardVersion.objects.create(
        standard=standard,
        body=body.strip(),
        proposed_by=person_of(actor),
        lesson_plan=lesson_plan,
        based_on=_latest_approved(standard),
    )


@transaction.atomic
def standard_draft_update(*, version: StandardVersion, body: str, actor: User) -> StandardVersion:
    """Change a draft's text: its author, director and admin, while it is a draft."""
    problems = Problems()
    if version.is_approved:
        problems.add("body", _("This version is approved; draft a new version to change it."))
    elif not can_edit_standard_draft(actor, version):
        problems.add("body", _("Only the draft's author, the director or an admin edit it."))
    if not (body or "").strip():
        problems.add("body", _("This field is required."))
    problems.raise_if_any()
    version.body = body.strip()
    version.save(update_fields=["body"])
    return version


@transaction.atomic
def standard_version_approve(
    *, version: StandardVersion, actor: User, effective_date: date | None
) -> StandardVersion:
    """Approve a draft from a date on: it gets the next number and the standard is published.

    The date may not be before that of the version it replaces, so that the highest number
    in force is always the latest approved text."""
    problems = Problems()
    if not can_write_library(actor):
        problems.add("effective_date", _("Only the director or an admin approves standards."))
    if version.is_approved:
        problems.add("effective_date", _("This version is approved already."))
    if effective_date is None:
        problems.add("effective_date", _("This field is required."))
    problems.raise_if_any()
    assert effective_date is not None  # refused above
    standard = version.standard = Standard.objects.select_for_update().get(pk=version.standard_id)
    latest = _latest_approved(standard)
    if latest is not None and latest.effective_date and effective_date < latest.effective_date:
        problems.add(
            "effective_date",
            _("The effective date cannot be before that of version %(number)s (%(date)s).")
            % {"number": latest.number, "date": latest.effective_date.isoformat()},
        )
        problems.raise_if_any()
    version.number = (latest.number or 0 if latest else 0) + 1
    # drafts written before numbers were given at approval may hold this one
    StandardVersion.objects.filter(
        standard=standard, approved_by__isnull=True, number=version.number
    ).exclude(pk=version.pk).update(number=None)
    version.effective_date = effective_date
    version.approved_by = person_of(actor)
    version.approved_at = timezone.now()
    version.save()
    if not standard.is_published:
        standard.is_published = True
        standard.save(update_fields=["is_published"])
    return version


def _lesson_paragraph(plan: PdcaPlan) -> str:
    """The lesson as a new paragraph marked with its cycle, for the author to edit."""
    return _("[New, from the PDCA cycle “%(plan)s”] %(lesson)s") % {
        "plan": plan.title,
        "lesson": " ".join(plan.lesson.split()),
    }


@transaction.atomic
def standard_promote_lesson(
    *,
    plan: PdcaPlan,
    actor: User,
    standard: Standard | None = None,
    code: str = "",
    title: str = "",
    category: str = StandardCategory.OTHER,
) -> StandardVersion:
    """Turn a closed cycle's lesson into a draft revision of an existing standard (its
    latest approved text plus the lesson as a marked paragraph; the author's open draft if
    there is one), or into the first draft of a new standard."""
    if standard is None:
        return standard_create(
            code=code, title=title, category=category, body=plan.lesson, actor=actor,
            lesson_plan=plan,
        )  # fmt: skip
    problems = Problems()
    if not can_propose_standard(actor, plan):
        problems.add("plan", _("Only a closed cycle's lesson can be promoted, by its leaders."))
    problems.raise_if_any()
    Standard.objects.select_for_update().filter(pk=standard.pk).first()
    paragraph = _lesson_paragraph(plan)
    draft = _open_draft_of(standard, actor)
    if draft is not None:
        if " ".join(plan.lesson.split()) not in draft.body:
            draft.body = f"{draft.body.rstrip()}\n\n{paragraph}"
        draft.lesson_plan = draft.lesson_plan or plan
        draft.save(update_fields=["body", "lesson_plan"])
        return draft
    latest = _latest_approved(standard)
    body = f"{latest.body.rstrip()}\n\n{paragraph}" if latest else paragraph
    return standard_version_add(standard=standard, body=body, actor=actor, lesson_plan=plan)
