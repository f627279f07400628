"""Reads of PDCA cycles (S8) and the standards library (标准/制度): the plans and standards
a user may see, a plan's page, and a check's results from the indicator engine.

Everyone who sees a PDCA plan's unit (as for targets) reads the plan. Every logged-in
person reads the published standards and their approved versions; a draft version is seen
by its proposer, director and admin.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, QuerySet

from salesorg.core.money import quantize_cents
from salesorg.core.roles import person_of
from salesorg.core.scoping import SystemActor
from salesorg.performance.choices import Level
from salesorg.performance.kpi.indicators import indicator_table
from salesorg.performance.kpi.periods import Period, period_progress
from salesorg.targets.choices import ActionStatus, Metric, OwnerType
from salesorg.targets.models import (
    ActionItem,
    PdcaCheck,
    PdcaPlan,
    PdcaProblem,
    PdcaStatus,
    Standard,
    StandardCategory,
    StandardVersion,
)
from salesorg.targets.selectors.actuals import ACTUAL_COLUMN

LEVEL_OF_UNIT: dict[str, str] = {
    OwnerType.PERSON: Level.PERSON,
    OwnerType.TEAM: Level.TEAM,
    OwnerType.REGION: Level.REGION,
    OwnerType.COMPANY: Level.COMPANY,
}


def plan_actuals(
    *, plan: PdcaPlan, as_of: date, user: User | SystemActor
) -> dict[str, Decimal | int | None]:
    """The plan's unit's actual per metric over its period up to `as_of` (indicator engine)."""
    end = min(plan.period_end, max(as_of, plan.period_start))
    table = indicator_table(
        start=plan.period_start, end=end, level=LEVEL_OF_UNIT[plan.unit_type], user=user
    )
    if plan.unit_type == OwnerType.COMPANY:
        row = table.rows[0] if table.rows else None
    else:
        row = next((r for r in table.rows if r.code == plan.unit.code), None)
    if row is None:
        return {}
    # The actual columns are numbers (KPI.md), never text.
    return {metric: getattr(row, column) for metric, column in ACTUAL_COLUMN.items()}


def check_results(*, plan: PdcaPlan, as_of: date, user: User | SystemActor) -> list[dict]:
    """Each measure with its target and, for a measure with a metric, the actual and whether
    it is met (expenses: within the value); JSON-ready. Checked before the plan's period
    ends, a measure is judged against the part of its target due by then (pro-rated by
    working days elapsed), given as `target_to_date`."""
    actuals = plan_actuals(plan=plan, as_of=as_of, user=user)
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


def pdca_plan_list(
    *, user: User | SystemActor, status: str = "", search: str = ""
) -> QuerySet[PdcaPlan]:
    """Plans the user may see, newest period first."""
    plans = PdcaPlan.objects.visible_to(user).select_related("owner", "person", "team", "region")
    if status in PdcaStatus.values:
        plans = plans.filter(status=status)
    if search:
        plans = plans.filter(title__icontains=search)
    return plans


def pdca_plan_detail(*, plan: PdcaPlan, user: User | SystemActor) -> dict:
    """A plan's measures, checks, problems and their action items, the open ones and those
    carried over at its close (six queries)."""
    problems = list(plan.problems.select_related("check_record"))
    items = ActionItem.objects.filter(
        source_type=ContentType.objects.get_for_model(PdcaProblem),
        source_id__in=[problem.pk for problem in problems],
    ).select_related("owner")
    by_problem: dict[int | None, list] = {}
    by_id = {}
    for item in items:
        by_problem.setdefault(item.source_id, []).append(item)
        by_id[item.pk] = item
    return {
        "open_items": sorted(
            (item for item in by_id.values() if item.status == ActionStatus.OPEN),
            key=lambda item: (item.due_date, item.pk),
        ),
        "carried": [
            (by_id.get(entry.get("action_item_id")), entry.get("note", ""))
            for entry in plan.carried_over
        ],
        "measures": list(plan.measures.select_related("owner")),
        "checks": list(plan.checks.select_related("checked_by")),
        "problems": [(problem, by_problem.get(problem.pk, [])) for problem in problems],
        "versions": list(
            StandardVersion.objects.visible_to(user)
            .filter(lesson_plan=plan)
            .select_related("standard")
        ),
    }


def pdca_latest_check(*, plan: PdcaPlan, user: User | SystemActor) -> PdcaCheck | None:
    """The plan's latest check (a problem found is recorded against it), if any."""
    return (
        PdcaCheck.objects.visible_to(user).filter(plan=plan).order_by("-checked_on", "-id").first()
    )


def standard_list(
    *, user: User | SystemActor, category: str = "", search: str = ""
) -> QuerySet[Standard]:
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


def _number(version: StandardVersion) -> int:
    return version.number or 0  # approved versions always have one


def standard_current_version(
    versions: list[StandardVersion], *, today: date
) -> StandardVersion | None:
    """The approved version in force today: the highest number already effective."""
    in_force = [
        v for v in versions if v.is_approved and v.effective_date and v.effective_date <= today
    ]
    return max(in_force, key=_number, default=None)


def standard_versions(*, standard: Standard, user: User | SystemActor) -> list[StandardVersion]:
    """The versions of a standard the user may read, drafts first, then newest approved."""
    return list(
        StandardVersion.objects.visible_to(user)
        .filter(standard=standard)
        .select_related("approved_by", "proposed_by", "lesson_plan")
    )


@dataclass(frozen=True)
class DiffLine:
    """One line of a line diff: `same`, `added` or `removed`."""

    kind: str
    text: str


def standard_diff(*, old: str, new: str) -> list[DiffLine]:
    """The lines of `new` against `old`, each marked same, added or removed (a line diff)."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    lines: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag == "equal":
            lines += [DiffLine("same", text) for text in old_lines[old_start:old_end]]
            continue
        lines += [DiffLine("removed", text) for text in old_lines[old_start:old_end]]
        lines += [DiffLine("added", text) for text in new_lines[new_start:new_end]]
    return lines


@dataclass(frozen=True)
class VersionRow:
    """A version with the one it is compared with (its predecessor, or for a draft the
    latest approved version) and the diff between them."""

    version: StandardVersion
    previous: StandardVersion | None
    diff: list[DiffLine]


@dataclass(frozen=True)
class StandardHistory:
    """A standard's readable versions, the one in force and the latest approved one."""

    rows: list[VersionRow]
    current: StandardVersion | None
    latest: StandardVersion | None
    own_draft: StandardVersion | None  # the reader's open draft of the standard, if any


def standard_latest_approved(versions: list[StandardVersion]) -> StandardVersion | None:
    """The highest-numbered approved version: the one in force, or the one that will be."""
    return max((v for v in versions if v.is_approved), key=_number, default=None)


def standard_compare_row(version: StandardVersion, versions: list[StandardVersion]) -> VersionRow:
    """A version against its predecessor (a draft against the latest approved version)."""
    approved = sorted((v for v in versions if v.is_approved), key=_number)
    if version.is_approved:
        previous = next((v for v in reversed(approved) if _number(v) < _number(version)), None)
    else:
        previous = approved[-1] if approved else None
    diff = standard_diff(old=previous.body if previous else "", new=version.body)
    return VersionRow(version=version, previous=previous, diff=diff)


def standard_history(
    *, standard: Standard, user: User | SystemActor, today: date
) -> StandardHistory:
    """Every version the user may read, each with its text and its diff (one query)."""
    versions = standard_versions(standard=standard, user=user)
    person = person_of(user) if isinstance(user, User) else None
    own_draft = next(
        (
            v
            for v in versions
            if not v.is_approved and person is not None and v.proposed_by_id == person.pk
        ),
        None,
    )
    return StandardHistory(
        rows=[standard_compare_row(version, versions) for version in versions],
        current=standard_current_version(versions, today=today),
        latest=standard_latest_approved(versions),
        own_draft=own_draft,
    )


def standard_version_page(
    *, version: StandardVersion, user: User | SystemActor, today: date
) -> dict:
    """One version with its diff against the one it replaces (or, a draft, the latest)."""
    versions = standard_versions(standard=version.standard, user=user)
    return {
        "row": standard_compare_row(version, versions),
        "current": standard_current_version(versions, today=today),
    }
